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
-- is_below_min_margin: the current price's margin (as the price list
-- published it) is below the floor (min_margin_pct) of its pricing rule as
-- rules/pricing.csv has it now, or that rule is gone from it (the floor is
-- unknown): the draft then waits for an approval (renewals).
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

rules as (
    select f.path || ':' || r.line as pricing_rule, r.min_margin_pct
    from stg_pricing_rules r
    join files f using (file_id)
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
    case
        when v.renewal_value_brl is not null then null
        when (select count(*) from current_prices) = 0
            then 'no published price table for a period up to ' || getvariable('period')
        else 'no ' || v.vendor || ' price for ' || v.product_id || coalesce('/' || v.sku_id, '')
             || ', ' || v.term_months || ' months' || coalesce(', ' || v.billing_plan_key, '')
             || ', ' || v.segment_key || ' in the ' || (select max(price_period) from current_prices) || ' price table'
    end as unpriced_reason,
    case when v.previous_value_brl is null then 'no unit_price or annual_price' end as previous_value_note,
    ru.min_margin_pct::DECIMAL(9,4) as min_margin_pct,
    case
        when v.renewal_value_brl is null then null
        when ru.pricing_rule is null then true
        else coalesce(v.price_margin_pct < ru.min_margin_pct, false)
    end as is_below_min_margin,
    case
        when v.renewal_value_brl is null then null
        when ru.pricing_rule is null then 'pricing rule ' || coalesce(v.pricing_rule, '(none)') || ' is no longer in rules/pricing.csv'
        when v.price_margin_pct < ru.min_margin_pct
            then 'margin ' || v.price_margin_pct || ' below the floor ' || ru.min_margin_pct::DECIMAL(9,2) || ' of pricing rule ' || v.pricing_rule
    end as floor_note,
    v.source_file,
    v.source_line
from valued v
left join rules ru on ru.pricing_rule = v.pricing_rule
order by v.contract_id, v.line_no
