-- Licensed quantities and locked prices per contract line, as delivered
-- (a contract may list a SKU on several lines), with their file and line.
-- unit_price is per billing period of the contract (a month on a monthly
-- contract), annual_price per year, license_price once per license.
-- check: not_null(contract_id, product_id, quantity, currency)
select
    l.contract_id,
    l.product_id,
    l.sku_id,
    l.description,
    l.currency,
    l.quantity,
    l.unit_price,
    l.license_price,
    l.annual_price,
    f.path as source_file,
    l.line as source_line
from stg_erp_contract_lines l
join files f using (file_id)
where len(l._errors) = 0
order by l.contract_id, f.path, l.line
