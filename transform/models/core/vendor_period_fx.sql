-- The rate each vendor set to vendor_rate (fx.vendors in the config,
-- fx_vendor_settings) converts its prices with in the period: its own rate
-- for the period's month into BRL (Partner Center's monthly rate for
-- Microsoft holds for the whole month it is posted), dated the month's
-- first day. A vendor with no rate for a currency it prices in has no row:
-- the price-list pipeline fails the run, naming it.
-- check: unique(vendor_key, currency)
select
    r.vendor_key,
    r.from_currency as currency,
    strptime(r.month || '-01', '%Y-%m-%d')::DATE as rate_date,
    r.rate as sell_rate
from vendor_fx_rates r
join fx_vendor_settings s on s.vendor_key = r.vendor_key and s.source = 'vendor_rate'
where r.month = getvariable('period')
  and r.to_currency = 'BRL'
