-- Every fiscal event read from nf/**/*.xml (stg_nf_events) with the invoice
-- it names, matched as the tax authorities identify an invoice (issuer,
-- kind, model, series, number: core/invoices). An event for an invoice the
-- warehouse does not know is kept (is_known_invoice false): the register
-- or the XML may arrive later, and data_quality lists it. invoice_doc_key
-- is the invoice's own access key (its XML's, else the register's, as
-- Protheus' F2_CHVNFE): an event whose key differs names the invoice's
-- number with another document's key (data_quality event_key_mismatch).
-- check: not_null(kind, event_kind, nf_label, is_registered)
select
    e.file_id,
    e.line,
    e.kind,
    e.invoice_key,
    e.issuer_cnpj,
    e.model,
    e.series,
    e.nf_number,
    e.nf_label,
    e.event_type,
    e.event_kind,
    e.event_seq,
    e.event_at,
    e.registered_at,
    e.status_code,
    e.is_registered,
    e.protocol,
    e.reason,
    e.substitute_key,
    case when e.substitute_number is not null then e.kind || ' ' || e.substitute_number end as substitute_nf,
    i.nf_label is not null as is_known_invoice,
    i.customer_id,
    i.status as invoice_status,
    -- an NFS-e's XML Id is "NFS" and its key
    regexp_replace(i.doc_key, '[^0-9]', '', 'g') as invoice_doc_key,
    f.path as source_file,
    e.line as source_line
from stg_nf_events e
join files f using (file_id)
left join invoices i
  on i.issuer_cnpj = e.issuer_cnpj and i.kind = e.kind and i.nf_number = e.nf_number
 and i.model is not distinct from e.model and i.series is not distinct from e.series
