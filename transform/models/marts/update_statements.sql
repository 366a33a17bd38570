-- Every open update statement: each true-up year not done whose SKUs are
-- all counted and none above its entitlement (true_up_summary), an overdue
-- earlier year and the next one alike, each with its window. The SME
-- sends the vendor an update statement (a "zero true-up") between
-- opens_date and due_date instead of an order, and records it in
-- erp/statements to close the year.
-- check: unique(contract_id, agreement_year)
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
    skus_in_surplus,
    surplus_quantity
from true_up_summary
where next_step = 'update_statement'
order by due_date, contract_id, agreement_year
