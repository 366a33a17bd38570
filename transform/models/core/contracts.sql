-- Contracts (agreements) with their customer; the latest delivery of a
-- contract_id wins.
-- check: unique(contract_id)
select
    c.contract_id,
    c.customer_id,
    c.vendor,
    c.program,
    c.agreement_number,
    c.start_date,
    c.end_date,
    c.end_date >= c.start_date as is_valid_period,
    c.billing_frequency,
    c.currency,
    c.status,
    c.onboarding_date,
    c.true_up_program,
    f.path as source_file,
    c.line as source_line
from stg_erp_contracts c
join files f using (file_id)
where len(c._errors) = 0
qualify row_number() over (partition by c.contract_id order by f.path desc, c.line desc) = 1
order by c.contract_id
