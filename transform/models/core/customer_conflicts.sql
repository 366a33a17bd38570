-- Customers delivered with other values by two files or lines
-- (customers.is_conflicting): every version, with the columns that differ
-- and the other version's file and line (macros.sql conflict_findings).
-- The quotes pipeline reads it for its requests; core/erp_conflicts
-- gathers it with the other ERP conflicts.
with versions as (
    select
        'customer' as entity,
        c.customer_id as entity_key,
        c.customer_id,
        c.file_id,
        f.path as source_file,
        c.line as source_line,
        -- keyed by the file's column names
        to_json({
            'name': c.name, 'cnpj': c.cnpj, 'segment': c.segment, 'billing_cutoff_day': c.billing_cutoff_day,
            'payment_terms_days': c.payment_terms_days, 'credit_limit': plain_number(c.credit_limit_brl),
            'restrictions': array_to_string(c.restrictions, '|'), 'portal': c.portal,
            'account_manager': c.account_manager, 'status': c.status
        }) as vals
    from stg_erp_customers c
    join files f using (file_id)
    join customers k on k.customer_id = c.customer_id and k.is_conflicting
    where len(c._errors) = 0
)

select * from conflict_findings(versions)
