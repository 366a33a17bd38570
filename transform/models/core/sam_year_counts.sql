-- The SAM counts of each agreement year (core/true_up_years), per contract
-- and SKU: a count belongs to the year in which it was taken, counts after
-- as-of are not known yet. latest_quantity is the year's latest count
-- (then the later file and line), max_quantity its highest (then its
-- latest date): the Enterprise Agreement counts Enterprise Products at the
-- true-up, Additional Products at the maximum used since the last one.
-- Counts whose contract is unknown or belongs to another customer are
-- left out here and listed in lifecycle_rejects.
-- check: unique(contract_id, product_id, sku_key, agreement_year)
-- check: not_null(latest_quantity, latest_count_date, max_quantity, max_count_date)
with counts as (
    select
        s.contract_id,
        s.product_id,
        s.sku_id,
        coalesce(s.sku_id, '') as sku_key,
        s.deployed_quantity,
        s.count_date,
        f.path as source_file,
        s.line as source_line
    from stg_sam_counts s
    join files f using (file_id)
    join contracts c on c.contract_id = s.contract_id and c.customer_id = s.customer_id
    where len(s._errors) = 0
      and s.count_date <= getvariable('as_of')
)

select
    k.contract_id,
    k.product_id,
    k.sku_key,
    max(k.sku_id) as sku_id,
    y.agreement_year,
    count(*) as counts,
    arg_max(k.deployed_quantity, (k.count_date, k.source_file, k.source_line)) as latest_quantity,
    max(k.count_date) as latest_count_date,
    max(k.deployed_quantity) as max_quantity,
    arg_max(k.count_date, (k.deployed_quantity, k.count_date)) as max_count_date
from counts k
join true_up_years y on y.contract_id = k.contract_id
where k.count_date between y.year_start and y.year_end
group by k.contract_id, k.product_id, k.sku_key, y.agreement_year
