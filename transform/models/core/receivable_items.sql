-- What customers owe, item by item, each with its due date: the titles
-- (installments) of an invoice that has any in erp/receivables/, less the
-- abatements of the same installment; an invoice with no title from the
-- register as before (its net amount, due on due_date or issue date +
-- payment_terms_days, less what was paid); and a title that collects no
-- invoice of the register, under its own customer. The customer's credit
-- (RA, NCC titles) is left out. What is still open at a day is
-- receivable_open(amount_brl, balance_brl, paid_date, day) (macros.sql):
-- ar_aging and the dossier take it at their as-of.
-- check: not_null(item_key, amount_brl)
with abatements as (
    select series, nf_number, installment, sum(amount_brl) as amount_brl, sum(coalesce(balance_brl, amount_brl)) as balance_brl
    from receivables
    where is_abatement
    group by all
),

titles as (
    select
        r.title_key as item_key,
        'title' as item_source,
        r.customer_id,
        r.nf_label,
        coalesce(r.invoice_status, 'autorizada') as status,
        r.issue_date,
        r.due_date,
        (r.amount_brl - coalesce(a.amount_brl, 0))::DECIMAL(18,2) as amount_brl,
        (r.balance_brl - coalesce(a.balance_brl, 0))::DECIMAL(18,2) as balance_brl,
        r.paid_date,
        r.source_file,
        r.source_line
    from receivables r
    left join abatements a on a.series is not distinct from r.series and a.nf_number = r.nf_number and a.installment = r.installment
    where not r.is_abatement and not r.is_credit
),

with_titles as (
    select distinct nf_label from titles where nf_label is not null
)

select * from titles

union all

select
    i.nf_label as item_key,
    'register' as item_source,
    i.customer_id,
    i.nf_label,
    i.status,
    i.issue_date,
    coalesce(i.due_date, i.issue_date + coalesce(c.payment_terms_days, 0)) as due_date,
    i.net_brl as amount_brl,
    case when i.paid_date is null then i.net_brl else i.net_brl - coalesce(i.paid_amount_brl, 0) end::DECIMAL(18,2) as balance_brl,
    i.paid_date,
    coalesce(i.source_file, i.xml_file) as source_file,
    coalesce(i.source_line, i.xml_line) as source_line
from invoices i
left join customers c using (customer_id)
where i.nf_label not in (select nf_label from with_titles)
