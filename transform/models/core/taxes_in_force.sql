-- The taxes on revenue in force on the period's first day (rules/taxes.csv),
-- for each kind of sale: licence (software: the products of the vendors'
-- price lists and bills), hardware (the products of a vendor the config
-- declares goods: hardware) and other (what no list or bill names: only the
-- rows applying to all). A row for the kind itself wins over a row for all
-- of the same tax. Three rows, tax table or not: has_tax_table says whether
-- rules/taxes.csv was read at all (without it nothing is taxed and the
-- outputs say "sem impostos").
--   tax_pct    the rates the price includes (ISS, PIS, COFINS...), summed:
--              they come out of the margin
--   added_pct  the rates charged on top of the price (CBS and IBS in 2026,
--              "destacados na nota"): shown, never in the margin
--   included / added  each tax with its rate, in the order ISS, PIS, COFINS,
--              CBS, IBS, ICMS, for amounts rounded tax by tax
--   proposal_note  what a customer's proposal says of them: "Preços com
--              ISS, PIS e COFINS inclusos; CBS e IBS destacados na nota."
--              (NULL without the tax table: a proposal then says nothing)
-- materialized: temp
-- check: unique(goods)
with params as (
    select getvariable('period_start')::DATE as day
),

kinds as (
    select * from (values (1, 'licence'), (2, 'hardware'), (3, 'other')) t(rank, goods)
),

in_force as (
    select r.*, f.path || ':' || r.line as rule
    from stg_tax_rules r
    join files f using (file_id), params p
    where r.valid_from <= p.day
      and (r.valid_to is null or r.valid_to >= p.day)
),

rates as (
    select
        k.goods,
        i.tax,
        i.rate_pct,
        i.is_included_in_price,
        i.source,
        i.rule,
        list_position(['ISS', 'PIS', 'COFINS', 'CBS', 'IBS', 'ICMS'], i.tax) as tax_rank
    from kinds k
    join in_force i on i.applies_to = k.goods or i.applies_to = 'all'
    qualify row_number() over (partition by k.goods, i.tax order by i.applies_to = 'all', i.line) = 1
),

profiles as (
    select
        k.rank,
        k.goods,
        (select count(*) > 0 from stg_tax_rules) as has_tax_table,
        coalesce(sum(r.rate_pct) filter (where r.is_included_in_price), 0)::DECIMAL(9,4) as tax_pct,
        coalesce(sum(r.rate_pct) filter (where not r.is_included_in_price), 0)::DECIMAL(9,4) as added_pct,
        coalesce(list({'tax': r.tax, 'rate_pct': r.rate_pct} order by r.tax_rank) filter (where r.is_included_in_price), []) as included,
        coalesce(list({'tax': r.tax, 'rate_pct': r.rate_pct} order by r.tax_rank) filter (where not r.is_included_in_price), []) as added,
        string_agg(r.tax || ' ' || ptbr_plain(plain_number(r.rate_pct)) || '%', ' + ' order by r.tax_rank)
            filter (where r.is_included_in_price) as included_text,
        string_agg(r.tax || ' ' || ptbr_plain(plain_number(r.rate_pct)) || '%', ' + ' order by r.tax_rank)
            filter (where not r.is_included_in_price) as added_text,
        -- "ISS, PIS e COFINS": the names, the last after "e"
        regexp_replace(string_agg(r.tax, ', ' order by r.tax_rank) filter (where r.is_included_in_price), ', ([^,]*)$', ' e \1') as included_names,
        regexp_replace(string_agg(r.tax, ', ' order by r.tax_rank) filter (where not r.is_included_in_price), ', ([^,]*)$', ' e \1') as added_names,
        string_agg(r.tax || ': ' || r.source || ' (' || r.rule || ')', '; ' order by r.tax_rank) as sources
    from kinds k
    left join rates r using (goods)
    group by k.rank, k.goods
)

select
    * exclude (rank, included_names, added_names),
    case when has_tax_table then
        coalesce('Preços com ' || included_names || case when len(included) = 1 then ' incluso' else ' inclusos' end, 'Preços sem impostos inclusos')
        || coalesce('; ' || added_names || case when len(added) = 1 then ' destacado na nota' else ' destacados na nota' end, '')
        || '.'
    end as proposal_note
from profiles
order by rank
