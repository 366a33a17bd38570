-- The customer's master data and its data-quality findings (of the last
-- reconciliation run), one row per field. A finding keeps its check, value
-- and detail apart (check_name, check_value, detail), and a restriction is
-- written in Portuguese, for the dossier to show them to people
-- (reports.DossierCustomer labels the codes).
with c as (
    select * from customers where customer_id = getvariable('dossier_customer_id')
),

master as (
    select 1 as ord, 'Cliente' as field, customer_id || ' — ' || name as value from c
    union all select 2, 'CNPJ', coalesce(cnpj_text, cnpj) || case when is_cnpj_valid then '' else ' (inválido)' end from c
    union all select 3, 'Segmento', segment from c
    union all select 4, 'Gerente de contas', account_manager from c
    union all select 5, 'Situação', status from c
    union all select 6, 'Dia de corte', billing_cutoff_day::VARCHAR from c
    union all select 7, 'Prazo de pagamento (dias)', payment_terms_days::VARCHAR from c
    union all select 8, 'Limite de crédito', ptbr_money(credit_limit_brl) from c
    union all select 9, 'Restrições', array_to_string(list_transform(restrictions, r -> case r
        when 'po_required' then 'exige pedido de compra (PO)'
        when 'portal' then 'nota lançada no portal do cliente'
        else r end), ', ') from c
    union all select 10, 'Portal', portal from c
    union all select 11, 'Arquivo de origem', source_file || ':' || source_line from c
),

findings as (
    select
        100 + row_number() over (order by check_name, value) as ord,
        'Qualidade de dados' as field,
        check_name || ': ' || coalesce(value || ' — ', '') || detail as value,
        check_name,
        value as check_value,
        detail
    from data_quality
    where entity = 'customer' and entity_key = getvariable('dossier_customer_id')
)

select field, value, check_name, check_value, detail
from (
    select ord, field, value, null::VARCHAR as check_name, null::VARCHAR as check_value, null::VARCHAR as detail from master
    union all
    select ord, field, value, check_name, check_value, detail from findings
)
where value is not null
order by ord
