-- Every row of the lifecycle's inputs that failed validation, SAM counts
-- that name an unknown contract or another customer's, and every version
-- of a customer, contract, contract line or order line that another file
-- gives with other values (core/erp_conflicts: its customer gets no
-- renewal draft), and every line of approvals/ on a renewal draft
-- (RN-…) that is not valid or decides nothing (core/renewal_decisions),
-- with the column named as its file names it. Rebuilt at every run (it
-- reads the temp renewal_decisions): a per-run table, kept out of the
-- warehouse file.
-- materialized: temp
with errors as (
    select file_id, line, unnest(_errors) as e from stg_erp_customers where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_contracts where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_contract_lines where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_orders where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_sam_counts where len(_errors) > 0
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
    select r.file_id, r.line, {'field': r.field, 'value': r.value, 'reason': r.reason} as e
    from load_rejects r
    join files f on f.file_id = r.file_id
    where f.kind in ('erp_customers', 'erp_contracts', 'erp_contract_lines', 'erp_orders', 'sam', 'approvals')
    union all
    select file_id, source_line, {'field': field, 'value': value, 'reason': 'conflicting source: ' || detail}
    from erp_conflicts
    union all
    select file_id, line, unnest(_errors) from stg_quote_approvals
    where len(_errors) > 0 and starts_with(coalesce(request_id, ''), 'RN-')
    union all
    select file_id, line, {'field': 'request_id', 'value': request_id, 'reason': reject_reason}
    from renewal_decisions
    where reject_reason is not null
)

select * from named_rejects(errors)
