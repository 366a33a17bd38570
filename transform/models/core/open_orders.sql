-- The order lines open at as-of, what credit exposure counts as ordered
-- and not invoiced: ordered on or before as-of, not cancelled, not marked
-- invoiced in the ERP (invoiced, faturado), and no authorised invoice
-- issued on or before as-of names their order. Every order of the ERP
-- exports, not only the period's: the reconciliation and the quotes' credit
-- check read the same (credit_exposure).
-- check: unique(so_number, order_line)
-- check: not_null(so_number, order_line, order_value_brl)
with invoiced as (
    select distinct so_number
    from invoices
    where status = 'autorizada'
      and so_number is not null
      and issue_date <= getvariable('as_of')
)

select
    o.customer_id,
    o.so_number,
    o.order_line,
    o.order_date,
    o.order_type,
    o.order_value_brl
from orders o
anti join invoiced i using (so_number)
where not o.is_cancelled
  and o.order_date <= getvariable('as_of')
  and o.status not in ('invoiced', 'faturado', 'faturada')
