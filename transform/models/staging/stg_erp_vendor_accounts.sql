-- Vendor customer ids (Microsoft tenant ids...) mapped to our customer_id.
-- A mapped file (erp: in the config) says which fields no column feeds.
select
    file_id,
    line,
    trim(vendor) as vendor,
    lower(trim(vendor_customer_id)) as vendor_customer_id,
    trim(customer_id) as customer_id,
    erp_errors([
        reject(blank(vendor), 'vendor', vendor, 'required'),
        reject(blank(vendor_customer_id), 'vendor_customer_id', vendor_customer_id, 'required'),
        reject(blank(customer_id), 'customer_id', customer_id, 'required')
    ], unmapped, map_errors) as _errors
from raw_erp_vendor_accounts
