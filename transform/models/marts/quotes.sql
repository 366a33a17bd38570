-- One row per quote request revision: customer, seller, totals, lowest
-- margin, flags, validity and status. A request with a rejected line or an
-- unusable customer is rejected whole (a proposal missing a line is worse
-- than none); otherwise credit_review when its total plus the customer's
-- exposure passes the credit limit, needs_approval when a line's margin is
-- below its pricing rule's floor (the margin net of the taxes on revenue:
-- quote_lines), issued when neither. taxes_note is what the proposal says
-- of the taxes (core/taxes_in_force). Validity: the last
-- day of the price table's month, or requested_on + quotes.valid_days.
-- revision_note: why a revision's number does not follow its date
-- ("received after revision 2": core/quote_requests).
-- A revision that needs approval or credit review waits for a decision in
-- approvals/ (core/quote_decisions): aprovado issues it, recusado refuses
-- it; decision, approver and decided_on say which, who and when (also on
-- a revision that needed none: the record is kept). proposal: where its
-- document is, proposals/<number> once issued, proposals/rascunhos/<number>
-- while it waits (a draft marked as such), none when refused or rejected.
-- check: unique(request_id, revision)
-- check: accepted_values(status: issued, needs_approval, credit_review, refused, rejected)
with lines as (
    select
        request_id,
        revision,
        any_value(proposal_number) as proposal_number,
        bool_or(is_latest) as is_latest,
        any_value(revision_note) as revision_note,
        min(requested_on) as requested_on,
        string_agg(distinct seller, ', ' order by seller) as seller,
        max(price_period) as price_period,
        count(*) as lines,
        count(*) filter (where not is_priced) as rejected_lines,
        sum(total_brl) as total_brl,
        sum(total_net_cost_brl) as total_net_cost_brl,
        sum(incentive_brl) as incentive_brl,
        sum(taxes_brl) as taxes_brl,
        sum(taxes_added_brl) as taxes_added_brl,
        string_agg(distinct taxes_note, ' ' order by taxes_note) as taxes_note,
        min(margin_pct) as lowest_margin_pct,
        count(*) filter (where is_below_min_margin) as lines_below_min_margin,
        arg_min(reject_reason, source_line) filter (where not is_priced) as first_reject,
        any_value(source_file) as source_file
    from quote_lines
    group by request_id, revision
),

flags as (
    select
        l.*,
        c.customer_text,
        c.customer_id,
        c.customer_name,
        c.customer_cnpj,
        c.payment_terms_days,
        c.is_po_required,
        c.credit_limit_brl,
        c.exposure_brl,
        c.customer_reason,
        l.rejected_lines > 0 or c.customer_reason is not null as is_rejected,
        l.lines_below_min_margin > 0 as is_needs_approval,
        c.credit_limit_brl is null or l.total_brl + c.exposure_brl > c.credit_limit_brl as is_credit_review,
        d.decision,
        d.approver,
        d.decided_on,
        d.note as decision_note
    from lines l
    join quote_customers c using (request_id, revision)
    left join quote_decisions d on d.request_id = l.request_id and d.revision = l.revision and d.in_force
),

statused as (
    select
        *,
        case
            when is_rejected then 'rejected'
            when (is_credit_review or is_needs_approval) and decision = 'recusado' then 'refused'
            when (is_credit_review or is_needs_approval) and decision = 'aprovado' then 'issued'
            when is_credit_review then 'credit_review'
            when is_needs_approval then 'needs_approval'
            else 'issued'
        end as status
    from flags
)

select
    request_id,
    revision,
    proposal_number,
    is_latest,
    revision_note,
    requested_on,
    seller,
    customer_text,
    customer_id,
    customer_name,
    customer_cnpj,
    price_period,
    lines,
    rejected_lines,
    case when not is_rejected then total_brl::DECIMAL(18,2) end as total_brl,
    case when not is_rejected then total_net_cost_brl::DECIMAL(18,2) end as total_net_cost_brl,
    case when not is_rejected then incentive_brl::DECIMAL(18,2) end as incentive_brl,
    case when not is_rejected then taxes_brl::DECIMAL(18,2) end as taxes_brl,
    case when not is_rejected then taxes_added_brl::DECIMAL(18,2) end as taxes_added_brl,
    case when not is_rejected then taxes_note end as taxes_note,
    case when not is_rejected then lowest_margin_pct end as lowest_margin_pct,
    exposure_brl,
    credit_limit_brl,
    coalesce(is_needs_approval and not is_rejected, false) as is_needs_approval,
    coalesce(is_credit_review and not is_rejected, false) as is_credit_review,
    coalesce(is_po_required, false) as is_po_required,
    payment_terms_days,
    case
        when getvariable('quote_valid_days') > 0 then requested_on + getvariable('quote_valid_days')::INTEGER
        else last_day(strptime(price_period || '-01', '%Y-%m-%d')::DATE)
    end as valid_until,
    status,
    case
        when customer_reason is not null then 'customer ' || customer_text || ': ' || customer_reason
        when rejected_lines > 0 then rejected_lines || ' of ' || lines || ' lines rejected: ' || first_reject
        when is_credit_review and credit_limit_brl is null then 'no credit limit in the customer master'
        when is_credit_review then 'total + exposure ' || (total_brl + exposure_brl)::DECIMAL(18,2) || ' above the credit limit ' || credit_limit_brl
        when is_needs_approval then lines_below_min_margin || ' line(s) below the pricing rule''s minimum margin'
    end as reason,
    decision,
    approver,
    decided_on,
    decision_note,
    case status
        when 'issued' then 'proposals/' || safe_name(proposal_number)
        when 'needs_approval' then 'proposals/rascunhos/' || safe_name(proposal_number)
        when 'credit_review' then 'proposals/rascunhos/' || safe_name(proposal_number)
    end as proposal,
    source_file
from statused
order by request_id, revision
