-- Credit exposure per customer at as-of: open receivables, the order
-- lines open at as-of (ordered, not invoiced: core/open_orders) and what
-- the reseller still owes the vendor for commitments billed monthly
-- (committed_remaining_brl: core/committed_subscriptions, when bills
-- exist), against credit_limit. Over-limit customers first, the furthest
-- over first. conflicting_sources names the customer's keys that two files
-- give with other values (data_quality's conflicting_source): the exposure
-- is then not to be trusted, and the quotes pipeline, which builds this
-- same model from the inbox's ERP exports for its credit check, issues the
-- customer no proposal.
-- check: unique(customer_id)
with oni as (
    select customer_id, sum(order_value_brl) as amount
    from open_orders
    group by customer_id
),

committed as (
    select customer_id, sum(committed_remaining_brl) as amount
    from committed_subscriptions
    where customer_id is not null
    group by customer_id
),

exposure as (
    select
        c.customer_id,
        c.name as customer_name,
        c.credit_limit_brl,
        coalesce(a.total_open_brl, 0)::DECIMAL(18,2) as open_receivables_brl,
        coalesce(o.amount, 0)::DECIMAL(18,2) as ordered_not_invoiced_brl,
        coalesce(m.amount, 0)::DECIMAL(18,2) as committed_remaining_brl,
        (coalesce(a.total_open_brl, 0) + coalesce(o.amount, 0) + coalesce(m.amount, 0))::DECIMAL(18,2) as exposure_brl
    from customers c
    left join ar_aging a using (customer_id)
    left join oni o using (customer_id)
    left join committed m using (customer_id)
),

conflicts as (
    select customer_id, string_agg(distinct entity || ' ' || entity_key, '; ' order by entity || ' ' || entity_key) as keys
    from (
        select customer_id, entity, entity_key from erp_conflicts
        union all
        select customer_id, entity, entity_key from invoice_conflicts
    )
    where customer_id is not null
    group by customer_id
)

select
    customer_id,
    customer_name,
    credit_limit_brl,
    open_receivables_brl,
    ordered_not_invoiced_brl,
    committed_remaining_brl,
    exposure_brl,
    (credit_limit_brl - exposure_brl)::DECIMAL(18,2) as headroom_brl,
    case when credit_limit_brl > 0 then div_round(exposure_brl * 100, credit_limit_brl) end as limit_used_pct,
    coalesce(exposure_brl > credit_limit_brl, false) as is_over_limit,
    x.keys as conflicting_sources
from exposure
left join conflicts x using (customer_id)
order by is_over_limit desc, exposure_brl - coalesce(credit_limit_brl, 0) desc, customer_id
