-- The vendors' monthly exchange rates (fx/<vendor>_rates*.csv). The same
-- month delivered in two files counts once; two different rates for one
-- vendor, month and pair fail the unique check.
-- check: unique(vendor_key, month, from_currency, to_currency)
select distinct
    vendor_key,
    month,
    from_currency,
    to_currency,
    rate
from stg_vendor_fx
where len(_errors) = 0
