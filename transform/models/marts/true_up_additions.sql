-- The true-up by agreement year, as the Enterprise Agreement enrollment
-- counts it (docs/licensing.md): per contract with a true_up_program,
-- agreement year (core/true_up_years) and SKU. Every year whose true-up
-- window has opened by as-of has its rows (done, overdue or open), and,
-- unless a window is open at as-of, so has the next year whose window is
-- still to open (an overdue year and the next one both).
--   deployed  = the year's SAM count (core/sam_year_counts): its latest for
--               enterprise products and online services, its highest for
--               additional products (the maximum used since the last
--               true-up); a year with no count keeps its row, with no
--               quantity and a note;
--   entitled  = the contract lines' quantity + the quantities of true_up
--               orders on the contract dated before that agreement year;
--   add_quantity = max(0, deployed − entitled); a surplus (entitled −
--               deployed) is shown as such, never credited.
-- The addition is priced, in BRL:
--   add_quantity × (L × license_factor + S × (remaining_years + addition_year_factor))
-- from the enrollment's price sheet on the contract line (price_source
-- price_sheet): L = license_price, S = sa_price (Software Assurance per
-- year), each 0 when the line leaves it empty, at the period's PTAX sell
-- rate when not in BRL. A line with neither falls back to the current
-- price table (price_source current_table, shown to people as "tabela atual
-- (sem price sheet)"): L = 0, S = the Brazilian market's P1Y annual sell
-- price of the contract's segment (annual billing plan first, then none).
-- remaining_years = whole agreement years after that year. The factors
-- come from true_up_factors (lifecycle.true_up in the config). Rounded
-- once, half-even. A SKU with no count, no price or no factors has no
-- add_value_brl and says why in note.
-- check: unique(contract_id, agreement_year, product_id, sku_key)
-- check: not_null(contract_id, agreement_year, product_id, product_class, due_date, entitled_quantity)
-- check: accepted_values(product_class: enterprise, additional, online_service)
-- check: accepted_values(price_source: price_sheet, current_table)
with events as (
    select contract_id, agreement_year, status, evidence
    from t36_calendar
    where event = 'true_up'
),

-- the years shown: every year whose window opened by as-of, and the next
-- one to open unless a window is open now (not done)
years as (
    select y.*, e.status, e.evidence
    from true_up_years y
    join events e using (contract_id, agreement_year)
    window w as (partition by y.contract_id)
    qualify y.opens_date <= getvariable('as_of')
         or (y.agreement_year = min(y.agreement_year) filter (where y.opens_date > getvariable('as_of')) over w
             and not coalesce(bool_or(y.opens_date <= getvariable('as_of') and y.due_date >= getvariable('as_of') and e.status <> 'done') over w, false))
),

lines as (
    select
        l.contract_id,
        l.product_id,
        coalesce(l.sku_id, '') as sku_key,
        sum(l.quantity) as licensed_quantity,
        arg_min(l.sku_id, l.source_line) as sku_id,
        arg_min(l.description, (l.source_file, l.source_line)) as description,
        arg_min(l.currency, (l.source_file, l.source_line)) as currency,
        arg_min(l.product_class, (l.source_file, l.source_line)) as product_class,
        arg_min(l.license_price, (l.source_file, l.source_line)) as license_price,
        arg_min(l.sa_price, (l.source_file, l.source_line)) as sa_price
    from contract_lines l
    where l.contract_id in (select contract_id from years)
    group by all
),

true_up_orders as (
    select
        o.contract_id,
        o.product_id,
        coalesce(o.sku_id, '') as sku_key,
        o.sku_id,
        o.order_date,
        o.quantity
    from orders o
    where o.order_type = 'true_up'
      and not o.is_cancelled
      and o.contract_id in (select contract_id from years)
),

skus as (
    select contract_id, product_id, sku_key from lines
    union
    select contract_id, product_id, sku_key from true_up_orders
    union
    select contract_id, product_id, sku_key from sam_year_counts where contract_id in (select contract_id from years)
),

earlier as (
    select
        y.contract_id,
        y.agreement_year,
        o.product_id,
        o.sku_key,
        max(o.sku_id) as sku_id,
        sum(o.quantity) as earlier_true_up_quantity
    from years y
    join true_up_orders o on o.contract_id = y.contract_id
    where o.order_date < y.year_start
    group by all
),

counted as (
    select
        y.*,
        k.product_id,
        k.sku_key,
        coalesce(l.sku_id, e.sku_id, s.sku_id, nullif(k.sku_key, '')) as sku_id,
        l.description,
        coalesce(l.product_class, 'enterprise') as product_class,
        coalesce(l.currency, 'BRL') as currency,
        coalesce(l.licensed_quantity, 0) as licensed_quantity,
        coalesce(e.earlier_true_up_quantity, 0) as earlier_true_up_quantity,
        coalesce(l.licensed_quantity, 0) + coalesce(e.earlier_true_up_quantity, 0) as entitled_quantity,
        coalesce(s.counts, 0) as counts_in_year,
        case when coalesce(l.product_class, 'enterprise') = 'additional' then 'maximum' else 'latest' end as count_rule,
        case when coalesce(l.product_class, 'enterprise') = 'additional' then s.max_quantity else s.latest_quantity end as deployed_quantity,
        case when coalesce(l.product_class, 'enterprise') = 'additional' then s.max_count_date else s.latest_count_date end as count_date,
        l.license_price,
        l.sa_price
    from years y
    join skus k using (contract_id)
    left join lines l on l.contract_id = k.contract_id and l.product_id = k.product_id and l.sku_key = k.sku_key
    left join earlier e
      on e.contract_id = k.contract_id and e.agreement_year = y.agreement_year and e.product_id = k.product_id and e.sku_key = k.sku_key
    left join sam_year_counts s
      on s.contract_id = k.contract_id and s.agreement_year = y.agreement_year and s.product_id = k.product_id and s.sku_key = k.sku_key
),

-- the fallback: the current table's P1Y row for the Brazilian market and
-- the contract's segment, the annual billing plan first (then a list with
-- none), in BRL first, then the lowest
table_prices as (
    select
        c.contract_id,
        p.product_id,
        p.sku_key,
        arg_min(p.sell_price_brl, (p.billing_plan_key is null, p.market is distinct from 'BR', p.currency <> 'BRL', p.sell_price_brl)) as sell_price_brl,
        any_value(p.price_period) as price_period
    from lifecycle_contracts c
    join current_prices p on p.vendor_key = c.vendor_key and p.segment_key = c.segment_key
    where c.contract_id in (select contract_id from years)
      and p.term_months = 12
      and (p.billing_plan_key is null or p.billing_plan_key = 'annual')
    group by c.contract_id, p.product_id, p.sku_key
),

priced as (
    select
        k.*,
        c.customer_id, c.customer_name, c.account_manager, c.vendor, c.true_up_program,
        -- (greatest() skips NULLs: no count must stay unknown, not 0)
        case when k.deployed_quantity is not null then greatest(k.deployed_quantity - k.entitled_quantity, 0) end as add_quantity,
        case when k.deployed_quantity is not null then greatest(k.entitled_quantity - k.deployed_quantity, 0) end as surplus_quantity,
        fx.sell_rate as fx_rate,
        tf.license_factor,
        tf.addition_year_factor,
        case
            when k.license_price is not null or k.sa_price is not null then 'price_sheet'
            when t.sell_price_brl is not null then 'current_table'
        end as price_source,
        case when k.license_price is null and k.sa_price is null then t.price_period end as price_period,
        -- L and S in BRL, exact
        case
            when k.license_price is not null or k.sa_price is not null then coalesce(k.license_price, 0) * fx.sell_rate
            when t.sell_price_brl is not null then 0
        end as l_brl,
        case
            when k.license_price is not null or k.sa_price is not null then coalesce(k.sa_price, 0) * fx.sell_rate
            else t.sell_price_brl
        end as s_brl
    from counted k
    join lifecycle_contracts c using (contract_id)
    left join period_fx fx on fx.currency = k.currency
    left join true_up_factors tf on tf.program = c.true_up_program
    left join table_prices t on t.contract_id = k.contract_id and t.product_id = k.product_id and t.sku_key = k.sku_key
)

select
    contract_id,
    customer_id,
    customer_name,
    account_manager,
    vendor,
    true_up_program,
    agreement_year,
    year_start,
    year_end,
    opens_date,
    due_date,
    status,
    evidence,
    product_id,
    sku_id,
    sku_key,
    description,
    product_class,
    licensed_quantity,
    earlier_true_up_quantity,
    entitled_quantity,
    count_rule,
    counts_in_year,
    deployed_quantity,
    count_date,
    add_quantity,
    surplus_quantity,
    currency,
    fx_rate,
    round_half_even(l_brl) as license_price_brl,
    round_half_even(s_brl) as sa_price_brl,
    price_source,
    price_period,
    license_factor,
    remaining_years,
    addition_year_factor,
    case when add_quantity = 0 then 0.00::DECIMAL(18,2)
         -- DECIMAL(38,12): the operands' own widths overflow (DECIMAL(18)) as soon as a
         -- license price is multiplied out; scale 12 keeps L × PTAX and S × PTAX exact.
         else round_half_even(add_quantity * (l_brl::DECIMAL(38,12) * license_factor
                                              + s_brl::DECIMAL(38,12) * (remaining_years + addition_year_factor)))
    end as add_value_brl,
    case
        when deployed_quantity is null
            then 'no SAM count in agreement year ' || agreement_year || ' (' || ptbr_date(year_start) || '–' || ptbr_date(year_end) || ')'
        when add_quantity > 0 and license_factor is null then 'no true-up factors for program ' || true_up_program || ' (lifecycle.true_up in the config)'
        when add_quantity > 0 and price_source is null then 'no price sheet on the contract line and no P1Y annual price in the current table'
        when add_quantity > 0 and l_brl is null then 'no PTAX for ' || currency
        when surplus_quantity > 0 then 'surplus of ' || surplus_quantity::DECIMAL(18,2) || ': not credited'
    end as note
from priced
order by due_date, contract_id, agreement_year, product_id, sku_key
