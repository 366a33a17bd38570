-- Every staged row carries its file line (extract.stageRows): the row-id
-- numbering of line_base is gone, and with it the column.
ALTER TABLE incremental_parts DROP COLUMN line_base;
