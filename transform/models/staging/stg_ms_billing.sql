-- Microsoft NCE invoice reconciliation lines, renamed and typed. Amounts
-- are in the bill's Currency; EffectiveUnitPrice is in PricingCurrency and
-- PCToBCExchangeRate converts it to the billing currency.
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_ms_billing
),

renamed as (
    select
        -- ids
        file_id,
        line,
        lower(trim(customer_id)) as vendor_customer_id,
        nullif(trim(customer_name), '') as customer_name,
        trim(invoice_number) as invoice_number,
        nullif(trim(order_id), '') as order_id,
        trim(product_id) as product_id,
        nullif(trim(sku_id), '') as sku_id,
        nullif(lower(trim(subscription_id)), '') as subscription_id,

        -- descriptions
        nullif(trim(product_name), '') as product_name,
        nullif(trim(sku_name), '') as sku_name,
        trim(charge_type) as charge_type,
        upper(trim(currency)) as currency,
        upper(nullif(trim(pricing_currency), '')) as pricing_currency,
        nullif(trim(term_and_billing_cycle), '') as term_and_billing_cycle,
        nullif(lower(trim(billing_frequency)), '') as billing_frequency,

        -- numerics
        parse_decimal(unit_price, '.') as unit_price,
        parse_decimal(effective_unit_price, '.') as effective_unit_price,
        parse_decimal(quantity, '.') as quantity,
        parse_decimal(billable_quantity, '.') as billable_quantity,
        parse_decimal(subtotal, '.') as subtotal,
        parse_decimal(tax_total, '.') as tax_total,
        parse_decimal(total, '.') as total,
        parse_decimal(pc_to_bc_exchange_rate, '.') as pc_to_bc_rate,

        -- dates, US-style or ISO
        try_strptime(trim(charge_start_date), ['%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])::DATE as charge_start_date,
        try_strptime(trim(charge_end_date), ['%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])::DATE as charge_end_date,
        -- the subscription's term (optional: committed months need it)
        try_strptime(trim(subscription_start_date), ['%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])::DATE as subscription_start_date,
        try_strptime(trim(subscription_end_date), ['%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])::DATE as subscription_end_date,

        -- source text, for rejects
        customer_id as customer_text,
        effective_unit_price as eup_text,
        billable_quantity as bq_text,
        subtotal as subtotal_text,
        tax_total as tax_text,
        total as total_text,
        pc_to_bc_exchange_rate as rate_text,
        charge_start_date as start_text,
        charge_end_date as end_text,
        currency as currency_text
    from source
)

select
    file_id,
    line,
    vendor_customer_id,
    customer_name,
    invoice_number,
    order_id,
    product_id,
    sku_id,
    subscription_id,
    product_name,
    sku_name,
    charge_type,
    currency,
    pricing_currency,
    term_and_billing_cycle,
    billing_frequency,
    unit_price,
    effective_unit_price,
    quantity,
    billable_quantity,
    subtotal,
    tax_total,
    total,
    pc_to_bc_rate,
    charge_start_date,
    charge_end_date,
    subscription_start_date,
    subscription_end_date,
    list_filter([
        reject(blank(customer_text), 'customer_id', customer_text, 'required'),
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(effective_unit_price is null, 'effective_unit_price', eup_text, 'not a number'),
        reject(billable_quantity is null, 'billable_quantity', bq_text, 'not a number'),
        reject(subtotal is null, 'subtotal', subtotal_text, 'not a number'),
        reject(tax_total is null, 'tax_total', tax_text, 'not a number'),
        reject(total is null, 'total', total_text, 'not a number'),
        reject(pc_to_bc_rate is null or pc_to_bc_rate <= 0, 'pc_to_bc_exchange_rate', rate_text, 'not a positive number'),
        reject(charge_start_date is null, 'charge_start_date', start_text, 'not a date (m/d/yyyy)'),
        reject(charge_end_date is null, 'charge_end_date', end_text, 'not a date (m/d/yyyy)'),
        reject(not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}'), 'currency', currency_text, 'not a currency code')
    ], e -> e is not null) as _errors
from renamed
