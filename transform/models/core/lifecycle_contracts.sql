-- Every contract with a valid period, as the lifecycle sees it: its
-- customer, its term (days, months, whole years), its billing plan and
-- how many billing periods a year holds, the segment it buys in, and its
-- successor: the earliest later contract of the same customer, vendor and
-- program that starts within renewal_horizon_days of its end or after it
-- (an agreement running alongside is no renewal).
-- is_active: status active and either still running at as-of or ended
-- without a successor (its renewal is still to be done).
-- check: unique(contract_id)
-- check: not_null(contract_id, customer_id, start_date, end_date, term_months)
with c as (
    select
        ct.*,
        lower(trim(ct.vendor)) as vendor_key,
        coalesce(ct.program, '') as program_key
    from contracts ct
    where ct.is_valid_period
),

successors as (
    select
        c.contract_id,
        arg_min(s.contract_id, (s.start_date, s.contract_id)) as successor_contract_id
    from c
    join c s
      on s.customer_id = c.customer_id
     and s.vendor_key = c.vendor_key
     and s.program_key = c.program_key
    where s.start_date > c.start_date
      and s.start_date >= c.end_date - getvariable('renewal_horizon_days')
    group by c.contract_id
),

terms as (
    select
        c.*,
        date_diff('day', c.start_date, c.end_date) + 1 as term_days,
        round((date_diff('day', c.start_date, c.end_date) + 1) / 30.436875)::INTEGER as term_months,
        case
            when c.billing_frequency in ('monthly', 'mensal') then 'monthly'
            when c.billing_frequency in ('quarterly', 'trimestral') then 'quarterly'
            when c.billing_frequency in ('annual', 'anual', 'yearly') then 'annual'
            when c.billing_frequency in ('triennial', 'trienal', 'upfront') then 'triennial'
            else c.billing_frequency
        end as billing_plan_key
    from c
)

select
    t.contract_id,
    t.customer_id,
    cu.name as customer_name,
    cu.account_manager,
    t.vendor,
    t.vendor_key,
    t.program,
    t.true_up_program,
    t.agreement_number,
    t.start_date,
    t.end_date,
    t.onboarding_date,
    t.term_days,
    t.term_months,
    t.term_months // 12 as term_years,
    t.billing_frequency,
    t.billing_plan_key,
    -- months one unit_price pays for: a line's price for a year is
    -- unit_price × 12 / billing_period_months
    case t.billing_plan_key
        when 'monthly' then 1
        when 'quarterly' then 3
        when 'annual' then 12
        when 'triennial' then 36
    end as billing_period_months,
    coalesce(sg.segment_key, 'commercial') as segment_key,
    t.currency,
    t.status,
    s.successor_contract_id,
    t.status in ('active', 'ativo')
        and (t.end_date >= getvariable('as_of') or s.successor_contract_id is null) as is_active,
    t.source_file,
    t.source_line
from terms t
left join customers cu on cu.customer_id = t.customer_id
left join successors s on s.contract_id = t.contract_id
left join segments sg on sg.alias = lower(trim(cu.segment))
order by t.contract_id
