-- Month-over-month changes against the latest earlier period published to
-- the warehouse. A SKU is new, removed, or increased/decreased by its cost
-- (the vendor's price) or, when the cost is unchanged, by its sell price:
-- changed_on taxes when the taxes the price includes changed (a row of
-- rules/taxes.csv starts or ends: taxes_note says which), sell_price when a
-- rule, an incentive or the exchange rate did. A period kept before the
-- taxes has no tax_pct: a sell price that moved when the tax table came is
-- a tax change. Unchanged SKUs are left out. With no
-- earlier period there is nothing to compare with and no rows (the manifest
-- says so): a first run listing every SKU as new would bury real changes.
-- check: accepted_values(change: new, removed, increased, decreased)
with previous_period as (
    select max(period) as period
    from quote_prices_history
    where period < getvariable('period')
),

previous as (
    select h.*
    from quote_prices_history h
    join previous_period p on h.period = p.period
),

joined as (
    select
        coalesce(c.vendor, p.vendor) as vendor,
        coalesce(c.product_id, p.product_id) as product_id,
        coalesce(c.sku_id, p.sku_id) as sku_id,
        coalesce(c.product, p.product) as product,
        coalesce(c.sku_title, p.sku_title) as sku_title,
        coalesce(c.segment, p.segment) as segment,
        coalesce(c.market, p.market) as market,
        coalesce(c.term, p.term) as term,
        coalesce(c.billing_plan, p.billing_plan) as billing_plan,
        coalesce(c.currency, p.currency) as currency,
        c.vendor is not null as in_current,
        p.vendor is not null as in_previous,
        p.cost as old_cost,
        c.cost as new_cost,
        p.sell_price as old_sell_price,
        c.sell_price as new_sell_price,
        p.cost_brl as old_cost_brl,
        c.cost_brl as new_cost_brl,
        p.sell_price_brl as old_sell_price_brl,
        c.sell_price_brl as new_sell_price_brl,
        p.tax_pct as old_tax_pct,
        c.tax_pct as new_tax_pct,
        p.taxes_included as old_taxes,
        c.taxes_included as new_taxes
    from quote_prices c
    full join previous p
      on c.vendor = p.vendor
     and c.product_id = p.product_id
     and coalesce(c.sku_id, '') = coalesce(p.sku_id, '')
     and c.segment = p.segment
     and coalesce(c.market, '') = coalesce(p.market, '')
     and c.currency = p.currency
     and coalesce(c.term, '') = coalesce(p.term, '')
     and coalesce(c.billing_plan, '') = coalesce(p.billing_plan, '')
),

classified as (
    select
        *,
        case
            when not in_previous then 'new'
            when not in_current then 'removed'
            when new_cost > old_cost then 'increased'
            when new_cost < old_cost then 'decreased'
            when new_sell_price > old_sell_price then 'increased'
            when new_sell_price < old_sell_price then 'decreased'
        end as change,
        case
            when not in_previous or not in_current then null
            when new_cost <> old_cost then 'cost'
            when new_sell_price <> old_sell_price and new_tax_pct is distinct from old_tax_pct then 'taxes'
            when new_sell_price <> old_sell_price then 'sell_price'
        end as changed_on
    from joined
)

select
    change,
    changed_on,
    vendor,
    product_id,
    sku_id,
    product,
    sku_title,
    segment,
    market,
    term,
    billing_plan,
    currency,
    old_cost,
    new_cost,
    old_sell_price,
    new_sell_price,
    old_cost_brl,
    new_cost_brl,
    old_sell_price_brl,
    new_sell_price_brl,
    case changed_on
        when 'cost' then div_round((new_cost - old_cost) * 100, old_cost)
        else div_round((new_sell_price - old_sell_price) * 100, old_sell_price)
    end as change_pct,
    old_tax_pct,
    new_tax_pct,
    case when changed_on = 'taxes'
        then coalesce(old_taxes, 'sem impostos') || ' → ' || coalesce(new_taxes, 'sem impostos') end as taxes_note,
    (select period from previous_period) as previous_period
from classified
where change is not null
  and (select period from previous_period) is not null
order by vendor, product_id, sku_id, segment, market, currency, term, billing_plan
