-- The customer's invoices issued in the 12 months up to as-of, with
-- their payment: what is still open at as-of (net less paid by then).
select
    i.nf_label as invoice,
    i.issue_date,
    i.so_number,
    i.status,
    i.billed_brl,
    i.net_brl,
    i.due_date,
    i.paid_date,
    i.paid_amount_brl,
    case when i.status = 'autorizada'
         then (i.net_brl - case when i.paid_date <= getvariable('as_of') then coalesce(i.paid_amount_brl, 0) else 0 end)::DECIMAL(18,2)
    end as open_brl
from invoices i
where i.customer_id = getvariable('dossier_customer_id')
  and i.issue_date > getvariable('as_of')::DATE - interval 12 month
  and i.issue_date <= getvariable('as_of')
order by i.issue_date desc, i.nf_label, i.issuer_cnpj, i.model
