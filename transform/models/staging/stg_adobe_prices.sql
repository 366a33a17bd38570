-- Adobe VIP Marketplace price list rows, renamed and typed. Prices may
-- arrive as text ("USD 1,234.56"): currency signs and spaces are dropped.
-- Staged on load, like stg_ms_prices.
-- materialized: incremental
with source as (
    select * from raw_adobe_prices
),

renamed as (
    select
        -- ids
        file_id,
        line,
        trim(part_number) as product_id,

        -- descriptions
        trim(product_family) as product_family,
        nullif(concat_ws(' ', nullif(trim(product_type), ''), nullif(trim(level_details), '')), '') as sku_title,
        upper(trim(market_segment)) as segment,
        nullif(trim(duration), '') as term,
        upper(trim(currency)) as currency,
        upper(trim(coalesce(acd_indicator, ''))) as acd,

        -- money
        parse_decimal(regexp_replace(partner_price, '[^0-9.,-]', '', 'g'), '.') as cost,
        parse_decimal(regexp_replace(estimated_street_price, '[^0-9.,-]', '', 'g'), '.') as list_price,

        -- the month the row prices, YYYYMM
        try_strptime(trim(price_list_month) || '01', '%Y%m%d') as month_start,

        -- source text, for rejects
        part_number,
        partner_price,
        estimated_street_price,
        price_list_month,
        market_segment,
        currency as currency_text,
        acd_indicator
    from source
)

select
    file_id,
    line,
    'Adobe' as vendor,
    product_id,
    null::varchar as sku_id,
    product_family as product,
    sku_title,
    product_family,
    segment,
    null::varchar as market,
    term,
    null::varchar as billing_plan,
    currency,
    cost,
    list_price,
    month_start as effective_from,
    null::timestamp as effective_to,
    -- D(iscontinued) rows stay out of the price table
    acd <> 'D' as is_quotable,
    -- list_contains, not IN: DuckDB plans a list of constants as a join,
    -- and a join loses the file's order, which the one-pass load needs.
    list_filter([
        reject(blank(part_number), 'part_number', part_number, 'required'),
        reject(blank(partner_price), 'partner_price', partner_price, 'required'),
        reject(not blank(partner_price) and cost is null, 'partner_price', partner_price, 'not a number'),
        reject(cost < 0, 'partner_price', partner_price, 'negative price'),
        reject(not blank(estimated_street_price) and list_price is null, 'estimated_street_price', estimated_street_price, 'not a number'),
        reject(list_price < 0, 'estimated_street_price', estimated_street_price, 'negative price'),
        reject(not blank(price_list_month) and month_start is null, 'price_list_month', price_list_month, 'not a month YYYYMM'),
        reject(not list_contains(['COM', 'EDU', 'GOV'], coalesce(segment, '')), 'market_segment', market_segment, 'must be COM, EDU or GOV'),
        reject(not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}'), 'currency', currency_text, 'not a currency code'),
        reject(not list_contains(['', 'A', 'C', 'D'], acd), 'acd_indicator', acd_indicator, 'must be A, C or D')
    ], e -> e is not null) as _errors
from renamed
