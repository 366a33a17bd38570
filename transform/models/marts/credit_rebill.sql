-- A proposed credit (the invoice to cancel or credit, and its amount) and
-- rebill for every order of the period whose invoicing is wrong. An order
-- takes the class of its first line in this order: duplicate_invoice,
-- quantity_mismatch, amount_mismatch.
--   duplicate_invoice: credit every authorised invoice after the first (by
--     issue date, then number, kind, series) in full; rebill nothing.
--   quantity_mismatch: credit the invoice in full and rebill the order at
--     the quantities the vendor billed (the licences the customer has),
--     each line rounded half-even.
--   amount_mismatch: credit the invoice in full and rebill the order value
--     (an order of a contract indexed to a foreign currency: its value at
--     the contract's rate, reconciliation's indexed_value_brl).
-- An order of NCE subscriptions with a quantity_mismatch also shows its
-- charge's start, the day the vendor's 168-hour cancellation window closes,
-- whether it is open at as-of and the action (reconciliation's nce_*
-- columns): while it is open the seats can be reduced at the vendor
-- instead of rebilling the customer.
-- check: accepted_values(class: duplicate_invoice, quantity_mismatch, amount_mismatch)
-- check: not_null(credit_nf, credit_brl, rebill_brl)
with lines as (
    select *
    from reconciliation
    where line_type = 'order_line'
      and class in ('duplicate_invoice', 'quantity_mismatch', 'amount_mismatch')
),

so_class as (
    select
        so_number,
        arg_min(class, case class when 'duplicate_invoice' then 1 when 'quantity_mismatch' then 2 else 3 end) as class,
        any_value(customer_id) as customer_id,
        any_value(customer_name) as customer_name
    from lines
    group by so_number
),

-- the order at the vendor's quantities, over all its lines of the period
so_rebill as (
    select
        so_number,
        sum(round_half_even(coalesce(billed_quantity, ordered_quantity) * unit_price_brl)) as at_vendor_qty_brl,
        -- an indexed order's value at its contract's rate (fx_rule)
        coalesce(case when count(indexed_value_brl) > 0 then sum(coalesce(indexed_value_brl, ordered_brl)) end,
                 any_value(so_value_brl)) as so_value_brl
    from reconciliation
    where line_type = 'order_line' and so_number in (select so_number from so_class)
    group by so_number
),

-- the NCE window of the order's mismatched lines: the earliest to close
so_nce as (
    select
        so_number,
        min(nce_charge_start) as nce_charge_start,
        min(nce_window_closes) as nce_window_closes,
        arg_min(is_nce_window_open, nce_window_closes) as is_nce_window_open,
        arg_min(nce_action, nce_window_closes) as nce_action
    from reconciliation
    where line_type = 'order_line' and nce_window_closes is not null and so_number in (select so_number from so_class)
    group by so_number
),

so_invoices as (
    select
        i.*,
        -- the rest of the invoice's identity breaks ties: the order is total
        row_number() over (partition by i.so_number order by i.issue_date, i.nf_number, i.kind, i.series, i.model, i.issuer_cnpj) as n
    from invoices i
    where i.status = 'autorizada' and i.so_number in (select so_number from so_class)
)

select
    s.class,
    s.customer_id,
    s.customer_name,
    s.so_number,
    i.nf_label as credit_nf,
    i.issue_date as credit_issue_date,
    i.billed_brl as credit_brl,
    (case s.class
        when 'duplicate_invoice' then 0
        when 'quantity_mismatch' then r.at_vendor_qty_brl
        else r.so_value_brl
    end)::DECIMAL(18,2) as rebill_brl,
    ((case s.class
        when 'duplicate_invoice' then 0
        when 'quantity_mismatch' then r.at_vendor_qty_brl
        else r.so_value_brl
    end) - i.billed_brl)::DECIMAL(18,2) as net_effect_brl,
    case s.class
        when 'duplicate_invoice' then 'order already billed by an earlier invoice'
        when 'quantity_mismatch' then 'rebill at the quantity the vendor billed'
        else 'invoice differs from the order value by ' || (i.billed_brl - r.so_value_brl)::DECIMAL(18,2)
    end as reason,
    n.nce_charge_start,
    n.nce_window_closes,
    n.is_nce_window_open,
    n.nce_action
from so_class s
join so_invoices i using (so_number)
join so_rebill r using (so_number)
left join so_nce n on s.class = 'quantity_mismatch' and n.so_number = s.so_number
where (s.class = 'duplicate_invoice' and i.n >= 2)
   or (s.class <> 'duplicate_invoice' and i.n = 1)
order by s.customer_id, s.so_number, i.n
