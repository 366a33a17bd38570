-- The workbook's and the site's summary: lines and amounts of the period
-- per class, in the precedence order of the reconciliation. Invoiced counts
-- an order's authorised invoices once per order (as reconciliation_summary
-- does) plus invoices for no known order; variance is invoiced − ordered
-- throughout, so a vendor bill with no order adds its cost, not a variance.
-- check: unique(class)
with classes as (
    select * from (values
        (1, 'matched'), (2, 'cancelled_without_replacement'), (3, 'ordered_not_invoiced'),
        (4, 'duplicate_invoice'), (5, 'quantity_mismatch'), (6, 'amount_mismatch'),
        (7, 'price_below_cost'), (8, 'vendor_billed_not_ordered'), (9, 'invoiced_not_ordered')
    ) t(rank, class)
),

per_order as (
    select distinct class, so_number, invoiced_brl
    from reconciliation
    where line_type = 'order_line'
),

invoiced as (
    select class, sum(invoiced_brl) as invoiced_brl from per_order group by class
    union all
    select class, sum(invoiced_brl) from reconciliation where line_type = 'invoice' group by class
),

totals as (
    select
        k.rank,
        k.class,
        count(r.class) as lines,
        coalesce(sum(r.ordered_brl), 0) as ordered_brl,
        coalesce(sum(r.vendor_cost_brl), 0) as vendor_cost_brl
    from classes k
    left join reconciliation r on r.class = k.class
    group by k.rank, k.class
)

select
    getvariable('period') as period,
    t.class,
    t.lines,
    t.ordered_brl::DECIMAL(18,2) as ordered_brl,
    coalesce((select sum(i.invoiced_brl) from invoiced i where i.class = t.class), 0)::DECIMAL(18,2) as invoiced_brl,
    t.vendor_cost_brl::DECIMAL(18,2) as vendor_cost_brl,
    (coalesce((select sum(i.invoiced_brl) from invoiced i where i.class = t.class), 0) - t.ordered_brl)::DECIMAL(18,2) as variance_brl
from totals t
order by t.rank
