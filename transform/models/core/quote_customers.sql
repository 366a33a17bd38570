-- Who each request revision is for: its first line's customer, found in the
-- master by customer_id or by CNPJ (formatted, bare or alphanumeric), with
-- why the request cannot be issued to it, if so. Credit exposure is the
-- latest published reconciliation's (open receivables + ordered not
-- invoiced), read by the quotes pipeline as quote_credit_exposure.
-- materialized: temp
-- check: unique(request_id, revision)
with heads as (
    select request_id, revision, arg_min(customer_text, line) as customer_text
    from quote_requests
    group by request_id, revision
),

matches as (
    select
        h.request_id,
        h.revision,
        h.customer_text,
        coalesce(list(c.customer_id order by c.customer_id) filter (where c.customer_id is not null), []::VARCHAR[]) as ids
    from heads h
    left join customers c
        on upper(c.customer_id) = upper(h.customer_text)
        or (length(cnpj_clean(h.customer_text)) = 14 and c.cnpj = cnpj_clean(h.customer_text))
    group by all
),

one as (
    select m.*, case when len(m.ids) = 1 then m.ids[1] end as customer_id
    from matches m
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
        when len(o.ids) > 1 then 'CNPJ matches several customers: ' || array_to_string(o.ids, ', ')
        when len(o.ids) = 0 and length(cnpj_clean(o.customer_text)) = 14 and not cnpj_valid(cnpj_clean(o.customer_text))
            then 'invalid CNPJ (check digits)'
        when len(o.ids) = 0 then 'unknown customer (not a customer_id or CNPJ in the customer master)'
        when not c.is_cnpj_valid then 'customer ' || c.customer_id || ' has an invalid CNPJ in the master (' || c.cnpj_text || ')'
    end as customer_reason
from one o
left join customers c on c.customer_id = o.customer_id
left join quote_credit_exposure x on x.customer_id = o.customer_id
