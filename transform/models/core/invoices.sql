-- Invoices: the ERP register merged with the NF-e / NFS-e XML, one row per
-- invoice, identified as the tax authorities do:
--   NF-e   issuer CNPJ, model, series and number. The model is read from the
--          access key (positions 21–22); the register's NFE are model 55.
--   NFS-e  issuer CNPJ and nNFSe. The NFS-e Nacional has no series: the
--          XML's serie is the DPS's, the issuer's own numbering of the
--          declaration, and the register's series is whatever the ERP
--          keeps. series is NULL on an NFS-e; a register series other than
--          the DPS serie is a register mismatch, not a second invoice.
-- Numbers and series are compared without leading zeros.
--
-- The register has no issuer column: it is our company's register of the
-- invoices it issued, so its issuer is the CNPJ that issues our XMLs, the
-- one issuing most of them (a supplier's XML left in the inbox does not
-- change it; with no XML at all there is nothing to match). A register
-- spanning several issuing CNPJs (branches) would need an issuer column in
-- the export. The register's series column is optional: an NF-e line
-- without one takes the series of our only XML NF-e of its number.
--
-- Amounts, date, customer CNPJ and access key from the XML win; register
-- values that disagree are listed in register_mismatches (reported by
-- data_quality). The register may name the customer by customer_id (an ERP
-- keying invoices by its own customer code, as Protheus' F2_CLIENTE +
-- F2_LOJA): the order's customer comes first, then the register's, then
-- the one with the invoice's CNPJ.
-- Status comes from the register: a cancellation is a later event that
-- leaves the authorised XML unchanged; an XML alone is autorizada when its
-- cStat is 100. A registered cancellation event in the XML (stg_nf_events:
-- NF-e 110111, NFS-e Nacional 101101 or 105102) makes the invoice cancelada
-- whatever the register says: an NFS-e's own XML is never rewritten, so
-- the event is the only signal, and a register not updated would count a
-- cancelled invoice as billed. register_status_note says when the register
-- disagrees (data_quality register_status_mismatch). A cancellation by
-- substitution (105102) links the two: the cancelled one is_replaced, the
-- substitute's replaces_nf names it. authorised_at is the XML's
-- authorisation (dhRecbto, dhProc), where a cancellation deadline starts.
--
-- billed_brl = gross − discount is what the invoice charges for the order;
-- net_brl (after withheld taxes) is what the customer pays, used for AR.
-- nf_label names the invoice in reports: "NFE 5001-1", "NFSE 201".
-- is_conflicting: the invoice is delivered with other values by two
-- register lines (date, customer CNPJ, order, amounts or replaced NF) or by
-- two XMLs (access key, customer CNPJ, date or amounts): the later file's
-- version is kept here,
-- core/invoice_conflicts lists every version, and the customer gets no
-- proposal until the files agree. Identical copies are one invoice. What
-- happens to an invoice after it is issued is not compared (its status,
-- due date after an extension, payment, portal posting): a later export
-- says where it is now, and the later file's version is kept.
-- No ORDER BY: every mart orders what it publishes by a total order of its
-- own. Sorting the whole table here took about 15 % of the model's time at
-- 1M rows, and its memory came on top of the window's.
-- check: unique(issuer_cnpj, kind, model, series, nf_number)
-- check: not_null(nf_number, kind, status, billed_brl, nf_label)
with xml_docs as (
    select
        x.*,
        f.path as xml_file,
        case when x.kind = 'NFE' then substr(x.doc_key, 21, 2) end as model,
        case when x.kind = 'NFE' then x.series end as id_series,
        hash(x.doc_key, x.series, x.customer_cnpj, x.issue_date, x.gross_brl, x.discount_brl,
             x.tax_base_brl, x.tax_amount_brl, x.net_brl) as value_hash
    from stg_nf_documents x
    join files f using (file_id)
    where len(x._errors) = 0
),

xml as (
    select *, min(value_hash) over w <> max(value_hash) over w as is_xml_conflicting
    from xml_docs
    window w as (partition by issuer_cnpj, kind, model, id_series, nf_number order by xml_file desc, line desc
                 rows between unbounded preceding and unbounded following)
    qualify row_number() over w = 1
),

-- our fiscal events name our invoices too (a register without XML)
own_issuer as (
    select issuer_cnpj
    from (select issuer_cnpj from xml union all select issuer_cnpj from stg_nf_events)
    where issuer_cnpj is not null
    group by issuer_cnpj
    order by count(*) desc, issuer_cnpj
    limit 1
),

-- our NF-e numbers carried by a single series, for register lines without one
own_nfe_series as (
    select x.nf_number, min(x.id_series) as id_series
    from xml x
    join own_issuer o using (issuer_cnpj)
    where x.kind = 'NFE' and x.model = '55'
    group by x.nf_number
    having count(*) = 1
),

reg as (
    select
        r.*,
        f.path as source_file,
        (select issuer_cnpj from own_issuer) as issuer_cnpj,
        case when r.kind = 'NFE' then '55' end as model,
        case when r.kind = 'NFE' then coalesce(r.series, s.id_series) end as id_series,
        min(r.value_hash) over w <> max(r.value_hash) over w as is_register_conflicting
    from (
        select
            *,
            hash(series, issue_date, customer_cnpj, customer_id, doc_key, so_number, gross_brl, discount_brl,
                 taxes_withheld_brl, net_brl, replaces_nf) as value_hash
        from stg_erp_invoices
    ) r
    join files f using (file_id)
    -- the key is NULL unless the line is an NF-e without series: a plain
    -- equality, so a hash join (the same test as separate ON conditions
    -- made DuckDB loop over every pair)
    left join own_nfe_series s
      on s.nf_number = case when r.kind = 'NFE' and r.series is null then r.nf_number end
    where len(r._errors) = 0
    window w as (partition by r.kind, id_series, r.nf_number order by f.path desc, r.line desc
                 rows between unbounded preceding and unbounded following)
    qualify row_number() over w = 1
),

merged as (
    select
        coalesce(x.issuer_cnpj, r.issuer_cnpj) as issuer_cnpj,
        coalesce(x.kind, r.kind) as kind,
        coalesce(x.model, r.model) as model,
        coalesce(r.nf_number, x.nf_number) as nf_number,
        coalesce(x.id_series, r.id_series) as series,
        coalesce(x.doc_key, r.doc_key) as doc_key,
        coalesce(x.issue_date, r.issue_date) as issue_date,
        x.authorised_at,
        coalesce(x.customer_cnpj, r.customer_cnpj) as customer_cnpj,
        r.so_number,
        r.customer_id as register_customer_id,
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
        coalesce(r.is_register_conflicting, false) or coalesce(x.is_xml_conflicting, false) as is_conflicting,
        list_filter([
            case when r.kind = 'NFSE' and r.series <> x.series then 'series ' || r.series || ' ≠ XML DPS serie ' || x.series end,
            case when r.gross_brl <> x.gross_brl then 'gross ' || r.gross_brl::DECIMAL(18,2) || ' ≠ XML ' || x.gross_brl::DECIMAL(18,2) end,
            case when r.discount_brl <> x.discount_brl then 'discount ' || r.discount_brl::DECIMAL(18,2) || ' ≠ XML ' || x.discount_brl::DECIMAL(18,2) end,
            case when r.net_brl <> x.net_brl then 'net ' || r.net_brl::DECIMAL(18,2) || ' ≠ XML ' || x.net_brl::DECIMAL(18,2) end,
            case when r.customer_cnpj <> x.customer_cnpj then 'customer_cnpj ' || r.customer_cnpj || ' ≠ XML ' || x.customer_cnpj end,
            case when r.issue_date <> x.issue_date then 'issue_date ' || ptbr_date(r.issue_date) || ' ≠ XML ' || ptbr_date(x.issue_date) end,
            case when r.status = 'autorizada' and x.status_code <> '100' then 'status autorizada ≠ XML cStat ' || x.status_code end,
            case when r.doc_key <> x.doc_key then 'access_key ' || r.doc_key || ' ≠ XML ' || x.doc_key end
        ], m -> m is not null) as register_mismatches,
        r.source_file,
        r.line as source_line,
        x.xml_file,
        x.line as xml_line
    from reg r
    -- model and series are NULL on an NFS-e, so they match by "not
    -- distinct": still equality conditions, a hash join.
    full join xml x
      on x.issuer_cnpj = r.issuer_cnpj
     and x.kind = r.kind
     and x.nf_number = r.nf_number
     and x.model is not distinct from r.model
     and x.id_series is not distinct from r.id_series
),

-- The lookups as joins on pre-aggregated keys: as correlated subqueries
-- DuckDB planned each as a delim join over every invoice (7.9 s for 215,000
-- invoices, 2.2-2.8 s each).
order_customers as (
    select so_number, min(customer_id) as customer_id
    from orders
    group by so_number
),

cnpj_customers as (
    select cnpj, min(customer_id) as customer_id
    from customers
    group by cnpj
),

replaced as (
    select distinct kind, replaces_nf as nf_number
    from stg_erp_invoices
    where replaces_nf is not null and len(_errors) = 0
),

-- the first registered cancellation of each invoice, by its identity
cancellations as (
    select
        e.issuer_cnpj, e.kind, e.model, e.series, e.nf_number,
        arg_min({'event_kind': e.event_kind, 'event_at': e.event_at, 'substitute_number': e.substitute_number,
                 'file': f.path, 'line': e.line}, (e.event_at, f.path, e.line)) as ev
    from stg_nf_events e
    join files f using (file_id)
    where e.is_registered and e.event_kind in ('cancellation', 'substitution')
    group by all
),

-- the NFS-e a registered substitution names as the substitute
substitutes as (
    select issuer_cnpj, kind, substitute_number as nf_number, arg_min(nf_number, event_at) as replaces_nf
    from stg_nf_events
    where is_registered and event_kind = 'substitution'
    group by all
)

select
    m.* exclude (register_customer_id, status, replaces_nf),
    case when ce.ev is not null then 'cancelada' else m.status end as status,
    coalesce(m.replaces_nf, sb.replaces_nf) as replaces_nf,
    ce.ev.event_at as cancelled_at,
    ce.ev.event_kind as cancel_event,
    case when ce.ev.event_kind = 'substitution' then m.kind || ' ' || ce.ev.substitute_number end as replaced_by,
    case when m.in_register and m.status = 'autorizada' and ce.ev is not null
        then 'register says autorizada; ' || case ce.ev.event_kind when 'substitution' then 'cancellation by substitution' else 'cancellation' end
             || ' registered on ' || ptbr_date(ce.ev.event_at::DATE) || ' (' || ce.ev.file || ':' || ce.ev.line || ')'
    end as register_status_note,
    m.kind || ' ' || m.nf_number || coalesce('-' || m.series, '') as nf_label,
    (m.gross_brl - m.discount_brl)::DECIMAL(18,2) as billed_brl,
    -- the customer: the order's, else the register's, else the one with the
    -- invoice's CNPJ
    coalesce(oc.customer_id, m.register_customer_id, cc.customer_id) as customer_id,
    -- replaces_nf names an invoice of the register, so of our issuer
    (m.issuer_cnpj is not distinct from (select issuer_cnpj from own_issuer) and rp.nf_number is not null)
        or coalesce(ce.ev.event_kind = 'substitution', false) as is_replaced
from merged m
left join order_customers oc on oc.so_number = m.so_number
left join cnpj_customers cc on cc.cnpj = m.customer_cnpj
left join replaced rp on rp.kind = m.kind and rp.nf_number = m.nf_number
left join cancellations ce
  on ce.issuer_cnpj = m.issuer_cnpj and ce.kind = m.kind and ce.nf_number = m.nf_number
 and ce.model is not distinct from m.model and ce.series is not distinct from m.series
left join substitutes sb on sb.issuer_cnpj = m.issuer_cnpj and sb.kind = m.kind and sb.nf_number = m.nf_number
