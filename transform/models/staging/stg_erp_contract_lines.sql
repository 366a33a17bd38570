-- Licensed quantities and locked prices per contract, renamed and typed.
-- A quantity must be above 0 and a price at least 0 (macros.sql). A mapped
-- file (erp: in the config) gives its decimal separator (erp_number).
-- product_class is the enrollment's: enterprise (the default), additional
-- or online_service (Portuguese empresarial, adicional, serviço online
-- read as those); license_price and sa_price are the enrollment's price
-- sheet (the licence once, Software Assurance per unit per year).
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_erp_contract_lines
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(contract_id) as contract_id,
        trim(product_id) as product_id,
        nullif(trim(sku_id), '') as sku_id,

        -- descriptions
        nullif(trim(description), '') as description,
        upper(coalesce(nullif(trim(currency), ''), 'BRL')) as currency,
        case regexp_replace(lower(trim(coalesce(product_class, ''))), '[\s-]+', '_', 'g')
            when '' then 'enterprise'
            when 'enterprise' then 'enterprise'
            when 'empresarial' then 'enterprise'
            when 'additional' then 'additional'
            when 'adicional' then 'additional'
            when 'online_service' then 'online_service'
            when 'online_services' then 'online_service'
            when 'serviço_online' then 'online_service'
            when 'servico_online' then 'online_service'
        end as product_class,

        -- numerics, in the line's currency
        erp_number(quantity, decimal_sep) as quantity,
        erp_number(unit_price, decimal_sep) as unit_price,
        erp_number(license_price, decimal_sep) as license_price,
        erp_number(annual_price, decimal_sep) as annual_price,
        erp_number(sa_price, decimal_sep) as sa_price,

        -- source text, for rejects
        quantity as quantity_text,
        unit_price as unit_price_text,
        license_price as license_price_text,
        annual_price as annual_price_text,
        sa_price as sa_price_text,
        product_class as product_class_text,
        decimal_sep,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    contract_id,
    product_id,
    sku_id,
    description,
    currency,
    quantity,
    unit_price,
    license_price,
    annual_price,
    product_class,
    sa_price,
    erp_errors([
        reject(blank(contract_id), 'contract_id', contract_id, 'required'),
        reject(id_problem(contract_id) is not null, 'contract_id', contract_id, id_problem(contract_id)),
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(quantity is null, 'quantity', quantity_text, erp_number_reason(quantity_text, decimal_sep)),
        reject(quantity_problem(quantity) is not null, 'quantity', quantity_text, quantity_problem(quantity)),
        reject(unit_price < 0, 'unit_price', unit_price_text, 'negative price'),
        reject(license_price < 0, 'license_price', license_price_text, 'negative price'),
        reject(annual_price < 0, 'annual_price', annual_price_text, 'negative price'),
        reject(not blank(unit_price_text) and unit_price is null, 'unit_price', unit_price_text, erp_number_reason(unit_price_text, decimal_sep)),
        reject(not blank(license_price_text) and license_price is null, 'license_price', license_price_text, erp_number_reason(license_price_text, decimal_sep)),
        reject(not blank(annual_price_text) and annual_price is null, 'annual_price', annual_price_text, erp_number_reason(annual_price_text, decimal_sep)),
        reject(sa_price < 0, 'sa_price', sa_price_text, 'negative price'),
        reject(not blank(sa_price_text) and sa_price is null, 'sa_price', sa_price_text, erp_number_reason(sa_price_text, decimal_sep)),
        reject(product_class is null, 'product_class', product_class_text, 'must be enterprise, additional or online_service')
    ], unmapped, map_errors) as _errors
from renamed
