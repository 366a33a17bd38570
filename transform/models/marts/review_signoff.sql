-- The review of the period published, in one row: its open exceptions
-- (exception_register) and their amount, and the sign-off of the period in
-- reviews/signoff.csv, if any (the latest by signed_on, then the later file
-- and line). A sign-off is accepted only when every exception open at the
-- period (or closed since by a decision dated after the sign-off: it was
-- open when signed) whose amount is above review.min_amount_brl had a
-- decision
-- (any word: read in reviews/, or kept by the register when no file there
-- decides it any more) on or before the
-- day it was signed; otherwise it is refused, saying how many lack one and
-- the first of them (by amount), and the run's rejects list it. The
-- manifest, the workbook's cover and the site say which (pipelines/review.go).
-- materialized: temp
with params as (
    select getvariable('period') as period, getvariable('review_min_amount_brl')::DECIMAL(18,2) as min_amount
),

signoff as (
    select s.file_id, s.line, f.path as source_file, s.signed_by, s.signed_on, s.note
    from stg_review_signoffs s
    join files f using (file_id)
    where len(s._errors) = 0
      and s.period = (select period from params)
    qualify row_number() over (order by s.signed_on desc, f.path desc, s.line desc) = 1
),

open_now as (
    select * from exception_register where status = 'open'
),

decisions as (
    select exception_id, decided_on from review_decisions where not_applied is null
    union all
    select exception_id, decided_on from exception_history
    where decided_on is not null
      and exception_id not in (select exception_id from review_decisions where not_applied is null)
),

-- what the sign-off answers for: the exceptions open at the period, and
-- those a decision dated after it closed (they were open when signed);
-- not those the data resolved
signed_for as (
    select *
    from exception_register
    where first_period <= (select period from params)
      and (status = 'open' or resolved_by in ('aceita', 'resolvida'))
),

undecided as (
    select o.exception_id, o.amount_brl
    from signed_for o, signoff s
    where o.amount_brl > (select min_amount from params)
      and not exists (select 1 from decisions d where d.exception_id = o.exception_id and d.decided_on <= s.signed_on)
),

summary as (
    select
        (select count(*) from open_now) as open_exceptions,
        (select coalesce(sum(amount_brl), 0) from open_now)::DECIMAL(18,2) as open_brl,
        (select count(*) from undecided) as undecided,
        (select string_agg(exception_id, ', ' order by amount_brl desc, exception_id)
         from (select * from undecided order by amount_brl desc, exception_id limit 5)) as first_undecided
)

select
    (select period from params) as period,
    m.open_exceptions,
    m.open_brl,
    (select min_amount from params) as min_amount_brl,
    s.file_id,
    s.line,
    s.source_file,
    s.signed_by,
    s.signed_on,
    s.note,
    case when s.file_id is not null then m.undecided = 0 end as is_accepted,
    case when s.file_id is not null then m.undecided end as undecided,
    case when s.file_id is not null then m.first_undecided end as first_undecided,
    case when s.file_id is not null and m.undecided > 0 then
        'sign-off refused: ' || m.undecided || ' open exception(s) above ' || (select min_amount from params)
        || ' BRL without a decision on or before ' || strftime(s.signed_on, '%Y-%m-%d') || ': ' || m.first_undecided
        || CASE WHEN m.undecided > 5 THEN ', …' ELSE '' END
    end as refusal
from summary m
left join signoff s on true
