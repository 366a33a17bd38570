-- Deployment counts from the customers' SAM tools, renamed and typed.
with source as (
    select * from raw_sam_counts
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(customer_id) as customer_id,
        trim(contract_id) as contract_id,
        trim(product_id) as product_id,
        nullif(trim(sku_id), '') as sku_id,

        -- numerics
        parse_decimal(deployed_quantity, ',') as deployed_quantity,

        -- dates
        parse_br_date(count_date) as count_date,

        -- source text, for rejects
        deployed_quantity as quantity_text,
        count_date as count_date_text
    from source
)

select
    file_id,
    line,
    customer_id,
    contract_id,
    product_id,
    sku_id,
    deployed_quantity,
    count_date,
    list_filter([
        reject(blank(customer_id), 'customer_id', customer_id, 'required'),
        reject(blank(contract_id), 'contract_id', contract_id, 'required'),
        reject(id_problem(contract_id) is not null, 'contract_id', contract_id, id_problem(contract_id)),
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(deployed_quantity is null, 'deployed_quantity', quantity_text, number_reason(quantity_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(deployed_quantity < 0, 'deployed_quantity', quantity_text, 'negative'),
        reject(count_date is null, 'count_date', count_date_text, 'not a date (dd/mm/aaaa)')
    ], e -> e is not null) as _errors
from renamed
