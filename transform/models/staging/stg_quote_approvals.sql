-- Decisions on quote revisions and renewal drafts (approvals/*.csv),
-- renamed and typed. revision is the number quotes.csv gives a request's
-- revision (1 for a renewal draft); decision is aprovado or recusado, in
-- any case; decided_on dd/mm/aaaa.
with source as (
    select r.*, f.path as source_file
    from raw_quote_approvals r
    join files f using (file_id)
),

renamed as (
    select
        -- ids
        file_id,
        line,
        source_file,
        trim(request_id) as request_id,
        try_cast(trim(revision) as INTEGER) as revision,

        -- the decision
        lower(trim(decision)) as decision,
        nullif(trim(approver), '') as approver,
        nullif(trim(note), '') as note,

        -- dates
        parse_br_date(decided_on) as decided_on,

        -- source text, for rejects
        revision as revision_text,
        decision as decision_text,
        decided_on as decided_on_text
    from source
)

select
    file_id,
    line,
    source_file,
    request_id,
    revision,
    decision,
    approver,
    note,
    decided_on,
    list_filter([
        reject(blank(request_id), 'request_id', request_id, 'required'),
        reject(id_problem(request_id) is not null, 'request_id', request_id, id_problem(request_id)),
        reject(revision is null, 'revision', revision_text, 'not a whole number'),
        reject(revision < 1, 'revision', revision_text, 'not a positive number'),
        reject(decision is null or decision not in ('aprovado', 'recusado'), 'decision', decision_text, 'must be aprovado or recusado'),
        reject(approver is null, 'approver', approver, 'required'),
        reject(decided_on is null, 'decided_on', decided_on_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(decided_on), 'decided_on', decided_on_text, 'outside 2000–2099')
    ], e -> e is not null) as _errors
from renamed
