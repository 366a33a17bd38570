-- The lines of each renewal proposal: the contract's quantities at the
-- current price of the term (current_sell_price_brl), as the customer sees
-- them, each product named as the vendor's price list names it
-- (product_name), not as the ERP's contract line describes it (which may
-- name another product: the lifecycle's data_quality says so).
select
    p.proposal_number,
    l.line_no as item,
    r.vendor,
    coalesce(product_name(r.vendor, l.price_product, l.price_sku_title), l.description) as product,
    l.product_id,
    l.sku_id,
    l.price_term as term,
    l.price_billing_plan as billing_plan,
    l.quantity,
    l.current_sell_price_brl as unit_price_brl,
    (l.quantity::DECIMAL(38,6) * l.current_sell_price_brl)::DECIMAL(18,2) as total_brl,
    -- a renewal is a whole term: no prorated period
    null::DATE as period_start,
    null::DATE as period_end,
    null::INTEGER as prorated_days,
    null::INTEGER as term_days
from renewal_proposals p
join renewals r on 'RN-' || r.contract_id = p.proposal_number
join renewal_lines l on l.contract_id = r.contract_id
order by p.proposal_number, item
