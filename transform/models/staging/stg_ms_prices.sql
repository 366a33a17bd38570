-- Microsoft NCE license-based price list rows, renamed and typed.
-- _errors lists every value that failed validation; such rows go to rejects.
-- Materialised per run (temp): prices and the rejects both read it, and its
-- parsing is the costly part of a million-row list.
-- materialized: temp
with source as (
    select * from raw_ms_prices
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(product_id) as product_id,
        trim(sku_id) as sku_id,

        -- descriptions
        trim(product_title) as product,
        trim(sku_title) as sku_title,
        trim(product_title) as product_family,
        coalesce(nullif(trim(segment), ''), 'Commercial') as segment,
        upper(trim(market)) as market,
        upper(trim(term_duration)) as term,
        trim(billing_plan) as billing_plan,
        upper(trim(currency)) as currency,

        -- money, in the row's currency: UnitPrice is the partner's cost for
        -- the whole term, ERP Price the estimated retail price
        parse_decimal(unit_price, '.') as cost,
        parse_decimal(erp_price, '.') as list_price,

        -- validity, US-style timestamps
        ms_timestamp(effective_start) as start_at,
        ms_timestamp(effective_end) as end_at,

        -- source text, for rejects
        unit_price,
        erp_price,
        effective_start,
        effective_end,
        currency as currency_text,
        term_duration,
        market as market_text,
        billing_plan as billing_plan_text
    from source
)

select
    file_id,
    line,
    'Microsoft' as vendor,
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
    cost,
    list_price,
    -- years 1753 and 9999 are Microsoft's placeholders for "open"
    case when year(start_at) <= 1753 then null else start_at end as effective_from,
    case when year(end_at) >= 9999 then null else end_at end as effective_to,
    list_filter([
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(blank(sku_id), 'sku_id', sku_id, 'required'),
        reject(blank(unit_price), 'unit_price', unit_price, 'required'),
        reject(not blank(unit_price) and cost is null, 'unit_price', unit_price, 'not a number'),
        reject(cost < 0, 'unit_price', unit_price, 'negative price'),
        reject(not blank(erp_price) and list_price is null, 'erp_price', erp_price, 'not a number'),
        reject(list_price < 0, 'erp_price', erp_price, 'negative price'),
        reject(blank(effective_start), 'effective_start', effective_start, 'required'),
        reject(not blank(effective_start) and start_at is null, 'effective_start', effective_start, 'not a date (m/d/yyyy h:mm:ss AM)'),
        reject(not blank(effective_end) and end_at is null, 'effective_end', effective_end, 'not a date (m/d/yyyy h:mm:ss AM)'),
        reject(end_at < start_at, 'effective_end', effective_end, 'ends before EffectiveStartDate'),
        reject(not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}'), 'currency', currency_text, 'not a currency code'),
        reject(not regexp_full_match(coalesce(market, ''), '[A-Z]{2}'), 'market', market_text, 'not a country code'),
        reject(not regexp_full_match(coalesce(term, ''), 'P\d+[YMD]'), 'term_duration', term_duration, 'not a term such as P1Y or P1M'),
        reject(blank(billing_plan), 'billing_plan', billing_plan_text, 'required')
    ], e -> e is not null) as _errors
from renamed
