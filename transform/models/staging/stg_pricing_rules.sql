-- Margin rules (rules/pricing.csv), validated when read. specificity counts
-- the fields that are not "*": the most specific matching rule wins.
select
    file_id,
    line,
    vendor,
    segment,
    product_family,
    method,
    pct::DECIMAL(9,4) as pct,
    min_margin_pct::DECIMAL(9,4) as min_margin_pct,
    (vendor <> '*')::INTEGER + (segment <> '*')::INTEGER + (product_family <> '*')::INTEGER as specificity
from raw_pricing_rules
