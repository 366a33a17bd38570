-- ERP contracts (agreements), renamed and typed. An end before the start is
-- a data-quality finding, not a reject; a date outside 2000–2099 is a reject.
-- fx_rule says how a contract indexed to a foreign currency is invoiced in
-- BRL: ptax_d1 (the PTAX sell of the business day before the invoice) or
-- ptax_month (the period's PTAX); empty for a contract priced in BRL.
-- A mapped file (erp: in the config) gives its date format (erp_date).
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_erp_contracts
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(contract_id) as contract_id,
        trim(customer_id) as customer_id,
        nullif(trim(agreement_number), '') as agreement_number,

        -- descriptions
        trim(vendor) as vendor,
        nullif(trim(program), '') as program,
        nullif(lower(trim(billing_frequency)), '') as billing_frequency,
        upper(coalesce(nullif(trim(currency), ''), 'BRL')) as currency,
        lower(coalesce(nullif(trim(status), ''), 'active')) as status,
        nullif(upper(trim(true_up_program)), '') as true_up_program,
        nullif(regexp_replace(lower(trim(fx_rule)), '[\s-]+', '_', 'g'), '') as fx_rule,

        -- dates
        erp_date(start_date, date_format) as start_date,
        erp_date(end_date, date_format) as end_date,
        erp_date(onboarding_date, date_format) as onboarding_date,

        -- source text, for rejects
        start_date as start_text,
        end_date as end_text,
        onboarding_date as onboarding_text,
        vendor as vendor_text,
        fx_rule as fx_rule_text,
        date_format,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    contract_id,
    customer_id,
    vendor,
    program,
    agreement_number,
    start_date,
    end_date,
    billing_frequency,
    currency,
    status,
    onboarding_date,
    true_up_program,
    fx_rule,
    erp_errors([
        reject(blank(contract_id), 'contract_id', contract_id, 'required'),
        reject(id_problem(contract_id) is not null, 'contract_id', contract_id, id_problem(contract_id)),
        reject(blank(customer_id), 'customer_id', customer_id, 'required'),
        reject(blank(vendor_text), 'vendor', vendor_text, 'required'),
        reject(start_date is null, 'start_date', start_text, erp_date_reason(date_format)),
        reject(date_out_of_range(start_date), 'start_date', start_text, 'outside 2000–2099'),
        reject(end_date is null, 'end_date', end_text, erp_date_reason(date_format)),
        reject(date_out_of_range(end_date), 'end_date', end_text, 'outside 2000–2099'),
        reject(not blank(onboarding_text) and onboarding_date is null, 'onboarding_date', onboarding_text, erp_date_reason(date_format)),
        reject(date_out_of_range(onboarding_date), 'onboarding_date', onboarding_text, 'outside 2000–2099'),
        reject(fx_rule not in ('ptax_d1', 'ptax_month'), 'fx_rule', fx_rule_text, 'must be ptax_d1 or ptax_month')
    ], unmapped, map_errors) as _errors
from renamed
