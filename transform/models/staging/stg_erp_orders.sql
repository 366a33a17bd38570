-- ERP sales orders, one row per order line, renamed and typed. A quantity
-- is above 0, except on a credit line (a return), where it is below; a
-- price is at least 0; dates fall in 2000–2099 (macros.sql). Order numbers
-- are compared without leading zeros (erp_doc_number), as NF numbers are. A
-- mapped file (erp: in the config) gives its decimal separator and date
-- format, and which fields no column feeds (not checked).
-- A line's status is the export's (open when empty), except that a line not
-- cancelled is invoiced when the export says so on the line itself: its
-- invoiced quantity (invoiced_quantity, Protheus' C6_QTDENT) reaches the
-- ordered quantity, or, when the export gives no invoiced quantity, it names
-- an invoice (invoice_number, C6_NOTA). A line invoiced in part stays open
-- (docs/erp.md).
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_erp_orders
),

renamed as (
    select
        -- ids
        file_id,
        line,
        erp_doc_number(so_number) as so_number,
        try_cast(trim(order_line) as INTEGER) as order_line,
        nullif(trim(po_number), '') as po_number,
        trim(customer_id) as customer_id,
        nullif(trim(contract_id), '') as contract_id,
        trim(product_id) as product_id,
        nullif(trim(sku_id), '') as sku_id,
        nullif(lower(trim(vendor_subscription_id)), '') as vendor_subscription_id,

        -- descriptions
        lower(coalesce(nullif(trim(order_type), ''), 'new')) as order_type,
        lower(coalesce(nullif(trim(status), ''), 'open')) as status_given,
        nullif(trim(invoice_number), '') as invoice_number,
        erp_number(invoiced_quantity, decimal_sep) as invoiced_quantity,

        -- numerics
        erp_number(quantity, decimal_sep) as quantity,
        erp_number(unit_price_brl, decimal_sep) as unit_price_brl,

        -- dates
        erp_date(order_date, date_format) as order_date,
        erp_date(period_start, date_format) as period_start,
        erp_date(period_end, date_format) as period_end,

        -- source text, for rejects
        order_line as order_line_text,
        quantity as quantity_text,
        unit_price_brl as unit_price_text,
        order_date as order_date_text,
        period_start as period_start_text,
        period_end as period_end_text,
        invoiced_quantity as invoiced_quantity_text,
        order_type as order_type_text,
        decimal_sep,
        date_format,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    so_number,
    order_line,
    po_number,
    customer_id,
    contract_id,
    order_date,
    order_type,
    product_id,
    sku_id,
    quantity,
    unit_price_brl,
    period_start,
    period_end,
    vendor_subscription_id,
    case
        when status_given = 'cancelled' then status_given
        when invoiced_quantity is not null
            then case when quantity <> 0 and abs(invoiced_quantity) >= abs(quantity) then 'invoiced' else status_given end
        when invoice_number is not null then 'invoiced'
        else status_given
    end as status,
    invoice_number,
    invoiced_quantity,
    -- list_contains, not IN: DuckDB plans a list of constants as a join,
    -- and a join loses the file's order, which the one-pass load needs.
    erp_errors([
        reject(blank(so_number), 'so_number', so_number, 'required'),
        reject(order_line is null, 'order_line', order_line_text, 'not a whole number'),
        reject(blank(customer_id), 'customer_id', customer_id, 'required'),
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(id_problem(contract_id) is not null, 'contract_id', contract_id, id_problem(contract_id)),
        reject(quantity is null, 'quantity', quantity_text, erp_number_reason(quantity_text, decimal_sep)),
        -- a credit line returns: its quantity is negative; any other is above 0
        reject(quantity = 0 or (quantity < 0 and order_type <> 'credit'), 'quantity', quantity_text, quantity_problem(quantity)),
        reject(invoiced_quantity is null and not blank(invoiced_quantity_text), 'invoiced_quantity', invoiced_quantity_text,
               erp_number_reason(invoiced_quantity_text, decimal_sep)),
        reject(unit_price_brl is null, 'unit_price_brl', unit_price_text, erp_number_reason(unit_price_text, decimal_sep)),
        reject(unit_price_brl < 0, 'unit_price_brl', unit_price_text, 'negative price'),
        reject(order_date is null, 'order_date', order_date_text, erp_date_reason(date_format)),
        reject(date_out_of_range(order_date), 'order_date', order_date_text, 'outside 2000–2099'),
        reject(period_start is null, 'period_start', period_start_text, erp_date_reason(date_format)),
        reject(date_out_of_range(period_start), 'period_start', period_start_text, 'outside 2000–2099'),
        reject(period_end is null, 'period_end', period_end_text, erp_date_reason(date_format)),
        reject(date_out_of_range(period_end), 'period_end', period_end_text, 'outside 2000–2099'),
        reject(period_end < period_start, 'period_end', period_end_text, 'ends before period_start'),
        reject(not list_contains(['new', 'renewal', 'annual', 'true_up', 'recurrence', 'credit', 'rebill'], order_type),
               'order_type', order_type_text, 'must be new, renewal, annual, true_up, recurrence, credit or rebill')
    ], unmapped, map_errors) as _errors
from renamed
