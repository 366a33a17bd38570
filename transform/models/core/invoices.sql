-- Invoices: the ERP register merged with the NF-e / NFS-e XML, matched on
-- kind, number (without leading zeros) and series (when both have one).
-- Amounts, date and customer CNPJ from the XML win; register values that
-- disagree are listed in register_mismatches (reported by data_quality).
-- Status comes from the register: a cancellation is a later event that
-- leaves the authorised XML unchanged; an XML alone is autorizada when its
-- cStat is 100.
--
-- billed_brl = gross − discount is what the invoice charges for the order;
-- net_brl (after withheld taxes) is what the customer pays, used for AR.
-- check: unique(kind, nf_number, series)
-- check: not_null(nf_number, kind, status, billed_brl)
with reg as (
    select r.*, f.path as source_file
    from stg_erp_invoices r
    join files f using (file_id)
    where len(r._errors) = 0
    qualify row_number() over (partition by r.kind, r.nf_number, r.series order by f.path desc, r.line desc) = 1
),

xml as (
    select x.*, f.path as xml_file
    from stg_nf_documents x
    join files f using (file_id)
    where len(x._errors) = 0
    qualify row_number() over (partition by x.kind, x.nf_number, x.series order by f.path desc, x.line desc) = 1
),

merged as (
    select
        coalesce(x.kind, r.kind) as kind,
        coalesce(r.nf_number, x.nf_number) as nf_number,
        coalesce(r.series, x.series) as series,
        x.doc_key,
        coalesce(x.issue_date, r.issue_date) as issue_date,
        coalesce(x.customer_cnpj, r.customer_cnpj) as customer_cnpj,
        r.so_number,
        coalesce(x.gross_brl, r.gross_brl)::DECIMAL(18,2) as gross_brl,
        coalesce(x.discount_brl, r.discount_brl)::DECIMAL(18,2) as discount_brl,
        coalesce(x.gross_brl - x.discount_brl - x.net_brl, r.taxes_withheld_brl)::DECIMAL(18,2) as taxes_withheld_brl,
        coalesce(x.net_brl, r.net_brl)::DECIMAL(18,2) as net_brl,
        coalesce(r.status, case when x.status_code = '100' then 'autorizada' else 'cancelada' end) as status,
        r.due_date,
        r.paid_date,
        r.paid_amount_brl::DECIMAL(18,2) as paid_amount_brl,
        r.portal_posted_date,
        r.replaces_nf,
        r.nf_number is not null as in_register,
        x.nf_number is not null as has_xml,
        list_filter([
            case when r.gross_brl <> x.gross_brl then 'gross ' || r.gross_brl::DECIMAL(18,2) || ' ≠ XML ' || x.gross_brl::DECIMAL(18,2) end,
            case when r.discount_brl <> x.discount_brl then 'discount ' || r.discount_brl::DECIMAL(18,2) || ' ≠ XML ' || x.discount_brl::DECIMAL(18,2) end,
            case when r.net_brl <> x.net_brl then 'net ' || r.net_brl::DECIMAL(18,2) || ' ≠ XML ' || x.net_brl::DECIMAL(18,2) end,
            case when r.customer_cnpj <> x.customer_cnpj then 'customer_cnpj ' || r.customer_cnpj || ' ≠ XML ' || x.customer_cnpj end,
            case when r.issue_date <> x.issue_date then 'issue_date ' || strftime(r.issue_date, '%d/%m/%Y') || ' ≠ XML ' || strftime(x.issue_date, '%d/%m/%Y') end,
            case when r.status = 'autorizada' and x.status_code <> '100' then 'status autorizada ≠ XML cStat ' || x.status_code end
        ], m -> m is not null) as register_mismatches,
        r.source_file,
        r.line as source_line,
        x.xml_file,
        x.line as xml_line
    from reg r
    full join xml x
      on x.kind = r.kind
     and x.nf_number = r.nf_number
     and (x.series is null or r.series is null or x.series = r.series)
)

select
    m.*,
    (m.gross_brl - m.discount_brl)::DECIMAL(18,2) as billed_brl,
    -- the customer: the order's, else the one with the invoice's CNPJ
    coalesce(
        (select min(o.customer_id) from orders o where o.so_number = m.so_number),
        (select min(c.customer_id) from customers c where c.cnpj = m.customer_cnpj)
    ) as customer_id,
    exists (select 1 from stg_erp_invoices n where n.replaces_nf = m.nf_number and n.kind = m.kind and len(n._errors) = 0) as is_replaced
from merged m
order by kind, nf_number, series
