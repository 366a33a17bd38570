-- The customer's invoices issued in the 12 months up to as-of, with
-- their payment, from core/receivable_items: an invoice with titles in
-- erp/receivables/ by its installments (the next one open falls due on
-- due_date; paid_date the last payment), else from the register.
-- open_brl is what is still open at as-of (receivable_open, macros.sql).
with items as (
    select
        nf_label,
        due_date,
        paid_date,
        amount_brl - coalesce(balance_brl, amount_brl) as paid_brl,
        receivable_open(amount_brl, balance_brl, paid_date, getvariable('as_of')::DATE) as open_brl
    from receivable_items
    where customer_id = getvariable('dossier_customer_id')
      and nf_label is not null
),

by_invoice as (
    select
        nf_label,
        coalesce(min(due_date) filter (where open_brl > 0), max(due_date)) as due_date,
        max(paid_date) as paid_date,
        nullif(sum(paid_brl), 0)::DECIMAL(18,2) as paid_amount_brl,
        sum(open_brl)::DECIMAL(18,2) as open_brl
    from items
    group by nf_label
)

select
    i.nf_label as invoice,
    i.issue_date,
    i.so_number,
    i.status,
    i.billed_brl,
    i.net_brl,
    b.due_date,
    b.paid_date,
    b.paid_amount_brl,
    case when i.status = 'autorizada' then b.open_brl end as open_brl
from invoices i
left join by_invoice b on b.nf_label = i.nf_label
where i.customer_id = getvariable('dossier_customer_id')
  and i.issue_date > getvariable('as_of')::DATE - interval 12 month
  and i.issue_date <= getvariable('as_of')
order by i.issue_date desc, i.nf_label, i.issuer_cnpj, i.model
