-- Every row of the lifecycle's inputs that failed validation, SAM counts
-- that name an unknown contract or another customer's, and every version
-- of a customer, contract, contract line or order line that another file
-- gives with other values (core/erp_conflicts: its customer gets no
-- renewal draft), with the column named as its file names it.
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
    where f.kind in ('erp_customers', 'erp_contracts', 'erp_contract_lines', 'erp_orders', 'sam')
    union all
    select file_id, source_line, {'field': field, 'value': value, 'reason': 'conflicting source: ' || detail}
    from erp_conflicts
)

select * from named_rejects(errors)
