-- The T-36 calendar as t36.ics events (reports.T36ICS): a UID stable
-- across runs (the event's key), the due date, and a Portuguese summary
-- and description for the SME's calendar.
-- check: unique(uid)
select
    event_key || '@salesops' as uid,
    due_date,
    summary,
    concat_ws(chr(10),
        'Situação: ' || case status
            when 'done' then 'concluído'
            when 'overdue' then 'atrasado'
            when 'due_0_30' then 'vence em até 30 dias'
            when 'due_31_60' then 'vence em 31 a 60 dias'
            when 'due_61_90' then 'vence em 61 a 90 dias'
            else 'mais de 90 dias'
        end,
        'Vencimento: ' || ptbr_date(due_date),
        'Janela abre: ' || ptbr_date(opens_date),
        'Evidência: ' || evidence,
        'Fabricante: ' || vendor || coalesce(' — ' || program, ''),
        'Acordo: ' || agreement_number,
        'Account manager: ' || account_manager
    ) as description
from t36_calendar
order by due_date, event_key
