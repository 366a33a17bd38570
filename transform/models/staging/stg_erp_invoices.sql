-- ERP invoice register (Notas Fiscais), renamed and typed; dates fall in
-- 2000–2099 (macros.sql).
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
        coalesce(nullif(ltrim(trim(nf_number), '0'), ''), trim(nf_number)) as nf_number,
        nullif(coalesce(nullif(ltrim(trim(series), '0'), ''), trim(series)), '') as series,
        upper(trim(kind)) as kind,
        cnpj_clean(customer_cnpj) as customer_cnpj,
        nullif(trim(so_number), '') as so_number,
        nullif(coalesce(nullif(ltrim(trim(replaces_nf), '0'), ''), trim(replaces_nf)), '') as replaces_nf,
        lower(trim(status)) as status,

        -- money
        parse_decimal(gross, ',') as gross_brl,
        coalesce(parse_decimal(discount, ','), 0) as discount_brl,
        coalesce(parse_decimal(taxes_withheld, ','), 0) as taxes_withheld_brl,
        parse_decimal(net, ',') as net_brl,
        parse_decimal(paid_amount, ',') as paid_amount_brl,

        -- dates
        parse_br_date(issue_date) as issue_date,
        parse_br_date(due_date) as due_date,
        parse_br_date(paid_date) as paid_date,
        parse_br_date(portal_posted_date) as portal_posted_date,

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
        portal_posted_date as portal_text
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
    list_filter([
        reject(blank(nf_text), 'nf_number', nf_text, 'required'),
        reject(not list_contains(['NFE', 'NFSE'], coalesce(kind, '')), 'kind', kind_text, 'must be NFE or NFSE'),
        reject(not list_contains(['autorizada', 'cancelada'], coalesce(status, '')), 'status', status_text, 'must be autorizada or cancelada'),
        reject(issue_date is null, 'issue_date', issue_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(issue_date), 'issue_date', issue_text, 'outside 2000–2099'),
        reject(gross_brl is null, 'gross', gross_text, number_reason(gross_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(net_brl is null, 'net', net_text, number_reason(net_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(not blank(discount_text) and parse_decimal(discount_text, ',') is null, 'discount', discount_text, number_reason(discount_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(not blank(taxes_text) and parse_decimal(taxes_text, ',') is null, 'taxes_withheld', taxes_text, number_reason(taxes_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(not blank(paid_amount_text) and paid_amount_brl is null, 'paid_amount', paid_amount_text, number_reason(paid_amount_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(not blank(due_text) and due_date is null, 'due_date', due_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(due_date), 'due_date', due_text, 'outside 2000–2099'),
        reject(not blank(paid_text) and paid_date is null, 'paid_date', paid_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(paid_date), 'paid_date', paid_text, 'outside 2000–2099'),
        reject(not blank(portal_text) and portal_posted_date is null, 'portal_posted_date', portal_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(portal_posted_date), 'portal_posted_date', portal_text, 'outside 2000–2099')
    ], e -> e is not null) as _errors
from renamed
