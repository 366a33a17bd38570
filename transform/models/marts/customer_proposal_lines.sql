-- The lines of each proposal as the customer sees them: product, term,
-- quantity, unit price (after the discount; prorated, with the period it
-- covers, for a line co-termed or prorated to the VIP anniversary) and
-- total. The product is named as the vendor's price list names it
-- (product_name), one name for the PDF and the XLSX. Never cost, margin or
-- incentive.
select
    l.proposal_number,
    row_number() over (partition by l.proposal_number order by l.source_file, l.source_line) as item,
    l.price_vendor as vendor,
    product_name(l.price_vendor, l.product, l.sku_title) as product,
    l.product_id,
    l.price_sku_id as sku_id,
    l.price_term as term,
    l.price_billing_plan as billing_plan,
    l.quantity,
    coalesce(l.unit_prorated_brl, l.unit_net_brl) as unit_price_brl,
    l.total_brl,
    l.period_start,
    l.period_end,
    l.prorated_days,
    l.term_days
from quote_lines l
join customer_proposals p using (proposal_number)
order by l.proposal_number, item
