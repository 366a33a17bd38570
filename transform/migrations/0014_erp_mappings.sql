-- ERP exports as the ERP writes them (issue 28).
--
-- A file read through a mapping of the config's erp: block (or a built-in
-- profile) lands in the same raw shape as the native layout, with how to
-- read its text: decimal_sep ('.' or ','; NULL: the native decimal comma),
-- date_format (one of extract.VendorDateFormats; NULL: the native dates),
-- unmapped (the fields no column or default feeds, '|'-separated: the
-- staging model does not check them) and map_errors (JSON: the row's
-- mapping problems, a value its value map lacks or a joined row missing,
-- each a reject of the row).
-- Numbered 0014: 0013 is taken by issue 24 (taxes).
ALTER TABLE raw_erp_customers ADD COLUMN decimal_sep VARCHAR;
ALTER TABLE raw_erp_customers ADD COLUMN date_format VARCHAR;
ALTER TABLE raw_erp_customers ADD COLUMN unmapped VARCHAR;
ALTER TABLE raw_erp_customers ADD COLUMN map_errors VARCHAR;

ALTER TABLE raw_erp_contracts ADD COLUMN decimal_sep VARCHAR;
ALTER TABLE raw_erp_contracts ADD COLUMN date_format VARCHAR;
ALTER TABLE raw_erp_contracts ADD COLUMN unmapped VARCHAR;
ALTER TABLE raw_erp_contracts ADD COLUMN map_errors VARCHAR;

ALTER TABLE raw_erp_contract_lines ADD COLUMN decimal_sep VARCHAR;
ALTER TABLE raw_erp_contract_lines ADD COLUMN date_format VARCHAR;
ALTER TABLE raw_erp_contract_lines ADD COLUMN unmapped VARCHAR;
ALTER TABLE raw_erp_contract_lines ADD COLUMN map_errors VARCHAR;

ALTER TABLE raw_erp_orders ADD COLUMN decimal_sep VARCHAR;
ALTER TABLE raw_erp_orders ADD COLUMN date_format VARCHAR;
ALTER TABLE raw_erp_orders ADD COLUMN unmapped VARCHAR;
ALTER TABLE raw_erp_orders ADD COLUMN map_errors VARCHAR;

-- The register may name the customer by id (an ERP keying invoices by its
-- customer code) and carry the NF-e access key.
ALTER TABLE raw_erp_invoices ADD COLUMN customer_id VARCHAR;
ALTER TABLE raw_erp_invoices ADD COLUMN access_key VARCHAR;
ALTER TABLE raw_erp_invoices ADD COLUMN decimal_sep VARCHAR;
ALTER TABLE raw_erp_invoices ADD COLUMN date_format VARCHAR;
ALTER TABLE raw_erp_invoices ADD COLUMN unmapped VARCHAR;
ALTER TABLE raw_erp_invoices ADD COLUMN map_errors VARCHAR;

ALTER TABLE raw_erp_vendor_accounts ADD COLUMN decimal_sep VARCHAR;
ALTER TABLE raw_erp_vendor_accounts ADD COLUMN date_format VARCHAR;
ALTER TABLE raw_erp_vendor_accounts ADD COLUMN unmapped VARCHAR;
ALTER TABLE raw_erp_vendor_accounts ADD COLUMN map_errors VARCHAR;

-- Receivables by title / installment (erp/receivables/, Protheus SE1).
CREATE TABLE raw_erp_receivables (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    nf_number VARCHAR, series VARCHAR, installment VARCHAR, title_type VARCHAR,
    customer_id VARCHAR, issue_date VARCHAR, due_date VARCHAR, amount VARCHAR,
    balance VARCHAR, paid_date VARCHAR,
    decimal_sep VARCHAR, date_format VARCHAR, unmapped VARCHAR, map_errors VARCHAR
);

-- Which fields of a mapped file no column or default feeds: the reports
-- that need one say so once (data_quality's unmapped_field).
CREATE TABLE file_unmapped (
    file_id BIGINT NOT NULL,
    field   VARCHAR NOT NULL
);
