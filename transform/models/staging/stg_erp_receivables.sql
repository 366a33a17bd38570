-- Receivables by title / installment (erp/receivables/, Protheus SE1),
-- renamed and typed: one row per title, naming the invoice it collects
-- (nf_number and, optionally, series), its installment, due date, amount,
-- balance and the date of its last payment. Numbers are compared without
-- leading zeros (erp_doc_number); an amount is above 0, a balance at least
-- 0 and at most the amount; dates fall in 2000–2099 (macros.sql). A mapped
-- file (erp: in the config) gives its decimal separator and date format,
-- and which fields no column feeds (not checked).
-- Staged on load (incremental): the loader runs this over each file as it
-- arrives and keeps the typed rows until the file changes or leaves the
-- inbox. Each row comes with its file line (extract.stageRows).
-- materialized: incremental
with source as (
    select * from raw_erp_receivables
),

renamed as (
    select
        -- ids
        file_id,
        line,
        erp_doc_number(nf_number) as nf_number,
        erp_doc_number(series) as series,
        coalesce(trim(installment), '') as installment,
        upper(coalesce(nullif(trim(title_type), ''), 'NF')) as title_type,
        nullif(trim(customer_id), '') as customer_id,

        -- money
        erp_number(amount, decimal_sep) as amount_brl,
        erp_number(balance, decimal_sep) as balance_brl,

        -- dates
        erp_date(issue_date, date_format) as issue_date,
        erp_date(due_date, date_format) as due_date,
        erp_date(paid_date, date_format) as paid_date,

        -- source text, for rejects
        nf_number as nf_text,
        amount as amount_text,
        balance as balance_text,
        issue_date as issue_text,
        due_date as due_text,
        paid_date as paid_text,
        decimal_sep,
        date_format,
        unmapped,
        map_errors
    from source
)

select
    file_id,
    line,
    nf_number,
    series,
    installment,
    title_type,
    customer_id,
    issue_date,
    due_date,
    amount_brl,
    balance_brl,
    paid_date,
    erp_errors([
        reject(blank(nf_text), 'nf_number', nf_text, 'required'),
        reject(amount_brl is null, 'amount', amount_text, erp_number_reason(amount_text, decimal_sep)),
        reject(amount_brl <= 0, 'amount', amount_text, 'not above 0'),
        reject(not blank(balance_text) and balance_brl is null, 'balance', balance_text, erp_number_reason(balance_text, decimal_sep)),
        reject(balance_brl < 0, 'balance', balance_text, 'negative'),
        reject(balance_brl > amount_brl, 'balance', balance_text, 'above the amount'),
        reject(due_date is null, 'due_date', due_text, erp_date_reason(date_format)),
        reject(date_out_of_range(due_date), 'due_date', due_text, 'outside 2000–2099'),
        reject(not blank(issue_text) and issue_date is null, 'issue_date', issue_text, erp_date_reason(date_format)),
        reject(date_out_of_range(issue_date), 'issue_date', issue_text, 'outside 2000–2099'),
        reject(not blank(paid_text) and paid_date is null, 'paid_date', paid_text, erp_date_reason(date_format)),
        reject(date_out_of_range(paid_date), 'paid_date', paid_text, 'outside 2000–2099')
    ], unmapped, map_errors) as _errors
from renamed
