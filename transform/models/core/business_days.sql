-- Every day the run looks at (the year before the period to the year after
-- as-of), with whether it is a business day: rows of calendar_days, which
-- the pipeline writes from package calendar (national and local holidays,
-- weekends), the one place the rule lives. business_index counts business
-- days up to and including the day, so "N business days after d" is the
-- business day whose index is index(d) + N.
-- check: unique(day)
select
    day,
    is_business_day,
    holiday,
    sum(is_business_day::INTEGER) over (order by day) as business_index
from calendar_days
order by day
