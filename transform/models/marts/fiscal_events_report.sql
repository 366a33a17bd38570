-- Every fiscal event read from nf/**/*.xml (core/fiscal_events), for
-- people: the invoice it names, what it is, when, whether SEFAZ (NF-e) or
-- the national environment (NFS-e) registered it, and the invoice's status
-- now. A carta de correção is recorded here and changes no value.
select
    e.nf_label,
    e.event_kind,
    e.event_type,
    timezone('America/Sao_Paulo', e.event_at)::DATE as event_date,
    e.is_registered,
    e.status_code,
    e.protocol,
    e.customer_id,
    c.name as customer_name,
    e.is_known_invoice,
    e.invoice_status,
    e.substitute_nf,
    e.reason,
    e.invoice_key as access_key,
    e.source_file,
    e.source_line
from fiscal_events e
left join customers c using (customer_id)
order by e.event_at, e.nf_label, e.source_file, e.source_line
