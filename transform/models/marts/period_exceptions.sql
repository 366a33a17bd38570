-- One period's reconciliation as the review loop reads it (docs/review.md):
-- each row of the reconciliation of the period the run's variables name,
-- with the exception id of its line, whether it is an exception and the
-- amount that makes it one; and each vendor bill line matched to an order
-- line, present in the data with no exception of its own. A run builds it
-- for its period and for each earlier period whose open exceptions it
-- re-evaluates, and gathers the rows in exceptions_seen
-- (pipelines/review.go): the one rule of what an exception is stays the
-- reconciliation's.
--
-- amount_brl is positive; the class gives its sense:
--   ordered_not_invoiced, cancelled_without_replacement (an order line)
--                        the line's value, nothing of it billed
--   quantity_mismatch    |billed − ordered quantity| × the line's unit price
--   amount_mismatch, duplicate_invoice
--                        |invoiced − order value|, an order's difference
--                        shared among its lines of that class in proportion
--                        to their value, the last line taking the cents left
--   price_below_cost     vendor cost − the line's value
--   vendor_billed_not_ordered  the bill line's cost, |cost|
--   invoiced_not_ordered the invoice's amount
--   cancelled_without_replacement (an invoice)  the cancelled invoice's amount
-- materialized: temp
-- check: unique(exception_id)
-- check: not_null(exception_id, line_type, class)
with r as (
    select * from reconciliation
),

-- an order's difference, shared among its lines of the class
order_diffs as (
    select
        so_number,
        order_line,
        class,
        abs(coalesce(invoiced_brl, 0) - so_value_brl) as diff,
        coalesce(div_round(abs(coalesce(invoiced_brl, 0) - so_value_brl) * ordered_brl, nullif(sum(ordered_brl) over w, 0)),
                 div_round(abs(coalesce(invoiced_brl, 0) - so_value_brl), count(*) over w)) as share,
        row_number() over (partition by so_number, class order by order_line desc) as from_last
    from r
    where line_type = 'order_line' and class in ('amount_mismatch', 'duplicate_invoice')
    window w as (partition by so_number, class)
),

order_shares as (
    select
        so_number,
        order_line,
        case when from_last = 1 then diff - (sum(share) over (partition by so_number, class) - share) else share end as amount_brl
    from order_diffs
),

period_invoices as (
    select invoice_exception_id(issuer_cnpj, kind, model, series, nf_number) as exception_id, billed_brl
    from invoices
    where issue_date >= getvariable('period_start')
      and issue_date < getvariable('period_start') + interval 1 month
),

-- what a vendor's support needs of each bill line of an exception
-- (marts/vendor_disputes), kept with the exception
bill_details as (
    select
        r.line_exception_id,
        list({
            'bill_line_id': b.bill_line_id, 'vendor': b.vendor, 'invoice_number': b.invoice_number,
            'source_file': b.source_file, 'source_line': b.source_line, 'vendor_order_id': b.order_id,
            'vendor_customer_id': b.vendor_customer_id, 'vendor_customer_name': b.customer_name,
            'subscription_id': b.subscription_id, 'product_id': b.product_id, 'sku_id': b.sku_id,
            'sku_name': b.sku_name, 'charge_type': b.charge_type, 'charge_start_date': b.charge_start_date,
            'charge_end_date': b.charge_end_date, 'billable_quantity': b.billable_quantity,
            'unit_price': b.unit_price_bc, 'subtotal': b.subtotal, 'currency': b.currency, 'cost_brl': b.cost_brl
        } order by b.source_file, b.source_line) as bill_lines
    from (select line_exception_id, unnest(bill_line_ids) as bill_line_id from r where class <> 'matched') r
    join vendor_bill_lines b using (bill_line_id)
    group by r.line_exception_id
),

rows as (
    select
        r.line_exception_id as exception_id,
        r.class <> 'matched' as is_exception,
        r.line_type,
        r.class,
        r.other_issues,
        case
            when r.class = 'matched' then null
            when r.line_type = 'vendor_bill' then abs(r.vendor_cost_brl)
            when r.line_type = 'invoice' then coalesce(r.invoiced_brl, pi.billed_brl)
            when r.class in ('ordered_not_invoiced', 'cancelled_without_replacement') then r.ordered_brl
            when r.class = 'quantity_mismatch' then round_half_even(abs(r.billed_quantity - r.ordered_quantity) * r.unit_price_brl)
            when r.class in ('amount_mismatch', 'duplicate_invoice') then os.amount_brl
            when r.class = 'price_below_cost' then r.vendor_cost_brl - r.ordered_brl
        end::DECIMAL(18,2) as amount_brl,
        r.customer_id,
        r.customer_name,
        r.so_number,
        r.order_line,
        case r.line_type
            when 'order_line' then r.so_number || '/' || r.order_line
            when 'invoice' then r.line_key
            else r.vendor_invoices
        end as document,
        r.subscription_id,
        r.product_id,
        r.sku_id,
        b.charge_start_date,
        b.charge_end_date,
        r.vendor_invoices,
        r.ordered_quantity,
        r.billed_quantity,
        r.ordered_brl,
        r.invoiced_brl,
        r.vendor_cost_brl,
        bd.bill_lines,
        r.source_file,
        r.source_line
    from r
    left join bill_details bd using (line_exception_id)
    -- each key NULL but for its line type: plain equalities, hash joins (a
    -- condition on the line type beside them made DuckDB loop: 2 s for 17,000 rows)
    left join order_shares os
      on os.so_number = case when r.line_type = 'order_line' then r.so_number end and os.order_line = r.order_line
    left join period_invoices pi
      on pi.exception_id = case when r.line_type = 'invoice' then r.line_exception_id end
    left join vendor_bill_lines b
      on b.bill_line_id = case when r.line_type = 'vendor_bill' then r.line_key end
),

-- bill lines matched to an order line: there, and no exception
matched_bills as (
    select
        bi.exception_id,
        false as is_exception,
        'vendor_bill' as line_type,
        'matched' as class,
        b.customer_id,
        b.invoice_number as document,
        b.subscription_id,
        b.product_id,
        b.sku_id,
        b.charge_start_date,
        b.charge_end_date,
        b.invoice_number as vendor_invoices,
        b.billable_quantity::DECIMAL(18,2) as billed_quantity,
        b.cost_brl as vendor_cost_brl,
        b.source_file,
        b.source_line
    from (select unnest(bill_line_ids) as bill_line_id from r where line_type = 'order_line') m
    join vendor_bill_lines b using (bill_line_id)
    join vendor_bill_ids bi using (bill_line_id)
)

select getvariable('period') as period, * from rows
union all by name
select getvariable('period') as period, * from matched_bills
