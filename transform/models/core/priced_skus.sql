-- Every SKU row in force on the period's first day, with its incentive,
-- pricing rule and exchange rate. unpriced_reason says why a row cannot be
-- quoted (it then goes to rejects instead of the price table).
--
-- Money stays exact: source prices are DECIMAL(18,6), factors DECIMAL(_,6);
-- products are kept unrounded (scale 12-24) and rounded once, half-even, in
-- the mart. A price raised to the minimum margin is the fraction
-- sell_num / sell_den (net_cost / (1 - min_margin)), divided only at the end.
-- A per-run scratch table (temp): it depends on the period and is read by
-- the price marts and the rejects.
-- materialized: temp
with params as (
    select getvariable('period_start')::TIMESTAMP as period_start
),

-- The row in force for each SKU: its range contains the day; among
-- overlapping ranges the latest start wins (then the later file and line).
candidates as (
    select
        p.*,
        hash(vendor, product_id, sku_id, segment, market, currency, term, billing_plan) as sku_hash
    from prices p, params
    where (p.effective_from is null or p.effective_from <= params.period_start)
      and (p.effective_to is null or p.effective_to >= params.period_start)
),

-- Most SKUs have one candidate: only those sharing a hash (overlapping
-- ranges, or a collision, which the window below sorts out by the real key)
-- go through the sort.
shared as (
    select sku_hash from candidates group by sku_hash having count(*) > 1
),

in_force as (
    select * from candidates
    where sku_hash not in (select sku_hash from shared)

    union all

    select * from candidates
    where sku_hash in (select sku_hash from shared)
    qualify row_number() over (
        partition by vendor, product_id, sku_id, segment, market, currency, term, billing_plan
        order by effective_from desc nulls last, source_file desc, source_line desc
    ) = 1
),

-- Rules are matched on the distinct keys they test, not on every row.
families as (
    select distinct vendor, segment, product_family from in_force
),

family_rule as (
    select
        f.vendor, f.segment, f.product_family,
        r.method, r.pct as rule_pct, r.min_margin_pct,
        files.path || ':' || r.line as pricing_rule
    from families f
    join stg_pricing_rules r
      on (r.vendor = '*' or lower(r.vendor) = lower(f.vendor))
     and (r.segment = '*' or lower(r.segment) = lower(f.segment))
     and (r.product_family = '*' or glob_ci(f.product_family, r.product_family))
    join files on files.file_id = r.file_id
    qualify row_number() over (
        partition by f.vendor, f.segment, f.product_family
        order by r.specificity desc, r.line
    ) = 1
),

products as (
    select distinct vendor, product_id from in_force
),

product_incentive as (
    select
        p.vendor, p.product_id,
        i.program as incentive_program,
        i.pct as incentive_pct
    from products p, params
    join stg_incentive_rules i
      on (i.vendor = '*' or lower(i.vendor) = lower(p.vendor))
     and glob_ci(p.product_id, i.sku_pattern)
     and (i.valid_from is null or i.valid_from <= params.period_start)
     and (i.valid_to is null or i.valid_to >= params.period_start)
    qualify row_number() over (
        partition by p.vendor, p.product_id
        order by length(i.sku_pattern) desc, i.line
    ) = 1
),

costed as (
    select
        f.*,
        i.incentive_program,
        coalesce(i.incentive_pct, 0)::DECIMAL(9,4) as incentive_pct,
        r.method,
        r.rule_pct,
        r.min_margin_pct,
        r.pricing_rule,
        fx.sell_rate as fx_rate,
        fx.rate_date as fx_date,
        -- net_cost = cost × (1 − incentive/100), exact at scale 12
        f.cost::DECIMAL(38,6) * (1 - coalesce(i.incentive_pct, 0)::DECIMAL(9,4) * 0.01) as net_cost_exact,
        -- sell ≥ net_cost / (1 − min_margin/100)
        (1 - coalesce(r.min_margin_pct, 0) * 0.01) as margin_den
    from in_force f
    left join family_rule r using (vendor, segment, product_family)
    left join product_incentive i using (vendor, product_id)
    left join period_fx fx on fx.currency = f.currency
),

-- the price the rule gives, exact
ruled as (
    select
        *,
        case method
            when 'markup' then net_cost_exact * (1 + rule_pct * 0.01)
            when 'list_discount' then list_price::DECIMAL(38,6) * (1 - rule_pct * 0.01)
        end as rule_sell
    from costed
),

-- below the minimum margin, sell is net_cost / margin_den
floored as (
    select *, rule_sell * margin_den < net_cost_exact as min_margin_applied
    from ruled
)

select
    *,
    case when min_margin_applied then net_cost_exact else rule_sell end as sell_num,
    case when min_margin_applied then margin_den else 1::DECIMAL(17,6) end as sell_den,
    case
        when method is null then 'no pricing rule matches (vendor ' || vendor || ', segment ' || segment || ', family ' || product_family || ')'
        when method = 'list_discount' and list_price is null then 'list price required by pricing rule ' || pricing_rule
    end as unpriced_reason
from floored
