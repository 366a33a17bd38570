-- The review's trend, month by month from the first period of the review
-- loop (review.start, else the earliest period a register was published
-- for, and never after the first exception) to the period published, from
-- the register (exception_register): exceptions opened (first_period),
-- resolved (resolved_period: by data or credit in the period whose data
-- resolved them, by decision in the month of its decided_on), open at the
-- month's end, their amounts, and the median age in months of those open.
-- materialized: temp
-- check: unique(period)
with reg as (
    select * from exception_register
),

bounds as (
    select
        period_index(least(getvariable('review_start'), (select min(first_period) from reg), getvariable('period'))) as first_index,
        period_index(getvariable('period')) as last_index
),

periods as (
    select index_period(i) as period
    from bounds b, range(b.first_index, b.last_index + 1) t(i)
)

select
    p.period,
    count(r.exception_id) filter (where r.first_period = p.period) as opened,
    coalesce(sum(r.amount_brl) filter (where r.first_period = p.period), 0)::DECIMAL(18,2) as opened_brl,
    count(r.exception_id) filter (where r.resolved_period = p.period) as resolved,
    coalesce(sum(r.amount_brl) filter (where r.resolved_period = p.period), 0)::DECIMAL(18,2) as resolved_brl,
    count(r.exception_id) filter (where r.resolved_period = p.period and r.resolved_by in ('dados', 'credito')) as resolved_by_data,
    coalesce(sum(r.amount_brl) filter (where r.resolved_period = p.period and r.resolved_by = 'aceita'), 0)::DECIMAL(18,2) as written_off_brl,
    count(r.exception_id) filter (where r.first_period <= p.period and (r.resolved_period is null or r.resolved_period > p.period)) as open_at_end,
    coalesce(sum(r.amount_brl) filter (where r.first_period <= p.period and (r.resolved_period is null or r.resolved_period > p.period)), 0)::DECIMAL(18,2) as open_at_end_brl,
    (median(period_index(p.period) - period_index(r.first_period))
        filter (where r.first_period <= p.period and (r.resolved_period is null or r.resolved_period > p.period)))::DECIMAL(9,1) as median_age_months
from periods p
left join reg r on r.first_period <= p.period
group by p.period
order by p.period
