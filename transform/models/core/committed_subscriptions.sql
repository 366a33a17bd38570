-- What the reseller still owes Microsoft for each commitment billed
-- monthly (docs/licensing.md): a subscription whose term
-- (SubscriptionStartDate to SubscriptionEndDate) is a year or more and
-- whose BillingFrequency is Monthly is owed for its whole term, whether or
-- not the customer keeps paying. From every bill file, the charges started
-- by as-of:
--   committed_months = whole months from the end of the latest billed
--                      charge period to the term's end;
--   monthly_cost_brl = the charges of that latest period (Subtotal, taxes
--                      excluded, at the period's PTAX when not in BRL);
--   committed_remaining_brl = monthly_cost_brl × committed_months, rounded
--                      once, half-even.
-- Our customer comes from core/ms_customer_accounts (NULL when the
-- vendor's id is not mapped, as in vendor_bill_lines).
-- check: unique(vendor_customer_id, subscription_id)
-- check: not_null(committed_months, monthly_cost_brl)
with lines as (
    select b.*
    from stg_ms_billing b
    where len(b._errors) = 0
      and b.subscription_id is not null
      and b.charge_start_date <= getvariable('as_of')
),

latest as (
    select vendor_customer_id, subscription_id, max(charge_end_date) as charge_end_date
    from lines
    group by vendor_customer_id, subscription_id
),

charged as (
    select
        l.vendor_customer_id,
        l.subscription_id,
        arg_min(l.product_id, l.line) as product_id,
        arg_min(l.sku_id, l.line) as sku_id,
        arg_min(l.currency, l.line) as currency,
        sum(l.subtotal) as monthly_cost,
        max(l.subscription_start_date) as subscription_start_date,
        max(l.subscription_end_date) as subscription_end_date,
        bool_or(l.billing_frequency = 'monthly') as is_billed_monthly,
        max(l.charge_end_date) as charge_end_date
    from lines l
    join latest t using (vendor_customer_id, subscription_id, charge_end_date)
    group by l.vendor_customer_id, l.subscription_id
),

committed as (
    select
        c.*,
        date_part('year', age(c.subscription_end_date + 1, c.charge_end_date + 1)) * 12
            + date_part('month', age(c.subscription_end_date + 1, c.charge_end_date + 1)) as committed_months
    from charged c
    where c.is_billed_monthly
      and c.subscription_end_date - c.subscription_start_date + 1 >= 365
      and c.subscription_end_date > c.charge_end_date
)

select
    a.customer_id,
    c.vendor_customer_id,
    c.subscription_id,
    c.product_id,
    c.sku_id,
    c.subscription_start_date,
    c.subscription_end_date,
    c.charge_end_date as last_charge_end_date,
    c.committed_months,
    c.currency,
    round_half_even(c.monthly_cost::DECIMAL(38,2) * fx.sell_rate) as monthly_cost_brl,
    round_half_even(c.monthly_cost::DECIMAL(38,2) * fx.sell_rate * c.committed_months) as committed_remaining_brl
from committed c
left join ms_customer_accounts a using (vendor_customer_id)
left join period_fx fx on fx.currency = c.currency
where c.committed_months > 0
order by a.customer_id nulls last, c.vendor_customer_id, c.subscription_id
