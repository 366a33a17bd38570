-- The deployment count in force at as-of per contract and SKU: the latest
-- count dated on or before as-of (then the later file and line). Counts
-- whose contract is unknown or belongs to another customer are left out
-- here and listed in lifecycle_rejects.
-- check: unique(contract_id, product_id, sku_key)
-- check: not_null(deployed_quantity, count_date)
select
    s.contract_id,
    s.product_id,
    s.sku_id,
    coalesce(s.sku_id, '') as sku_key,
    s.customer_id,
    s.deployed_quantity,
    s.count_date,
    f.path as source_file,
    s.line as source_line
from stg_sam_counts s
join files f using (file_id)
join contracts c on c.contract_id = s.contract_id and c.customer_id = s.customer_id
where len(s._errors) = 0
  and s.count_date <= getvariable('as_of')
qualify row_number() over (partition by s.contract_id, s.product_id, coalesce(s.sku_id, '') order by s.count_date desc, f.path desc, s.line desc) = 1
