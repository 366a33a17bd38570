-- The price table renewals and true-ups are priced from: the latest
-- published quote_prices of a period up to the run's period (the Parquet
-- history the price-list pipeline keeps), keyed as contracts are:
-- vendor and segment case-insensitively, the SKU ('' when it has none),
-- the term in months (P1Y 12, P3Y 36, P1M 1, "12 MONTHS", "12 meses") and
-- the billing plan (monthly, annual, triennial; NULL when the list has
-- none, matching any). Only prices for the Brazilian market (or none).
-- annual_sell_price_brl is not stored: a term's price is sell_price_brl
-- for term_months months, so a year costs sell_price_brl × 12 / term_months,
-- divided only when rounded.
-- materialized: temp
with history as (
    select * from quote_prices_history
),

latest as (
    select max(period) as price_period
    from history
    where period <= getvariable('period')
),

terms as (
    select
        h.*,
        l.price_period,
        upper(trim(h.term)) as term_text
    from history h
    join latest l on h.period = l.price_period
    where h.market is null or trim(h.market) in ('', 'BR')
)

select
    t.price_period,
    lower(trim(t.vendor)) as vendor_key,
    t.product_id,
    coalesce(t.sku_id, '') as sku_key,
    coalesce(s.segment_key, lower(trim(t.segment))) as segment_key,
    term_months(t.term_text) as term_months,
    nullif(lower(trim(t.billing_plan)), '') as billing_plan_key,
    t.market,
    t.term,
    t.billing_plan,
    t.currency,
    t.sell_price,
    t.sell_price_brl,
    -- as the vendor's list names it, the rule and margin (net of taxes) it
    -- was priced by, and the taxes it was priced with
    t.product,
    t.sku_title,
    t.net_cost_brl,
    t.pricing_rule,
    t.margin_pct,
    coalesce(t.goods, 'licence') as goods,
    t.tax_pct as table_tax_pct
from terms t
left join segments s on s.alias = lower(trim(t.segment))
