-- Pendências: the exceptions open at the period published by owner (the
-- latest decision's; none yet: owner NULL), their amounts in aging buckets
-- by age_months (0–1, 2–3, 4–6, more than 6 months), how many, how many
-- overdue.
-- materialized: temp
-- check: unique(owner)
select
    owner,
    count(*) as exceptions,
    count(*) filter (where is_overdue) as overdue,
    coalesce(sum(amount_brl) filter (where age_months <= 1), 0)::DECIMAL(18,2) as months_0_1_brl,
    coalesce(sum(amount_brl) filter (where age_months between 2 and 3), 0)::DECIMAL(18,2) as months_2_3_brl,
    coalesce(sum(amount_brl) filter (where age_months between 4 and 6), 0)::DECIMAL(18,2) as months_4_6_brl,
    coalesce(sum(amount_brl) filter (where age_months > 6), 0)::DECIMAL(18,2) as months_over_6_brl,
    coalesce(sum(amount_brl), 0)::DECIMAL(18,2) as total_brl
from open_exceptions
group by owner
order by total_brl desc, owner nulls last
