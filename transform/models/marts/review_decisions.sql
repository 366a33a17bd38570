-- Every decision read in reviews/ that stg_review_decisions did not reject,
-- and whether it applies: its exception must be one the review loop knows
-- (the register the latest earlier period published, or an exception of a
-- period this run evaluates), and only a vendor's charge can be disputed
-- with the vendor (contestar: an exception with vendor bill lines, of class
-- vendor_billed_not_ordered, quantity_mismatch or price_below_cost). A
-- decision that does not apply is a reject (marts/reconciliation_rejects)
-- and changes nothing. Which applicable decision wins: the register's.
-- materialized: temp
with seen as (
    select *
    from exceptions_seen
    where is_exception
    qualify row_number() over (partition by exception_id order by period desc) = 1
),

known as (
    select exception_id, class, vendor_invoices is not null as has_bill_lines
    from exception_history
    where exception_id not in (select exception_id from seen)
    union all
    select exception_id, class, bill_lines is not null
    from seen
)

select
    d.file_id,
    d.line,
    d.source_file,
    d.exception_id,
    d.decision,
    d.owner,
    d.due_date,
    d.note,
    d.decided_by,
    d.decided_on,
    case
        when k.exception_id is null then 'unknown exception: no reconciliation published or evaluated lists it'
        when d.decision = 'contestar' and not (k.has_bill_lines and k.class in ('vendor_billed_not_ordered', 'quantity_mismatch', 'price_below_cost'))
            then 'contestar: only a vendor''s charge can be disputed (this exception is ' || k.class || ')'
    end as not_applied
from stg_review_decisions d
left join known k using (exception_id)
where len(d._errors) = 0
