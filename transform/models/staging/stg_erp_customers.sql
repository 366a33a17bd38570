-- ERP customer master rows, renamed and typed. A CNPJ that fails its check
-- digits and a cutoff day outside 1–31 are data-quality findings, not
-- rejects: the customer still exists for invoices and orders. A file read
-- through a mapping (erp: in the config) says how its numbers are written
-- (erp_number, macros.sql), and which fields no column feeds (not checked).
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_erp_customers
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(customer_id) as customer_id,
        cnpj_clean(cnpj) as cnpj,

        -- descriptions
        trim(name) as name,
        nullif(trim(segment), '') as segment,
        list_filter(list_transform(string_split(coalesce(restrictions, ''), '|'), r -> lower(trim(r))), r -> r <> '') as restrictions,
        nullif(trim(portal), '') as portal,
        nullif(trim(account_manager), '') as account_manager,
        lower(coalesce(nullif(trim(status), ''), 'active')) as status,

        -- numerics
        try_cast(trim(billing_cutoff_day) as INTEGER) as billing_cutoff_day,
        try_cast(trim(payment_terms_days) as INTEGER) as payment_terms_days,
        erp_number(credit_limit, decimal_sep) as credit_limit_brl,

        -- source text, for rejects
        cnpj as cnpj_text,
        billing_cutoff_day as cutoff_text,
        payment_terms_days as terms_text,
        credit_limit as credit_limit_text,
        name as name_text,
        decimal_sep,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    customer_id,
    name,
    cnpj,
    cnpj_text,
    segment,
    billing_cutoff_day,
    payment_terms_days,
    credit_limit_brl,
    restrictions,
    portal,
    account_manager,
    status,
    erp_errors([
        reject(blank(customer_id), 'customer_id', customer_id, 'required'),
        reject(blank(name_text), 'name', name_text, 'required'),
        reject(blank(cnpj_text), 'cnpj', cnpj_text, 'required'),
        reject(not blank(cutoff_text) and billing_cutoff_day is null, 'billing_cutoff_day', cutoff_text, 'not a whole number'),
        reject(not blank(terms_text) and payment_terms_days is null, 'payment_terms_days', terms_text, 'not a whole number'),
        reject(not blank(credit_limit_text) and credit_limit_brl is null, 'credit_limit', credit_limit_text, erp_number_reason(credit_limit_text, decimal_sep)),
        reject(credit_limit_brl < 0, 'credit_limit', credit_limit_text, 'negative')
    ], unmapped, map_errors) as _errors
from renamed
