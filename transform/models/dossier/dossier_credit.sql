-- Open receivables at as-of (any age), the ordered-not-invoiced and the
-- committed months still owed the vendor (docs/licensing.md) of the last
-- reconciliation run, and what is left of the credit limit: the exposure
-- the credit check uses.
with open_items as (
    select
        sum(i.net_brl - case when i.paid_date <= getvariable('as_of') then coalesce(i.paid_amount_brl, 0) else 0 end) as open_brl,
        sum(i.net_brl - case when i.paid_date <= getvariable('as_of') then coalesce(i.paid_amount_brl, 0) else 0 end)
            filter (where getvariable('as_of')::DATE > coalesce(i.due_date, i.issue_date + coalesce(c.payment_terms_days, 0))) as overdue_brl
    from invoices i
    join customers c using (customer_id)
    where i.customer_id = getvariable('dossier_customer_id')
      and i.status = 'autorizada'
      and i.issue_date <= getvariable('as_of')
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
