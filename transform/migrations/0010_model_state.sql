-- What each stored model table was last built from (transform/fingerprint.go):
-- a table whose fingerprint is unchanged since and which still exists is not
-- built again. built_at says when it was.
CREATE TABLE model_state (
    name        VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    built_at    TIMESTAMP NOT NULL
);
