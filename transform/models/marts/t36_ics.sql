-- The T-36 calendar as t36.ics events (reports.T36ICS): the events due on
-- or after as-of (an overdue one lives in the reports, not in a calendar's
-- past), each with a UID stable across runs (the event's key), its due
-- date, a Portuguese summary and description, its account manager (one
-- feed each), its RFC 5545 STATUS (TENTATIVE while it waits for its
-- evidence, CONFIRMED once found: "Concluído" then opens the summary and
-- it has no reminder) and SEQUENCE: 0 the first time, one more each time
-- its content differs from the last published (t36_ics_sequences).
-- check: unique(uid)
-- check: not_null(uid, due_date, summary, status, sequence)
with events as (
    select
        event_key || '@salesops' as uid,
        due_date,
        account_manager,
        case when status = 'done' then 'CONFIRMED' else 'TENTATIVE' end as status,
        status <> 'done' as has_alarm,
        case when status = 'done' then 'Concluído — ' else '' end || summary as summary,
        concat_ws(chr(10),
            'Situação: ' || case when status = 'done' then 'concluído (' || evidence || ')' else 'a cumprir' end,
            'Vencimento: ' || ptbr_date(due_date),
            'Janela abre: ' || ptbr_date(opens_date),
            'Fabricante: ' || vendor || coalesce(' — ' || program, ''),
            'Acordo: ' || agreement_number,
            'Gerente de contas: ' || account_manager
        ) as description
    from t36_calendar
    where due_date >= getvariable('as_of')::DATE
),

hashed as (
    select *, md5(concat_ws(chr(31), due_date::VARCHAR, summary, description, status, has_alarm::VARCHAR)) as content_hash
    from events
)

select
    h.uid,
    h.due_date,
    h.account_manager,
    h.summary,
    h.description,
    h.status,
    h.has_alarm,
    h.content_hash,
    case
        when s.uid is null then 0
        when s.content_hash = h.content_hash then s.sequence
        else s.sequence + 1
    end as sequence
from hashed h
left join t36_ics_sequences s using (uid)
order by h.due_date, h.uid
