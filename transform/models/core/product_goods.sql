-- What each product the reconciliation meets is, for the taxes on revenue
-- (rules/taxes.csv applies_to): licence when a vendor bills it (the
-- period's bill lines) or a price list of a licence vendor lists it (the
-- latest price table published up to the period), hardware when only the
-- price list of a vendor the config declares goods: hardware does. A
-- product in neither is none of them: only the taxes applying to all.
-- materialized: temp
-- check: unique(product_id)
with listed as (
    select distinct product_id, coalesce(goods, 'licence') as goods
    from quote_prices_history
    where period = (select max(period) from quote_prices_history where period <= getvariable('period'))

    union

    select distinct product_id, 'licence' from vendor_bill_lines where product_id is not null
)

select product_id, max(goods) as goods -- licence > hardware: licence when any source says so
from listed
group by product_id
