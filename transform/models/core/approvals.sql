-- Every valid decision of approvals/*.csv, with whether it is the one in
-- force for its request revision: the latest by decided_on (then file and
-- line, the last written). Two different decisions on a revision's latest
-- day contradict each other: neither is in force, and both are rejects
-- (core/quote_decisions, core/renewal_decisions), so a document waits for
-- a decision that says one thing.
-- materialized: temp
with a as (
    select * from stg_quote_approvals where len(_errors) = 0
),

last_day as (
    select request_id, revision, max(decided_on) as last_day
    from a
    group by request_id, revision
),

contradicted as (
    select a.request_id, a.revision, count(distinct a.decision) > 1 as is_contradicted
    from a
    join last_day d on d.request_id = a.request_id and d.revision = a.revision and d.last_day = a.decided_on
    group by a.request_id, a.revision
)

select
    a.file_id,
    a.line,
    a.source_file,
    a.request_id,
    a.revision,
    a.decision,
    a.approver,
    a.note,
    a.decided_on,
    c.is_contradicted and a.decided_on = d.last_day as is_contradicted,
    not c.is_contradicted and row_number() over (
        partition by a.request_id, a.revision order by a.decided_on desc, a.source_file desc, a.line desc) = 1 as is_in_force
from a
join last_day d using (request_id, revision)
join contradicted c using (request_id, revision)
