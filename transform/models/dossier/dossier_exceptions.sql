-- The customer's exceptions in the last reconciliation run (every class
-- but matched).
select
    period,
    class,
    line_key,
    so_number,
    product_id,
    ordered_brl,
    invoiced_brl,
    variance_brl,
    other_issues
from reconciliation
where customer_id = getvariable('dossier_customer_id')
  and class <> 'matched'
order by class, line_key
