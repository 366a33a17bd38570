-- Contracts whose next true-up adds nothing (every SKU counted, none above
-- its entitlement): the SME sends the vendor an update statement (a
-- "zero true-up") by the true-up's due date instead of an order.
-- check: unique(contract_id)
select
    contract_id,
    customer_id,
    customer_name,
    account_manager,
    vendor,
    true_up_program,
    agreement_year,
    opens_date,
    due_date,
    status,
    skus,
    skus_in_surplus,
    surplus_quantity
from true_up_summary
where next_step = 'update_statement'
order by due_date, contract_id
