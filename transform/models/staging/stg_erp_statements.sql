-- True-up orders and update statements the ERP records as submitted to
-- the vendor (erp/statements/*.csv), renamed and typed. Each closes the
-- true-up event of its contract's anniversary: anniversary is that date
-- (dd/mm/aaaa; the last true-up's is the contract's end date, or the day
-- after), kind true_up or update_statement ("true-up" and "update
-- statement" are read as those). A mapped file (erp: in the config) gives
-- its date format (erp_date).
with source as (
    select * from raw_erp_statements
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(contract_id) as contract_id,
        nullif(trim(reference), '') as reference,

        -- descriptions
        regexp_replace(lower(trim(kind)), '[\s-]+', '_', 'g') as kind,

        -- dates
        erp_date(anniversary, date_format) as anniversary_date,
        erp_date(submitted_on, date_format) as submitted_on,

        -- source text, for rejects
        anniversary as anniversary_text,
        submitted_on as submitted_text,
        kind as kind_text,
        date_format,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    contract_id,
    anniversary_date,
    kind,
    submitted_on,
    reference,
    erp_errors([
        reject(blank(contract_id), 'contract_id', contract_id, 'required'),
        reject(id_problem(contract_id) is not null, 'contract_id', contract_id, id_problem(contract_id)),
        reject(anniversary_date is null, 'anniversary', anniversary_text, erp_date_reason(date_format)),
        reject(date_out_of_range(anniversary_date), 'anniversary', anniversary_text, 'outside 2000–2099'),
        reject(coalesce(kind, '') not in ('true_up', 'update_statement'), 'kind', kind_text, 'must be true_up or update_statement'),
        reject(submitted_on is null, 'submitted_on', submitted_text, erp_date_reason(date_format)),
        reject(date_out_of_range(submitted_on), 'submitted_on', submitted_text, 'outside 2000–2099')
    ], unmapped, map_errors) as _errors
from renamed
