-- What the customer's proposal shows, one row per request revision with a
-- document (quotes.proposal): issued, or a draft while it waits for an
-- approval (is_draft: it is written under proposals/rascunhos/, marked
-- "RASCUNHO — aguardando aprovação" on every page and sheet). Never cost,
-- margin or incentive. taxes_note says which taxes the prices include and
-- which the invoice adds (rules/taxes.csv), or is NULL without a tax table.
select
    q.proposal_number,
    'Proposta comercial' as title,
    q.status <> 'issued' as is_draft,
    q.request_id,
    q.revision,
    q.requested_on as proposal_date,
    q.valid_until,
    q.seller,
    q.customer_id,
    q.customer_name,
    q.customer_cnpj,
    q.payment_terms_days,
    q.is_po_required,
    q.total_brl,
    q.taxes_note,
    q.proposal
from quotes q
where q.proposal is not null
order by q.proposal_number
