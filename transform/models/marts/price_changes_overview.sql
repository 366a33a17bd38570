-- Price changes per vendor and direction (new, removed, increased,
-- decreased), for the workbook's and the site's chart.
-- check: unique(vendor, change)
with directions as (
    select * from (values (1, 'increased'), (2, 'decreased'), (3, 'new'), (4, 'removed')) t(rank, change)
),

vendors as (
    select distinct vendor from price_changes
)

select
    v.vendor,
    d.change,
    count(p.change) as skus,
    div_round(sum(p.change_pct), nullif(count(p.change_pct), 0)) as avg_change_pct
from vendors v
cross join directions d
left join price_changes p on p.vendor = v.vendor and p.change = d.change
group by v.vendor, d.rank, d.change
order by v.vendor, d.rank
