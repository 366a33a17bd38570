-- The customer master: one row per customer_id, with its CNPJ checked. A
-- customer delivered twice with the same values is one row; with other
-- values (name, CNPJ, segment, cutoff, terms, limit, restrictions, portal
-- or manager) it is_conflicting: the later file's row is kept here,
-- core/customer_conflicts lists every version, and the customer gets no
-- customer document until the files agree. The status (active, blocked)
-- is not compared: the later export says where the customer is now.
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
    c.line as source_line,
    min(c.value_hash) over w <> max(c.value_hash) over w as is_conflicting
from (
    select
        *,
        hash(name, cnpj, segment, billing_cutoff_day, payment_terms_days, credit_limit_brl, restrictions,
             portal, account_manager) as value_hash
    from stg_erp_customers
) c
join files f using (file_id)
where len(c._errors) = 0
window w as (partition by c.customer_id order by f.path desc, c.line desc
             rows between unbounded preceding and unbounded following)
qualify row_number() over w = 1
order by c.customer_id
