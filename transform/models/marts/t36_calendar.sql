-- The T-36 calendar: the events of every active contract
-- (lifecycle_contracts.is_active), each with its due date, what closes it
-- and its status at as-of.
--   onboarding      due start + 30 days; closed by the contract's onboarding_date
--   annual_order    (contracts not billed monthly) each anniversary k = 1 …
--                   years − 1; closed by an annual order whose period holds it
--   true_up         (contracts with a true_up_program) agreement year k = 1 …
--                   years, its window from core/true_up_years (the
--                   enrollment's: 60 to 30 days before the anniversary, the
--                   last one the 30 days before the end, lifecycle: in the
--                   config). Closed by a true_up order dated in that
--                   agreement year or a statement (erp/statements: a true-up
--                   or update statement submitted) naming its anniversary,
--                   the earlier of both
--   renewal         kickoff 120 days before the end (opens_date), due at
--                   the end; closed by a renewal order on the contract or a
--                   successor contract
--   recurrence      (monthly billing) each month of the term, due on its
--                   first day (the start in the first month); closed by a
--                   recurrence order whose period overlaps the month
--   reconciliation  (monthly billing) the month's vendor bill reconciled by
--                   the 10th Brazilian business day of the next month;
--                   closed by a succeeded reconciliation run of that month (dated
--                   by its as-of)
-- Monthly events are listed for the months the business-day calendar
-- covers (core/business_days: the year before the period to the year
-- after as-of). Anniversaries are start + k years: 29/02 becomes 28/02 in
-- a year that has none.
-- Status: done (evidence found, even late), history (due before
-- lifecycle.track_from, the day the team started tracking, no evidence:
-- what happened before is not chased), overdue (due before as-of, no
-- evidence), due_0_30 / due_31_60 / due_61_90 (days from as-of to the due
-- date), later.
-- check: unique(event_key)
-- check: not_null(event_key, contract_id, event, due_date, status, summary)
-- check: accepted_values(event: onboarding, annual_order, true_up, renewal, recurrence, reconciliation)
-- check: accepted_values(status: done, history, overdue, due_0_30, due_31_60, due_61_90, later)
with c as (
    select * from lifecycle_contracts where is_active
),

years as (
    select contract_id, unnest(generate_series(1, greatest(term_years, 1))) as k
    from c
),

month_list as (
    select
        c.contract_id,
        unnest(generate_series(date_trunc('month', c.start_date), date_trunc('month', c.end_date), interval 1 month))::DATE as month_start
    from c
    where c.billing_plan_key = 'monthly'
),

-- each month with its reconciliation deadline; months the calendar does
-- not cover have none and are left out
months as (
    select m.contract_id, m.month_start, b.day as reconciliation_due
    from month_list m
    join business_days e on e.day = (m.month_start + interval 1 month - interval 1 day)::DATE
    join business_days b on b.business_index = e.business_index + 10 and b.is_business_day
    where m.month_start >= (select min(day) from business_days)
),

events as (
    -- onboarding
    select
        c.contract_id, 'onboarding' as event, 1 as seq, null::INTEGER as agreement_year, null::DATE as month_start,
        null::DATE as opens_date, (c.start_date + 30)::DATE as due_date,
        null as order_type, null::DATE as ev_from, null::DATE as ev_to, null as match_on
    from c

    union all

    -- annual order or installment on each anniversary
    select
        c.contract_id, 'annual_order', y.k, y.k, null,
        null, (c.start_date + to_years(y.k))::DATE,
        'annual', (c.start_date + to_years(y.k))::DATE, (c.start_date + to_years(y.k))::DATE, 'period'
    from c
    join years y using (contract_id)
    where c.billing_plan_key is distinct from 'monthly' and y.k < c.term_years

    union all

    -- true-up of agreement year k
    select
        y.contract_id, 'true_up', y.agreement_year, y.agreement_year, null,
        y.opens_date, y.due_date,
        'true_up', y.year_start, y.year_end, 'order_date'
    from true_up_years y
    join c using (contract_id)

    union all

    -- renewal
    select
        c.contract_id, 'renewal', 1, null, null,
        (c.end_date - 120)::DATE, c.end_date,
        'renewal', c.start_date, DATE '9999-12-31', 'order_date'
    from c

    union all

    -- monthly recurrence
    select
        m.contract_id, 'recurrence', 0, null, m.month_start,
        null, greatest(m.month_start, c.start_date),
        'recurrence', greatest(m.month_start, c.start_date), least((m.month_start + interval 1 month - interval 1 day)::DATE, c.end_date), 'period'
    from months m
    join c using (contract_id)

    union all

    -- the month's reconciliation, by the 10th business day of the next month
    select
        m.contract_id, 'reconciliation', 0, null, m.month_start,
        null, m.reconciliation_due,
        null, null, null, null
    from months m
),

order_evidence as (
    select
        e.contract_id, e.event, e.seq, e.month_start,
        min(o.order_date) as evidence_date,
        arg_min(o.so_number, (o.order_date, o.so_number)) as so_number
    from events e
    join orders o
      on o.contract_id = e.contract_id
     and o.order_type = e.order_type
    where not o.is_cancelled
      and case e.match_on
              when 'order_date' then o.order_date between e.ev_from and e.ev_to
              when 'period' then o.period_start <= e.ev_to and o.period_end >= e.ev_from
          end
    group by all
),

-- the earliest statement recorded for each true-up year
statement_evidence as (
    select
        contract_id,
        agreement_year as seq,
        min(submitted_on) as evidence_date,
        arg_min(case kind when 'update_statement' then 'update statement' else 'true-up' end
                || coalesce(' ' || reference, '') || ' de ' || ptbr_date(submitted_on),
                (submitted_on, source_file, source_line)) as evidence
    from true_up_statements
    group by contract_id, agreement_year
),

-- The reconciliation's evidence is the as-of of its first succeeded run (the
-- run's logical date, the day of the run when the daemon runs it), not the
-- clock: re-running the same inputs later gives the same calendar.
reconciled as (
    select period, min(as_of) as finished_date
    from runs
    where pipeline = getvariable('reconciliation_pipeline') and status = 'succeeded'
    group by period
),

evidenced as (
    select
        e.*,
        case
            when e.event = 'onboarding' then c.onboarding_date
            when e.event = 'reconciliation' then r.finished_date
            when e.event = 'renewal' and oe.evidence_date is null then s.start_date
            when st.evidence_date < oe.evidence_date or oe.evidence_date is null then st.evidence_date
            else oe.evidence_date
        end as evidence_date,
        case
            when e.event = 'onboarding' and c.onboarding_date is not null
                then 'onboarding em ' || ptbr_date(c.onboarding_date)
            when e.event = 'reconciliation' and r.period is not null
                then 'conciliação ' || r.period || ' publicada'
            when st.evidence_date < oe.evidence_date or (oe.so_number is null and st.evidence is not null)
                then st.evidence
            when oe.so_number is not null
                then 'pedido ' || oe.so_number || ' de ' || ptbr_date(oe.evidence_date)
            when e.event = 'renewal' and c.successor_contract_id is not null
                then 'contrato sucessor ' || c.successor_contract_id
        end as evidence
    from events e
    join c using (contract_id)
    left join order_evidence oe
      on oe.contract_id = e.contract_id and oe.event = e.event and oe.seq = e.seq
     and oe.month_start is not distinct from e.month_start
    left join reconciled r
      on r.period = case when e.event = 'reconciliation' then strftime(e.month_start, '%Y-%m') end
    left join lifecycle_contracts s on s.contract_id = c.successor_contract_id
    left join statement_evidence st
      on e.event = 'true_up' and st.contract_id = e.contract_id and st.seq = e.seq
),

labelled as (
    select
        e.*,
        date_diff('day', getvariable('as_of')::DATE, e.due_date) as days_to_due,
        case e.event
            when 'onboarding' then 'Onboarding'
            when 'annual_order' then 'Pedido anual (ano ' || (e.agreement_year + 1) || ')'
            when 'true_up' then 'True-up (ano ' || e.agreement_year || ')'
            when 'renewal' then 'Renovação'
            when 'recurrence' then 'Recorrência ' || ptbr_month(e.month_start)
            when 'reconciliation' then 'Conciliação ' || ptbr_month(e.month_start)
        end as title
    from evidenced e
)

select
    l.contract_id || '/' || l.event || '/'
        || case when l.month_start is not null then strftime(l.month_start, '%Y-%m') else l.seq::VARCHAR end as event_key,
    l.contract_id,
    c.customer_id,
    c.customer_name,
    c.account_manager,
    c.vendor,
    c.program,
    c.agreement_number,
    l.event,
    l.agreement_year,
    strftime(l.month_start, '%Y-%m') as month,
    l.opens_date,
    l.due_date,
    l.days_to_due,
    case
        when l.evidence is not null then 'done'
        when l.due_date < getvariable('track_from')::DATE then 'history'
        when l.days_to_due < 0 then 'overdue'
        when l.days_to_due <= 30 then 'due_0_30'
        when l.days_to_due <= 60 then 'due_31_60'
        when l.days_to_due <= 90 then 'due_61_90'
        else 'later'
    end as status,
    l.evidence,
    l.evidence_date,
    l.title || ' — ' || coalesce(c.customer_name, c.customer_id) || ' — contrato ' || l.contract_id as summary
from labelled l
join c using (contract_id)
order by l.due_date, l.contract_id, l.event, l.seq
