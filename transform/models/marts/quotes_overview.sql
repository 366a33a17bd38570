-- The first sheet of quotes.xlsx: request revisions by status, with their
-- totals, cost, incentive and lowest margin.
select
    status,
    count(*) as requests,
    count(*) filter (where is_latest) as latest_revisions,
    sum(lines) as lines,
    sum(total_brl)::DECIMAL(18,2) as total_brl,
    sum(total_net_cost_brl)::DECIMAL(18,2) as total_net_cost_brl,
    sum(incentive_brl)::DECIMAL(18,2) as incentive_brl,
    min(lowest_margin_pct) as lowest_margin_pct
from quotes
group by status
order by case status when 'issued' then 0 when 'needs_approval' then 1 when 'credit_review' then 2 when 'refused' then 3 else 4 end
