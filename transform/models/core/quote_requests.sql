-- Quote request lines with their revision: each file holding a request_id
-- is one revision of it (a re-sent request is a new file: both are kept).
-- A number, once published, keeps what it stands for: a request in a file
-- a published set numbered (the same path, the same bytes; the quotes
-- pipeline's quote_published_revisions) keeps that number; other files
-- are numbered after the highest number the request ever had, by request
-- date, then file name. So a file that arrives late with an earlier date
-- is the next number, never a renumbering, with revision_note "received
-- after revision N" (N: the highest number dated after it), and the same
-- inputs number alike at every run. Lines without a request_id, or with
-- one that cannot name a document, are only rejects.
-- materialized: temp
with lines as (
    select * from stg_quote_requests
    where not blank(request_id) and id_problem(request_id) is null
),

request_files as (
    select l.request_id, l.file_id, f.path as source_file, f.sha256, min(l.requested_on) as requested_on
    from lines l
    join files f using (file_id)
    group by l.request_id, l.file_id, f.path, f.sha256
),

-- the latest published number of each request in each file's bytes (the
-- highest, should one period have two: a total order, the same every run)
published as (
    select request_id, source_file, source_sha256, arg_max(revision, (period, revision)) as revision
    from quote_published_revisions
    group by request_id, source_file, source_sha256
),

kept as (
    select r.*, p.revision as published_revision
    from request_files r
    left join published p
      on p.request_id = r.request_id and p.source_file = r.source_file and p.source_sha256 = r.sha256
),

highest as (
    select request_id, max(revision) as revision
    from quote_published_revisions
    group by request_id
),

numbered as (
    select
        k.request_id,
        k.file_id,
        k.requested_on,
        coalesce(
            k.published_revision,
            coalesce(h.revision, 0) + row_number() over (
                partition by k.request_id, k.published_revision is null order by k.requested_on, k.source_file)
        ) as revision
    from kept k
    left join highest h using (request_id)
),

-- every dated revision: this run's, and those published whose file is gone
dated as (
    select request_id, revision, requested_on from numbered
    union
    select request_id, revision, requested_on from quote_published_revisions
),

late as (
    select n.request_id, n.file_id, max(d.revision) as after_revision
    from numbered n
    join dated d on d.request_id = n.request_id
    where d.revision < n.revision and d.requested_on > n.requested_on
    group by n.request_id, n.file_id
),

revisions as (
    select
        n.*,
        n.revision = max(n.revision) over (partition by n.request_id) as is_latest,
        case when l.after_revision is not null then 'received after revision ' || l.after_revision end as revision_note
    from numbered n
    left join late l using (request_id, file_id)
)

select
    l.*,
    v.revision,
    v.is_latest,
    v.revision_note,
    l.request_id || '-r' || v.revision as proposal_number
from lines l
join revisions v using (request_id, file_id)
