-- What to send each vendor's support for the charges finance disputes
-- (decision contestar): one row per bill line of each disputed exception
-- open at the period published or credited in it, with the bill's own
-- references (invoice, the line in its reconciliation file, order,
-- subscription, SKU, charge dates), what it billed and what was expected,
-- the reason in English (Microsoft's support works in English), and the
-- status: open, partially_credited, or credited once a later bill carries
-- the credit (exception_credits). The pipeline writes each vendor's rows to
-- disputes/<vendor>.csv (file: safe_name of the vendor, lower case).
-- materialized: temp
-- check: unique(exception_id, invoice_number, reconciliation_file, file_line)
with disputed as (
    select *
    from exception_register
    where decision = 'contestar' or resolved_by = 'credito'
)

select
    c.vendor,
    safe_name(lower(c.vendor)) as file,
    d.exception_id,
    d.dispute_status as status,
    c.invoice_number,
    c.source_file as reconciliation_file,
    c.source_line as file_line,
    c.vendor_order_id,
    c.vendor_customer_id,
    c.vendor_customer_name,
    c.subscription_id,
    c.product_id,
    c.sku_id,
    c.sku_name,
    c.charge_type,
    c.charge_start_date,
    c.charge_end_date,
    c.billable_quantity::DECIMAL(18,2) as billed_quantity,
    c.expected_quantity::DECIMAL(18,2) as expected_quantity,
    c.unit_price,
    c.subtotal as billed_subtotal,
    c.disputed_amount,
    c.currency,
    c.credited_amount,
    c.credit_invoices,
    case c.class
        when 'vendor_billed_not_ordered' then
            'No order for this charge: subscription ' || coalesce(c.subscription_id, c.product_id) || ', '
            || strftime(c.charge_start_date, '%Y-%m-%d') || ' to ' || strftime(c.charge_end_date, '%Y-%m-%d')
            || ', was not ordered by the customer for this period. Please credit ' || c.subtotal || ' ' || c.currency || '.'
        when 'quantity_mismatch' then
            'Quantity billed (' || plain_number(c.billable_quantity) || ') differs from the quantity ordered ('
            || coalesce(plain_number(c.expected_quantity), 'see the other lines of this subscription') || ') for subscription '
            || c.subscription_id || ', ' || strftime(c.charge_start_date, '%Y-%m-%d') || ' to ' || strftime(c.charge_end_date, '%Y-%m-%d')
            || '. Please credit ' || c.disputed_amount || ' ' || c.currency || '.'
        when 'price_below_cost' then
            'Unit price billed (' || c.unit_price || ' ' || c.currency || ') is above the price agreed for subscription '
            || coalesce(c.subscription_id, c.product_id) || ', ' || strftime(c.charge_start_date, '%Y-%m-%d') || ' to '
            || strftime(c.charge_end_date, '%Y-%m-%d') || '. Please review the price and credit the difference.'
    end as reason,
    d.decided_on as disputed_on,
    d.note
from disputed d
join exception_credits c using (exception_id)
where d.status = 'open' or d.resolved_period = getvariable('period')
order by c.vendor, d.exception_id, c.source_file, c.source_line
