-- The content tag a file was loaded under (an S3 object's ETag; empty for a
-- local folder's files): an object listed with the same tag and settings is
-- neither downloaded nor read again.
ALTER TABLE files ADD COLUMN tag VARCHAR DEFAULT '';
