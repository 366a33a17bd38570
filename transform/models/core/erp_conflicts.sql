-- Every key of the ERP master data and orders that two files or lines
-- deliver with other values: customers (customer_conflicts), contracts
-- (contract_id), contract lines (contract_id, product_id and SKU: the set
-- of lines each file gives), order lines (so_number and line). One row per
-- version, naming the columns that differ and the other version's file and
-- line (macros.sql conflict_findings), and the customer it concerns (a
-- contract's own customer in each version; a line's contract's customer).
-- A customer named here gets no customer document (renewal draft,
-- proposal) until the files agree; the rest of the run publishes.
with conflicting_orders as (
    select so_number, order_line from orders where is_conflicting
),

conflicting_lines as (
    select distinct contract_id, product_id, coalesce(sku_id, '') as sku_key from contract_lines where is_conflicting
),

versions as (
    select
        'contract' as entity,
        c.contract_id as entity_key,
        c.customer_id,
        c.file_id,
        f.path as source_file,
        c.line as source_line,
        to_json({
            'customer_id': c.customer_id, 'vendor': c.vendor, 'program': c.program,
            'agreement_number': c.agreement_number, 'start_date': c.start_date, 'end_date': c.end_date,
            'billing_frequency': c.billing_frequency, 'currency': c.currency, 'status': c.status,
            'onboarding_date': c.onboarding_date, 'true_up_program': c.true_up_program, 'fx_rule': c.fx_rule
        }) as vals
    from stg_erp_contracts c
    join files f using (file_id)
    join contracts k on k.contract_id = c.contract_id and k.is_conflicting
    where len(c._errors) = 0

    union all

    -- a file's lines of one contract line, as one version
    select
        'contract_line',
        l.contract_id || ' ' || l.product_id || coalesce('/' || l.sku_id, ''),
        any_value(ct.customer_id),
        l.file_id,
        any_value(f.path),
        min(l.line),
        to_json({
            'description': list(l.description order by l.line), 'currency': list(l.currency order by l.line),
            'quantity': list(plain_number(l.quantity) order by l.line), 'unit_price': list(plain_number(l.unit_price) order by l.line),
            'license_price': list(plain_number(l.license_price) order by l.line),
            'annual_price': list(plain_number(l.annual_price) order by l.line),
            'product_class': list(l.product_class order by l.line), 'sa_price': list(plain_number(l.sa_price) order by l.line)
        })
    from stg_erp_contract_lines l
    join files f using (file_id)
    join conflicting_lines k on k.contract_id = l.contract_id and k.product_id = l.product_id and k.sku_key = coalesce(l.sku_id, '')
    left join contracts ct on ct.contract_id = l.contract_id
    where len(l._errors) = 0
    group by l.contract_id, l.product_id, l.sku_id, l.file_id

    union all

    select
        'order_line',
        o.so_number || '/' || o.order_line,
        o.customer_id,
        o.file_id,
        f.path,
        o.line,
        to_json({
            'po_number': o.po_number, 'customer_id': o.customer_id, 'contract_id': o.contract_id,
            'order_date': o.order_date, 'order_type': o.order_type, 'product_id': o.product_id, 'sku_id': o.sku_id,
            'quantity': plain_number(o.quantity), 'unit_price_brl': plain_number(o.unit_price_brl), 'period_start': o.period_start,
            'period_end': o.period_end, 'vendor_subscription_id': o.vendor_subscription_id, 'status': o.status
        })
    from stg_erp_orders o
    join files f using (file_id)
    join conflicting_orders k on k.so_number = o.so_number and k.order_line = o.order_line
    where len(o._errors) = 0
)

select * from customer_conflicts
union all
select * from conflict_findings(versions)
