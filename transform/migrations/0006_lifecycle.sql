-- The contract lifecycle: contracts' optional onboarding date and true-up
-- program, the SAM tools' deployment counts, and the true-up factors the
-- lifecycle pipeline writes from the config before building its models.

ALTER TABLE raw_erp_contracts ADD COLUMN onboarding_date VARCHAR;
ALTER TABLE raw_erp_contracts ADD COLUMN true_up_program VARCHAR;

-- Contract files loaded before these columns existed are read again (their
-- settings no longer match what the loader computes).
UPDATE files SET settings = settings || ';before-0006' WHERE kind = 'erp_contracts';

-- Deployment counts exported by the customers' SAM tools (sam/*.csv),
-- Brazilian CSV like the ERP exports.
CREATE TABLE raw_sam_counts (
    file_id BIGINT NOT NULL, line BIGINT NOT NULL,
    customer_id VARCHAR, contract_id VARCHAR, product_id VARCHAR, sku_id VARCHAR,
    deployed_quantity VARCHAR, count_date VARCHAR
);

-- True-up price factors per program (lifecycle.true_up in the config),
-- rewritten by the lifecycle pipeline at each run.
CREATE TABLE true_up_factors (
    program VARCHAR PRIMARY KEY,
    license_factor DECIMAL(9,4) NOT NULL,
    addition_year_factor DECIMAL(9,4) NOT NULL
);
