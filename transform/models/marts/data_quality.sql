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
--   event_key_mismatch          a fiscal event whose access key is not the one of the
--                               invoice its key's issuer, series and number name (the
--                               XML's, else the register's, as Protheus' F2_CHVNFE):
--                               one of the two records holds a wrong key
--   licence_on_nfe              an order line of a licence invoiced on an NF-e: software
--                               licensing pays ISS on an NFS-e, not ICMS (LC 116/2003
--                               item 1.05; STF, ADI 1945 and ADI 5659, 2021)
--   installments_mismatch       an invoice whose titles (erp/receivables/), less their
--                               abatements, do not add up to its net amount: it ages by
--                               its titles
--   receivable_without_invoice  a title that collects no invoice of the register (none
--                               or several have its number): it ages under its customer
--   unmapped_field              a field a report needs that no column or default of an
--                               ERP mapping feeds (erp: in the config): once per kind and
--                               field, saying what the reports make of it
-- check: accepted_values(check_name: invalid_cnpj, duplicate_cnpj, cutoff_day_out_of_range, unknown_customer_order, unknown_customer_bill, contract_end_before_start, not_an_invoice_xml, register_xml_mismatch, vendor_formula_mismatch, ptax_rejected_fallback, conflicting_source, register_status_mismatch, event_not_registered, event_without_invoice, event_key_mismatch, licence_on_nfe, installments_mismatch, receivable_without_invoice, unmapped_field)
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

    select 'installments_mismatch', 'invoice', i.nf_label,
           'installments ' || t.amount_brl,
           'net ' || i.net_brl || ' ≠ ' || t.titles || ' installment(s) adding up to ' || t.amount_brl, t.source_file, t.source_line
    from (
        select nf_label, sum(amount_brl)::DECIMAL(18,2) as amount_brl, count(*) as titles,
               min(source_file) as source_file, min(source_line) as source_line
        from receivable_items
        where item_source = 'title' and nf_label is not null
        group by nf_label
    ) t
    join invoices i on i.nf_label = t.nf_label and i.status = 'autorizada'
    where t.amount_brl <> i.net_brl

    union all

    select 'receivable_without_invoice', 'receivable', title_key, nf_number,
           case when invoices_matching = 0 then 'no invoice has this number'
                else invoices_matching || ' invoices have this number: the title''s series (prefix) names none of them' end
           || case when customer_id is null then '; no customer: not aged' else '; aged under ' || customer_id end,
           source_file, source_line
    from receivables
    where nf_label is null and not is_credit and not is_abatement

    union all

    select 'unmapped_field', 'mapping', replace(f.kind, 'erp_', '') || '.' || u.field, null,
           'no column or default of the mapping feeds it (erp.columns.' || replace(f.kind, 'erp_', '') || '.' || u.field || '): ' || n.effect,
           min(f.path), null
    from file_unmapped u
    join files f using (file_id)
    join (values
        ('erp_customers', 'cnpj', 'invoices find their customer only by their order or customer_id'),
        ('erp_customers', 'credit_limit', 'credit exposure has no limit to measure'),
        ('erp_customers', 'payment_terms_days', 'proposals state no payment terms, and an invoice with no due date is due on issue'),
        ('erp_customers', 'account_manager', 'renewals and the T-36 calendar name no account manager'),
        ('erp_customers', 'billing_cutoff_day', 'no invoice is checked against a billing cutoff'),
        ('erp_customers', 'restrictions', 'no customer needs a purchase order or a portal posting'),
        ('erp_orders', 'period_start', 'an order line with no service period falls in no period: the reconciliation leaves it out'),
        ('erp_orders', 'period_end', 'an order line with no service period falls in no period: the reconciliation leaves it out'),
        ('erp_orders', 'contract_id', 'order lines have no contract: no vendor in the reconciliation, no true-up history in the lifecycle'),
        ('erp_orders', 'vendor_subscription_id', 'order lines meet vendor bills by customer and product only'),
        ('erp_orders', 'order_type', 'every order line counts as new: renewals, true-ups and recurrences look alike'),
        ('erp_invoices', 'status', 'an invoice with no XML has no status: neither billed nor cancelled'),
        ('erp_invoices', 'due_date', 'an invoice with no title in erp/receivables/ is due payment_terms_days after issue'),
        ('erp_invoices', 'portal_posted_date', 'no portal posting is known: the invoices of portal customers show as not posted'),
        ('erp_receivables', 'balance', 'a title is open for its whole amount until its paid_date')
    ) n(kind, field, effect) on n.kind = f.kind and n.field = u.field
    -- the register's due date matters only to an invoice with no title
    where not (u.field = 'due_date' and f.kind = 'erp_invoices'
               and not exists (select 1 from receivable_items where item_source = 'register' and status = 'autorizada'))
    group by all

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

    select 'event_key_mismatch', 'nf_event', nf_label, invoice_key,
           'event ' || event_type || ' names access key ' || invoice_key || '; ' || nf_label || ' has ' || invoice_doc_key
               || ': one of the two records holds a wrong key',
           source_file, source_line
    from fiscal_events
    where invoice_key <> invoice_doc_key

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
