-- The true-up per contract and agreement year (true_up_additions
-- totalled): what to order and for how much, or, with nothing to add, an
-- update statement. A year whose event is closed (a true_up order or a
-- recorded statement: t36_calendar) is done. A year is incomplete while a
-- SKU has no count, or an addition has no price: then no step is proposed.
-- check: unique(contract_id, agreement_year)
-- check: accepted_values(next_step: done, true_up_order, update_statement, incomplete)
with t as (
    select
        contract_id,
        agreement_year,
        any_value(customer_id) as customer_id,
        any_value(customer_name) as customer_name,
        any_value(account_manager) as account_manager,
        any_value(vendor) as vendor,
        any_value(true_up_program) as true_up_program,
        any_value(year_start) as year_start,
        any_value(year_end) as year_end,
        any_value(opens_date) as opens_date,
        any_value(due_date) as due_date,
        any_value(status) as status,
        any_value(evidence) as evidence,
        count(*) as skus,
        count(*) filter (where deployed_quantity is null) as skus_without_count,
        count(*) filter (where add_quantity > 0) as skus_to_add,
        count(*) filter (where surplus_quantity > 0) as skus_in_surplus,
        coalesce(sum(add_quantity), 0) as add_quantity,
        coalesce(sum(surplus_quantity), 0) as surplus_quantity,
        sum(add_value_brl) as add_value_brl,
        count(*) filter (where add_quantity > 0 and price_source = 'current_table') as skus_priced_from_table,
        bool_and(deployed_quantity is not null and (add_quantity = 0 or add_value_brl is not null)) as is_complete
    from true_up_additions
    group by contract_id, agreement_year
)

select
    contract_id,
    customer_id,
    customer_name,
    account_manager,
    vendor,
    true_up_program,
    agreement_year,
    year_start,
    year_end,
    opens_date,
    due_date,
    status,
    skus,
    skus_without_count,
    skus_to_add,
    skus_in_surplus,
    skus_priced_from_table,
    add_quantity,
    surplus_quantity,
    add_value_brl::DECIMAL(18,2) as add_value_brl,
    is_complete,
    case
        when status = 'done' then 'done'
        when not is_complete then 'incomplete'
        when skus_to_add > 0 then 'true_up_order'
        else 'update_statement'
    end as next_step,
    evidence
from t
order by due_date, contract_id, agreement_year
