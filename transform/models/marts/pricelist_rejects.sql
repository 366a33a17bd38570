-- Every row of the price-list inputs that failed validation (kind_rejects:
-- see rejects.sql) or cannot be priced, with the column named as its file
-- names it.
-- materialized: temp
with errors as (
    select * from kind_rejects
    union all
    select file_id, line, {'field': null, 'value': null, 'reason': unpriced_reason} as e
    from priced_skus
    where unpriced_reason is not null
)

select * from named_rejects(errors)
