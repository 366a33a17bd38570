-- The price-list workbook's and the site's summary: per vendor, the SKUs
-- priced, how many were raised to the minimum margin, the average margin
-- and the prices' spread in BRL.
-- check: unique(vendor)
select
    vendor,
    count(*) as skus,
    count(*) filter (where min_margin_applied) as min_margin_skus,
    div_round(sum(margin_pct), count(margin_pct)) as avg_margin_pct,
    min(sell_price_brl) as min_sell_price_brl,
    max(sell_price_brl) as max_sell_price_brl
from quote_prices
group by vendor
order by vendor
