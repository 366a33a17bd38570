-- Each source file's rows of an incremental model live in a table of their
-- own, <model>__file<file_id>, and the model is a view over them. line_base:
-- a file whose records are one line each numbers them from its row ids
-- (line = rowid + line_base), which needs no update of a million rows;
-- NULL: the rows carry their line.
CREATE TABLE incremental_parts (
    name        VARCHAR NOT NULL,
    file_id     BIGINT NOT NULL,
    line_base   BIGINT
);
