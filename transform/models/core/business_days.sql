-- Every day from the year before the period to the year after as-of, with
-- whether it is a business day (Monday–Friday, not a national holiday from
-- the holidays table the pipeline fills). business_index counts business
-- days up to and including the day, so "N business days after d" is the
-- business day whose index is index(d) + N.
-- check: unique(day)
with days as (
    select unnest(generate_series(
        date_trunc('year', getvariable('period_start')) - interval 1 year,
        date_trunc('year', greatest(getvariable('as_of'), getvariable('period_start'))) + interval 2 year - interval 1 day,
        interval 1 day))::DATE as day
)

select
    d.day,
    isodow(d.day) < 6 and h.holiday_date is null as is_business_day,
    h.name as holiday,
    sum((isodow(d.day) < 6 and h.holiday_date is null)::INTEGER) over (order by d.day) as business_index
from days d
left join holidays h on h.holiday_date = d.day
order by d.day
