-- Vendor customer ids (Microsoft tenant ids...) mapped to our customer_id.
select
    file_id,
    line,
    trim(vendor) as vendor,
    lower(trim(vendor_customer_id)) as vendor_customer_id,
    trim(customer_id) as customer_id,
    list_filter([
        reject(blank(vendor), 'vendor', vendor, 'required'),
        reject(blank(vendor_customer_id), 'vendor_customer_id', vendor_customer_id, 'required'),
        reject(blank(customer_id), 'customer_id', customer_id, 'required')
    ], e -> e is not null) as _errors
from raw_erp_vendor_accounts
