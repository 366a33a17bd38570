-- Taxes on revenue (rules/taxes.csv), validated when read: every row names
-- a known tax, a rate from 0 to 100, what it applies to (all, licence,
-- hardware), whether the price includes it, its dates and its source. Two
-- rows of one tax and applies_to never share a day (the loader fails the
-- run on an overlap).
select
    file_id,
    line,
    tax,
    rate_pct::DECIMAL(9,4) as rate_pct,
    applies_to,
    included_in_price as is_included_in_price,
    valid_from::DATE as valid_from,
    valid_to::DATE as valid_to,
    source
from raw_tax_rules
