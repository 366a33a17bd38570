-- What each product the reconciliation meets is, for the taxes on revenue
-- (rules/taxes.csv applies_to): licence when a vendor bills it (the
-- period's bill lines) or a price list of a licence vendor lists it (the
-- latest price table published up to the period: listed_products),
-- hardware when only the price list of a vendor the config declares goods:
-- hardware does. A product in neither is none of them: only the taxes
-- applying to all.
-- check: unique(product_id)
with listed as (
    select product_id, goods from listed_products

    union

    select distinct product_id, 'licence' from vendor_bill_lines where product_id is not null
)

select product_id, max(goods) as goods -- licence > hardware: licence when any source says so
from listed
group by product_id
