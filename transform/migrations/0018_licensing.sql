-- Licensing rules (issue 25; numbered 0018 after issue 28's 0014,
-- issue 27's 0015 and issue 26's 0016, 0017): the enrollment's price sheet and product
-- class on contract lines, the FX rule of USD-indexed contracts, the
-- co-term end of quote lines, the true-up and update statements recorded in
-- the ERP, the vendors' monthly exchange rates, and which rate prices each
-- vendor's list (fx.vendors in the config, written by the pipelines).

ALTER TABLE raw_erp_contract_lines ADD COLUMN product_class VARCHAR;
ALTER TABLE raw_erp_contract_lines ADD COLUMN sa_price VARCHAR;
ALTER TABLE raw_erp_contracts ADD COLUMN fx_rule VARCHAR;
ALTER TABLE raw_quote_requests ADD COLUMN coterm_end VARCHAR;

-- Files loaded before these columns existed are read again (their settings
-- no longer match what the loader computes).
UPDATE files SET settings = settings || ';before-0016'
WHERE kind IN ('erp_contracts', 'erp_contract_lines', 'quotes');

-- True-up orders and update statements submitted to the vendor, as the ERP
-- records them (erp/statements/*.csv): each closes its anniversary's
-- true-up event. Mapped like the other ERP kinds (0014_erp_mappings.sql:
-- decimal_sep, date_format, unmapped, map_errors).
CREATE TABLE raw_erp_statements (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    contract_id VARCHAR, anniversary VARCHAR, kind VARCHAR, submitted_on VARCHAR,
    reference VARCHAR,
    decimal_sep VARCHAR, date_format VARCHAR, unmapped VARCHAR, map_errors VARCHAR
);

-- A vendor's monthly exchange rates (fx/<vendor>_rates*.csv: Partner
-- Center's monthly foreign-exchange rate for Microsoft).
CREATE TABLE raw_vendor_fx (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    month VARCHAR, from_currency VARCHAR, to_currency VARCHAR, rate VARCHAR
);

-- Which rate converts each vendor's prices (fx.vendors in the config):
-- 'ptax' or 'vendor_rate'; rewritten by the price-list pipeline at each run.
CREATE TABLE fx_vendor_settings (
    vendor_key VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL
);

-- The rate that priced each vendor's currency in the latest price table
-- published for a period up to the reconciliation's (its FX effect
-- compares the bills' rates with it); rewritten by the reconciliation
-- pipeline at each run.
CREATE TABLE table_fx_rates (
    vendor_key VARCHAR NOT NULL,
    currency VARCHAR NOT NULL,
    fx_rate DECIMAL(18,6),
    price_period VARCHAR NOT NULL,
    PRIMARY KEY (vendor_key, currency)
);
