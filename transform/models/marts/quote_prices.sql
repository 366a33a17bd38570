-- Ready-to-quote prices for the period: one row per SKU in force that can
-- be priced, in the order the vendor lists them (priced_skus' order: a
-- filter keeps it). A view over the per-run priced_skus: once published,
-- the period's Parquet is kept as history (quote_prices_history), the base
-- of next month's changes.
-- materialized: view
-- check: unique(vendor, product_id, sku_id, segment, market, currency, term, billing_plan)
-- check: not_null(cost, net_cost, sell_price, fx_rate, cost_brl, sell_price_brl)
-- Its columns are priced_skus' but for the row's origin and reason, which
-- the rejects read; reports/pricelist.go lists them for the outputs.
select * exclude (file_id, line, unpriced_reason)
from priced_skus
where unpriced_reason is null
