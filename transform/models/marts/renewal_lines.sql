-- Every line of the contracts up for renewal (see renewals), valued per
-- year twice, in BRL:
--   previous_value_brl = quantity × the contract's unit_price × 12 /
--       billing_period_months (annual_price when there is no unit_price),
--       at the period's PTAX sell rate when the line is not in BRL;
--   renewal_value_brl  = quantity × the current sell_price_brl × 12 /
--       term_months, from the latest published price table of a period up
--       to the run's, matched as core/contract_prices says.
-- A line without a current price keeps renewal_value_brl NULL and says why
-- in unpriced_reason: it is never priced as zero.
-- margin_pct is the margin of the current price net of the taxes on revenue
-- in force on the period's first day (core/taxes_in_force), as quotes
-- count it: (sell − sell × tax_pct/100 − net cost) / sell.
-- is_below_min_margin: the line is below the floor (min_margin_pct) of the
-- pricing rule that priced it as rules/pricing.csv has it now: the margin
-- the price list published (price_margin_pct) is below it (the floor was
-- raised since), or the taxes are not those the table was priced with and
-- margin_pct is below it (a table meets its rule by construction, so only
-- then is margin_pct compared), or the rule is gone from rules/pricing.csv
-- (the floor is unknown). floor_note says which; the draft then waits for
-- an approval (renewals).
-- check: not_null(contract_id, product_id, quantity)
with scope as (
    select c.*
    from lifecycle_contracts c
    join renewals_due d using (contract_id)
),

lines as (
    select
        l.*,
        row_number() over (partition by l.contract_id order by l.source_file, l.source_line) as line_no,
        s.vendor, s.vendor_key, s.segment_key, s.term_months, s.billing_plan_key, s.billing_period_months,
        s.customer_id, s.customer_name
    from contract_lines l
    join scope s using (contract_id)
),

valued as (
    select
        l.*,
        fx.sell_rate as fx_rate,
        m.price_period,
        m.price_term,
        m.price_billing_plan,
        m.sell_price_brl as current_sell_price_brl,
        m.price_product,
        m.price_sku_title,
        m.pricing_rule,
        m.price_margin_pct,
        m.net_cost_brl as current_net_cost_brl,
        m.goods,
        m.table_tax_pct,
        t.tax_pct,
        t.has_tax_table,
        t.proposal_note as taxes_note,
        r.pricing_rule as rule_in_force,
        r.min_margin_pct,
        case
            when l.unit_price is not null and l.billing_period_months is not null
                then div_round(l.quantity::DECIMAL(38,6) * l.unit_price * 12 * fx.sell_rate, l.billing_period_months)
            else round_half_even(l.quantity::DECIMAL(38,6) * l.annual_price * fx.sell_rate)
        end as previous_value_brl,
        div_round(l.quantity::DECIMAL(38,6) * m.annual_sell_price_num_brl, m.annual_sell_price_den) as renewal_value_brl
    from lines l
    left join period_fx fx on fx.currency = l.currency
    left join contract_prices m
      on m.contract_id = l.contract_id and m.product_id = l.product_id and m.sku_key = coalesce(l.sku_id, '')
    left join taxes_in_force t on t.goods = m.goods
    left join (
        select f.path || ':' || r.line as pricing_rule, r.min_margin_pct
        from stg_pricing_rules r join files f using (file_id)
    ) r on r.pricing_rule = m.pricing_rule
),

margins as (
    select
        *,
        div_round((current_sell_price_brl - current_net_cost_brl) * 100 - coalesce(tax_pct, 0) * current_sell_price_brl,
                  current_sell_price_brl) as margin_pct
    from valued
),

floors as (
    select
        *,
        case
            when renewal_value_brl is null then null
            when rule_in_force is null
                then 'pricing rule ' || coalesce(pricing_rule, '(none)') || ' is no longer in rules/pricing.csv'
            when price_margin_pct < min_margin_pct
                then 'margin ' || price_margin_pct || ' below the floor ' || min_margin_pct::DECIMAL(9,2) || ' of pricing rule ' || pricing_rule
            when coalesce(tax_pct, 0)::DECIMAL(9,2) <> coalesce(table_tax_pct, 0)::DECIMAL(9,2) and margin_pct < min_margin_pct
                then 'margin net of taxes ' || margin_pct || ' below the floor ' || min_margin_pct::DECIMAL(9,2) || ' of pricing rule ' || pricing_rule
        end as floor_note
    from margins
)

select
    v.contract_id,
    v.line_no,
    v.customer_id,
    v.customer_name,
    v.vendor,
    v.product_id,
    v.sku_id,
    v.description,
    v.quantity,
    v.currency,
    v.unit_price,
    v.annual_price,
    v.fx_rate,
    v.previous_value_brl,
    v.price_period,
    v.price_term,
    v.price_billing_plan,
    v.current_sell_price_brl,
    v.price_product,
    v.price_sku_title,
    v.pricing_rule,
    v.price_margin_pct,
    v.renewal_value_brl,
    case when v.previous_value_brl > 0 and v.renewal_value_brl is not null
         then div_round((v.renewal_value_brl - v.previous_value_brl) * 100, v.previous_value_brl) end as uplift_pct,
    v.margin_pct,
    v.min_margin_pct::DECIMAL(9,4) as min_margin_pct,
    case when v.renewal_value_brl is not null then v.floor_note is not null end as is_below_min_margin,
    v.floor_note,
    case when v.has_tax_table then v.tax_pct::DECIMAL(9,2) end as tax_pct,
    v.taxes_note,
    case
        when v.renewal_value_brl is not null then null
        when (select count(*) from current_prices) = 0
            then 'no published price table for a period up to ' || getvariable('period')
        else 'no ' || v.vendor || ' price for ' || v.product_id || coalesce('/' || v.sku_id, '')
             || ', ' || v.term_months || ' months' || coalesce(', ' || v.billing_plan_key, '')
             || ', ' || v.segment_key || ' in the ' || (select max(price_period) from current_prices) || ' price table'
    end as unpriced_reason,
    case when v.previous_value_brl is null then 'no unit_price or annual_price' end as previous_value_note,
    v.source_file,
    v.source_line
from floors v
order by v.contract_id, v.line_no
