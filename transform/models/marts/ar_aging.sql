-- Open receivables per customer at as-of, by days past the due date:
-- current (not yet due), 1–30, 31–60, 61–90 and over 90 days. The items
-- are core/receivable_items: each installment of an invoice with titles in
-- erp/receivables/ on its own due date, else the invoice from the register:
-- an authorised invoice issued by as-of is open for its net amount (what
-- the customer pays, after withheld taxes) less what was paid by as-of;
-- without a due date it is due payment_terms_days after issue.
-- open_invoices counts the invoices (and titles of no invoice) open.
-- check: unique(customer_id)
with open_items as (
    select
        customer_id,
        coalesce(nf_label, item_key) as invoice,
        receivable_open(amount_brl, balance_brl, paid_date, getvariable('as_of')::DATE) as open_brl,
        getvariable('as_of')::DATE - due_date as days_past_due
    from receivable_items
    where status = 'autorizada'
      and (issue_date is null or issue_date <= getvariable('as_of'))
)

select
    getvariable('as_of')::DATE as as_of_date,
    o.customer_id,
    c.name as customer_name,
    coalesce(sum(open_brl) filter (where days_past_due <= 0), 0)::DECIMAL(18,2) as current_brl,
    coalesce(sum(open_brl) filter (where days_past_due between 1 and 30), 0)::DECIMAL(18,2) as days_1_30_brl,
    coalesce(sum(open_brl) filter (where days_past_due between 31 and 60), 0)::DECIMAL(18,2) as days_31_60_brl,
    coalesce(sum(open_brl) filter (where days_past_due between 61 and 90), 0)::DECIMAL(18,2) as days_61_90_brl,
    coalesce(sum(open_brl) filter (where days_past_due > 90), 0)::DECIMAL(18,2) as days_over_90_brl,
    sum(open_brl)::DECIMAL(18,2) as total_open_brl,
    count(distinct invoice) as open_invoices
from open_items o
left join customers c using (customer_id)
where open_brl > 0
group by all
order by o.customer_id nulls last
