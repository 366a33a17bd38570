-- Every quote request line that failed validation or could not be priced,
-- and the first line of each request whose customer is unusable, with the
-- column named as its file names it, and every version of a customer the
-- master gives twice with other values (core/customer_conflicts: no
-- proposal for it), and every line of approvals/ that is not a decision
-- on a quote revision in force (core/quote_decisions: unknown, superseded,
-- contradicted) or not valid. (Customer-master and rules rejects are the
-- reconciliation's and the price list's; RN-… approvals are the
-- lifecycle's.)
with errors as (
    select file_id, line, unnest(_errors) as e from stg_quote_requests where len(_errors) > 0
    union all
    select f.file_id, l.source_line, {'field': 'product_id', 'value': l.product_id, 'reason': l.reject_reason}
    from quote_lines l
    join files f on f.path = l.source_file
    where not l.is_priced and not l.is_input_error
    union all
    select f.file_id, min(l.source_line), {'field': 'customer', 'value': any_value(c.customer_text), 'reason': any_value(c.customer_reason)}
    from quote_customers c
    join quote_lines l using (request_id, revision)
    join files f on f.path = l.source_file
    where c.customer_reason is not null
    group by f.file_id, c.request_id, c.revision
    union all
    select r.file_id, r.line, {'field': r.field, 'value': r.value, 'reason': r.reason} as e
    from load_rejects r
    join files f on f.file_id = r.file_id
    where f.kind in ('quotes', 'approvals')
    union all
    select file_id, source_line, {'field': field, 'value': value, 'reason': 'conflicting source: ' || detail}
    from customer_conflicts
    union all
    select file_id, line, unnest(_errors) from stg_quote_approvals
    where len(_errors) > 0 and not starts_with(coalesce(request_id, ''), 'RN-')
    union all
    select file_id, line, {'field': 'revision', 'value': revision::VARCHAR, 'reason': reject_reason}
    from quote_decisions
    where reject_reason is not null
)

select * from named_rejects(errors)
