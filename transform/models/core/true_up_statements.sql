-- The true-up orders and update statements the ERP records as submitted
-- (erp/statements), each with the agreement year whose true-up event it
-- closes: the year whose anniversary it names (the last year's: its
-- anniversary, or the end date). A statement of an unknown contract, or of
-- no anniversary of its contract, is left out here and listed in
-- lifecycle_rejects.
-- check: unique(contract_id, agreement_year, source_file, source_line)
select
    s.contract_id,
    y.agreement_year,
    s.anniversary_date,
    s.kind,
    s.submitted_on,
    s.reference,
    s.file_id,
    f.path as source_file,
    s.line as source_line
from stg_erp_statements s
join files f using (file_id)
-- an equi-join on the contract, then its few years
join true_up_years y on y.contract_id = s.contract_id
where len(s._errors) = 0
  and (s.anniversary_date = y.anniversary_date or (y.is_final and s.anniversary_date = y.year_end))
