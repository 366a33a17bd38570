-- What a file's rows depend on besides its bytes: the config settings that
-- parsed it (a vendor's column mapping and decimal separator, the ERP
-- encoding). A file loaded under other settings is read again.
ALTER TABLE files ADD COLUMN settings VARCHAR DEFAULT '';
