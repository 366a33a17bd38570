-- Every quote request revision number the quotes pipeline published: the
-- request, its number, its date, and the file (path and SHA-256) it was
-- read from, with the period of the set. A number, once published, keeps
-- what it stands for: core/quote_requests keeps it for the same file's
-- bytes and numbers other files after the highest, even when the file
-- that had it has left the inbox and the sets published since.
CREATE TABLE quote_revisions (
    request_id    VARCHAR NOT NULL,
    revision      INTEGER NOT NULL,
    requested_on  DATE,
    source_file   VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    period        VARCHAR NOT NULL
);
