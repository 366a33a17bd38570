-- Incremental staging models (-- materialized: incremental) are tables the
-- loader fills per source file. The hash of the SQL that built a model's
-- rows: when the model changes, its table is rebuilt and its files loaded
-- again.
CREATE TABLE incremental_models (
    name        VARCHAR PRIMARY KEY,
    sql_sha256  VARCHAR NOT NULL
);
