-- Every exception open at the period published, whatever period it comes
-- from (exception_register), oldest first, then the largest: what finance
-- reviews. It is also the Revisão sheet of reconciliation.xlsx, whose
-- decision columns carry the latest decision and are read back from a copy
-- saved in reviews/ (extract/reviews.go).
-- materialized: temp
-- check: unique(exception_id)
select
    exception_id,
    class,
    line_type,
    first_period,
    age_months,
    amount_brl,
    customer_id,
    customer_name,
    document,
    subscription_id,
    sku_id,
    vendor_invoices,
    is_overdue,
    dispute_status,
    decision,
    owner,
    due_date,
    note,
    decided_by,
    decided_on
from exception_register
where status = 'open'
order by age_months desc, amount_brl desc nulls last, exception_id
