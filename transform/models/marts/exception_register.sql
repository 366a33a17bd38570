-- Every exception the review loop knows at the period published, open or
-- closed, with its history (docs/review.md). It is built from:
--   exception_history   the register the latest earlier period published,
--                       and the one the period's own set published if it
--                       was published before (what was an exception, since
--                       when, how it closed, the latest decision): the
--                       loop's memory;
--   exceptions_seen     the reconciliation of the run's period and of each
--                       earlier period with open exceptions, evaluated on
--                       today's data (period_exceptions): whether each
--                       exception still stands, its class and amount now;
--   review_decisions    the decisions in reviews/ that apply;
--   exception_credits   the vendor's credits for disputed bill lines.
--
-- first_period: the earliest period whose reconciliation listed it (kept
-- from the register published before). line_period: the period whose
-- reconciliation its line belongs to, where it is evaluated again.
-- The latest decision in reviews/ wins: by decided_on, then the later file
-- and line; the register's decision stands for an exception no file in
-- reviews/ decides any more (its file archived).
-- An exception closes (resolved_by, resolved_period):
--   credito  disputed (contestar) and the vendor's credits cover what was
--            disputed (any credit when that is unknown): in the period
--            published when first found so;
--   dados    its line is still in the data and no longer an exception (the
--            invoice arrived, the amounts now match, the order was
--            cancelled): in the period published when first found so;
--   aceita, resolvida  by the latest decision: in the month of its
--            decided_on (not before first_period).
-- A closure by data or credit stays as it was recorded unless the data
-- shows the exception again; a closure by decision follows the latest
-- decision (a later corrigir or contestar reopens it). A line the data no
-- longer holds (its file left the inbox) is not resolved by that: it keeps
-- what the register said.
-- age_months: months from first_period to the period published (open), or
-- to resolved_period (closed). is_overdue: open with a due date before
-- as-of.
-- materialized: temp
-- check: unique(exception_id)
-- check: not_null(exception_id, status, class, first_period, line_period)
-- check: accepted_values(status: open, closed)
with params as (
    select getvariable('period') as period, getvariable('as_of')::DATE as as_of
),

prev as (
    select * from exception_history
),

seen_all as (
    select * from exceptions_seen
),

-- each line's latest evaluation: its line period's, the run's own last
seen as (
    select *
    from seen_all
    qualify row_number() over (partition by exception_id order by period desc) = 1
),

first_seen as (
    select exception_id, min(period) as first_period
    from seen_all
    where is_exception
    group by exception_id
),

evaluated as (
    select distinct period from seen_all
),

known as (
    select exception_id from prev
    union
    select exception_id from first_seen
),

-- lines not evaluated as reconciliation rows but still in the data: an
-- order line (cancelled, or its period moved) or an invoice (now for a
-- known order, or cancelled and replaced)
order_keys as (
    select distinct so_number, order_line from orders
),

invoice_ids as (
    select invoice_exception_id(issuer_cnpj, kind, model, series, nf_number) as exception_id
    from invoices
    -- only the invoices the register names: a hash per invoice of every
    -- month costs
    where nf_label in (select document from prev where line_type = 'invoice')
),

decisions as (
    select exception_id, decision, owner, due_date, note, decided_by, decided_on,
           1 as from_reviews, source_file, line
    from review_decisions
    where not_applied is null
    union all
    select exception_id, decision, owner, due_date, note, decided_by, decided_on,
           0, '', 0
    from prev
    where decision is not null
      -- remembered for an exception no file in reviews/ decides any more
      and exception_id not in (select exception_id from review_decisions where not_applied is null)
),

latest_decision as (
    select *
    from decisions
    qualify row_number() over (partition by exception_id
                               order by decided_on desc, from_reviews desc, source_file desc, line desc) = 1
),

credits as (
    select
        exception_id,
        sum(credited_amount) as credited_amount,
        sum(disputed_amount) as disputed_amount,
        count(disputed_amount) = count(*) as is_disputed_known
    from exception_credits
    group by exception_id
),

state as (
    select
        k.exception_id,
        least(p.first_period, fs.first_period) as first_period,
        p.resolved_by as prev_resolved_by,
        p.resolved_period as prev_resolved_period,
        -- true: an exception now; false: its line is there and no exception;
        -- NULL: not evaluated, or no longer in the data
        case
            when s.exception_id is not null then s.is_exception
            when p.line_period in (select period from evaluated)
             and ((p.line_type = 'order_line' and ok.so_number is not null)
                  or (p.line_type = 'invoice' and ii.exception_id is not null))
                then false
        end as data_open,
        d.decision,
        d.decided_on,
        coalesce(c.credited_amount > 0 and (not c.is_disputed_known or c.credited_amount >= c.disputed_amount), false) as is_credited,
        coalesce(c.credited_amount > 0, false) as has_credit
    from known k
    left join prev p using (exception_id)
    left join seen s using (exception_id)
    left join first_seen fs using (exception_id)
    left join latest_decision d using (exception_id)
    left join credits c using (exception_id)
    left join order_keys ok on ok.so_number = p.so_number and ok.order_line = p.order_line
    left join invoice_ids ii on ii.exception_id = p.exception_id
),

-- how it stands closed, if it does
closure as (
    select
        *,
        case
            when prev_resolved_by in ('aceita', 'resolvida') and decision in ('aceita', 'resolvida') then 'decision'
            when prev_resolved_by in ('dados', 'credito') and data_open is distinct from true then 'kept'
            when decision = 'contestar' and is_credited then 'credito'
            when data_open = false then 'dados'
            when decision in ('aceita', 'resolvida') then 'decision'
        end as how
    from state
),

resolved as (
    select
        exception_id,
        first_period,
        case how when 'decision' then decision when 'kept' then prev_resolved_by else how end as resolved_by,
        case how
            when 'decision' then greatest(strftime(decided_on, '%Y-%m'), first_period)
            when 'kept' then prev_resolved_period
            when 'credito' then (select period from params)
            when 'dados' then (select period from params)
        end as resolved_period,
        has_credit,
        is_credited
    from closure
)

select
    k.exception_id,
    case when r.resolved_by is null then 'open' else 'closed' end as status,
    -- a closed exception keeps the class and amount it closed with (the
    -- register's before, while it was open); an open one has today's
    case when r.resolved_by is not null and p.exception_id is not null then p.class
         else coalesce(case when s.is_exception then s.class end, p.class, s.class) end as class,
    coalesce(s.line_type, p.line_type) as line_type,
    r.first_period,
    coalesce(s.period, p.line_period) as line_period,
    (period_index(coalesce(r.resolved_period, (select period from params))) - period_index(r.first_period))::INTEGER as age_months,
    case when r.resolved_by is not null and p.exception_id is not null then p.amount_brl
         else coalesce(case when s.is_exception then s.amount_brl end, p.amount_brl) end::DECIMAL(18,2) as amount_brl,
    coalesce(s.customer_id, p.customer_id) as customer_id,
    coalesce(s.customer_name, p.customer_name) as customer_name,
    coalesce(s.document, p.document) as document,
    coalesce(s.so_number, p.so_number) as so_number,
    coalesce(s.order_line, p.order_line) as order_line,
    coalesce(s.subscription_id, p.subscription_id) as subscription_id,
    coalesce(s.product_id, p.product_id) as product_id,
    coalesce(s.sku_id, p.sku_id) as sku_id,
    coalesce(s.vendor_invoices, p.vendor_invoices) as vendor_invoices,
    coalesce(s.ordered_brl, p.ordered_brl) as ordered_brl,
    coalesce(s.invoiced_brl, p.invoiced_brl) as invoiced_brl,
    coalesce(s.vendor_cost_brl, p.vendor_cost_brl) as vendor_cost_brl,
    d.decision,
    d.owner,
    d.due_date,
    d.note,
    d.decided_by,
    d.decided_on,
    coalesce(r.resolved_by is null and d.due_date < (select as_of from params), false) as is_overdue,
    r.resolved_by,
    r.resolved_period,
    case
        when d.decision is distinct from 'contestar' and r.resolved_by is distinct from 'credito' then null
        when r.is_credited or r.resolved_by = 'credito' then 'credited'
        when r.has_credit then 'partially_credited'
        else 'open'
    end as dispute_status,
    coalesce(s.source_file, p.source_file) as source_file,
    coalesce(s.source_line, p.source_line) as source_line
from known k
left join prev p using (exception_id)
left join seen s using (exception_id)
left join latest_decision d using (exception_id)
left join resolved r using (exception_id)
order by status desc, first_period, amount_brl desc nulls last, exception_id
