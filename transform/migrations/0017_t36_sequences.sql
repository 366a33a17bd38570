-- The SEQUENCE of each t36.ics event (RFC 5545: it grows when the event
-- changes, so a calendar that imported it takes the new version): the
-- hash of the event's content as last published, and its number. The
-- lifecycle keeps it at each publication (pipelines/lifecycle.go).
CREATE TABLE t36_ics_sequences (
    uid          VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL,
    sequence     INTEGER NOT NULL
);
