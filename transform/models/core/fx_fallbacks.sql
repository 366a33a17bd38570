-- PTAX lines rejected (zero, negative or text rate, bad date) that would
-- have been the period's rate: the rate of an earlier day is used instead,
-- and the manifest and data quality say so. A rejected line with no
-- readable date could be any day, so it is listed too.
with rejected as (
    select s.file_id, s.line, s.currency, s.rate_date, s._errors[1].reason as reason, s._errors[1].value as value
    from stg_ptax s
    where len(s._errors) > 0
)

select
    p.currency,
    p.rate_date as used_rate_date,
    f.path as file,
    r.line,
    r.rate_date as rejected_rate_date,
    r.value,
    r.reason
from period_fx p
join rejected r on r.currency = p.currency
join files f on f.file_id = r.file_id
where p.currency <> 'BRL'
  and (r.rate_date is null
       or (r.rate_date > p.rate_date and r.rate_date < getvariable('period_start')))
order by p.currency, f.path, r.line
