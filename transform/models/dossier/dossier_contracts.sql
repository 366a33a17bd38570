-- The customer's contracts, active first, then ended, latest end first.
select
    c.contract_id,
    c.vendor,
    c.program,
    c.agreement_number,
    c.start_date,
    c.end_date,
    c.billing_frequency,
    case
        when not c.is_valid_period then 'período inválido'
        when c.end_date < getvariable('as_of') then 'encerrado'
        when c.start_date > getvariable('as_of') then 'futuro'
        else 'ativo'
    end as situation,
    date_diff('day', getvariable('as_of')::DATE, c.end_date) as days_left,
    c.status
from contracts c
where c.customer_id = getvariable('dossier_customer_id')
order by c.end_date < getvariable('as_of'), c.end_date desc, c.contract_id
