-- Sales order lines with their value in BRL (quantity × unit price, rounded
-- once half-even), the contract's vendor and whether the customer exists.
-- No ORDER BY: every mart orders what it publishes by a total order of its
-- own. Sorting the whole table here took about 15 % of the model's time at
-- 1M rows, and its memory came on top of the window's.
-- is_conflicting: the order line is delivered with other values by another
-- file or line (the same so_number and line, another po_number, customer,
-- contract, date, type, product, SKU, quantity, price, period or
-- subscription): the later file's row is kept here, and core/erp_conflicts
-- lists every version (a finding; its customer gets no customer document).
-- Identical copies are one line, as before. The status is not compared: an
-- order moves from open to invoiced (or cancelled) between two exports, and
-- the later export says where it is now.
-- check: unique(so_number, order_line)
-- check: not_null(so_number, order_line, order_value_brl)
select
    o.so_number,
    o.order_line,
    o.po_number,
    o.customer_id,
    cu.customer_id is not null as is_known_customer,
    o.contract_id,
    ct.vendor,
    o.order_date,
    o.order_type,
    o.product_id,
    o.sku_id,
    o.quantity,
    o.unit_price_brl,
    round_half_even(o.quantity::DECIMAL(38,6) * o.unit_price_brl) as order_value_brl,
    o.period_start,
    o.period_end,
    o.vendor_subscription_id,
    o.status,
    o.status in ('cancelled', 'canceled', 'cancelado', 'cancelada') as is_cancelled,
    f.path as source_file,
    o.line as source_line,
    min(o.value_hash) over w <> max(o.value_hash) over w as is_conflicting
from (
    select
        *,
        hash(po_number, customer_id, contract_id, order_date, order_type, product_id, sku_id, quantity,
             unit_price_brl, period_start, period_end, vendor_subscription_id) as value_hash
    from stg_erp_orders
) o
join files f using (file_id)
left join customers cu on cu.customer_id = o.customer_id
left join contracts ct on ct.contract_id = o.contract_id
where len(o._errors) = 0
-- one window, the whole partition as its frame, for the pick and the test
window w as (partition by o.so_number, o.order_line order by f.path desc, o.line desc
             rows between unbounded preceding and unbounded following)
qualify row_number() over w = 1
