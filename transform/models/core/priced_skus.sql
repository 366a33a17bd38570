-- Every SKU row in force on the period's first day, priced: its incentive,
-- pricing rule, exchange rate (the PTAX, or the vendor's monthly rate for a
-- vendor fx.vendors sets to vendor_rate) and every money column of the
-- quote table, rounded once (half-even, 2 decimals) from the exact values,
-- and the taxes on revenue of its kind of sale (core/taxes_in_force:
-- licence, or hardware for a vendor the config declares goods: hardware).
-- unpriced_reason says why a row cannot be quoted (it then goes to rejects
-- instead of quote_prices). In the order the vendor lists them.
--
-- Money is exact. Source prices are DECIMAL(18,6) and factors DECIMAL(_,6),
-- so exact products have scale 12-24 (HUGEINT arithmetic). Each amount is
-- estimated in DOUBLE (relative error ~1e-15) and its exact DECIMAL
-- expression is written inside div_round_with, whose CASE evaluates it only
-- for the rare rows whose estimate lies near a half cent: computed for every
-- row, the exact products cost more than all the rest of the pricing. The
-- minimum-margin test is decided the same way. The margin is net of the
-- taxes the price includes (tax_pct): (sell − sell × tax_pct/100 −
-- net_cost) / sell. A price raised to the minimum margin is the fraction
-- net_cost / (1 − tax_pct/100 − min_margin/100) (the markup divisor),
-- divided only when rounded; a row whose divisor is 0 or less can meet no
-- floor and is unpriced. taxes_brl is the included taxes on the rounded
-- sell_price_brl, tax by tax, each rounded half-even, summed; the taxes the
-- price does not include (CBS and IBS in 2026) are taxes_added_brl and never
-- change the margin. Without rules/taxes.csv the tax columns are NULL and
-- the prices and margins are as if no tax existed.
-- A per-run scratch table (temp): it depends on the period and is read by
-- quote_prices, the rejects and the FX check.
-- materialized: temp
with params as (
    select getvariable('period_start')::TIMESTAMP as period_start
),

-- The row in force for each SKU: its range contains the day; among
-- overlapping ranges the latest start wins (then the later file and line).
-- Not materialised: each use re-reads prices (stored tables), cheaper than
-- holding a million wide rows.
candidates as not materialized (
    select
        p.*,
        hash(vendor, product_id, sku_id, segment, market, currency, term, billing_plan) as sku_hash
    from prices p, params
    where (p.effective_from is null or p.effective_from <= params.period_start)
      and (p.effective_to is null or p.effective_to >= params.period_start)
),

-- Most SKUs have one candidate: only those sharing a hash (overlapping
-- ranges, or a collision, which the window below sorts out by the real key)
-- are ranked, and the rows that lose are left out.
shared as (
    select sku_hash from candidates group by sku_hash having count(*) > 1
),

superseded as (
    select file_id, line
    from candidates
    where sku_hash in (select sku_hash from shared)
    qualify row_number() over (
        partition by vendor, product_id, sku_id, segment, market, currency, term, billing_plan
        order by effective_from desc nulls last, source_file desc, source_line desc
    ) > 1
),

in_force as (
    select c.* from candidates c
    anti join superseded s on s.file_id = c.file_id and s.line = c.line
),

-- Rules are matched on the distinct keys they test, not on every row (keys
-- of all candidates: a superset of those in force, and cheaper to list).
families as (
    select distinct vendor, segment, product_family from candidates
),

-- The most specific rule (then the first line) of each family: arg_max per
-- group rather than row_number() over a partition per family, which on a
-- 1M-row list of 300,000 families (812,540 family × rule matches) took 5 s.
family_rule as (
    select
        vendor, segment, product_family,
        best.method, best.rule_pct, best.min_margin_pct, best.pricing_rule
    from (
        select
            f.vendor, f.segment, f.product_family,
            arg_max(
                {'method': r.method, 'rule_pct': r.pct, 'min_margin_pct': r.min_margin_pct,
                 'pricing_rule': files.path || ':' || r.line},
                (r.specificity, -r.line)
            ) as best
        from families f
        join stg_pricing_rules r
          on (r.vendor = '*' or lower(r.vendor) = lower(f.vendor))
         and (r.segment = '*' or lower(r.segment) = lower(f.segment))
         and (r.product_family = '*' or glob_ci(f.product_family, r.product_family))
        join files on files.file_id = r.file_id
        group by f.vendor, f.segment, f.product_family
    )
),

products as (
    select distinct vendor, product_id from candidates
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
        -- the rate that converts the row (fx.vendors in the config): the
        -- vendor's own for the month when it is set to vendor_rate, else
        -- the PTAX; fx_source says which (none for BRL)
        case when vs.vendor_key is not null then vfx.sell_rate else fx.sell_rate end as fx_rate,
        case when vs.vendor_key is not null then vfx.rate_date else fx.rate_date end as fx_date,
        case when f.currency = 'BRL' then null when vs.vendor_key is not null then 'vendor_rate' else 'ptax' end as fx_source,
        t.goods,
        t.has_tax_table,
        t.tax_pct,
        t.included as included_taxes,
        t.added as added_taxes,
        t.included_text,
        t.added_text
    from in_force f
    left join family_rule r using (vendor, segment, product_family)
    left join product_incentive i using (vendor, product_id)
    left join period_fx fx on fx.currency = f.currency
    left join fx_vendor_settings vs on vs.vendor_key = lower(f.vendor) and vs.source = 'vendor_rate' and f.currency <> 'BRL'
    left join vendor_period_fx vfx on vfx.vendor_key = lower(f.vendor) and vfx.currency = f.currency
    join taxes_in_force t
      on t.goods = case when list_contains(coalesce(getvariable('hardware_vendors'), []::VARCHAR[]), lower(f.vendor))
                        then 'hardware' else 'licence' end
),

-- DOUBLE estimates: net_cost = cost × (1 − incentive/100); the rule's
-- price; the minimum margin's divisor 1 − tax/100 − min_margin/100, and
-- whether it is above 0 (exactly: the sign of a DECIMAL).
estimated as (
    select
        *,
        cost::DOUBLE * (1 - incentive_pct::DOUBLE / 100) as net_est,
        case method
            when 'markup' then cost::DOUBLE * (1 - incentive_pct::DOUBLE / 100) * (1 + rule_pct::DOUBLE / 100)
            when 'list_discount' then list_price::DOUBLE * (1 - rule_pct::DOUBLE / 100)
        end as rule_sell_est,
        1 - coalesce(min_margin_pct, 0)::DOUBLE / 100 - tax_pct::DOUBLE / 100 as margin_den_est,
        margin_den_exact(min_margin_pct, tax_pct) > 0 as is_divisor_ok
    from costed
),

-- Below the minimum margin (rule price × divisor < net cost), sell is
-- net_cost / divisor. Within 1e-9 of equality the exact values decide.
floored as (
    select
        *,
        case
            when abs(rule_sell_est * margin_den_est - net_est) > 1e-9 * (abs(net_est) + 1)
                then rule_sell_est * margin_den_est < net_est
            else rule_price_exact(method, cost, list_price, incentive_pct, rule_pct) * margin_den_exact(min_margin_pct, tax_pct)
                 < net_cost_exact(cost, incentive_pct)
        end as min_margin_applied
    from estimated
),

sold as (
    select
        *,
        case
            when not is_divisor_ok then null
            when min_margin_applied then net_est / margin_den_est
            else rule_sell_est
        end as sell_est
    from floored
),

-- The exact values are the macros *_exact (macros.sql); the price is the
-- fraction sell_num_exact / sell_den_exact. An estimate of NULL (no
-- divisor) makes each amount NULL.
priced as (
select
    file_id,
    line,
    vendor,
    product_id,
    sku_id,
    product,
    sku_title,
    product_family,
    segment,
    market,
    term,
    billing_plan,
    currency,
    round_half_even(cost) as cost,
    round_half_even(list_price) as list_price,
    incentive_program,
    incentive_pct::DECIMAL(9,2) as incentive_pct,
    div_round_with(net_cost_exact(cost, incentive_pct), 1, net_est * 100) as net_cost,
    pricing_rule,
    min_margin_applied,
    div_round_with(
        sell_num_exact(min_margin_applied, method, cost, list_price, incentive_pct, rule_pct),
        sell_den_exact(min_margin_applied, min_margin_pct, tax_pct),
        sell_est * 100
    ) as sell_price,
    -- (sell − net)/sell × 100 − tax_pct = ((num − net·den) × 100 − tax_pct·num)/num
    div_round_with(
        (sell_num_exact(min_margin_applied, method, cost, list_price, incentive_pct, rule_pct)
         - net_cost_exact(cost, incentive_pct) * sell_den_exact(min_margin_applied, min_margin_pct, tax_pct)) * 100
         - tax_pct * sell_num_exact(min_margin_applied, method, cost, list_price, incentive_pct, rule_pct),
        sell_num_exact(min_margin_applied, method, cost, list_price, incentive_pct, rule_pct),
        (sell_est - net_est) * 10000 / nullif(sell_est, 0) - tax_pct::DOUBLE * 100
    ) as margin_pct,
    fx_rate,
    fx_date,
    fx_source,
    div_round_with(cost::DECIMAL(38,6) * fx_rate, 1, cost::DOUBLE * fx_rate::DOUBLE * 100) as cost_brl,
    div_round_with(list_price::DECIMAL(38,6) * fx_rate, 1, list_price::DOUBLE * fx_rate::DOUBLE * 100) as list_price_brl,
    div_round_with(net_cost_exact(cost, incentive_pct) * fx_rate, 1, net_est * fx_rate::DOUBLE * 100) as net_cost_brl,
    div_round_with(
        sell_num_exact(min_margin_applied, method, cost, list_price, incentive_pct, rule_pct) * fx_rate,
        sell_den_exact(min_margin_applied, min_margin_pct, tax_pct),
        sell_est * fx_rate::DOUBLE * 100
    ) as sell_price_brl,
    effective_from::DATE as effective_from,
    effective_to::DATE as effective_to,
    source_file,
    source_line,
    goods,
    has_tax_table,
    tax_pct,
    included_taxes,
    added_taxes,
    included_text,
    added_text,
    case
        when method is null then 'no pricing rule matches (vendor ' || vendor || ', segment ' || segment || ', family ' || product_family || ')'
        when method = 'list_discount' and list_price is null then 'list price required by pricing rule ' || pricing_rule
        when not is_divisor_ok then 'no price meets the minimum margin: taxes ' || ptbr_plain(plain_number(tax_pct)) || '% ('
            || included_text || ') + minimum margin ' || ptbr_plain(plain_number(coalesce(min_margin_pct, 0))) || '% of pricing rule '
            || pricing_rule || ' leave a markup divisor of ' || ptbr_plain(plain_number(margin_den_exact(min_margin_pct, tax_pct))) || ' (1 − taxes − margin ≤ 0)'
    end as unpriced_reason
from sold
)

select
    * exclude (has_tax_table, tax_pct, included_taxes, added_taxes, included_text, added_text, unpriced_reason),
    case when has_tax_table then tax_pct::DECIMAL(9,2) end as tax_pct,
    case when has_tax_table then taxes_on(sell_price_brl, included_taxes) end as taxes_brl,
    case when has_tax_table then taxes_on(sell_price_brl, added_taxes) end as taxes_added_brl,
    case when has_tax_table then coalesce(included_text, 'nenhum') end as taxes_included,
    case when has_tax_table then added_text end as taxes_added,
    unpriced_reason
from priced
-- in the order the vendor lists them (a unique and cheap key to sort on)
order by vendor, source_file, source_line
