-- Every row of the reconciliation inputs that failed validation, and every
-- XML that is not an NF-e/NFS-e or has a bad value, with the column named
-- as its file names it.
with errors as (
    select file_id, line, unnest(_errors) as e from stg_erp_customers where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_contracts where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_contract_lines where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_orders where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_invoices where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_erp_vendor_accounts where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_nf_documents where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_ms_billing where len(_errors) > 0
    union all
    -- PTAX converts the bills not in BRL
    select file_id, line, unnest(_errors) as e from stg_ptax where len(_errors) > 0
    union all
    select r.file_id, r.line, {'field': r.field, 'value': r.value, 'reason': r.reason} as e
    from load_rejects r
    join files f on f.file_id = r.file_id
    where f.kind in ('erp_customers', 'erp_contracts', 'erp_contract_lines', 'erp_orders', 'erp_invoices',
                     'erp_vendor_accounts', 'nf_xml', 'ms_billing', 'ptax')
)

select * from named_rejects(errors)
