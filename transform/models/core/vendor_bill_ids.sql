-- The exception identity of each of the period's vendor bill lines
-- (docs/review.md): the vendor, the bill's invoice, the subscription,
-- product and SKU, the charge type and dates, and the line's place among
-- the lines equal in all of these, ordered by what they bill (never by file
-- or line: the same bill re-ordered or renamed gives the same ids). A new
-- month's charge of the same subscription has other dates: a new id.
-- check: unique(bill_line_id)
-- check: unique(exception_id)
select
    bill_line_id,
    exception_id('vendor_bill', [vendor, invoice_number, subscription_id, product_id, sku_id, charge_type,
        charge_start_date::VARCHAR, charge_end_date::VARCHAR,
        row_number() over (
            partition by vendor, invoice_number, subscription_id, product_id, sku_id, charge_type,
                charge_start_date, charge_end_date
            order by billable_quantity, subtotal, effective_unit_price, order_id, currency, total
        )::VARCHAR]) as exception_id
from vendor_bill_lines
