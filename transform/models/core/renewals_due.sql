-- The contracts up for renewal at as-of: active ones ending within
-- renewal_horizon_days (lifecycle.renewal_horizon_days, default 120), by
-- days left, and every one that ended without a successor, overdue for
-- lapsed_days after its end (lifecycle.lapsed_days, default 90) whatever
-- its status in the ERP: most ERPs mark an ended contract "encerrado", and
-- a lost renewal must still be seen.
-- check: unique(contract_id)
-- check: accepted_values(bucket: overdue, 0-30, 31-60, 61-90, 91-120, 121+)
with c as (
    select
        c.*,
        date_diff('day', getvariable('as_of')::DATE, c.end_date) as days_left
    from lifecycle_contracts c
)

select
    contract_id,
    days_left,
    case
        when days_left < 0 then 'overdue'
        when days_left <= 30 then '0-30'
        when days_left <= 60 then '31-60'
        when days_left <= 90 then '61-90'
        when days_left <= 120 then '91-120'
        else '121+'
    end as bucket
from c
where (status in ('active', 'ativo') and days_left >= 0 and days_left <= getvariable('renewal_horizon_days'))
   or (days_left < 0 and -days_left <= getvariable('lapsed_days') and successor_contract_id is null)
order by contract_id
