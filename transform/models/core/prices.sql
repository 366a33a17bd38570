-- Every valid vendor price row, all vendors in one shape, with the file and
-- line it came from. Period-independent: the marts pick the rows in force.
-- A view: read once per run, by priced_skus.
-- materialized: view
with rows as (
    select file_id, line, vendor, product_id, sku_id, product, sku_title, product_family,
           segment, market, term, billing_plan, currency, cost, list_price, effective_from, effective_to
    from stg_ms_prices
    where len(_errors) = 0

    union all

    select file_id, line, vendor, product_id, sku_id, product, sku_title, product_family,
           segment, market, term, billing_plan, currency, cost, list_price, effective_from, effective_to
    from stg_adobe_prices
    where len(_errors) = 0 and is_quotable

    union all

    select file_id, line, vendor, product_id, sku_id, product, sku_title, product_family,
           segment, market, term, billing_plan, currency, cost, list_price, effective_from, effective_to
    from stg_vendor_prices
    where len(_errors) = 0
)

select
    rows.*,
    files.path as source_file,
    rows.line as source_line
from rows
join files using (file_id)
