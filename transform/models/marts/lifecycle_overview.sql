-- The first sheet of lifecycle.xlsx: contracts to renew by bucket, T-36
-- events by status and the true-ups by step, each with its amount.
-- A bucket's values now and at renewal cover its contracts priced in full
-- (renewals_by_month says why); the others are counted as incomplete.
with renewal as (
    select
        'Renovações' as section,
        bucket as item,
        count(*) as contracts,
        count(*) filter (where not is_complete) as incomplete,
        sum(previous_value_brl) filter (where is_complete) as previous_value_brl,
        sum(renewal_value_brl) filter (where is_complete) as amount_brl,
        case bucket when 'overdue' then 0 when '0-30' then 1 when '31-60' then 2 when '61-90' then 3 when '91-120' then 4 else 5 end as ord
    from renewals
    group by bucket
),

events as (
    select
        'Calendário T-36' as section,
        status as item,
        count(distinct contract_id) as contracts,
        count(*) as events,
        case status when 'overdue' then 0 when 'due_0_30' then 1 when 'due_31_60' then 2 when 'due_61_90' then 3 when 'later' then 4 when 'done' then 5 else 6 end as ord
    from t36_calendar
    group by status
),

-- per agreement year: a contract may have an overdue year and the next
true_up as (
    select
        'True-up' as section,
        next_step as item,
        count(distinct contract_id) as contracts,
        count(*) as events,
        sum(add_value_brl) as amount_brl,
        case next_step when 'true_up_order' then 0 when 'update_statement' then 1 when 'incomplete' then 2 else 3 end as ord
    from true_up_summary
    group by next_step
)

select section, item, contracts, null::BIGINT as events, incomplete, previous_value_brl::DECIMAL(18,2) as previous_value_brl, amount_brl::DECIMAL(18,2) as amount_brl, 0 as s, ord from renewal
union all
select section, item, contracts, events, null, null, null, 1, ord from events
union all
select section, item, contracts, events, null, null, amount_brl::DECIMAL(18,2), 2, ord from true_up
order by s, ord, item
