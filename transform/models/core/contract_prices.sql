-- The current price of every product of a contract's lines, from the
-- latest published price table (core/current_prices): same vendor,
-- product, SKU, segment and term (in months) as the contract, with its
-- billing plan or none. When several rows are left: the exact billing plan
-- first, the Brazilian market, BRL, then the lowest price. The renewal
-- prices from here (the true-up from the enrollment's price sheet, or the
-- table's P1Y row: marts/true_up_additions).
-- A year at that price is annual_sell_price_num_brl / annual_sell_price_den
-- (sell_price_brl × 12 / term_months), kept as a fraction: money outputs
-- divide it only when rounding (div_round).
-- check: unique(contract_id, product_id, sku_key)
with products as (
    select distinct contract_id, product_id, coalesce(sku_id, '') as sku_key from contract_lines
)

select
    p.contract_id,
    p.product_id,
    p.sku_key,
    cp.price_period,
    cp.term as price_term,
    cp.billing_plan as price_billing_plan,
    cp.market as price_market,
    cp.sell_price_brl,
    cp.product as price_product,
    cp.sku_title as price_sku_title,
    cp.net_cost_brl,
    cp.pricing_rule,
    cp.margin_pct as price_margin_pct,
    cp.goods,
    cp.table_tax_pct,
    cp.sell_price_brl * 12 as annual_sell_price_num_brl,
    c.term_months as annual_sell_price_den
from products p
join lifecycle_contracts c using (contract_id)
join current_prices cp
  on cp.vendor_key = c.vendor_key
 and cp.product_id = p.product_id
 and cp.sku_key = p.sku_key
 and cp.segment_key = c.segment_key
 and cp.term_months = c.term_months
where cp.billing_plan_key is null or cp.billing_plan_key = c.billing_plan_key
qualify row_number() over (
    partition by p.contract_id, p.product_id, p.sku_key
    order by cp.billing_plan_key is null, cp.market is distinct from 'BR', cp.currency <> 'BRL', cp.sell_price_brl
) = 1
