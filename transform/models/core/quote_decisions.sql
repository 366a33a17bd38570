-- The decisions of approvals/*.csv on quote request revisions (request ids
-- other than RN-…, the renewal drafts'), each checked against the
-- requests: a decision on a revision the requests do not have, or on one
-- a later revision superseded, or contradicted the same day, is a reject
-- (reject_reason) and decides nothing; in_force marks the one a revision
-- follows.
-- materialized: temp
with revisions as (
    select request_id, revision, bool_or(is_latest) as is_latest
    from quote_requests
    group by request_id, revision
),

latest as (
    select request_id, max(revision) as latest from revisions group by request_id
)

select
    a.*,
    case
        when r.revision is null and l.latest is null
            then 'unknown request: no quote request ' || a.request_id || ' in quotes/'
        when r.revision is null
            then 'unknown revision: request ' || a.request_id || ' has revisions 1 to ' || l.latest
        when not r.is_latest
            then 'revision ' || a.revision || ' superseded by revision ' || l.latest
        when a.is_contradicted
            then 'contradicts another decision on the same revision the same day'
    end as reject_reason,
    a.is_in_force and r.is_latest is true as in_force
from approvals a
left join revisions r using (request_id, revision)
left join latest l using (request_id)
where not starts_with(a.request_id, 'RN-')
