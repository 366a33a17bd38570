-- Data-quality findings over everything loaded (not only the period):
--   invalid_cnpj                customer CNPJ failing the check digits (alphanumeric rule)
--   duplicate_cnpj              two customers with one CNPJ (one row per customer)
--   cutoff_day_out_of_range     billing_cutoff_day outside 1–31
--   unknown_customer_order      order line for a customer_id not in the master
--   unknown_customer_bill       vendor bill line whose vendor customer id maps to no customer
--   contract_end_before_start   contract ending before it starts
--   not_an_invoice_xml          XML under nf/ that is neither NF-e nor NFS-e, or has a bad value
--   register_xml_mismatch       register line disagreeing with its XML (the XML wins), an
--                               NFS-e's series with the DPS serie included: one finding per invoice
--   vendor_formula_mismatch     bill line breaking Microsoft's Subtotal or Total formula
--   ptax_rejected_fallback      a rejected PTAX line of a day after the rate in use: an
--                               earlier day's rate converts the period's bills
--   conflicting_source          a customer, contract, contract line, order line, invoice
--                               or NF document that two files or lines give with other
--                               values: one finding per version, naming the other's file
--                               and line; the customer gets no customer document
--   register_status_mismatch    the register says autorizada for an invoice with a
--                               registered cancellation event (the event wins)
--   event_not_registered        a fiscal event without SEFAZ's registration (an NF-e
--                               event whose retEvento cStat is not 135, 136 or 155, or
--                               has none): it changes nothing
--   event_without_invoice       a fiscal event naming an invoice the warehouse does not
--                               know (kept, not rejected)
--   licence_on_nfe              an order line of a licence invoiced on an NF-e: software
--                               licensing pays ISS on an NFS-e, not ICMS (LC 116/2003
--                               item 1.05; STF, ADI 1945 and ADI 5659, 2021)
-- check: accepted_values(check_name: invalid_cnpj, duplicate_cnpj, cutoff_day_out_of_range, unknown_customer_order, unknown_customer_bill, contract_end_before_start, not_an_invoice_xml, register_xml_mismatch, vendor_formula_mismatch, ptax_rejected_fallback, conflicting_source, register_status_mismatch, event_not_registered, event_without_invoice, licence_on_nfe)
with findings as (
    select 'invalid_cnpj' as check_name, 'customer' as entity, customer_id as entity_key,
           cnpj_text as value, 'check digits or format invalid' as detail, source_file, source_line
    from customers
    where not is_cnpj_valid

    union all

    select 'duplicate_cnpj', 'customer', c.customer_id, c.cnpj_text,
           'same CNPJ as ' || string_agg(o.customer_id, ', ' order by o.customer_id), c.source_file, c.source_line
    from customers c
    join customers o on o.cnpj = c.cnpj and o.customer_id <> c.customer_id
    group by c.customer_id, c.cnpj_text, c.source_file, c.source_line

    union all

    select 'cutoff_day_out_of_range', 'customer', customer_id, billing_cutoff_day::VARCHAR,
           'billing_cutoff_day must be 1–31', source_file, source_line
    from customers
    where billing_cutoff_day not between 1 and 31

    union all

    select 'unknown_customer_order', 'order_line', so_number || '/' || order_line, customer_id,
           'customer_id not in the customer master', source_file, source_line
    from orders
    where not is_known_customer

    union all

    select 'unknown_customer_bill', 'vendor_bill', bill_line_id, vendor_customer_id,
           case when customer_id is null then 'vendor customer id not in vendor_accounts'
                else 'mapped to ' || customer_id || ', not in the customer master' end,
           source_file, source_line
    from vendor_bill_lines
    where not is_known_customer

    union all

    select 'contract_end_before_start', 'contract', contract_id,
           ptbr_date(start_date) || ' – ' || ptbr_date(end_date),
           'end_date before start_date', source_file, source_line
    from contracts
    where not is_valid_period

    union all

    select 'not_an_invoice_xml', 'file', f.path, r.field, r.reason, f.path, r.line
    from load_rejects r
    join files f using (file_id)
    where f.kind = 'nf_xml'

    union all

    select 'register_xml_mismatch', 'invoice', nf_label,
           null, array_to_string(register_mismatches, '; '), source_file, source_line
    from invoices
    where len(register_mismatches) > 0

    union all

    select 'vendor_formula_mismatch', 'vendor_bill', bill_line_id,
           concat_ws(' ',
               case when not is_subtotal_ok then 'Subtotal ' || subtotal end,
               case when not is_total_ok then 'Total ' || total end),
           concat_ws('; ',
               case when not is_subtotal_ok then 'expected ROUNDDOWN(' || effective_unit_price::DECIMAL(18,4) || ' × ' || pc_to_bc_rate::DECIMAL(18,4)
                    || ', 2) × ' || billable_quantity::DECIMAL(18,2) || ' = ' || expected_subtotal end,
               case when not is_total_ok then 'expected Subtotal + TaxTotal = ' || (subtotal + tax_total) end),
           source_file, source_line
    from vendor_bill_lines
    where not is_subtotal_ok or not is_total_ok

    union all

    select 'ptax_rejected_fallback', 'fx_rate', currency || ' ' || coalesce(ptbr_date(rejected_rate_date), '?'),
           value, reason || '; the PTAX of ' || ptbr_date(used_rate_date) || ' is used instead', file, line
    from fx_fallbacks

    union all

    select 'conflicting_source', entity, entity_key, value, detail, source_file, source_line
    from erp_conflicts

    union all

    select 'conflicting_source', entity, entity_key, value, detail, source_file, source_line
    from invoice_conflicts

    union all

    select 'register_status_mismatch', 'invoice', nf_label, status, register_status_note, source_file, source_line
    from invoices
    where register_status_note is not null

    union all

    select 'event_not_registered', 'nf_event', nf_label, coalesce('cStat ' || status_code, 'no retEvento'),
           'event ' || event_type || ' (' || event_kind || ') not registered by SEFAZ (cStat 135, 136 or 155): it changes nothing',
           source_file, source_line
    from fiscal_events
    where not is_registered

    union all

    select 'event_without_invoice', 'nf_event', nf_label, event_type || ' (' || event_kind || ')',
           'no invoice ' || nf_label || ' of issuer ' || issuer_cnpj || ' in the register or the XML: the event is kept',
           source_file, source_line
    from fiscal_events
    where not is_known_invoice

    union all

    select 'licence_on_nfe', 'order_line', o.so_number || '/' || o.order_line, i.nf_label,
           'licence ' || o.product_id || coalesce('/' || o.sku_id, '') || ' invoiced on NF-e ' || i.nf_label
               || ': software licensing pays ISS on an NFS-e, not ICMS (LC 116/2003 item 1.05; STF, ADI 1945 and ADI 5659, 2021)',
           o.source_file, o.source_line
    from orders o
    join invoices i on i.so_number = o.so_number and i.kind = 'NFE' and i.status = 'autorizada'
    join product_goods g on g.product_id = o.product_id and g.goods = 'licence'
)

select *
from findings
order by check_name, source_file, source_line, entity_key, value
