-- Ledgers and raw landing tables. Raw tables keep source text as delivered
-- (all VARCHAR) with the file and line it came from; staging models type them.

CREATE SEQUENCE file_id_seq START 1;

-- One row per inbox file currently loaded. A changed file gets a new file_id
-- and its old rows are deleted in the same transaction.
CREATE TABLE files (
    file_id     BIGINT PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,   -- relative to the inbox root, '/' separated
    sha256      VARCHAR NOT NULL,
    size_bytes  BIGINT NOT NULL,
    rows        BIGINT NOT NULL,
    loaded_at   TIMESTAMP NOT NULL
);

-- Which source column (header) fed which field, for rejects that name the
-- column the user knows.
CREATE TABLE file_columns (
    file_id     BIGINT NOT NULL,
    field       VARCHAR NOT NULL,
    header      VARCHAR NOT NULL,
    position    INTEGER NOT NULL
);

-- Rows rejected while reading (before staging), e.g. XLSX cells or XML.
CREATE TABLE load_rejects (
    file_id     BIGINT NOT NULL,
    line        BIGINT,
    field       VARCHAR,
    value       VARCHAR,
    reason      VARCHAR NOT NULL
);

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    pipeline    VARCHAR NOT NULL,
    period      VARCHAR NOT NULL,
    as_of       DATE NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,   -- running, succeeded, failed
    error       VARCHAR,
    rejects     BIGINT
);

CREATE TABLE raw_ms_prices (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    product_title VARCHAR, product_id VARCHAR, sku_id VARCHAR, sku_title VARCHAR,
    publisher VARCHAR, sku_description VARCHAR, unit_of_measure VARCHAR,
    term_duration VARCHAR, billing_plan VARCHAR, market VARCHAR, currency VARCHAR,
    unit_price VARCHAR, tier_min VARCHAR, tier_max VARCHAR,
    effective_start VARCHAR, effective_end VARCHAR, tags VARCHAR,
    erp_price VARCHAR, segment VARCHAR
);

CREATE TABLE raw_adobe_prices (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    part_number VARCHAR, product_family VARCHAR, product_type VARCHAR,
    level_details VARCHAR, duration VARCHAR, market_segment VARCHAR,
    currency VARCHAR, partner_price VARCHAR, estimated_street_price VARCHAR,
    price_list_month VARCHAR, acd_indicator VARCHAR
);

-- Price lists of vendors without a built-in format, mapped by the config file.
CREATE TABLE raw_vendor_prices (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    vendor VARCHAR, product_id VARCHAR, sku_id VARCHAR, product VARCHAR,
    sku_title VARCHAR, product_family VARCHAR, segment VARCHAR, market VARCHAR,
    term VARCHAR, billing_plan VARCHAR, currency VARCHAR, cost VARCHAR,
    list_price VARCHAR, effective_from VARCHAR, effective_to VARCHAR,
    decimal_sep VARCHAR, date_format VARCHAR
);

CREATE TABLE raw_ptax (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    rate_date VARCHAR, code VARCHAR, type VARCHAR, symbol VARCHAR,
    buy VARCHAR, sell VARCHAR, parity_buy VARCHAR, parity_sell VARCHAR
);

CREATE TABLE raw_pricing_rules (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    vendor VARCHAR, segment VARCHAR, product_family VARCHAR, method VARCHAR,
    pct VARCHAR, min_margin_pct VARCHAR
);

CREATE TABLE raw_incentive_rules (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    vendor VARCHAR, program VARCHAR, sku_pattern VARCHAR, pct VARCHAR,
    valid_from VARCHAR, valid_to VARCHAR
);

-- Published ready-to-quote prices per period: the base of month-over-month
-- price changes. Replaced per period when that period is published again.
CREATE TABLE quote_prices_history (
    period VARCHAR NOT NULL,
    vendor VARCHAR, product_id VARCHAR, sku_id VARCHAR, product VARCHAR,
    sku_title VARCHAR, product_family VARCHAR, segment VARCHAR, market VARCHAR,
    term VARCHAR, billing_plan VARCHAR, currency VARCHAR,
    cost DECIMAL(18,2), list_price DECIMAL(18,2), net_cost DECIMAL(18,2),
    sell_price DECIMAL(18,2), cost_brl DECIMAL(18,2), sell_price_brl DECIMAL(18,2)
);
