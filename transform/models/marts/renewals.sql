-- Contracts up for renewal (core/renewals_due), soonest first: overdue
-- ones (ended, no successor, for lifecycle.lapsed_days after the end,
-- whatever erp_status says), then by days left. Values are per year, in
-- BRL, summed from renewal_lines. A contract with a line that has no
-- current price, or with no lines, is incomplete: its renewal value covers
-- only the priced lines and its uplift is not computed. A contract due
-- within 90 days whose lines all have a current price gets a draft renewal
-- proposal (renewal_proposals), named in draft_proposal, unless a line of
-- the contract was rejected (the draft would miss it) or its customer has
-- data two files give with other values (core/erp_conflicts); draft_note
-- says why the others have none. A draft with a line below the floor of its
-- pricing rule (renewal_lines.is_below_min_margin: the margin net of the
-- taxes on revenue, approval first, as for quotes) waits for a decision in
-- approvals/ (request RN-<contract_id>, revision 1: core/renewal_decisions)
-- under proposals/rascunhos/, marked as a draft on every page and sheet;
-- aprovado moves it to proposals/, recusado leaves it out.
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
            filter (where unpriced_reason is not null) as unpriced_lines,
        coalesce(bool_or(is_below_min_margin), false) as is_below_min_margin,
        string_agg(product_id || coalesce('/' || sku_id, '') || ': ' || floor_note, '; ' order by line_no)
            filter (where floor_note is not null) as floor_notes
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
),

drafts as (
    select
        d.contract_id,
        coalesce(d.bucket in ('0-30', '31-60', '61-90') and t.lines = t.priced_lines and b.reason is null, false) as is_drafted,
        coalesce(t.is_below_min_margin, false) as is_below_min_margin,
        x.decision,
        x.approver,
        x.decided_on
    from renewals_due d
    left join totals t using (contract_id)
    left join blocked b using (contract_id)
    left join renewal_decisions x on x.contract_id = d.contract_id and x.in_force
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
    case when t.lines is null then 'no contract lines' else concat_ws('; ', t.unpriced_lines, t.floor_notes) end as missing,
    coalesce(t.is_below_min_margin, false) as is_below_min_margin,
    r.decision,
    r.approver,
    r.decided_on,
    case
        when not r.is_drafted then null
        when not r.is_below_min_margin or r.decision = 'aprovado' then 'proposals/' || safe_name('RN-' || d.contract_id)
        when r.decision is null then 'proposals/rascunhos/' || safe_name('RN-' || d.contract_id)
    end as draft_proposal,
    case
        when d.bucket not in ('0-30', '31-60', '61-90') then 'drafts only for renewals due within 90 days'
        when b.reason is not null then b.reason
        when t.lines is null then 'no draft: no contract lines'
        when t.lines <> t.priced_lines then 'no draft: ' || (t.lines - t.priced_lines) || ' line(s) without a current price'
        when r.is_below_min_margin and r.decision = 'recusado' then 'no draft: refused by ' || r.approver || ' on ' || strftime(r.decided_on, '%d/%m/%Y')
        when r.is_below_min_margin and r.decision is null then 'draft waits for approval: below the floor of its pricing rule'
    end as draft_note
from renewals_due d
join lifecycle_contracts c using (contract_id)
left join totals t using (contract_id)
left join blocked b using (contract_id)
join drafts r using (contract_id)
order by d.days_left, d.contract_id
