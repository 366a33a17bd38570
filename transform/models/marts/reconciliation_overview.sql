-- The workbook's first sheet: lines and amounts of the period per class, in
-- the precedence order of the reconciliation.
-- check: unique(class)
with classes as (
    select * from (values
        (1, 'matched'), (2, 'cancelled_without_replacement'), (3, 'ordered_not_invoiced'),
        (4, 'duplicate_invoice'), (5, 'quantity_mismatch'), (6, 'amount_mismatch'),
        (7, 'price_below_cost'), (8, 'vendor_billed_not_ordered'), (9, 'invoiced_not_ordered')
    ) t(rank, class)
)

select
    getvariable('period') as period,
    k.class,
    count(r.class) as lines,
    coalesce(sum(r.ordered_brl), 0)::DECIMAL(18,2) as ordered_brl,
    coalesce(sum(r.vendor_cost_brl), 0)::DECIMAL(18,2) as vendor_cost_brl,
    coalesce(sum(r.variance_brl), 0)::DECIMAL(18,2) as variance_brl
from classes k
left join reconciliation r on r.class = k.class
group by k.rank, k.class
order by k.rank
