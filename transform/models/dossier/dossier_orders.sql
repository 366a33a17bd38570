-- The customer's order lines ordered in the 12 months up to as-of, or
-- whose period has not ended at as-of.
select
    so_number,
    order_line,
    contract_id,
    order_date,
    order_type,
    product_id,
    sku_id,
    quantity,
    order_value_brl,
    period_start,
    period_end,
    status
from orders
where customer_id = getvariable('dossier_customer_id')
  and (order_date > getvariable('as_of')::DATE - interval 12 month or period_end >= getvariable('as_of'))
order by order_date desc, so_number, order_line
