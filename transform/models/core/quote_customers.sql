-- Who each request revision is for: its first line's customer, found in the
-- master by customer_id or by CNPJ (formatted, bare or alphanumeric), with
-- why the request cannot be issued to it, if so: lines naming different
-- customers (a request is for one), a customer the master gives twice with
-- other values (core/customer_conflicts), or one whose orders, invoices or
-- contracts two files give with other values (credit_exposure's
-- conflicting_sources). Credit exposure is the reconciliation's model
-- (marts/credit_exposure: open receivables + orders open at as-of + what
-- is still owed the vendor for commitments billed monthly), built by the
-- quotes pipeline from the inbox's ERP exports (and bills, when there are
-- any) as of the run's as-of.
-- materialized: temp
-- check: unique(request_id, revision)
with heads as (
    select request_id, revision, arg_min(customer_text, line) as customer_text
    from quote_requests
    group by request_id, revision
),

-- every customer a revision's lines name, as written
texts as (
    select distinct request_id, revision, customer_text
    from quote_requests
    where not blank(customer_text)
),

-- By id or by CNPJ: two equi-joins and a union, not one join with an OR
-- (a loop over every pair of request and customer).
keys as (
    select
        t.*,
        upper(t.customer_text) as id_key,
        case when length(cnpj_clean(t.customer_text)) = 14 then cnpj_clean(t.customer_text) end as cnpj_key
    from texts t
),

found as (
    select k.request_id, k.revision, k.customer_text, c.customer_id
    from keys k
    join customers c on upper(c.customer_id) = k.id_key
    union
    select k.request_id, k.revision, k.customer_text, c.customer_id
    from keys k
    join customers c on c.cnpj = k.cnpj_key
),

matches as (
    select
        k.request_id,
        k.revision,
        k.customer_text,
        coalesce(list(f.customer_id order by f.customer_id) filter (where f.customer_id is not null), []::VARCHAR[]) as ids
    from keys k
    left join found f using (request_id, revision, customer_text)
    group by k.request_id, k.revision, k.customer_text
),

-- the customers a revision's lines name: one customer written two ways
-- (its id, its CNPJ) is one
named as (
    select
        request_id,
        revision,
        list(distinct case when len(ids) = 1 then ids[1] else customer_text end
             order by case when len(ids) = 1 then ids[1] else customer_text end) as customers
    from matches
    group by request_id, revision
),

one as (
    select
        h.request_id,
        h.revision,
        h.customer_text,
        coalesce(m.ids, []::VARCHAR[]) as ids,
        case when len(m.ids) = 1 then m.ids[1] end as customer_id,
        coalesce(n.customers, []::VARCHAR[]) as customers
    from heads h
    left join matches m using (request_id, revision, customer_text)
    left join named n using (request_id, revision)
),

conflicts as (
    select customer_id, string_agg(source_file || ':' || source_line, ', ' order by source_file, source_line) as versions
    from customer_conflicts
    group by customer_id
)

select
    o.request_id,
    o.revision,
    o.customer_text,
    c.customer_id,
    c.name as customer_name,
    c.cnpj_text as customer_cnpj,
    c.payment_terms_days,
    coalesce(list_contains(c.restrictions, 'po_required'), false) as is_po_required,
    c.credit_limit_brl,
    coalesce(x.exposure_brl, 0)::DECIMAL(18,2) as exposure_brl,
    case
        when len(o.customers) > 1 then 'lines name different customers: ' || array_to_string(o.customers, ', ')
        when len(o.ids) > 1 then 'CNPJ matches several customers: ' || array_to_string(o.ids, ', ')
        when len(o.ids) = 0 and length(cnpj_clean(o.customer_text)) = 14 and not cnpj_valid(cnpj_clean(o.customer_text))
            then 'invalid CNPJ (check digits)'
        when len(o.ids) = 0 then 'unknown customer (not a customer_id or CNPJ in the customer master)'
        when cf.versions is not null then 'customer ' || c.customer_id || ' has conflicting rows in the customer master (' || cf.versions || ')'
        when x.conflicting_sources is not null
            then 'customer ' || c.customer_id || ' has conflicting sources in the ERP exports (' || x.conflicting_sources || ')'
        when not c.is_cnpj_valid then 'customer ' || c.customer_id || ' has an invalid CNPJ in the master (' || c.cnpj_text || ')'
    end as customer_reason
from one o
left join customers c on c.customer_id = o.customer_id
left join credit_exposure x on x.customer_id = o.customer_id
left join conflicts cf on cf.customer_id = o.customer_id
