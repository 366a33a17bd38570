-- The decisions of approvals/*.csv on renewal drafts (request_id
-- RN-<contract_id>, revision 1), each checked against the contracts up for
-- renewal: a decision on another, on a revision other than 1, or
-- contradicted the same day is a reject (reject_reason) and decides
-- nothing; in_force marks the one a draft follows.
-- materialized: temp
select
    a.*,
    d.contract_id,
    case
        when d.contract_id is null then 'unknown renewal: ' || a.request_id || ' names no contract up for renewal'
        when a.revision <> 1 then 'a renewal draft has revision 1 only'
        when a.is_contradicted then 'contradicts another decision on the same revision the same day'
    end as reject_reason,
    a.is_in_force and d.contract_id is not null and a.revision = 1 as in_force
from approvals a
left join renewals_due d on 'RN-' || d.contract_id = a.request_id
where starts_with(a.request_id, 'RN-')
