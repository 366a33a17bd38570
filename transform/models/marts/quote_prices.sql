-- Ready-to-quote prices for the period: one row per SKU in force, money
-- rounded once (half-even, 2 decimals) from the exact values. Per run
-- (temp): once published, the period's prices are kept in
-- quote_prices_history, the base of next month's changes.
-- materialized: temp
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
    round_half_even(cost) as cost,
    round_half_even(list_price) as list_price,
    incentive_program,
    incentive_pct::DECIMAL(9,2) as incentive_pct,
    round_half_even(net_cost_exact) as net_cost,
    pricing_rule,
    min_margin_applied,
    div_round(sell_num, sell_den) as sell_price,
    -- (sell − net)/sell = (sell_num − net·sell_den)/sell_num
    div_round_with(
        (sell_num - net_cost_exact * sell_den) * 100, sell_num,
        (sell_num::DOUBLE - net_cost_exact::DOUBLE * sell_den::DOUBLE) * 10000 / nullif(sell_num::DOUBLE, 0)
    ) as margin_pct,
    fx_rate,
    fx_date,
    round_half_even(cost::DECIMAL(38,6) * fx_rate) as cost_brl,
    round_half_even(list_price::DECIMAL(38,6) * fx_rate) as list_price_brl,
    div_round_with(net_cost_exact * fx_rate, 1, net_cost_exact::DOUBLE * fx_rate::DOUBLE * 100) as net_cost_brl,
    div_round_with(sell_num * fx_rate, sell_den, sell_num::DOUBLE * fx_rate::DOUBLE * 100 / nullif(sell_den::DOUBLE, 0)) as sell_price_brl,
    effective_from::DATE as effective_from,
    effective_to::DATE as effective_to,
    source_file,
    source_line
from priced_skus
where unpriced_reason is null
-- in the order the vendor lists them (a unique and cheap key to sort on)
order by vendor, source_file, source_line
