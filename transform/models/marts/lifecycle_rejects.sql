-- Every row of the lifecycle's inputs that failed validation (kind_rejects:
-- see rejects.sql), SAM counts that name an unknown contract or another
-- customer's, statements (erp/statements) that close no true-up, every
-- version of a customer, contract, contract line or order line that another
-- file gives with other values (core/erp_conflicts: its customer gets no
-- renewal draft), and every line of approvals/ on a
-- renewal draft (RN-…) that decides nothing (core/renewal_decisions), with
-- the column named as its file names it.
-- materialized: temp
with errors as (
    select * from kind_rejects
    union all
    select s.file_id, s.line,
           case when c.contract_id is null
                then {'field': 'contract_id', 'value': s.contract_id, 'reason': 'unknown contract'}
                else {'field': 'customer_id', 'value': s.customer_id, 'reason': 'contract ' || c.contract_id || ' belongs to ' || c.customer_id}
           end
    from stg_sam_counts s
    left join contracts c on c.contract_id = s.contract_id
    where len(s._errors) = 0 and (c.contract_id is null or c.customer_id <> s.customer_id)
    union all
    -- a statement that closes nothing: its contract is unknown, or has no
    -- true-up year whose anniversary it names
    select s.file_id, s.line,
           case when c.contract_id is null
                then {'field': 'contract_id', 'value': s.contract_id, 'reason': 'unknown contract'}
                else {'field': 'anniversary', 'value': ptbr_date(s.anniversary_date),
                      'reason': 'not a true-up anniversary of contract ' || c.contract_id}
           end
    from stg_erp_statements s
    left join contracts c on c.contract_id = s.contract_id
    anti join true_up_statements t on t.file_id = s.file_id and t.source_line = s.line
    where len(s._errors) = 0
    union all
    select file_id, source_line, {'field': field, 'value': value, 'reason': 'conflicting source: ' || detail}
    from erp_conflicts
    union all
    select file_id, line, {'field': 'request_id', 'value': request_id, 'reason': reject_reason}
    from renewal_decisions
    where reject_reason is not null
)

select * from named_rejects(errors)
