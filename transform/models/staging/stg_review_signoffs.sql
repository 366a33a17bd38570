-- Finance's sign-offs of a period's review (reviews/signoff.csv), renamed
-- and typed: period AAAA-MM, who signed and on which day (dd/mm/aaaa).
-- Whether one is accepted is core/review_signoff's to say.
with renamed as (
    select
        file_id,
        line,
        trim(period) as period,
        nullif(trim(signed_by), '') as signed_by,
        parse_br_date(signed_on) as signed_on,
        nullif(trim(note), '') as note,
        period as period_text,
        signed_on as signed_on_text
    from raw_review_signoffs
)

select
    file_id,
    line,
    period,
    signed_by,
    signed_on,
    note,
    list_filter([
        reject(not regexp_full_match(coalesce(period, ''), '20\d{2}-(0[1-9]|1[0-2])'), 'period', period_text,
               CASE WHEN blank(period_text) THEN 'required' ELSE 'not a period AAAA-MM' END),
        reject(signed_by is null, 'signed_by', signed_by, 'required'),
        reject(blank(signed_on_text), 'signed_on', signed_on_text, 'required'),
        reject(not blank(signed_on_text) and signed_on is null, 'signed_on', signed_on_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(signed_on), 'signed_on', signed_on_text, 'outside 2000–2099')
    ], e -> e is not null) as _errors
from renamed
