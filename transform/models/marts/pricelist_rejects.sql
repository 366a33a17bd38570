-- Every row of the price-list inputs that failed validation or cannot be
-- priced, with the column named as its file names it.
with errors as (
    select file_id, line, unnest(_errors) as e from stg_ms_prices where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_adobe_prices where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_vendor_prices where len(_errors) > 0
    union all
    select file_id, line, unnest(_errors) as e from stg_ptax where len(_errors) > 0
    union all
    select r.file_id, r.line, {'field': r.field, 'value': r.value, 'reason': r.reason} as e
    from load_rejects r
    join files f on f.file_id = r.file_id
    where f.kind in ('ms_prices', 'adobe_prices', 'vendor_prices', 'ptax')
    union all
    select file_id, line, {'field': null, 'value': null, 'reason': unpriced_reason} as e
    from priced_skus
    where unpriced_reason is not null
)

select * from named_rejects(errors)
