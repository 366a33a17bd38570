-- Raw landing tables of the reconciliation pipeline (ERP exports, NF XML,
-- vendor bills), all VARCHAR as delivered, plus the holiday calendar the
-- pipeline writes before building its models.

CREATE TABLE raw_erp_customers (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    customer_id VARCHAR, name VARCHAR, cnpj VARCHAR, segment VARCHAR,
    billing_cutoff_day VARCHAR, payment_terms_days VARCHAR, credit_limit VARCHAR,
    restrictions VARCHAR, portal VARCHAR, account_manager VARCHAR, status VARCHAR
);

CREATE TABLE raw_erp_contracts (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    contract_id VARCHAR, customer_id VARCHAR, vendor VARCHAR, program VARCHAR,
    agreement_number VARCHAR, start_date VARCHAR, end_date VARCHAR,
    billing_frequency VARCHAR, currency VARCHAR, status VARCHAR
);

CREATE TABLE raw_erp_contract_lines (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    contract_id VARCHAR, product_id VARCHAR, sku_id VARCHAR, description VARCHAR,
    quantity VARCHAR, unit_price VARCHAR, license_price VARCHAR, annual_price VARCHAR,
    currency VARCHAR
);

-- The export's "line" column (order line number) is order_line here: line
-- is the file line in every raw table.
CREATE TABLE raw_erp_orders (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    so_number VARCHAR, po_number VARCHAR, customer_id VARCHAR, contract_id VARCHAR,
    order_date VARCHAR, order_type VARCHAR, order_line VARCHAR, product_id VARCHAR,
    sku_id VARCHAR, quantity VARCHAR, unit_price_brl VARCHAR, period_start VARCHAR,
    period_end VARCHAR, vendor_subscription_id VARCHAR, status VARCHAR
);

CREATE TABLE raw_erp_invoices (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    nf_number VARCHAR, series VARCHAR, kind VARCHAR, issue_date VARCHAR,
    customer_cnpj VARCHAR, so_number VARCHAR, gross VARCHAR, discount VARCHAR,
    taxes_withheld VARCHAR, net VARCHAR, status VARCHAR, due_date VARCHAR,
    paid_date VARCHAR, paid_amount VARCHAR, portal_posted_date VARCHAR,
    replaces_nf VARCHAR
);

CREATE TABLE raw_erp_vendor_accounts (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    vendor VARCHAR, vendor_customer_id VARCHAR, customer_id VARCHAR
);

-- NF-e / NFS-e documents and their items in one table (record = 'document'
-- or 'item'), so that a re-delivered file's rows go with one DELETE like
-- every other kind. Amounts are the XML's text (dot decimal).
CREATE TABLE raw_nf (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    record VARCHAR NOT NULL, kind VARCHAR, doc_key VARCHAR, number VARCHAR,
    series VARCHAR, issued_at VARCHAR, processed_at VARCHAR, issuer_cnpj VARCHAR,
    customer_cnpj VARCHAR, status VARCHAR, gross VARCHAR, discount VARCHAR,
    tax_base VARCHAR, tax_amount VARCHAR, net VARCHAR,
    item_number INTEGER, product_code VARCHAR, description VARCHAR,
    quantity VARCHAR, unit_price VARCHAR, total VARCHAR
);

-- Microsoft Partner Center invoice reconciliation (NCE license-based).
CREATE TABLE raw_ms_billing (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    partner_id VARCHAR, customer_id VARCHAR, customer_name VARCHAR,
    customer_domain_name VARCHAR, customer_country VARCHAR, invoice_number VARCHAR,
    mpn_id VARCHAR, reseller_mpn_id VARCHAR, order_id VARCHAR, order_date VARCHAR,
    product_id VARCHAR, sku_id VARCHAR, availability_id VARCHAR, sku_name VARCHAR,
    product_name VARCHAR, charge_type VARCHAR, unit_price VARCHAR, quantity VARCHAR,
    subtotal VARCHAR, tax_total VARCHAR, total VARCHAR, currency VARCHAR,
    price_adjustment_description VARCHAR, publisher_name VARCHAR, publisher_id VARCHAR,
    subscription_description VARCHAR, subscription_id VARCHAR,
    charge_start_date VARCHAR, charge_end_date VARCHAR, term_and_billing_cycle VARCHAR,
    effective_unit_price VARCHAR, unit_type VARCHAR, alternate_id VARCHAR,
    billable_quantity VARCHAR, billing_frequency VARCHAR, pricing_currency VARCHAR,
    pc_to_bc_exchange_rate VARCHAR, pc_to_bc_exchange_rate_date VARCHAR,
    meter_description VARCHAR, reservation_order_id VARCHAR, credit_reason_code VARCHAR,
    subscription_start_date VARCHAR, subscription_end_date VARCHAR,
    reference_id VARCHAR, product_qualifiers VARCHAR, promotion_id VARCHAR
);

-- National holidays (package scheduler computes them), rewritten by the
-- reconciliation pipeline for the years a run needs.
CREATE TABLE holidays (
    holiday_date DATE PRIMARY KEY,
    name VARCHAR NOT NULL
);
