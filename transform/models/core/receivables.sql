-- Receivables by title / installment (erp/receivables/, Protheus SE1), each
-- with the invoice it collects: the invoice of its number (compared without
-- leading zeros) whose series is the title's (Protheus' E1_PREFIXO is the
-- invoice's series by default), else the only invoice of the number; of the
-- title's customer when both name one. A title that matches no invoice, or
-- several, keeps nf_label NULL (data_quality: receivable_without_invoice).
-- A title delivered by two files (SE1 exported every month) is the later
-- file's, as an invoice's payment is: the later export says where it is now.
-- Types: a type ending in "-" (AB-, IR-, PI-, CF-, CS-, IS-, IN-) is an
-- abatement, a tax withheld from the title of the same invoice and
-- installment, and reduces it (is_abatement); RA (an advance received) and
-- NCC (a credit note) are the customer's credit, not what they owe
-- (is_credit); any other type (NF, DP, BOL…) is a title the customer pays.
-- check: unique(title_key)
-- check: not_null(title_key, nf_number, due_date, amount_brl)
with titles as (
    select
        r.*,
        f.path as source_file,
        coalesce(r.series || ' ', '') || r.nf_number || coalesce('/' || nullif(r.installment, ''), '')
            || case when r.title_type <> 'NF' then ' ' || r.title_type else '' end as title_key
    from stg_erp_receivables r
    join files f using (file_id)
    where len(r._errors) = 0
    qualify row_number() over (partition by r.series, r.nf_number, r.installment, r.title_type
                               order by f.path desc, r.line desc) = 1
),

-- the invoices a title may collect: the register's, and the XMLs'
candidates as (
    select
        t.title_key,
        i.nf_label,
        i.customer_id,
        i.status,
        i.issue_date,
        coalesce(t.series = i.series, false) as is_series_match
    from titles t
    join invoices i on i.nf_number = t.nf_number
    where (i.in_register or i.has_xml)
      and (t.customer_id is null or i.customer_id is null or t.customer_id = i.customer_id)
),

-- the best tier's invoice, if it is the only one of its tier
matched as (
    select * exclude (n, rn)
    from (
        select
            *,
            count(*) over (partition by title_key, is_series_match) as n,
            row_number() over (partition by title_key order by is_series_match desc, nf_label) as rn
        from candidates
    )
    where rn = 1 and n = 1
),

candidate_counts as (
    select title_key, count(*) as invoices from candidates group by title_key
)

select
    t.title_key,
    t.nf_number,
    t.series,
    t.installment,
    t.title_type,
    t.title_type like '%-' as is_abatement,
    t.title_type in ('RA', 'NCC') as is_credit,
    m.nf_label,
    m.status as invoice_status,
    coalesce(cc.invoices, 0) as invoices_matching,
    coalesce(t.customer_id, m.customer_id) as customer_id,
    coalesce(t.issue_date, m.issue_date) as issue_date,
    t.due_date,
    t.amount_brl::DECIMAL(18,2) as amount_brl,
    t.balance_brl::DECIMAL(18,2) as balance_brl,
    t.paid_date,
    t.source_file,
    t.line as source_line
from titles t
left join matched m using (title_key)
left join candidate_counts cc using (title_key)
