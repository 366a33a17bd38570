-- Every line of every quote request revision, priced from the price table
-- (quote_price_table) or with the reason it cannot be. A line matches the
-- table's rows of its product (and vendor, SKU, segment, term, billing plan
-- and currency when given, case-insensitively); it is priced only when
-- exactly one row matches.
--   unit_net_brl  = sell_price_brl × (1 − discount/100), rounded once (half-even)
--   total_brl     = unit_net_brl × quantity
--   margin_pct    = (unit_net_brl − unit_net_brl × tax_pct/100 − net_cost_brl)
--                   / unit_net_brl × 100: net of the taxes the price
--                   includes, in force on the period's first day
--                   (core/taxes_in_force; none without rules/taxes.csv)
--   taxes_brl     = those taxes on total_brl, tax by tax, each rounded
--                   half-even; taxes_added_brl the ones the invoice adds
--                   (CBS, IBS in 2026), which never change the margin
--   incentive_brl = (cost_brl − net_cost_brl) × quantity
-- is_below_min_margin: a discount, or taxes other than those the table was
-- priced with, took the margin (rounded as shown) below the floor
-- (min_margin_pct) of the pricing rule that priced the SKU. The table's
-- price itself meets the rule by construction (raised to the floor by the
-- markup divisor when needed), even where its BRL cents show a margin a
-- hair under it.
-- Proration (docs/licensing.md): a line with a coterm_end (an NCE seat
-- co-termed to its subscription), or an Adobe line of a 12-month term for
-- a customer with a VIP contract (erp/contracts, program VIP: to the day
-- before the next anniversary of its start_date), covers period_start
-- (the request's date) to period_end, both inclusive: prorated_days over
-- term_days, the days of the term ending on period_end (365, or 366 when
-- it holds a 29 February).
--   unit_prorated_brl = sell_price_brl × (1 − discount/100) × prorated_days
--                       / term_days, rounded once (half-even)
--   total_brl         = unit_prorated_brl × quantity
-- and the net cost, incentive and taxes in the same proportion (taxes_brl
-- on that total_brl); margin_pct stays the unit's.
-- check: unique(request_id, revision, source_line)
with lines as (
    select * from quote_requests
),

candidates as (
    select l.file_id, l.line, p.*
    from lines l
    join quote_price_table p
        on upper(p.product_id) = upper(l.product_id)
        and (l.vendor is null or lower(p.vendor) = lower(l.vendor))
        and (l.sku_id is null or p.sku_id = l.sku_id)
        and (l.segment is null or lower(p.segment) = lower(l.segment))
        and (l.term is null or upper(p.term) = upper(l.term))
        and (l.billing_plan is null or lower(p.billing_plan) = lower(l.billing_plan))
        and (l.currency is null or upper(p.currency) = l.currency)
),

counted as (
    select
        file_id,
        line,
        count(*) as matches,
        string_agg(concat_ws(' ', sku_id, segment, term, billing_plan, currency), '; '
            order by sku_id, segment, term, billing_plan, currency) as candidates
    from candidates
    group by file_id, line
),

known as (
    select distinct upper(product_id) as product_key from quote_price_table
),

matched as (
    select
        l.*,
        coalesce(n.matches, 0) as matches,
        n.candidates,
        c.price_period as price_period,
        c.vendor as price_vendor,
        c.product,
        c.sku_title,
        c.sku_id as price_sku_id,
        c.segment as price_segment,
        c.term as price_term,
        c.billing_plan as price_billing_plan,
        c.currency as price_currency,
        c.pricing_rule,
        c.min_margin_pct,
        c.incentive_program,
        c.cost_brl,
        c.net_cost_brl,
        c.sell_price_brl,
        c.goods,
        c.has_tax_table,
        c.table_tax_pct,
        c.tax_pct,
        c.included_taxes,
        c.added_taxes,
        c.taxes_note,
        k.product_key is not null as is_known_product
    from lines l
    left join counted n using (file_id, line)
    left join candidates c on c.file_id = l.file_id and c.line = l.line and n.matches = 1
    left join known k on k.product_key = upper(l.product_id)
),

-- the customers' Adobe VIP anniversaries: the latest VIP contract started
-- by the request's date
vip as (
    select
        q.request_id,
        q.revision,
        arg_max(c.start_date, (c.start_date, c.contract_id)) as vip_start
    from quote_customers q
    join contracts c on c.customer_id = q.customer_id
    where lower(c.vendor) = 'adobe'
      and regexp_matches(coalesce(c.program, ''), '(^|\W)vip(\W|$)', 'i')
      and c.is_valid_period
    group by q.request_id, q.revision
),

prorated as (
    select
        m.*,
        case
            when m.coterm_end is not null then 'coterm_end'
            when v.vip_start is not null and lower(m.price_vendor) = 'adobe' and term_months(m.price_term) = 12
                 and v.vip_start <= m.requested_on then 'vip_anniversary'
        end as proration,
        -- the day before the first anniversary of the VIP start after the
        -- request's date
        (v.vip_start + to_years(date_part('year', age(m.requested_on, v.vip_start))::INTEGER + 1))::DATE - 1 as vip_end
    from matched m
    left join vip v using (request_id, revision)
),

spanned as (
    select
        *,
        case proration when 'coterm_end' then coterm_end when 'vip_anniversary' then vip_end end as period_end,
        term_months(price_term) as price_term_months
    from prorated
),

periods as (
    select
        *,
        case when period_end is not null then requested_on end as period_start,
        (period_end - requested_on + 1)::INTEGER as prorated_days,
        (period_end - ((period_end + 1) - to_months(price_term_months))::DATE + 1)::INTEGER as term_days
    from spanned
),

priced as (
    select
        *,
        case
            when len(_errors) > 0 then _errors[1].field || ': ' || _errors[1].reason
            when not is_known_product then 'unknown product ' || product_id || ' in the price table'
            when matches = 0 then 'no row in force for ' || product_id || ' matches the SKU, segment, term, billing plan or currency asked'
            when matches > 1 then 'ambiguous: ' || matches || ' rows match ' || product_id || ' (' || candidates || '): give the SKU, segment, term, billing plan or currency'
            when min_margin_pct is null then 'pricing rule ' || pricing_rule || ' is no longer in rules/pricing.csv'
            when period_end is not null and price_term_months is null
                then 'cannot prorate to ' || ptbr_date(period_end) || ': the price table''s term ' || price_term || ' is no number of months'
            when prorated_days > term_days
                then 'coterm_end ' || ptbr_date(period_end) || ' is more than a ' || price_term || ' term after ' || ptbr_date(requested_on)
        end as reject_reason,
        div_round(sell_price_brl * (100 - discount_pct), 100) as unit_net_brl,
        -- the fraction of the term charged: prorated_days / term_days (1 when whole)
        coalesce(prorated_days, 1) as share_num,
        coalesce(term_days, 1) as share_den
    from periods
),

totalled as (
    select
        *,
        case when proration is not null
             then div_round(sell_price_brl::DECIMAL(38,6) * (100 - discount_pct) * share_num, 100 * share_den) end as unit_prorated_brl
    from priced
),

lined as (
    select *, div_round(coalesce(unit_prorated_brl, unit_net_brl)::DECIMAL(38,6) * quantity, 1) as line_total_brl
    from totalled
)

select
    request_id,
    revision,
    proposal_number,
    is_latest,
    revision_note,
    requested_on,
    seller,
    customer_text,
    vendor,
    product_id,
    sku_id,
    segment,
    term,
    billing_plan,
    currency,
    notes,
    price_period,
    price_vendor,
    product,
    sku_title,
    price_sku_id,
    price_segment,
    price_term,
    price_billing_plan,
    price_currency,
    quantity,
    discount_pct::DECIMAL(9,4) as discount_pct,
    sell_price_brl as unit_price_brl,
    unit_net_brl,
    coterm_end,
    proration,
    period_start,
    period_end,
    prorated_days,
    term_days,
    unit_prorated_brl,
    line_total_brl as total_brl,
    net_cost_brl,
    div_round(net_cost_brl::DECIMAL(38,6) * quantity * share_num, share_den) as total_net_cost_brl,
    div_round((unit_net_brl - net_cost_brl) * 100 - coalesce(tax_pct, 0) * unit_net_brl, unit_net_brl) as margin_pct,
    min_margin_pct::DECIMAL(9,4) as min_margin_pct,
    coalesce((discount_pct > 0 or coalesce(tax_pct, 0)::DECIMAL(9,2) <> coalesce(table_tax_pct, 0)::DECIMAL(9,2))
             and (unit_net_brl = 0
                  or div_round((unit_net_brl - net_cost_brl) * 100 - coalesce(tax_pct, 0) * unit_net_brl, unit_net_brl) < min_margin_pct),
             false) as is_below_min_margin,
    goods,
    case when has_tax_table then tax_pct::DECIMAL(9,2) end as tax_pct,
    case when has_tax_table then taxes_on(line_total_brl, included_taxes) end as taxes_brl,
    case when has_tax_table then taxes_on(line_total_brl, added_taxes) end as taxes_added_brl,
    taxes_note,
    pricing_rule,
    incentive_program,
    div_round((cost_brl - net_cost_brl)::DECIMAL(38,6) * quantity * share_num, share_den) as incentive_brl,
    reject_reason is null as is_priced,
    reject_reason,
    len(_errors) > 0 as is_input_error,
    source_file,
    line as source_line
from lined
order by request_id, revision, source_file, source_line
