-- Three-way reconciliation of the period (the charge month): vendor bill
-- lines ↔ order lines ↔ invoices. Every row is one line in exactly one
-- class; when several apply, the first in this order wins and the others
-- are kept in other_issues:
--
--   order lines (ordered for a period overlapping the month, not cancelled):
--     1 cancelled_without_replacement  the order's invoices are all cancelled
--     2 ordered_not_invoiced           no invoice names the order (revenue leak)
--     3 duplicate_invoice              two or more authorised invoices for the order
--     4 quantity_mismatch              the vendor billed another quantity
--     5 amount_mismatch                |invoice billed − order value| > R$ 0,01
--     6 price_below_cost               line value below the vendor cost in BRL
--     7 matched
--   vendor bill lines of the month matched to no order line:
--       vendor_billed_not_ordered
--   invoices issued in the month for no known order (so_number blank or
--   unknown): invoiced_not_ordered when authorised, cancelled_without_replacement
--   when cancelled and no invoice names it in replaces_nf.
--
-- Invoicing problems come first because they decide whether the order is
-- billed at all; quantity before amount because a wrong quantity is the
-- cause of the amount difference it brings.
--
-- The licensing rules (docs/licensing.md) add, each in a CTE of its own:
--   NCE window   a line with a quantity_mismatch: the start of its matched
--                charge (the latest), the day the vendor's cancellation
--                window closes (nce_cancel_hours after it at 00:00, 168 h),
--                whether it is open at as-of, and the action: reduce at the
--                vendor while it is open (the vendor billed more), else
--                rebill or absorb; credit the customer when the vendor
--                billed less;
--   FX effect    per bill line priced in another currency: (the bill's
--                rate − the rate that priced the latest published price
--                table for its vendor and pricing currency) × the line's
--                amount in the pricing currency (EffectiveUnitPrice ×
--                BillableQuantity), positive when the bill costs more;
--                an order line sums its bill lines';
--   fx_rule      an order line of a contract indexed to a foreign currency
--                (erp/contracts fx_rule): the contract line's unit price ×
--                quantity × the PTAX sell of the business day before the
--                order's invoice (ptax_d1) or the period's PTAX
--                (ptax_month); the order's amount check compares the
--                invoice with that value.
--
-- Bill lines match an order line of the same customer (vendor_accounts)
-- with the same subscription id or, for orders without one, the same
-- product and SKU, whose period overlaps the charge period; a bill line
-- matching several takes the subscription match, then the lowest
-- so_number/line. Invoice amounts are per order (so_number): so_value_brl
-- and invoiced_brl repeat on each line of a multi-line order.
--
-- exception_id names an exception row by the line it is about (an order
-- line, a vendor bill line, an invoice), stable across runs and months
-- (macros exception_id, core/vendor_bill_ids; docs/review.md); a matched row
-- has none. line_exception_id and bill_line_ids (the bill lines matched to
-- a row) are for the review models, not published.
--
-- Margin net of the taxes on revenue (rules/taxes.csv, in force on the
-- period's first day, by the product's kind of sale: core/product_goods):
-- a line's invoiced amount is its order's invoiced_brl, shared by the
-- lines' values when the order has several (ordered_brl / so_value_brl,
-- rounded half-even; the whole amount for a one-line order) or the
-- invoice's own for an invoice row; taxes_brl is the included taxes on it,
-- tax by tax, each rounded half-even; margin_net_pct = (invoiced − taxes −
-- vendor cost) / invoiced, empty without a vendor cost or an amount
-- invoiced. Without rules/taxes.csv taxes_brl is empty and the margin takes
-- no tax.
-- check: unique(line_type, line_key)
-- check: not_null(class)
-- check: accepted_values(class: matched, vendor_billed_not_ordered, ordered_not_invoiced, invoiced_not_ordered, quantity_mismatch, price_below_cost, amount_mismatch, duplicate_invoice, cancelled_without_replacement)
with params as (
    select
        getvariable('period_start')::DATE as p_start,
        (getvariable('period_start') + interval 1 month - interval 1 day)::DATE as p_end
),

scope_orders as (
    select o.*
    from orders o, params p
    where not o.is_cancelled
      and o.period_start <= p.p_end
      and o.period_end >= p.p_start
),

bills as (
    select * from vendor_bill_lines
),

-- A bill line meets the order lines of its customer with its subscription,
-- or, for orders without one, with its product and SKU, in an overlapping
-- period. Two equi-joins, not one join with an OR: DuckDB hashes an
-- equality, but loops over every pair of a customer's lines for an OR
-- (quadratic in the lines of one customer). The branches are disjoint
-- (an order has a subscription id or not).
candidates as (
    select
        b.bill_line_id,
        o.so_number,
        o.order_line,
        true as by_subscription
    from bills b
    join scope_orders o
      on o.customer_id = b.customer_id
     and o.vendor_subscription_id = b.subscription_id
    where b.charge_start_date <= o.period_end
      and b.charge_end_date >= o.period_start

    union all

    select
        b.bill_line_id,
        o.so_number,
        o.order_line,
        b.subscription_id is null as by_subscription
    from bills b
    join scope_orders o
      on o.customer_id = b.customer_id
     and o.product_id = b.product_id
     and coalesce(o.sku_id, '') = coalesce(b.sku_id, '')
    where o.vendor_subscription_id is null
      and b.charge_start_date <= o.period_end
      and b.charge_end_date >= o.period_start
),

bill_match as (
    select *
    from candidates
    qualify row_number() over (partition by bill_line_id order by by_subscription desc, so_number, order_line) = 1
),

order_bills as (
    select
        m.so_number,
        m.order_line,
        sum(b.billable_quantity) as billed_quantity,
        sum(b.cost_brl) as vendor_cost_brl,
        string_agg(distinct b.invoice_number, ', ' order by b.invoice_number) as vendor_invoices,
        list(b.bill_line_id order by b.bill_line_id) as bill_line_ids
    from bill_match m
    join bills b using (bill_line_id)
    group by all
),

-- NCE window: the latest charge start of each order line's bill lines
nce_windows as (
    select
        m.so_number,
        m.order_line,
        max(b.charge_start_date) as nce_charge_start,
        max(b.charge_start_date)::TIMESTAMP + to_hours(getvariable('nce_cancel_hours')::BIGINT) as nce_closes_at
    from bill_match m
    join bills b using (bill_line_id)
    group by m.so_number, m.order_line
),

-- FX effect: the rate each vendor and currency was priced at in the latest
-- price table published for a period up to the run's (table_fx_rates)
bill_fx as (
    select
        b.bill_line_id,
        -- BRL per unit of the pricing currency: the bill's rate, then the
        -- bill's own currency at its PTAX (1 for a bill in BRL)
        (b.pc_to_bc_rate::DECIMAL(38,12) * b.fx_rate)::DECIMAL(18,6) as bill_fx_rate,
        t.fx_rate as table_fx_rate,
        round_half_even((b.pc_to_bc_rate::DECIMAL(38,12) * b.fx_rate - t.fx_rate)
                        * (b.effective_unit_price::DECIMAL(38,6) * b.billable_quantity)) as fx_effect_brl
    from bills b
    join table_fx_rates t on t.vendor_key = lower(b.vendor) and t.currency = b.pricing_currency
    where b.pricing_currency <> 'BRL'
),

order_fx as (
    select
        m.so_number,
        m.order_line,
        case when min(x.bill_fx_rate) = max(x.bill_fx_rate) then min(x.bill_fx_rate) end as bill_fx_rate,
        case when min(x.table_fx_rate) = max(x.table_fx_rate) then min(x.table_fx_rate) end as table_fx_rate,
        sum(x.fx_effect_brl) as fx_effect_brl
    from bill_match m
    join bill_fx x using (bill_line_id)
    group by m.so_number, m.order_line
),

-- fx_rule: order lines of contracts indexed to a foreign currency, at the
-- rate of their rule
indexed_lines as (
    select
        o.so_number,
        o.order_line,
        ct.fx_rule,
        l.currency as indexed_currency,
        l.unit_price * o.quantity as indexed_amount
    from scope_orders o
    join contracts ct on ct.contract_id = o.contract_id
    join (
        select contract_id, product_id, coalesce(sku_id, '') as sku_key,
               arg_min(unit_price, (source_file, source_line)) as unit_price,
               arg_min(currency, (source_file, source_line)) as currency
        from contract_lines
        where contract_id in (select contract_id from contracts where fx_rule is not null)
        group by contract_id, product_id, coalesce(sku_id, '')
    ) l on l.contract_id = o.contract_id and l.product_id = o.product_id and l.sku_key = coalesce(o.sku_id, '')
    where ct.fx_rule is not null
      and l.currency <> 'BRL'
),

-- the invoice an indexed order is checked against: its first authorised one
indexed_invoices as (
    select so_number, min(issue_date) as issue_date
    from invoices
    where status = 'autorizada' and so_number in (select so_number from indexed_lines)
    group by so_number
),

indexed_values as (
    select
        x.so_number,
        x.order_line,
        x.fx_rule,
        coalesce(p.sell_rate, m.sell_rate) as indexed_fx_rate,
        -- the rate's day; for ptax_d1 without a PTAX that day, the day
        -- (the business day before the invoice) that has none
        coalesce(p.rate_date, m.rate_date, d1.day) as indexed_fx_date,
        round_half_even(x.indexed_amount::DECIMAL(38,6) * coalesce(p.sell_rate, m.sell_rate)) as indexed_value_brl
    from indexed_lines x
    left join indexed_invoices i using (so_number)
    left join business_days e on x.fx_rule = 'ptax_d1' and e.day = i.issue_date - 1
    left join business_days d1 on d1.business_index = e.business_index and d1.is_business_day
    left join fx_rates p on p.currency = x.indexed_currency and p.rate_date = d1.day
    left join period_fx m on x.fx_rule = 'ptax_month' and m.currency = x.indexed_currency
),

-- what an order with indexed lines should be invoiced for
so_expected as (
    select o.so_number, sum(coalesce(v.indexed_value_brl, o.order_value_brl)) as expected_brl
    from orders o
    left join indexed_values v using (so_number, order_line)
    where not o.is_cancelled
      and o.so_number in (select so_number from indexed_values where indexed_value_brl is not null)
    group by o.so_number
),

so_invoices as (
    select
        so_number,
        count(*) filter (where status = 'autorizada') as authorised,
        count(*) filter (where status = 'cancelada') as cancelled,
        sum(billed_brl) filter (where status = 'autorizada') as invoiced_brl,
        string_agg(kind || ' ' || nf_number, ', ' order by issue_date, nf_number, kind) filter (where status = 'autorizada') as nf_numbers,
        string_agg(kind || ' ' || nf_number, ', ' order by issue_date, nf_number, kind) filter (where status = 'cancelada') as cancelled_nf_numbers
    from invoices
    -- the orders of the period only, not every invoice ever issued
    where so_number in (select so_number from scope_orders)
    group by so_number
),

so_values as (
    select so_number, sum(order_value_brl) as so_value_brl
    from orders
    where not is_cancelled
      and so_number in (select so_number from scope_orders)
    group by so_number
),

order_rows as (
    select
        'order_line' as line_type,
        o.so_number || '/' || o.order_line as line_key,
        o.customer_id,
        o.so_number,
        o.order_line,
        o.order_type,
        o.product_id,
        o.sku_id,
        o.vendor_subscription_id as subscription_id,
        o.quantity as ordered_quantity,
        ob.billed_quantity,
        o.unit_price_brl,
        o.order_value_brl as ordered_brl,
        ob.vendor_cost_brl,
        sv.so_value_brl,
        si.invoiced_brl,
        si.nf_numbers,
        si.cancelled_nf_numbers,
        ob.vendor_invoices,
        order_exception_id(o.so_number, o.order_line) as line_exception_id,
        ob.bill_line_ids,
        list_filter([
            case when coalesce(si.authorised, 0) = 0 and si.cancelled > 0 then 'cancelled_without_replacement' end,
            case when si.so_number is null then 'ordered_not_invoiced' end,
            case when si.authorised >= 2 then 'duplicate_invoice' end,
            case when ob.billed_quantity <> o.quantity then 'quantity_mismatch' end,
            case when si.authorised = 1 and abs(si.invoiced_brl - coalesce(se.expected_brl, sv.so_value_brl)) > 0.01 then 'amount_mismatch' end,
            case when o.order_value_brl < ob.vendor_cost_brl then 'price_below_cost' end
        ], c -> c is not null) as issues,
        o.source_file,
        o.source_line
    from scope_orders o
    left join order_bills ob using (so_number, order_line)
    left join so_invoices si using (so_number)
    left join so_values sv using (so_number)
    left join so_expected se using (so_number)
),

bill_rows as (
    select
        'vendor_bill' as line_type,
        b.bill_line_id as line_key,
        b.customer_id,
        null as so_number,
        null::INTEGER as order_line,
        null as order_type,
        b.product_id,
        b.sku_id,
        b.subscription_id,
        null::DECIMAL(18,6) as ordered_quantity,
        b.billable_quantity as billed_quantity,
        null::DECIMAL(18,6) as unit_price_brl,
        null::DECIMAL(18,2) as ordered_brl,
        b.cost_brl as vendor_cost_brl,
        null::DECIMAL(18,2) as so_value_brl,
        null::DECIMAL(18,2) as invoiced_brl,
        null as nf_numbers,
        null as cancelled_nf_numbers,
        b.invoice_number as vendor_invoices,
        bi.exception_id as line_exception_id,
        [b.bill_line_id] as bill_line_ids,
        ['vendor_billed_not_ordered'] as issues,
        b.source_file,
        b.source_line
    from bills b
    join vendor_bill_ids bi using (bill_line_id)
    anti join bill_match m using (bill_line_id)
),

invoice_rows as (
    select
        'invoice' as line_type,
        i.nf_label as line_key,
        i.customer_id,
        i.so_number,
        null::INTEGER as order_line,
        null as order_type,
        null as product_id,
        null as sku_id,
        null as subscription_id,
        null::DECIMAL(18,6) as ordered_quantity,
        null::DECIMAL(18,6) as billed_quantity,
        null::DECIMAL(18,6) as unit_price_brl,
        null::DECIMAL(18,2) as ordered_brl,
        null::DECIMAL(18,2) as vendor_cost_brl,
        null::DECIMAL(18,2) as so_value_brl,
        case when i.status = 'autorizada' then i.billed_brl end as invoiced_brl,
        case when i.status = 'autorizada' then i.kind || ' ' || i.nf_number end as nf_numbers,
        case when i.status = 'cancelada' then i.kind || ' ' || i.nf_number end as cancelled_nf_numbers,
        null as vendor_invoices,
        invoice_exception_id(i.issuer_cnpj, i.kind, i.model, i.series, i.nf_number) as line_exception_id,
        [case when i.status = 'autorizada' then 'invoiced_not_ordered' else 'cancelled_without_replacement' end] as issues,
        coalesce(i.source_file, i.xml_file) as source_file,
        coalesce(i.source_line, i.xml_line) as source_line
    from invoices i, params p
    where i.issue_date between p.p_start and p.p_end
      and (i.so_number is null or i.so_number not in (select so_number from orders))
      and not (i.status = 'cancelada' and i.is_replaced)
),

all_rows as (
    select * from order_rows
    union all by name
    select * from bill_rows
    union all by name
    select * from invoice_rows
),

-- the line's share of what was invoiced, and its taxes
taxed as (
    select
        r.*,
        t.has_tax_table,
        line_invoiced_brl,
        case when t.has_tax_table then taxes_on(line_invoiced_brl, t.included) end as taxes_brl
    from (
        select
            *,
            case line_type
                when 'order_line' then case when so_value_brl <> 0 then div_round(invoiced_brl::DECIMAL(38,6) * ordered_brl, so_value_brl) end
                when 'invoice' then invoiced_brl
            end as line_invoiced_brl
        from all_rows
    ) r
    left join product_goods g using (product_id)
    join taxes_in_force t on t.goods = coalesce(g.goods, 'other')
)

select
    coalesce(r.issues[1], 'matched') as class,
    case when r.issues[1] is not null then r.line_exception_id end as exception_id,
    r.line_exception_id,
    r.bill_line_ids,
    r.line_type,
    r.line_key,
    getvariable('period') as period,
    r.customer_id,
    c.name as customer_name,
    r.so_number,
    r.order_line,
    r.order_type,
    r.product_id,
    r.sku_id,
    r.subscription_id,
    r.ordered_quantity::DECIMAL(18,2) as ordered_quantity,
    r.billed_quantity::DECIMAL(18,2) as billed_quantity,
    r.unit_price_brl::DECIMAL(18,2) as unit_price_brl,
    r.ordered_brl,
    r.vendor_cost_brl,
    r.so_value_brl,
    r.invoiced_brl,
    -- invoiced − ordered for the order (or the invoice alone, or minus the
    -- vendor cost of an unordered bill line)
    case r.line_type
        when 'order_line' then coalesce(r.invoiced_brl, 0) - r.so_value_brl
        when 'invoice' then r.invoiced_brl
        when 'vendor_bill' then -r.vendor_cost_brl
    end::DECIMAL(18,2) as variance_brl,
    r.taxes_brl,
    case when r.line_invoiced_brl > 0 and r.vendor_cost_brl is not null
        then div_round((r.line_invoiced_brl - coalesce(r.taxes_brl, 0) - r.vendor_cost_brl) * 100, r.line_invoiced_brl) end as margin_net_pct,
    r.nf_numbers,
    r.cancelled_nf_numbers,
    r.vendor_invoices,
    nullif(array_to_string(r.issues[2:], ', '), '') as other_issues,
    -- NCE window, on lines whose quantity the vendor billed otherwise
    case when list_contains(r.issues, 'quantity_mismatch') then w.nce_charge_start end as nce_charge_start,
    case when list_contains(r.issues, 'quantity_mismatch') then w.nce_closes_at::DATE end as nce_window_closes,
    case when list_contains(r.issues, 'quantity_mismatch') and w.nce_closes_at is not null
         then getvariable('as_of')::TIMESTAMP < w.nce_closes_at end as is_nce_window_open,
    case
        when not list_contains(r.issues, 'quantity_mismatch') or w.nce_closes_at is null then null
        when r.billed_quantity < r.ordered_quantity then 'credit_customer'
        when getvariable('as_of')::TIMESTAMP < w.nce_closes_at then 'reduce_at_vendor'
        else 'rebill_or_absorb'
    end as nce_action,
    -- FX effect
    coalesce(bx.bill_fx_rate, ox.bill_fx_rate) as bill_fx_rate,
    coalesce(bx.table_fx_rate, ox.table_fx_rate) as table_fx_rate,
    coalesce(bx.fx_effect_brl, ox.fx_effect_brl)::DECIMAL(18,2) as fx_effect_brl,
    -- fx_rule
    iv.fx_rule,
    iv.indexed_fx_rate,
    iv.indexed_fx_date,
    iv.indexed_value_brl::DECIMAL(18,2) as indexed_value_brl,
    r.source_file,
    r.source_line
from taxed r
left join customers c using (customer_id)
left join nce_windows w on r.line_type = 'order_line' and w.so_number = r.so_number and w.order_line = r.order_line
left join bill_fx bx on r.line_type = 'vendor_bill' and bx.bill_line_id = r.line_key
left join order_fx ox on r.line_type = 'order_line' and ox.so_number = r.so_number and ox.order_line = r.order_line
left join indexed_values iv on r.line_type = 'order_line' and iv.so_number = r.so_number and iv.order_line = r.order_line
order by r.customer_id nulls last, r.line_type, r.so_number, r.order_line, r.line_key
