-- The reconciliation's rejects.csv: every input row its kinds rejected
-- (kind_rejects: see rejects.sql), every decision in reviews/ that does not
-- apply (review_decisions: an unknown exception, a dispute of what is not a
-- vendor's charge), and a refused sign-off of the period published
-- (review_signoff): the run publishes, and says why here.
-- materialized: temp
with errors as (
    select * from kind_rejects
    union all
    select file_id, line, {'field': CASE WHEN not_applied like 'contestar%' THEN 'decision' ELSE 'exception_id' END,
                           'value': CASE WHEN not_applied like 'contestar%' THEN decision ELSE exception_id END,
                           'reason': not_applied}
    from review_decisions
    where not_applied is not null
    union all
    select file_id, line, {'field': 'period', 'value': period, 'reason': refusal}
    from review_signoff
    where refusal is not null
)

select * from named_rejects(errors)
