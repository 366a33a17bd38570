-- The price table quote requests are priced from: the latest published
-- quote_prices of a period up to the run's period (the Parquet history
-- the price-list pipeline keeps; the quotes pipeline fails before building
-- when there is none), for the Brazilian market (or none), with the floor
-- (min_margin_pct) of the pricing rule that priced each SKU: the approval
-- threshold; and the taxes on revenue in force on the run's period's first
-- day for the SKU's kind of sale (core/taxes_in_force), beside the tax_pct
-- the table was priced with (table_tax_pct; NULL for a table kept before
-- the taxes, or priced without rules/taxes.csv).
-- materialized: temp
with history as (
    select * from quote_prices_history
),

latest as (
    select max(period) as price_period
    from history
    where period <= getvariable('period')
),

rules as (
    select f.path || ':' || r.line as pricing_rule, r.min_margin_pct
    from stg_pricing_rules r
    join files f using (file_id)
)

select
    l.price_period,
    h.vendor,
    h.product_id,
    h.sku_id,
    h.product,
    h.sku_title,
    h.segment,
    h.market,
    h.term,
    h.billing_plan,
    h.currency,
    h.pricing_rule,
    r.min_margin_pct,
    h.incentive_program,
    h.cost_brl,
    h.net_cost_brl,
    h.sell_price_brl,
    coalesce(h.goods, 'licence') as goods,
    h.tax_pct as table_tax_pct,
    t.has_tax_table,
    t.tax_pct,
    t.included as included_taxes,
    t.added as added_taxes,
    t.proposal_note as taxes_note
from history h
join latest l on h.period = l.price_period
left join rules r on r.pricing_rule = h.pricing_rule
join taxes_in_force t on t.goods = coalesce(h.goods, 'licence')
where h.market is null or trim(h.market) in ('', 'BR')
