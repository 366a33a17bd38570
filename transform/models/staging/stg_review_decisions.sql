-- Finance's decisions on the reconciliation's exceptions (reviews/*.csv, or
-- the Revisão sheet of a workbook saved in reviews/), renamed and typed. A
-- row whose decision columns are all empty (a Revisão row left as it was)
-- is no decision and is not read. Dates are dd/mm/aaaa (a workbook's date
-- cells arrive so from the loader). What each word means, and which
-- decision wins: docs/review.md.
with source as (
    select r.*, f.path as source_file
    from raw_review_decisions r
    join files f using (file_id)
    where not (blank(r.decision) and blank(r.owner) and blank(r.due) and blank(r.note)
               and blank(r.decided_by) and blank(r.decided_on))
),

renamed as (
    select
        -- ids
        file_id,
        line,
        source_file,
        upper(trim(exception_id)) as exception_id,

        -- the decision
        lower(trim(decision)) as decision,
        nullif(trim(owner), '') as owner,
        nullif(trim(note), '') as note,
        nullif(trim(decided_by), '') as decided_by,

        -- dates
        parse_br_date(due) as due_date,
        parse_br_date(decided_on) as decided_on,

        -- source text, for rejects
        exception_id as exception_id_text,
        decision as decision_text,
        due as due_text,
        decided_on as decided_on_text
    from source
)

select
    file_id,
    line,
    source_file,
    exception_id,
    decision,
    owner,
    due_date,
    note,
    decided_by,
    decided_on,
    list_filter([
        reject(blank(exception_id), 'exception_id', exception_id_text, 'required'),
        reject(not blank(exception_id) and not regexp_full_match(exception_id, 'EX-[0-9A-F]{16}'),
               'exception_id', exception_id_text, 'not an exception id (EX- and 16 hex digits)'),
        reject(blank(decision_text), 'decision', decision_text, 'required'),
        reject(not blank(decision_text) and decision not in ('aceita', 'corrigir', 'contestar', 'resolvida'),
               'decision', decision_text, 'must be aceita, corrigir, contestar or resolvida'),
        reject(decision = 'corrigir' and owner is null, 'owner', owner, 'required for corrigir'),
        reject(not blank(due_text) and due_date is null, 'due', due_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(due_date), 'due', due_text, 'outside 2000–2099'),
        reject(blank(decided_on_text), 'decided_on', decided_on_text, 'required'),
        reject(not blank(decided_on_text) and decided_on is null, 'decided_on', decided_on_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(decided_on), 'decided_on', decided_on_text, 'outside 2000–2099')
    ], e -> e is not null) as _errors
from renamed
