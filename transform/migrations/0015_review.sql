-- Finance's review of the reconciliation's exceptions (reviews/): the
-- decisions (reviews/*.csv, or the "Revisão" sheet of a workbook saved
-- there) and the sign-offs (reviews/signoff.csv), kept as text;
-- stg_review_decisions and stg_review_signoffs type them.
CREATE TABLE raw_review_decisions (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    exception_id VARCHAR, decision VARCHAR, owner VARCHAR, due VARCHAR, note VARCHAR,
    decided_by VARCHAR, decided_on VARCHAR
);
CREATE TABLE raw_review_signoffs (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    period VARCHAR, signed_by VARCHAR, signed_on VARCHAR, note VARCHAR
);
