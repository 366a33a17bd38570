-- Price lists of other vendors, mapped onto the common fields by the config
-- file (vendors.<name>); decimal separator and date format come per file.
-- Staged on load, like stg_ms_prices.
-- materialized: incremental
with source as (
    select * from raw_vendor_prices
),

renamed as (
    select
        file_id,
        line,
        vendor,
        trim(product_id) as product_id,
        nullif(trim(sku_id), '') as sku_id,
        coalesce(nullif(trim(product), ''), trim(product_id)) as product,
        nullif(trim(sku_title), '') as sku_title,
        coalesce(nullif(trim(product_family), ''), nullif(trim(product), ''), trim(product_id)) as product_family,
        coalesce(nullif(trim(segment), ''), 'Commercial') as segment,
        upper(nullif(trim(market), '')) as market,
        nullif(trim(term), '') as term,
        nullif(trim(billing_plan), '') as billing_plan,
        upper(trim(currency)) as currency,
        parse_decimal(regexp_replace(cost, '[^0-9.,-]', '', 'g'), decimal_sep) as cost_value,
        parse_decimal(regexp_replace(list_price, '[^0-9.,-]', '', 'g'), decimal_sep) as list_value,
        vendor_date(effective_from, date_format) as start_at,
        vendor_date(effective_to, date_format) as end_at,
        cost as cost_text,
        list_price as list_text,
        effective_from as from_text,
        effective_to as to_text,
        currency as currency_text
    from source
)

select
    file_id,
    line,
    vendor,
    product_id,
    sku_id,
    product,
    sku_title,
    product_family,
    segment,
    market,
    term,
    billing_plan,
    currency,
    cost_value as cost,
    list_value as list_price,
    start_at as effective_from,
    end_at as effective_to,
    list_filter([
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(blank(cost_text), 'cost', cost_text, 'required'),
        reject(not blank(cost_text) and cost_value is null, 'cost', cost_text, 'not a number'),
        reject(cost_value < 0, 'cost', cost_text, 'negative price'),
        reject(not blank(list_text) and list_value is null, 'list_price', list_text, 'not a number'),
        reject(list_value < 0, 'list_price', list_text, 'negative price'),
        reject(not blank(from_text) and start_at is null, 'effective_from', from_text, 'not a date'),
        reject(not blank(to_text) and end_at is null, 'effective_to', to_text, 'not a date'),
        reject(end_at < start_at, 'effective_to', to_text, 'ends before effective_from'),
        reject(not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}'), 'currency', currency_text, 'not a currency code')
    ], e -> e is not null) as _errors
from renamed
