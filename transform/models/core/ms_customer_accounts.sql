-- Our customer for each of Microsoft's customer ids (erp/vendor_accounts):
-- the bills' CustomerId, lower-cased as stg_ms_billing keeps it; an id
-- mapped twice takes the lowest customer_id.
-- check: unique(vendor_customer_id)
select vendor_customer_id, min(customer_id) as customer_id
from stg_erp_vendor_accounts
where len(_errors) = 0 and lower(vendor) = 'microsoft'
group by vendor_customer_id
