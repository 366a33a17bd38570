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
-- And the corrections already made (class corrected): an invoice of the
-- period's orders cancelled (by the register or a registered event) and
-- replaced by another invoice, or beside another authorised one (a
-- duplicate cancelled): status done.
--
-- The instrument is the fiscal document that makes the correction, from the
-- invoice's authorisation (the XML's dhRecbto or dhProc, with its offset;
-- an invoice without XML counts from 00:00 of its issue date in
-- America/Sao_Paulo, the earliest it can have been authorised) to the start
-- of the as-of day (00:00, America/Sao_Paulo):
--   NF-e within fiscal.nfe_cancel_hours (default 24)      cancel_reissue
--   NF-e past it, billed too low (rebill > credit)         complementary_nfe
--   NF-e past it, billed too high or the same              return_or_debit
--   NFS-e within fiscal.nfse_cancel_days                   cancel_reissue
--   NFS-e past it, a replacement due (rebill > 0)          substitution (e105102)
--   NFS-e past it, nothing to re-issue (a duplicate)       fiscal_review
--   NFS-e without fiscal.nfse_cancel_days                  unknown_deadline
-- deadline is the day the cancellation window closes (the date, in
-- America/Sao_Paulo, of authorisation + the window) and days_left =
-- deadline − as-of in days; the instruments without a legal deadline have
-- both empty. status: done for a correction made, expired when the
-- deadline passed with nothing done, else open. Sources: docs/taxes.md.
-- An order of NCE subscriptions with a quantity_mismatch also shows its
-- charge's start, the day the vendor's 168-hour cancellation window closes,
-- whether it is open at as-of and the action (reconciliation's nce_*
-- columns): while it is open the seats can be reduced at the vendor
-- instead of rebilling the customer (docs/licensing.md).
-- check: accepted_values(class: duplicate_invoice, quantity_mismatch, amount_mismatch, corrected)
-- check: accepted_values(instrument: cancel_reissue, complementary_nfe, return_or_debit, substitution, fiscal_review, unknown_deadline)
-- check: accepted_values(status: open, expired, done)
-- check: not_null(credit_nf, credit_brl, rebill_brl, instrument, status)
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
),

cases as (
    select
        s.class,
        s.customer_id,
        s.customer_name,
        s.so_number,
        i.kind,
        i.nf_label as credit_nf,
        i.issue_date as credit_issue_date,
        i.authorised_at,
        i.billed_brl as credit_brl,
        (case s.class
            when 'duplicate_invoice' then 0
            when 'quantity_mismatch' then r.at_vendor_qty_brl
            else r.so_value_brl
        end)::DECIMAL(18,2) as rebill_brl,
        case s.class
            when 'duplicate_invoice' then 'order already billed by an earlier invoice'
            when 'quantity_mismatch' then 'rebill at the quantity the vendor billed'
            else 'invoice differs from the order value by ' || (i.billed_brl - r.so_value_brl)::DECIMAL(18,2)
        end as reason,
        null as done_by,
        i.n
    from so_class s
    join so_invoices i using (so_number)
    join so_rebill r using (so_number)
    where (s.class = 'duplicate_invoice' and i.n >= 2)
       or (s.class <> 'duplicate_invoice' and i.n = 1)
),

-- the period's orders, as the reconciliation lists them
period_orders as (
    select so_number, any_value(customer_id) as customer_id, any_value(customer_name) as customer_name
    from reconciliation
    where line_type = 'order_line'
    group by so_number
),

authorised as (
    select so_number, kind, nf_number, nf_label, replaces_nf, billed_brl
    from invoices
    where status = 'autorizada'
),

corrections as (
    select
        'corrected' as class,
        o.customer_id,
        o.customer_name,
        o.so_number,
        c.kind,
        c.nf_label as credit_nf,
        c.issue_date as credit_issue_date,
        c.authorised_at,
        c.billed_brl as credit_brl,
        coalesce(rb.billed_brl, 0)::DECIMAL(18,2) as rebill_brl,
        case
            when rb.nf_label is not null then 'replaced by ' || rb.nf_label
            else 'duplicate cancelled: the order stays billed by ' || other.nf_label
        end || case when c.cancel_event is not null
            then ' (cancellation event registered on ' || ptbr_date(timezone('America/Sao_Paulo', c.cancelled_at)::DATE) || ')' else '' end as reason,
        coalesce(c.cancel_event, 'register') as done_by,
        row_number() over (partition by c.so_number order by c.issue_date, c.nf_number, c.kind, c.series) as n
    from invoices c
    join period_orders o using (so_number)
    left join authorised rb
      on rb.kind = c.kind and (rb.replaces_nf = c.nf_number or 'NFSE ' || rb.nf_number = c.replaced_by)
    left join authorised other
      on other.so_number = c.so_number and rb.nf_label is null
    where c.status = 'cancelada'
      and (rb.nf_label is not null or other.nf_label is not null)
    qualify row_number() over (partition by c.nf_label order by rb.nf_label nulls last, other.nf_label) = 1
),

timed as (
    select
        *,
        (credit_brl - rebill_brl) as excess_brl,
        coalesce(authorised_at, timezone('America/Sao_Paulo', credit_issue_date::TIMESTAMP)) as authorised_from,
        timezone('America/Sao_Paulo', getvariable('as_of')::DATE::TIMESTAMP) as as_of_start,
        case
            when kind = 'NFE' then to_hours(getvariable('nfe_cancel_hours')::BIGINT)
            when getvariable('nfse_cancel_days') >= 0 then to_days(getvariable('nfse_cancel_days')::INTEGER)
        end as window_length
    from (select * from cases union all by name select * from corrections)
),

instruments as (
    select
        *,
        authorised_from + window_length as window_end,
        case
            when done_by = 'substitution' then 'substitution'
            when done_by is not null then 'cancel_reissue'
            when window_length is null then 'unknown_deadline'
            when as_of_start < authorised_from + window_length then 'cancel_reissue'
            when kind = 'NFE' and rebill_brl > credit_brl then 'complementary_nfe'
            when kind = 'NFE' then 'return_or_debit'
            when rebill_brl > 0 then 'substitution'
            else 'fiscal_review'
        end as instrument
    from timed
)

select
    x.class,
    x.customer_id,
    x.customer_name,
    x.so_number,
    credit_nf,
    credit_issue_date,
    credit_brl,
    rebill_brl,
    (rebill_brl - credit_brl)::DECIMAL(18,2) as net_effect_brl,
    instrument,
    case when instrument = 'cancel_reissue' then timezone('America/Sao_Paulo', window_end)::DATE end as deadline,
    case when instrument = 'cancel_reissue'
        then timezone('America/Sao_Paulo', window_end)::DATE - getvariable('as_of')::DATE end as days_left,
    case
        when done_by is not null then 'done'
        when instrument = 'cancel_reissue' and timezone('America/Sao_Paulo', window_end)::DATE < getvariable('as_of')::DATE then 'expired'
        else 'open'
    end as status,
    reason || case
        when instrument = 'unknown_deadline'
            then '; fiscal.nfse_cancel_days is not set: the municipality''s deadline decides between cancel and re-issue, substitution (e105102) and fiscal review'
        when authorised_at is null and instrument <> 'unknown_deadline' and done_by is null
            then '; no XML: the window counts from the issue date'
        else ''
    end as reason,
    w.nce_charge_start,
    w.nce_window_closes,
    w.is_nce_window_open,
    w.nce_action
from instruments x
left join so_nce w on x.class = 'quantity_mismatch' and w.so_number = x.so_number
order by x.customer_id, x.so_number, x.class = 'corrected', x.n, credit_nf
