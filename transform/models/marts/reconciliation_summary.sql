-- Per customer, for the period: vendor cost, ordered and invoiced in BRL,
-- the variance (invoiced − ordered) and the margin on what was ordered,
-- (ordered − vendor cost) / ordered; the taxes on revenue of the lines
-- (reconciliation's taxes_brl, summed) and the margin net of them on what
-- was invoiced, (invoiced − taxes − vendor cost) / invoiced. Vendor cost
-- counts every bill line of the month, matched or not; invoiced counts authorised invoices of the
-- period's orders once per order plus invoices for no known order. A
-- customer without any vendor bill line has no known cost: its margins are
-- empty, not 100 %.
-- written_off_brl: the amounts of the period's exceptions finance accepted
-- (decision aceita, exception_register): differences written off.
-- check: unique(customer_id)
with r as (
    select * from reconciliation
),

per_order as (
    select distinct customer_id, so_number, invoiced_brl
    from r
    where line_type = 'order_line'
),

written_off as (
    select r.customer_id, sum(e.amount_brl) as written_off_brl
    from reconciliation r
    join exception_register e using (exception_id)
    where e.resolved_by = 'aceita'
    group by r.customer_id
),

totals as (
    select
        customer_id,
        coalesce(sum(vendor_cost_brl), 0) as vendor_cost_brl,
        count(vendor_cost_brl) as cost_lines,
        coalesce(sum(ordered_brl), 0) as ordered_brl,
        coalesce(sum(invoiced_brl) filter (where line_type = 'invoice'), 0) as unordered_invoiced_brl,
        sum(taxes_brl) as taxes_brl,
        count(*) as lines,
        count(*) filter (where class <> 'matched') as exceptions
    from r
    group by customer_id
),

with_invoiced as (
    select
        t.*,
        t.unordered_invoiced_brl + coalesce((select sum(invoiced_brl) from per_order p where p.customer_id is not distinct from t.customer_id), 0) as invoiced_brl
    from totals t
)

select
    getvariable('period') as period,
    t.customer_id,
    c.name as customer_name,
    t.vendor_cost_brl::DECIMAL(18,2) as vendor_cost_brl,
    t.ordered_brl::DECIMAL(18,2) as ordered_brl,
    t.invoiced_brl::DECIMAL(18,2) as invoiced_brl,
    (t.invoiced_brl - t.ordered_brl)::DECIMAL(18,2) as variance_brl,
    case when t.ordered_brl <> 0 and t.cost_lines > 0 then div_round((t.ordered_brl - t.vendor_cost_brl) * 100, t.ordered_brl) end as margin_pct,
    t.taxes_brl::DECIMAL(18,2) as taxes_brl,
    case when t.invoiced_brl > 0 and t.cost_lines > 0
        then div_round((t.invoiced_brl - coalesce(t.taxes_brl, 0) - t.vendor_cost_brl) * 100, t.invoiced_brl) end as margin_net_pct,
    t.lines,
    t.exceptions,
    coalesce(w.written_off_brl, 0)::DECIMAL(18,2) as written_off_brl
from with_invoiced t
left join customers c using (customer_id)
left join written_off w on w.customer_id is not distinct from t.customer_id
order by t.customer_id nulls last
