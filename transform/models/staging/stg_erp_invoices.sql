-- ERP invoice register (Notas Fiscais), renamed and typed; dates fall in
-- 2000–2099 (macros.sql). The register names the customer by CNPJ, by
-- customer_id, or both; access_key is the NF-e's (44 digits). A mapped file
-- (erp: in the config) gives its decimal separator and date format, and
-- which fields no column feeds (not checked).
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_erp_invoices
),

renamed as (
    select
        -- ids: numbers without leading zeros, the way the XML may differ
        file_id,
        line,
        erp_doc_number(nf_number) as nf_number,
        erp_doc_number(series) as series,
        upper(trim(kind)) as kind,
        nullif(cnpj_clean(customer_cnpj), '') as customer_cnpj,
        nullif(trim(customer_id), '') as customer_id,
        erp_doc_number(so_number) as so_number,
        erp_doc_number(replaces_nf) as replaces_nf,
        nullif(trim(access_key), '') as doc_key,
        lower(trim(status)) as status,

        -- money
        erp_number(gross, decimal_sep) as gross_brl,
        coalesce(erp_number(discount, decimal_sep), 0) as discount_brl,
        coalesce(erp_number(taxes_withheld, decimal_sep), 0) as taxes_withheld_brl,
        erp_number(net, decimal_sep) as net_brl,
        erp_number(paid_amount, decimal_sep) as paid_amount_brl,

        -- dates
        erp_date(issue_date, date_format) as issue_date,
        erp_date(due_date, date_format) as due_date,
        erp_date(paid_date, date_format) as paid_date,
        erp_date(portal_posted_date, date_format) as portal_posted_date,

        -- source text, for rejects
        nf_number as nf_text,
        kind as kind_text,
        status as status_text,
        gross as gross_text,
        discount as discount_text,
        taxes_withheld as taxes_text,
        net as net_text,
        paid_amount as paid_amount_text,
        issue_date as issue_text,
        due_date as due_text,
        paid_date as paid_text,
        portal_posted_date as portal_text,
        access_key as access_key_text,
        decimal_sep,
        date_format,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    nf_number,
    series,
    kind,
    issue_date,
    customer_cnpj,
    customer_id,
    doc_key,
    so_number,
    gross_brl,
    discount_brl,
    taxes_withheld_brl,
    net_brl,
    status,
    due_date,
    paid_date,
    paid_amount_brl,
    portal_posted_date,
    replaces_nf,
    -- list_contains, not IN: DuckDB plans a list of constants as a join,
    -- and a join loses the file's order, which the one-pass load needs.
    erp_errors([
        reject(blank(nf_text), 'nf_number', nf_text, 'required'),
        reject(not list_contains(['NFE', 'NFSE'], coalesce(kind, '')), 'kind', kind_text, 'must be NFE or NFSE'),
        reject(not list_contains(['autorizada', 'cancelada'], coalesce(status, '')), 'status', status_text, 'must be autorizada or cancelada'),
        reject(issue_date is null, 'issue_date', issue_text, erp_date_reason(date_format)),
        reject(date_out_of_range(issue_date), 'issue_date', issue_text, 'outside 2000–2099'),
        reject(gross_brl is null, 'gross', gross_text, erp_number_reason(gross_text, decimal_sep)),
        reject(net_brl is null, 'net', net_text, erp_number_reason(net_text, decimal_sep)),
        reject(not blank(discount_text) and erp_number(discount_text, decimal_sep) is null, 'discount', discount_text, erp_number_reason(discount_text, decimal_sep)),
        reject(not blank(taxes_text) and erp_number(taxes_text, decimal_sep) is null, 'taxes_withheld', taxes_text, erp_number_reason(taxes_text, decimal_sep)),
        reject(not blank(paid_amount_text) and paid_amount_brl is null, 'paid_amount', paid_amount_text, erp_number_reason(paid_amount_text, decimal_sep)),
        reject(not blank(due_text) and due_date is null, 'due_date', due_text, erp_date_reason(date_format)),
        reject(date_out_of_range(due_date), 'due_date', due_text, 'outside 2000–2099'),
        reject(not blank(paid_text) and paid_date is null, 'paid_date', paid_text, erp_date_reason(date_format)),
        reject(date_out_of_range(paid_date), 'paid_date', paid_text, 'outside 2000–2099'),
        reject(not blank(portal_text) and portal_posted_date is null, 'portal_posted_date', portal_text, erp_date_reason(date_format)),
        reject(date_out_of_range(portal_posted_date), 'portal_posted_date', portal_text, 'outside 2000–2099'),
        reject(doc_key is not null and not regexp_full_match(doc_key, '[0-9]{44}'), 'access_key', access_key_text, 'not an NF-e access key (44 digits)')
    ], unmapped, map_errors) as _errors
from renamed
