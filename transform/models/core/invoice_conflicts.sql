-- Every invoice two files or lines deliver with other values
-- (invoices.is_conflicting): register lines of one invoice that disagree
-- with each other (entity invoice), and XMLs of one NF-e/NFS-e (same
-- issuer, model, series and number, hence the same access key) that do
-- (entity nf_document), or XMLs of one access key that name different
-- invoices (issuer, series or number: entity_key "access key …"). A
-- register line disagreeing with its XML is not
-- a conflict but a register_xml_mismatch (the XML wins). One row per
-- version (macros.sql conflict_findings), with the customer it concerns:
-- the order's, else the register's customer_id, else the one with the
-- version's CNPJ. Such a customer gets
-- no proposal until the files agree.
with conflicting as (
    select issuer_cnpj, kind, model, series, nf_number, nf_label from invoices where is_conflicting
),

order_customers as (
    select so_number, min(customer_id) as customer_id from orders group by so_number
),

cnpj_customers as (
    select cnpj, min(customer_id) as customer_id from customers group by cnpj
),

-- an access key names one invoice: two XMLs with it and another issuer,
-- series or number are one conflict (not two invoices)
conflicting_keys as (
    select doc_key
    from stg_nf_documents
    where len(_errors) = 0 and doc_key is not null
    group by doc_key
    having min(hash(issuer_cnpj, series, nf_number)) <> max(hash(issuer_cnpj, series, nf_number))
),

xml_versions as (
    select
        x.*,
        f.path as source_file,
        to_json({
            'access_key': x.doc_key, 'number': x.nf_number, 'series': x.series, 'issuer_cnpj': x.issuer_cnpj,
            'customer_cnpj': x.customer_cnpj, 'status': x.status_code, 'issued_at': x.issue_date,
            'gross': plain_number(x.gross_brl), 'discount': plain_number(x.discount_brl),
            'tax_base': plain_number(x.tax_base_brl), 'tax_amount': plain_number(x.tax_amount_brl), 'net': plain_number(x.net_brl)
        }) as vals
    from stg_nf_documents x
    join files f using (file_id)
    where len(x._errors) = 0
),

versions as (
    select
        'invoice' as entity,
        i.nf_label as entity_key,
        coalesce(oc.customer_id, r.customer_id, cc.customer_id) as customer_id,
        r.file_id,
        f.path as source_file,
        r.line as source_line,
        to_json({
            'series': r.series, 'issue_date': r.issue_date, 'customer_cnpj': r.customer_cnpj,
            'customer_id': r.customer_id, 'access_key': r.doc_key, 'so_number': r.so_number,
            'gross': plain_number(r.gross_brl), 'discount': plain_number(r.discount_brl),
            'taxes_withheld': plain_number(r.taxes_withheld_brl), 'net': plain_number(r.net_brl),
            'status': r.status, 'due_date': r.due_date, 'paid_date': r.paid_date, 'paid_amount': plain_number(r.paid_amount_brl),
            'portal_posted_date': r.portal_posted_date, 'replaces_nf': r.replaces_nf
        }) as vals
    from stg_erp_invoices r
    join files f using (file_id)
    join conflicting i on i.kind = r.kind and i.nf_number = r.nf_number
    left join order_customers oc on oc.so_number = r.so_number
    left join cnpj_customers cc on cc.cnpj = r.customer_cnpj
    where len(r._errors) = 0
      and (r.kind = 'NFSE' or coalesce(r.series, i.series) = i.series)

    union all

    select 'nf_document', i.nf_label, cc.customer_id, x.file_id, x.source_file, x.line, x.vals
    from xml_versions x
    join conflicting i on i.issuer_cnpj = x.issuer_cnpj and i.kind = x.kind and i.nf_number = x.nf_number
    left join cnpj_customers cc on cc.cnpj = x.customer_cnpj
    where i.model is not distinct from case when x.kind = 'NFE' then substr(x.doc_key, 21, 2) end
      and i.series is not distinct from case when x.kind = 'NFE' then x.series end

    union all

    select 'nf_document', 'access key ' || x.doc_key, cc.customer_id, x.file_id, x.source_file, x.line, x.vals
    from xml_versions x
    join conflicting_keys k on k.doc_key = x.doc_key
    left join cnpj_customers cc on cc.cnpj = x.customer_cnpj
)

select * from conflict_findings(versions)
