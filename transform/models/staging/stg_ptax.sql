-- PTAX closing rates (Banco Central do Brasil), one row per currency and
-- day. The sell rate is the one used to convert prices.
with source as (
    select * from raw_ptax
),

renamed as (
    select
        file_id,
        line,
        upper(trim(symbol)) as currency,
        parse_br_date(rate_date) as rate_date,
        parse_decimal(sell, ',') as sell_rate,
        parse_decimal(buy, ',') as buy_rate,
        rate_date as rate_date_text,
        sell as sell_text,
        symbol as symbol_text,
        -- a number too large for DECIMAL(18,6) does not parse either
        regexp_full_match(trim(coalesce(sell, '')), '-?[0-9.]+(,[0-9]+)?') as looks_numeric
    from source
)

select
    file_id,
    line,
    currency,
    rate_date,
    buy_rate,
    sell_rate,
    list_filter([
        reject(rate_date is null, 'rate_date', rate_date_text, 'not a date (ddmmaaaa or dd/mm/aaaa)'),
        reject(not regexp_full_match(coalesce(currency, ''), '[A-Z]{3}'), 'symbol', symbol_text, 'not a currency code'),
        reject(sell_rate is null and not looks_numeric, 'sell', sell_text, 'not a number with a decimal comma'),
        reject(sell_rate <= 0, 'sell', sell_text, 'not a positive rate'),
        -- no currency is worth R$ 100.000: a lost decimal comma, and a rate
        -- that would overflow the prices it converts
        reject(sell_rate >= 100000 or (sell_rate is null and looks_numeric), 'sell', sell_text, 'out of range: 100.000 or more BRL per unit (a decimal comma lost?)')
    ], e -> e is not null) as _errors
from renamed
