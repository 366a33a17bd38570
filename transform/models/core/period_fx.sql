-- The rate for the period: the PTAX of the last day before the period
-- starts that has one (weekends and holidays have none), if it is at most
-- fx_max_age_days old. BRL is 1.
-- check: unique(currency)
select
    currency,
    rate_date,
    sell_rate
from fx_rates
where rate_date < getvariable('period_start')
  and rate_date >= getvariable('period_start') - getvariable('fx_max_age_days')
qualify row_number() over (partition by currency order by rate_date desc) = 1

union all

select 'BRL', null, 1.0::DECIMAL(18,6)
