-- The customer's master data and its data-quality findings (of the last
-- reconciliation run), one row per field.
with c as (
    select * from customers where customer_id = getvariable('dossier_customer_id')
),

fields as (
    select 1 as ord, 'Cliente' as field, customer_id || ' — ' || name as value from c
    union all select 2, 'CNPJ', coalesce(cnpj_text, cnpj) || case when is_cnpj_valid then '' else ' (inválido)' end from c
    union all select 3, 'Segmento', segment from c
    union all select 4, 'Account manager', account_manager from c
    union all select 5, 'Situação', status from c
    union all select 6, 'Dia de corte', billing_cutoff_day::VARCHAR from c
    union all select 7, 'Prazo de pagamento (dias)', payment_terms_days::VARCHAR from c
    union all select 8, 'Limite de crédito', ptbr_money(credit_limit_brl) from c
    union all select 9, 'Restrições', array_to_string(restrictions, ', ') from c
    union all select 10, 'Portal', portal from c
    union all select 11, 'Arquivo de origem', source_file || ':' || source_line from c
    union all
    select 100 + row_number() over (order by check_name, value), 'Qualidade de dados', check_name || ': ' || coalesce(value || ' — ', '') || detail
    from data_quality
    where entity = 'customer' and entity_key = getvariable('dossier_customer_id')
)

select field, value from fields where value is not null order by ord
