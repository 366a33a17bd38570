-- Sellers' quote requests (quotes/*.csv|*.xlsx): Brazilian CSV like the ERP
-- exports, one row per requested line, kept as text; stg_quote_requests
-- types them.
CREATE TABLE raw_quote_requests (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    request_id VARCHAR, requested_on VARCHAR, seller VARCHAR, customer VARCHAR,
    vendor VARCHAR, product_id VARCHAR, sku_id VARCHAR, segment VARCHAR, term VARCHAR,
    billing_plan VARCHAR, currency VARCHAR, quantity VARCHAR, discount_pct VARCHAR, notes VARCHAR
);
