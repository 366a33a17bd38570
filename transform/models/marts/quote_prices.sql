-- Ready-to-quote prices for the period: one row per SKU in force that can
-- be priced, in the order the vendor lists them (priced_skus' order: a
-- filter keeps it). A view over the per-run priced_skus: once published,
-- the period's prices are kept in quote_prices_history, the base of next
-- month's changes.
-- materialized: view
-- check: unique(vendor, product_id, sku_id, segment, market, currency, term, billing_plan)
-- check: not_null(cost, net_cost, sell_price, fx_rate, cost_brl, sell_price_brl)
select
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
    cost,
    list_price,
    incentive_program,
    incentive_pct,
    net_cost,
    pricing_rule,
    min_margin_applied,
    sell_price,
    margin_pct,
    fx_rate,
    fx_date,
    cost_brl,
    list_price_brl,
    net_cost_brl,
    sell_price_brl,
    effective_from,
    effective_to,
    source_file,
    source_line
from priced_skus
where unpriced_reason is null
