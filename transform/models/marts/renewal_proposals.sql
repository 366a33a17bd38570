-- The renewal proposals: one per contract of renewals with a
-- draft_proposal (due within 90 days, every line with a current price), in
-- the customer proposals' layout (write.Proposals): dated as-of, valid
-- until the end of as-of's month. One below the floor of its pricing rule
-- and not approved yet is a draft (is_draft: under proposals/rascunhos/,
-- marked on every page and sheet). Never cost, margin or incentive.
select
    'RN-' || r.contract_id as proposal_number,
    'Proposta de renovação' as title,
    starts_with(r.draft_proposal, 'proposals/rascunhos/') as is_draft,
    getvariable('as_of')::DATE as proposal_date,
    last_day(getvariable('as_of')::DATE) as valid_until,
    r.account_manager as seller,
    c.customer_id,
    c.name as customer_name,
    c.cnpj_text as customer_cnpj,
    c.payment_terms_days,
    coalesce(list_contains(c.restrictions, 'po_required'), false) as is_po_required,
    (select sum(l.quantity::DECIMAL(38,6) * l.current_sell_price_brl) from renewal_lines l where l.contract_id = r.contract_id)::DECIMAL(18,2) as total_brl,
    (select string_agg(distinct l.taxes_note, ' ' order by l.taxes_note) from renewal_lines l where l.contract_id = r.contract_id) as taxes_note,
    r.draft_proposal as proposal
from renewals r
join customers c using (customer_id)
where r.draft_proposal is not null
order by proposal_number
