-- The customer's T-36 events (of the last lifecycle run) not done, due
-- within 90 days of as-of or overdue (since lifecycle.track_from: not
-- history), with their status at as-of.
select
    due_date,
    contract_id,
    event,
    summary,
    case
        when date_diff('day', getvariable('as_of')::DATE, due_date) < 0 then 'overdue'
        when date_diff('day', getvariable('as_of')::DATE, due_date) <= 30 then 'due_0_30'
        when date_diff('day', getvariable('as_of')::DATE, due_date) <= 60 then 'due_31_60'
        else 'due_61_90'
    end as status,
    opens_date
from t36_calendar
where customer_id = getvariable('dossier_customer_id')
  and evidence is null
  and status <> 'history'
  and due_date <= getvariable('as_of')::DATE + 90
order by due_date, contract_id, event
