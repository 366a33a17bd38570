-- Contracts up for renewal (core/renewals_due), soonest first: overdue
-- ones (ended, no successor, for lifecycle.lapsed_days after the end,
-- whatever erp_status says), then by days left. Values are per year, in
-- BRL, summed from renewal_lines. A contract with a line that has no
-- current price, or with no lines, is incomplete: its renewal value covers
-- only the priced lines and its uplift is not computed. A contract due
-- within 90 days whose lines all have a current price gets a draft renewal
-- proposal (renewal_proposals), named in draft_proposal, unless a line of
-- the contract was rejected (the draft would miss it) or its customer has
-- data two files give with other values (core/erp_conflicts), or a line's
-- margin net of the taxes on revenue is below its pricing rule's floor
-- (renewal_lines: approval first, as for quotes); draft_note says why the
-- others have none.
-- check: unique(contract_id)
-- check: not_null(contract_id, bucket, days_left, is_complete)
with totals as (
    select
        contract_id,
        count(*) as lines,
        count(renewal_value_brl) as priced_lines,
        sum(previous_value_brl) as previous_value_brl,
        sum(renewal_value_brl) as renewal_value_brl,
        bool_and(previous_value_brl is not null) as has_previous,
        max(price_period) as price_period,
        min(margin_pct) as lowest_margin_pct,
        count(*) filter (where is_below_min_margin) as lines_below_min_margin,
        string_agg(product_id || coalesce('/' || sku_id, '') || ': ' || unpriced_reason, '; ' order by line_no)
            filter (where unpriced_reason is not null) as unpriced_lines
    from renewal_lines
    group by contract_id
),

rejected as (
    select contract_id, count(*) as rejected_lines
    from stg_erp_contract_lines
    where len(_errors) > 0 and not blank(contract_id)
    group by contract_id
),

conflicts as (
    select customer_id, string_agg(distinct entity || ' ' || entity_key, ', ' order by entity || ' ' || entity_key) as keys
    from erp_conflicts
    where customer_id is not null
    group by customer_id
),

blocked as (
    select
        d.contract_id,
        case
            when x.keys is not null then 'no draft: customer ' || c.customer_id || ' has conflicting sources (' || x.keys || ')'
            when rj.rejected_lines > 0 then 'no draft: ' || rj.rejected_lines || ' contract line(s) rejected'
        end as reason
    from renewals_due d
    join lifecycle_contracts c using (contract_id)
    left join conflicts x on x.customer_id = c.customer_id
    left join rejected rj on rj.contract_id = d.contract_id
)

select
    d.contract_id,
    c.customer_id,
    c.customer_name,
    c.account_manager,
    c.vendor,
    c.program,
    c.agreement_number,
    c.start_date,
    c.end_date,
    d.days_left,
    d.bucket,
    c.status as erp_status,
    c.successor_contract_id,
    coalesce(t.lines, 0) as lines,
    coalesce(t.priced_lines, 0) as priced_lines,
    t.previous_value_brl::DECIMAL(18,2) as previous_value_brl,
    t.renewal_value_brl::DECIMAL(18,2) as renewal_value_brl,
    case when t.lines = t.priced_lines and t.has_previous and t.previous_value_brl > 0
         then div_round((t.renewal_value_brl - t.previous_value_brl) * 100, t.previous_value_brl) end as uplift_pct,
    coalesce(t.lines = t.priced_lines and t.has_previous, false) as is_complete,
    t.price_period,
    t.lowest_margin_pct,
    case when t.lines is null then 'no contract lines' else t.unpriced_lines end as missing,
    case when d.bucket in ('0-30', '31-60', '61-90') and t.lines = t.priced_lines and b.reason is null
              and t.lines_below_min_margin = 0
         then 'proposals/' || safe_name('RN-' || d.contract_id) end as draft_proposal,
    case
        when d.bucket not in ('0-30', '31-60', '61-90') then 'drafts only for renewals due within 90 days'
        when b.reason is not null then b.reason
        when t.lines is null then 'no draft: no contract lines'
        when t.lines <> t.priced_lines then 'no draft: ' || (t.lines - t.priced_lines) || ' line(s) without a current price'
        when t.lines_below_min_margin > 0 then 'no draft: ' || t.lines_below_min_margin
            || ' line(s) below the pricing rule''s minimum margin net of taxes (needs approval)'
    end as draft_note
from renewals_due d
join lifecycle_contracts c using (contract_id)
left join totals t using (contract_id)
left join blocked b using (contract_id)
order by d.days_left, d.contract_id
