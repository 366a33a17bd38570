-- NF-e and NFS-e documents read from the XML (one row each), typed. The
-- issue date is the local date written in dhEmi, not converted to UTC.
with source as (
    select * from raw_nf where record = 'document'
),

renamed as (
    select
        -- ids
        file_id,
        line,
        kind,
        doc_key,
        coalesce(nullif(ltrim(trim(number), '0'), ''), trim(number)) as nf_number,
        nullif(coalesce(nullif(ltrim(trim(series), '0'), ''), trim(series)), '') as series,
        cnpj_clean(issuer_cnpj) as issuer_cnpj,
        cnpj_clean(customer_cnpj) as customer_cnpj,
        trim(status) as status_code,

        -- money
        parse_decimal(gross, '.') as gross_brl,
        coalesce(parse_decimal(discount, '.'), 0) as discount_brl,
        parse_decimal(tax_base, '.') as tax_base_brl,
        parse_decimal(tax_amount, '.') as tax_amount_brl,
        parse_decimal(net, '.') as net_brl,

        -- dates; authorised_at: NF-e protNFe dhRecbto, NFS-e dhProc, with
        -- their offsets (the start of a cancellation deadline)
        try_cast(left(trim(issued_at), 10) as DATE) as issue_date,
        try_cast(nullif(trim(processed_at), '') as TIMESTAMPTZ) as authorised_at,

        -- source text, for rejects
        number as number_text,
        issued_at as issued_text,
        gross as gross_text,
        net as net_text
    from source
)

select
    file_id,
    line,
    kind,
    doc_key,
    nf_number,
    series,
    issuer_cnpj,
    customer_cnpj,
    status_code,
    issue_date,
    authorised_at,
    gross_brl,
    discount_brl,
    tax_base_brl,
    tax_amount_brl,
    net_brl,
    list_filter([
        reject(blank(number_text), 'number', number_text, 'required'),
        reject(issue_date is null, 'issued_at', issued_text, 'not a date'),
        reject(date_out_of_range(issue_date), 'issued_at', issued_text, 'outside 2000–2099'),
        reject(gross_brl is null, 'gross', gross_text, 'required'),
        reject(net_brl is null, 'net', net_text, 'required')
    ], e -> e is not null) as _errors
from renamed
