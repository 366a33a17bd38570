-- Vendor incentive rules (rules/incentives.csv), validated when read.
select
    file_id,
    line,
    vendor,
    program,
    sku_pattern,
    pct::DECIMAL(9,4) as pct,
    valid_from::DATE as valid_from,
    valid_to::DATE as valid_to
from raw_incentive_rules
