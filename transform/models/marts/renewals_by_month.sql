-- Contracts to renew (renewals) by the month they end, with their annual
-- value now and at renewal: the lifecycle workbook's chart. Overdue
-- contracts count in the month they ended.
-- check: unique(month)
-- check: not_null(month, contracts)
select
    strftime(end_date, '%Y-%m') as month,
    count(*) as contracts,
    count(*) filter (where bucket = 'overdue') as overdue,
    count(*) filter (where not is_complete) as incomplete,
    sum(previous_value_brl)::DECIMAL(18,2) as previous_value_brl,
    sum(renewal_value_brl)::DECIMAL(18,2) as renewal_value_brl
from renewals
group by all
order by month
