-- Every agreement year of every contract with a true_up_program, with its
-- true-up window as the Enterprise Agreement enrollment sets it
-- (docs/licensing.md): an anniversary's true-up order or update statement
-- is due between true_up_opens_days (60) and true_up_due_days (30) days
-- before the anniversary; the last year's within final_true_up_days (30)
-- before the end date, up to the end date (lifecycle: in the config).
-- Agreement years run anniversary to anniversary: year k from start +
-- (k − 1) years to the day before start + k years, the last one to the end
-- date. Anniversaries are start + k years (29/02 becomes 28/02 in a year
-- that has none). anniversary_date is what a statement names
-- (erp/statements); remaining_years are the whole years after year k.
-- check: unique(contract_id, agreement_year)
-- check: not_null(contract_id, agreement_year, year_start, year_end, anniversary_date, opens_date, due_date)
with years as (
    select
        c.contract_id,
        c.start_date,
        c.end_date,
        c.term_years,
        c.is_active,
        unnest(generate_series(1, greatest(c.term_years, 1))) as k
    from lifecycle_contracts c
    where c.true_up_program is not null
),

dated as (
    select
        y.*,
        y.k = greatest(y.term_years, 1) as is_final,
        (y.start_date + to_years(y.k - 1))::DATE as year_start,
        (y.start_date + to_years(y.k))::DATE as anniversary_date
    from years y
)

select
    contract_id,
    k as agreement_year,
    is_final,
    year_start,
    case when is_final then end_date else anniversary_date - 1 end as year_end,
    anniversary_date,
    case when is_final then end_date - getvariable('final_true_up_days')::INTEGER
         else anniversary_date - getvariable('true_up_opens_days')::INTEGER end as opens_date,
    case when is_final then end_date
         else anniversary_date - getvariable('true_up_due_days')::INTEGER end as due_date,
    greatest(term_years - k, 0) as remaining_years,
    is_active
from dated
order by contract_id, agreement_year
