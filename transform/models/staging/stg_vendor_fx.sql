-- A vendor's monthly exchange rates (fx/<vendor>_rates*.csv), renamed and
-- typed: the vendor is the file's name before "_rates", month AAAA-MM, the
-- rate converts one unit of from_currency into to_currency (decimal comma).
with source as (
    select r.*, f.path as source_file
    from raw_vendor_fx r
    join files f using (file_id)
),

renamed as (
    select
        -- ids
        file_id,
        line,
        lower(regexp_extract(source_file, '([^/]+)_rates[^/]*$', 1)) as vendor_key,

        -- descriptions
        trim(month) as month,
        upper(trim(from_currency)) as from_currency,
        upper(trim(to_currency)) as to_currency,

        -- numerics
        parse_decimal(rate, ',') as rate,

        -- source text, for rejects
        month as month_text,
        from_currency as from_text,
        to_currency as to_text,
        rate as rate_text
    from source
)

select
    file_id,
    line,
    vendor_key,
    month,
    from_currency,
    to_currency,
    rate,
    list_filter([
        reject(not regexp_full_match(coalesce(month, ''), '\d{4}-(0[1-9]|1[0-2])'), 'month', month_text, 'not a month AAAA-MM'),
        reject(not regexp_full_match(coalesce(from_currency, ''), '[A-Z]{3}'), 'from_currency', from_text, 'not a currency code'),
        reject(not regexp_full_match(coalesce(to_currency, ''), '[A-Z]{3}'), 'to_currency', to_text, 'not a currency code'),
        reject(rate is null, 'rate', rate_text, number_reason(rate_text, ',', 'not a number with a decimal comma')),
        reject(rate <= 0, 'rate', rate_text, 'not a positive rate'),
        reject(rate >= 100000, 'rate', rate_text, 'out of range: 100.000 or more BRL per unit (a decimal comma lost?)')
    ], e -> e is not null) as _errors
from renamed
