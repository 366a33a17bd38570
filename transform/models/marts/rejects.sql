-- Every row of a pipeline's inputs that failed validation, with the column
-- named as its file names it: kind_rejects, which each run defines from
-- the kinds its pipeline reads (pipelines/rejects.go), gathers what each
-- kind's staging model rejected (its _errors) and what the loader did
-- (load_rejects). A per-run table, as its rows are: not written to the
-- warehouse file.
-- materialized: temp
select * from named_rejects(kind_rejects)
