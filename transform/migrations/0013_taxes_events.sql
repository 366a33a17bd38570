-- Taxes on revenue as dated rules (rules/taxes.csv, extract kind
-- tax_rules): checked line by line in Go, a bad or overlapping line fails
-- the run. Dates ISO, rates as decimal text with a dot.
CREATE TABLE raw_tax_rules (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    tax VARCHAR, rate_pct VARCHAR, applies_to VARCHAR, included_in_price BOOLEAN,
    valid_from VARCHAR, valid_to VARCHAR, source VARCHAR
);

-- Fiscal events read from nf/**/*.xml (NF-e procEventoNFe, NFS-e Nacional
-- evento) are record 'event' rows of raw_nf: doc_key is the invoice's
-- access key the event names, kind the invoice's layout, issued_at the
-- event time (dhEvento), processed_at its registration (NF-e dhRegEvento,
-- NFS-e dhProc), status the NF-e retEvento cStat.
ALTER TABLE raw_nf ADD COLUMN event_type VARCHAR;
ALTER TABLE raw_nf ADD COLUMN event_seq VARCHAR;
ALTER TABLE raw_nf ADD COLUMN event_protocol VARCHAR;
ALTER TABLE raw_nf ADD COLUMN event_reason VARCHAR;
ALTER TABLE raw_nf ADD COLUMN substitute_key VARCHAR;

-- The products of the latest price table published up to a reconciliation's
-- period and their kind of sale (licence, hardware), written by the
-- reconciliation before it builds: what tells a licence from hardware for
-- the taxes on revenue (core/product_goods), stored so that the models
-- reading it are built again only when it changes.
CREATE TABLE listed_products (
    product_id VARCHAR NOT NULL,
    goods      VARCHAR NOT NULL
);
