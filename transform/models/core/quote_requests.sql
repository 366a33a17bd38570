-- Quote request lines with their revision: each file holding a request_id
-- is one revision of it, numbered by the request date, then the file name
-- (a re-sent request is a new file: both are kept). Lines without a
-- request_id, or with one that cannot name a document, are only rejects.
-- materialized: temp
with lines as (
    select * from stg_quote_requests
    where not blank(request_id) and id_problem(request_id) is null
),

revisions as (
    select
        request_id,
        file_id,
        row_number() over (partition by request_id order by min(requested_on), min(source_file)) as revision,
        count(*) over (partition by request_id) as revisions
    from lines
    group by request_id, file_id
)

select
    l.*,
    v.revision,
    v.revision = v.revisions as is_latest,
    l.request_id || '-r' || v.revision as proposal_number
from lines l
join revisions v using (request_id, file_id)
