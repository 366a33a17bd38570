-- Microsoft NCE license-based price list rows, renamed and typed.
-- _errors lists every value that failed validation; such rows go to rejects.
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives, so a million-row list is parsed once, and keeps the rows until the
-- file changes or leaves the inbox. Each row comes with
-- its file line (extract.stageRows).
-- materialized: incremental
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
),

-- Each check once, by name: _errors is built only for rows that fail one
-- (building it for a million good rows costs more than parsing them).
checked as (
    select
        *,
        blank(product_id) as no_product_id,
        blank(sku_id) as no_sku_id,
        blank(unit_price) as no_price,
        not blank(unit_price) and cost is null as bad_price,
        coalesce(cost < 0, false) as negative_price,
        not blank(erp_price) and list_price is null as bad_list_price,
        coalesce(list_price < 0, false) as negative_list_price,
        blank(effective_start) as no_start,
        not blank(effective_start) and start_at is null as bad_start,
        not blank(effective_end) and end_at is null as bad_end,
        coalesce(end_at < start_at, false) as end_before_start,
        not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}') as bad_currency,
        not regexp_full_match(coalesce(market, ''), '[A-Z]{2}') as bad_market,
        not regexp_full_match(coalesce(term, ''), 'P\d+[YMD]') as bad_term,
        blank(billing_plan) as no_billing_plan
    from renamed
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
    case
        when no_product_id or no_sku_id or no_price or bad_price or negative_price or bad_list_price
             or negative_list_price or no_start or bad_start or bad_end or end_before_start
             or bad_currency or bad_market or bad_term or no_billing_plan
        then list_filter([
            reject(no_product_id, 'product_id', product_id, 'required'),
            reject(no_sku_id, 'sku_id', sku_id, 'required'),
            reject(no_price, 'unit_price', unit_price, 'required'),
            reject(bad_price, 'unit_price', unit_price, 'not a number'),
            reject(negative_price, 'unit_price', unit_price, 'negative price'),
            reject(bad_list_price, 'erp_price', erp_price, 'not a number'),
            reject(negative_list_price, 'erp_price', erp_price, 'negative price'),
            reject(no_start, 'effective_start', effective_start, 'required'),
            reject(bad_start, 'effective_start', effective_start, 'not a date (m/d/yyyy h:mm:ss AM)'),
            reject(bad_end, 'effective_end', effective_end, 'not a date (m/d/yyyy h:mm:ss AM)'),
            reject(end_before_start, 'effective_end', effective_end, 'ends before EffectiveStartDate'),
            reject(bad_currency, 'currency', currency_text, 'not a currency code'),
            reject(bad_market, 'market', market_text, 'not a country code'),
            reject(bad_term, 'term_duration', term_duration, 'not a term such as P1Y or P1M'),
            reject(no_billing_plan, 'billing_plan', billing_plan_text, 'required')
        ], e -> e is not null)
        else []
    end as _errors
from checked
