-- The customer master: one row per customer_id (the latest file and line
-- wins when a customer is delivered twice), with its CNPJ checked.
-- check: unique(customer_id)
-- check: not_null(customer_id, name)
select
    c.customer_id,
    c.name,
    c.cnpj,
    c.cnpj_text,
    cnpj_valid(c.cnpj) as is_cnpj_valid,
    c.segment,
    c.billing_cutoff_day,
    c.payment_terms_days,
    c.credit_limit_brl::DECIMAL(18,2) as credit_limit_brl,
    c.restrictions,
    list_contains(c.restrictions, 'portal') as is_portal_required,
    c.portal,
    c.account_manager,
    c.status,
    f.path as source_file,
    c.line as source_line
from stg_erp_customers c
join files f using (file_id)
where len(c._errors) = 0
qualify row_number() over (partition by c.customer_id order by f.path desc, c.line desc) = 1
order by c.customer_id
