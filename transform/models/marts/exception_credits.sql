-- Vendor credits for the bill lines of the exceptions a run evaluates
-- (exceptions_seen): a credit is a line of another of the vendor's bills
-- for the same subscription and the same charge period with a negative
-- subtotal or quantity (Microsoft: ChargeType customerCredit and the like),
-- in any bill the inbox holds, whatever month it came with. One row per
-- exception and bill line (its credit lines, matched to the same order
-- line, are not disputed lines), with what the line bills and what is
-- expected of it (marts/vendor_disputes), and the credits found. The class
-- is the one the register published before gave it, when it did: the one
-- finance disputed (a credit that fixes the quantity leaves, say, a price
-- below cost, which is not what was disputed).
--   disputed_amount  what the vendor should credit, in the bill's currency:
--                    the line's subtotal when nothing was ordered; the
--                    quantity billed beyond the order × the unit price for
--                    a quantity mismatch (one bill line: that line; several:
--                    the first carries it); unknown (NULL) for a price
--                    above the order, where the expected price is the
--                    vendor's to say
--   credited_amount  the credits' subtotals, as a positive amount
-- materialized: temp
-- check: unique(exception_id, bill_line_id)
with seen as (
    select *
    from exceptions_seen
    where is_exception and bill_lines is not null
    qualify row_number() over (partition by exception_id order by period desc) = 1
),

bill_lines as (
    select
        s.exception_id,
        coalesce(h.class, s.class) as class,
        s.ordered_quantity,
        l.*
    from seen s
    left join exception_history h using (exception_id),
    unnest(s.bill_lines) as u(l)
    where l.subtotal >= 0 and l.billable_quantity >= 0
),

lines as (
    select
        *,
        sum(billable_quantity) over (partition by exception_id) as billed_quantity,
        row_number() over (partition by exception_id order by source_file, source_line) as nth,
        count(*) over (partition by exception_id) as lines
    from bill_lines
),

credits as (
    select
        b.subscription_id,
        b.charge_start_date,
        b.charge_end_date,
        b.invoice_number,
        b.subtotal,
        f.path as source_file,
        b.line as source_line
    from stg_ms_billing b
    join files f using (file_id)
    where len(b._errors) = 0
      and (b.subtotal < 0 or b.billable_quantity < 0)
      and b.subscription_id is not null
),

found as (
    select
        l.exception_id,
        l.bill_line_id,
        sum(-c.subtotal) as credited_amount,
        string_agg(distinct c.invoice_number, ', ' order by c.invoice_number) as credit_invoices,
        string_agg(c.source_file || ':' || c.source_line, ', ' order by c.source_file, c.source_line) as credit_lines
    from lines l
    join credits c
      on c.subscription_id = l.subscription_id
     and c.charge_start_date = l.charge_start_date
     and c.charge_end_date = l.charge_end_date
    where c.invoice_number <> l.invoice_number
    group by all
)

select
    l.exception_id,
    l.class,
    l.bill_line_id,
    l.vendor,
    l.invoice_number,
    l.source_file,
    l.source_line,
    l.vendor_order_id,
    l.vendor_customer_id,
    l.vendor_customer_name,
    l.subscription_id,
    l.product_id,
    l.sku_id,
    l.sku_name,
    l.charge_type,
    l.charge_start_date,
    l.charge_end_date,
    l.billable_quantity,
    case
        when l.class = 'vendor_billed_not_ordered' then 0
        when l.class = 'quantity_mismatch' and l.lines = 1 then l.ordered_quantity
    end::DECIMAL(18,6) as expected_quantity,
    l.unit_price,
    l.subtotal,
    l.currency,
    l.cost_brl,
    case
        when l.class = 'vendor_billed_not_ordered' then l.subtotal
        when l.class = 'quantity_mismatch' and l.nth = 1
            then round_half_even((l.billed_quantity - l.ordered_quantity) * l.unit_price)
        when l.class = 'quantity_mismatch' then 0
    end::DECIMAL(18,2) as disputed_amount,
    coalesce(f.credited_amount, 0)::DECIMAL(18,2) as credited_amount,
    f.credit_invoices,
    f.credit_lines
from lines l
left join found f using (exception_id, bill_line_id)
