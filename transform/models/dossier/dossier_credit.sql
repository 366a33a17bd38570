-- Open receivables at as-of (any age; core/receivable_items: installments
-- where erp/receivables/ has them), the ordered-not-invoiced and the
-- committed months still owed the vendor (docs/licensing.md) of the last
-- reconciliation run, and what is left of the credit limit: the exposure
-- the credit check uses.
with open_items as (
    select
        sum(receivable_open(i.amount_brl, i.balance_brl, i.paid_date, getvariable('as_of')::DATE)) as open_brl,
        sum(receivable_open(i.amount_brl, i.balance_brl, i.paid_date, getvariable('as_of')::DATE))
            filter (where getvariable('as_of')::DATE > i.due_date) as overdue_brl
    from receivable_items i
    join customers c using (customer_id)
    where i.customer_id = getvariable('dossier_customer_id')
      and i.status = 'autorizada'
      and (i.issue_date is null or i.issue_date <= getvariable('as_of'))
),

oni as (
    select
        coalesce(sum(ordered_not_invoiced_brl), 0) as amount,
        coalesce(sum(committed_remaining_brl), 0) as committed
    from credit_exposure
    where customer_id = getvariable('dossier_customer_id')
)

select
    c.credit_limit_brl,
    coalesce(o.open_brl, 0)::DECIMAL(18,2) as open_receivables_brl,
    coalesce(o.overdue_brl, 0)::DECIMAL(18,2) as overdue_brl,
    n.amount::DECIMAL(18,2) as ordered_not_invoiced_brl,
    n.committed::DECIMAL(18,2) as committed_remaining_brl,
    (coalesce(o.open_brl, 0) + n.amount + n.committed)::DECIMAL(18,2) as exposure_brl,
    (c.credit_limit_brl - coalesce(o.open_brl, 0) - n.amount - n.committed)::DECIMAL(18,2) as headroom_brl
from customers c, open_items o, oni n
where c.customer_id = getvariable('dossier_customer_id')
