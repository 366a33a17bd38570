-- Contracts (agreements) with their customer. A contract_id delivered
-- twice with the same values is one row; with other values (customer,
-- vendor, program, agreement, dates, billing, currency, onboarding,
-- true-up program, FX rule) it is_conflicting: the later file's row is kept here,
-- core/erp_conflicts lists every version, and the customers of both get no
-- renewal draft or proposal until the files agree. The status is not
-- compared: a contract moves from ativo to encerrado between two exports,
-- and the later export says where it is now.
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
    c.fx_rule,
    f.path as source_file,
    c.line as source_line,
    min(c.value_hash) over w <> max(c.value_hash) over w as is_conflicting
from (
    select
        *,
        hash(customer_id, vendor, program, agreement_number, start_date, end_date, billing_frequency,
             currency, onboarding_date, true_up_program, fx_rule) as value_hash
    from stg_erp_contracts
) c
join files f using (file_id)
where len(c._errors) = 0
window w as (partition by c.contract_id order by f.path desc, c.line desc
             rows between unbounded preceding and unbounded following)
qualify row_number() over w = 1
order by c.contract_id
