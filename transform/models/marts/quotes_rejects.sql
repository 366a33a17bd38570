-- Every quote request line that failed validation (kind_rejects: see
-- rejects.sql; the customer master's rejected rows are the
-- reconciliation's and the lifecycle's to list) or could not be priced,
-- and the first line of each request whose customer is unusable, with the
-- column named as its file names it, every version of a customer the
-- master gives twice with other values (core/customer_conflicts: no
-- proposal for it), and every line of approvals/ on a quote revision that
-- is not a decision in force (core/quote_decisions: unknown, superseded,
-- contradicted; those on renewal drafts, RN-…, are the lifecycle's). An
-- approvals/ line that is not valid is in kind_rejects, as in the
-- lifecycle's.
-- materialized: temp
with errors as (
    select * from kind_rejects
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
    select file_id, source_line, {'field': field, 'value': value, 'reason': 'conflicting source: ' || detail}
    from customer_conflicts
    union all
    select file_id, line, {'field': 'revision', 'value': revision::VARCHAR, 'reason': reject_reason}
    from quote_decisions
    where reject_reason is not null
)

select * from named_rejects(errors)
