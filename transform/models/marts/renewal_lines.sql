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
-- count it: (sell − sell × tax_pct/100 − net cost) / sell; it is below the
-- floor of the pricing rule that priced it (is_below_min_margin) only when
-- the taxes are not those the table was priced with, as the table meets
-- its rule by construction. The draft of a contract with such a line waits
-- for approval (renewals).
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
        m.net_cost_brl as current_net_cost_brl,
        m.goods,
        m.table_tax_pct,
        t.tax_pct,
        t.has_tax_table,
        t.proposal_note as taxes_note,
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
    v.renewal_value_brl,
    case when v.previous_value_brl > 0 and v.renewal_value_brl is not null
         then div_round((v.renewal_value_brl - v.previous_value_brl) * 100, v.previous_value_brl) end as uplift_pct,
    v.margin_pct,
    v.min_margin_pct::DECIMAL(9,4) as min_margin_pct,
    coalesce(coalesce(v.tax_pct, 0)::DECIMAL(9,2) <> coalesce(v.table_tax_pct, 0)::DECIMAL(9,2) and v.margin_pct < v.min_margin_pct, false)
        as is_below_min_margin,
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
from margins v
order by v.contract_id, v.line_no
