-- PTAX sell rates by currency and day. The same day delivered in two files
-- counts once; two different rates for one day fail the unique check.
-- check: unique(currency, rate_date)
select distinct
    currency,
    rate_date,
    sell_rate
from stg_ptax
where len(_errors) = 0
