-- The true-up: per contract with a true_up_program and SKU, at its next
-- true-up (the earliest true_up event of t36_calendar not done):
--   deployed  = the SAM count in force at as-of (core/sam_counts);
--   entitled  = the contract lines' quantity + the quantities of true_up
--               orders on the contract dated before that agreement year;
--   add_quantity = max(0, deployed − entitled); a surplus (entitled −
--               deployed) is shown as such, never credited.
-- The addition is priced, in BRL:
--   add_quantity × (L × license_factor + S × (remaining_years + addition_year_factor))
-- L = license_price (0 for subscriptions), S = the line's locked
-- annual_price, else the current price table's annual sell price
-- (core/contract_prices); line prices at the period's PTAX sell rate.
-- remaining_years = whole agreement years left after that anniversary
-- (term_years − agreement_year). The factors come from true_up_factors
-- (lifecycle.true_up in the config). Rounded once, half-even.
-- A SKU with no count, no price or no factors has no add_value_brl and
-- says why in note.
-- check: unique(contract_id, product_id, sku_key)
-- check: not_null(contract_id, product_id, agreement_year, due_date, entitled_quantity)
with next_true_up as (
    select contract_id, agreement_year, opens_date, due_date, status
    from t36_calendar
    where event = 'true_up' and status <> 'done'
    qualify row_number() over (partition by contract_id order by due_date) = 1
),

c as (
    select
        c.*,
        n.agreement_year,
        n.opens_date,
        n.due_date,
        n.status as event_status,
        (c.start_date + to_years(n.agreement_year - 1))::DATE as year_start,
        greatest(c.term_years - n.agreement_year, 0) as remaining_years
    from lifecycle_contracts c
    join next_true_up n using (contract_id)
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
        arg_min(l.license_price, (l.source_file, l.source_line)) as license_price,
        arg_min(l.annual_price, (l.source_file, l.source_line)) as annual_price
    from contract_lines l
    join c using (contract_id)
    group by all
),

earlier as (
    select
        o.contract_id,
        o.product_id,
        coalesce(o.sku_id, '') as sku_key,
        max(o.sku_id) as sku_id,
        sum(o.quantity) as earlier_true_up_quantity
    from orders o
    join c using (contract_id)
    where o.order_type = 'true_up'
      and not o.is_cancelled
      and o.order_date < c.year_start
    group by all
),

skus as (
    select contract_id, product_id, sku_key from lines
    union
    select contract_id, product_id, sku_key from earlier
    union
    select s.contract_id, s.product_id, s.sku_key from sam_counts s join c using (contract_id)
),

counted as (
    select
        k.contract_id,
        k.product_id,
        k.sku_key,
        coalesce(l.sku_id, e.sku_id, s.sku_id) as sku_id,
        l.description,
        coalesce(l.currency, 'BRL') as currency,
        coalesce(l.licensed_quantity, 0) as licensed_quantity,
        coalesce(e.earlier_true_up_quantity, 0) as earlier_true_up_quantity,
        coalesce(l.licensed_quantity, 0) + coalesce(e.earlier_true_up_quantity, 0) as entitled_quantity,
        s.deployed_quantity,
        s.count_date,
        l.license_price,
        l.annual_price
    from skus k
    left join lines l using (contract_id, product_id, sku_key)
    left join earlier e using (contract_id, product_id, sku_key)
    left join sam_counts s using (contract_id, product_id, sku_key)
),

priced as (
    select
        k.*,
        c.customer_id, c.customer_name, c.account_manager, c.vendor, c.true_up_program,
        c.agreement_year, c.opens_date, c.due_date, c.event_status as status, c.remaining_years,
        -- (greatest() skips NULLs: no count must stay unknown, not 0)
        case when k.deployed_quantity is not null then greatest(k.deployed_quantity - k.entitled_quantity, 0) end as add_quantity,
        case when k.deployed_quantity is not null then greatest(k.entitled_quantity - k.deployed_quantity, 0) end as surplus_quantity,
        fx.sell_rate as fx_rate,
        tf.license_factor,
        tf.addition_year_factor,
        case
            when k.annual_price is not null then 'locked'
            when p.annual_sell_price_num_brl is not null then 'price_table ' || p.price_period
        end as annual_price_source,
        -- S in BRL as a fraction s_num / s_den
        case when k.annual_price is not null then k.annual_price * fx.sell_rate else p.annual_sell_price_num_brl end as s_num,
        case when k.annual_price is not null then 1 else p.annual_sell_price_den end as s_den,
        coalesce(k.license_price, 0) * fx.sell_rate as l_brl
    from counted k
    join c using (contract_id)
    left join period_fx fx on fx.currency = k.currency
    left join true_up_factors tf on tf.program = c.true_up_program
    left join contract_prices p using (contract_id, product_id, sku_key)
)

select
    contract_id,
    customer_id,
    customer_name,
    account_manager,
    vendor,
    true_up_program,
    agreement_year,
    opens_date,
    due_date,
    status,
    product_id,
    sku_id,
    sku_key,
    description,
    licensed_quantity,
    earlier_true_up_quantity,
    entitled_quantity,
    deployed_quantity,
    count_date,
    add_quantity,
    surplus_quantity,
    currency,
    fx_rate,
    round_half_even(l_brl) as license_price_brl,
    div_round(s_num, s_den) as annual_price_brl,
    annual_price_source,
    license_factor,
    remaining_years,
    addition_year_factor,
    case when add_quantity = 0 then 0.00::DECIMAL(18,2)
         -- DECIMAL(38,12): the operands' own widths overflow (DECIMAL(18)) as soon as a
         -- license price is multiplied out; scale 12 keeps L × PTAX and S × PTAX exact.
         else div_round(add_quantity * (l_brl::DECIMAL(38,12) * license_factor * s_den
                                        + s_num::DECIMAL(38,12) * (remaining_years + addition_year_factor)), s_den)
    end as add_value_brl,
    case
        when deployed_quantity is null then 'no SAM count on or before ' || ptbr_date(getvariable('as_of')::DATE)
        when add_quantity > 0 and license_factor is null then 'no true-up factors for program ' || true_up_program || ' (lifecycle.true_up in the config)'
        when add_quantity > 0 and s_num is null then 'no annual_price on the contract and no current price'
        when add_quantity > 0 and fx_rate is null then 'no PTAX for ' || currency
        when surplus_quantity > 0 then 'surplus of ' || surplus_quantity::DECIMAL(18,2) || ': not credited'
    end as note
from priced
order by due_date, contract_id, product_id, sku_key
