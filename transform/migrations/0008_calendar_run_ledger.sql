-- The business-day calendar as package calendar computes it (national
-- holidays, local ones from schedule.holidays, weekends), written by the
-- pipelines for the days a run looks at, so SQL never restates the rule.
-- It replaces the holidays table, from which SQL re-derived weekends.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    is_business_day BOOLEAN NOT NULL,
    holiday VARCHAR            -- the holiday's name, NULL on other days
);
DROP TABLE holidays;

-- The run ledger says who started a run (cli or schedule) and how many
-- rows it read and published. Runs recorded before this stay NULL.
ALTER TABLE runs ADD COLUMN "trigger" VARCHAR;
ALTER TABLE runs ADD COLUMN rows_in BIGINT;
ALTER TABLE runs ADD COLUMN rows_out BIGINT;
