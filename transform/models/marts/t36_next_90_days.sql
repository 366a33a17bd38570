-- What each account manager must act on: the T-36 events not done that
-- are overdue (due before as-of, tracked: not history) or due within 90
-- days of as-of, by manager, then by due date. The calendar's history and
-- done events, and those due later, stay in t36_calendar.
-- check: unique(event_key)
-- check: not_null(event_key, due_date, status)
select
    account_manager,
    due_date,
    days_to_due,
    status,
    event,
    summary,
    contract_id,
    customer_id,
    customer_name,
    vendor,
    program,
    agreement_number,
    opens_date,
    event_key
from t36_calendar
where status in ('overdue', 'due_0_30', 'due_31_60', 'due_61_90')
order by account_manager nulls last, due_date, contract_id, event_key
