-- Authorised invoices of the period issued after the customer's billing
-- cutoff day (day of month), and, for customers with the "portal"
-- restriction, invoices not posted on the portal within
-- portal_business_days business days of issue (weekends and national
-- holidays skipped). An invoice not posted at all is listed once its
-- deadline is before as-of.
-- check: accepted_values(issue: after_cutoff, portal_not_posted, portal_late)
with inv as (
    select
        i.*,
        c.name as customer_name,
        c.billing_cutoff_day,
        c.is_portal_required,
        c.portal,
        d2.day as portal_deadline_date,
        d2.business_index as deadline_index
    from invoices i
    join customers c using (customer_id)
    -- the deadline on the invoice's own row: a deadline table joined back on
    -- part of the identity (kind and number) repeated the rows of invoices
    -- sharing it
    left join business_days d1 on d1.day = i.issue_date
    left join business_days d2
      on d2.is_business_day
     and d2.business_index = d1.business_index + getvariable('portal_business_days')
    where i.status = 'autorizada'
      and i.issue_date >= getvariable('period_start')
      and i.issue_date < getvariable('period_start') + interval 1 month
),

portal as (
    select
        inv.*,
        p.business_index - inv.deadline_index as business_days_late
    from inv
    left join business_days p on p.day = inv.portal_posted_date
    where inv.is_portal_required
      and ((inv.portal_posted_date is null and inv.portal_deadline_date < getvariable('as_of'))
           or inv.portal_posted_date > inv.portal_deadline_date)
),

issues as (
    select
        'after_cutoff' as issue,
        customer_id, customer_name, nf_label, issue_date, billing_cutoff_day, portal,
        null::DATE as portal_deadline_date,
        portal_posted_date,
        null::BIGINT as business_days_late,
        'issued on day ' || day(issue_date) || ', cutoff day ' || billing_cutoff_day as detail
    from inv
    where day(issue_date) > billing_cutoff_day

    union all

    select
        case when portal_posted_date is null then 'portal_not_posted' else 'portal_late' end,
        customer_id, customer_name, nf_label, issue_date, billing_cutoff_day, portal,
        portal_deadline_date,
        portal_posted_date,
        business_days_late,
        case when portal_posted_date is null
             then 'not posted on ' || coalesce(portal, 'the portal') || ', due ' || ptbr_date(portal_deadline_date)
             else 'posted ' || business_days_late || ' business day(s) after the deadline ' || ptbr_date(portal_deadline_date)
        end
    from portal
)

select
    issue,
    customer_id,
    customer_name,
    nf_label as invoice,
    issue_date,
    billing_cutoff_day,
    portal,
    portal_deadline_date,
    portal_posted_date,
    business_days_late,
    detail
from issues
order by customer_id, issue_date, invoice, issue, detail
