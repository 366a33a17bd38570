-- Contracts to renew (renewals) by the month they end, with their annual
-- value now and at renewal: the lifecycle workbook's chart. Overdue
-- contracts count in the month they ended. The two values compare the
-- same contracts, those priced in full (renewals.is_complete): the value
-- at renewal of one with an unpriced line would cover part of it, and
-- against all of today's value would read as a price cut. The others are
-- counted and listed, with their value today, beside them.
-- check: unique(month)
-- check: not_null(month, contracts, priced, unpriced)
select
    strftime(end_date, '%Y-%m') as month,
    count(*) as contracts,
    count(*) filter (where bucket = 'overdue') as overdue,
    count(*) filter (where is_complete) as priced,
    coalesce(sum(previous_value_brl) filter (where is_complete), 0)::DECIMAL(18,2) as previous_value_brl,
    coalesce(sum(renewal_value_brl) filter (where is_complete), 0)::DECIMAL(18,2) as renewal_value_brl,
    count(*) filter (where not is_complete) as unpriced,
    sum(previous_value_brl) filter (where not is_complete)::DECIMAL(18,2) as unpriced_previous_value_brl,
    string_agg(contract_id, ', ' order by contract_id) filter (where not is_complete) as unpriced_contracts
from renewals
group by all
order by month
