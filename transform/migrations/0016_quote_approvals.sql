-- Decisions on quote revisions and renewal drafts that need approval
-- (approvals/*.csv): Brazilian CSV like the ERP exports, one row per
-- decision, kept as text; stg_quote_approvals types them.
CREATE TABLE raw_quote_approvals (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    request_id VARCHAR, revision VARCHAR, decision VARCHAR, approver VARCHAR,
    decided_on VARCHAR, note VARCHAR
);
