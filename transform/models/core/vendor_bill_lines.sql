-- Microsoft bill lines with our customer (vendor_accounts), the cost in BRL
-- and Microsoft's own formula checked:
--   Subtotal = ROUNDDOWN(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity
--   Total    = Subtotal + TaxTotal
-- ROUNDDOWN truncates toward zero (credit lines are negative).
--
-- cost_brl is the Subtotal (taxes excluded) when the bill is in BRL; a bill
-- in another currency is converted at the period's PTAX (core/period_fx, as
-- the price list does), rounded half-even. No PTAX leaves cost_brl NULL and
-- the pipeline fails before publishing.
--
-- Only the period's lines (charged from its first day): the reconciliation
-- and the data-quality checks of a period are about them, and a new month
-- then costs its own lines, not the history's (stg_ms_billing keeps each
-- file's rows in a table of its own, where the charge dates of other months
-- are skipped by their min/max without reading the rows).
-- check: unique(bill_line_id)
with bills as (
    select b.*, f.path as source_file
    from stg_ms_billing b
    join files f using (file_id)
    where len(b._errors) = 0
      and b.charge_start_date >= getvariable('period_start')
      and b.charge_start_date < getvariable('period_start') + interval 1 month
),

checked as (
    select
        b.*,
        (trunc(b.effective_unit_price * b.pc_to_bc_rate * 100)::DECIMAL(38,0) * 0.01)::DECIMAL(18,2) as unit_price_bc,
        a.customer_id
    from bills b
    left join ms_customer_accounts a using (vendor_customer_id)
)

select
    c.source_file || ':' || c.line as bill_line_id,
    'Microsoft' as vendor,
    c.vendor_customer_id,
    c.customer_name,
    c.customer_id,
    cu.customer_id is not null as is_known_customer,
    c.invoice_number,
    c.order_id,
    c.product_id,
    c.sku_id,
    c.subscription_id,
    c.product_name,
    c.sku_name,
    c.charge_type,
    c.charge_start_date,
    c.charge_end_date,
    c.currency,
    c.pricing_currency,
    c.effective_unit_price,
    c.pc_to_bc_rate,
    c.unit_price_bc,
    c.billable_quantity,
    c.subtotal::DECIMAL(18,2) as subtotal,
    c.tax_total::DECIMAL(18,2) as tax_total,
    c.total::DECIMAL(18,2) as total,
    round_half_even(c.unit_price_bc::DECIMAL(38,2) * c.billable_quantity) as expected_subtotal,
    c.subtotal = round_half_even(c.unit_price_bc::DECIMAL(38,2) * c.billable_quantity) as is_subtotal_ok,
    c.total = c.subtotal + c.tax_total as is_total_ok,
    fx.sell_rate as fx_rate,
    fx.rate_date as fx_date,
    -- DECIMAL(18,2) × DECIMAL(18,6) is typed DECIMAL(18,8), which overflows
    -- near R$ 10 billion: widen before multiplying.
    round_half_even(c.subtotal::DECIMAL(38,2) * fx.sell_rate) as cost_brl,
    c.source_file,
    c.line as source_line
from checked c
left join customers cu on cu.customer_id = c.customer_id
left join period_fx fx on fx.currency = c.currency
order by c.source_file, c.line
