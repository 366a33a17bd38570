-- Data-quality findings of the lifecycle's inputs that documents depend on.
--   product_name_mismatch  a contract line whose description names another
--                          product than its product (and SKU) in the
--                          vendor's latest published price list: neither
--                          name holds the other once both are reduced to
--                          their words (name_key: case, accents, "licença"
--                          aside). The renewal proposal names the product as
--                          the price list does; the line's text is only
--                          reported. A product the list does not have is
--                          not judged.
-- Rebuilt at every run (it reads the temp current_prices): a per-run
-- table, kept out of the warehouse file.
-- materialized: temp
-- check: not_null(check_name, entity, entity_key)
with names as (
    select distinct vendor_key, product_id, sku_key, product, sku_title
    from current_prices
),

lines as (
    select l.*, c.vendor_key, coalesce(l.sku_id, '') as sku_key
    from contract_lines l
    join lifecycle_contracts c using (contract_id)
    where nullif(trim(l.description), '') is not null
),

judged as (
    select
        l.contract_id,
        l.product_id,
        l.sku_id,
        l.description,
        l.source_file,
        l.source_line,
        bool_or(contains(name_key(l.description), name_key(n.product)) or contains(name_key(n.product), name_key(l.description))
             or contains(name_key(l.description), name_key(n.sku_title)) or contains(name_key(n.sku_title), name_key(l.description))) as is_named,
        min(n.product) as product
    from lines l
    join names n on n.vendor_key = l.vendor_key and n.product_id = l.product_id and n.sku_key = l.sku_key
    group by all
)

select
    'product_name_mismatch' as check_name,
    'contract_line' as entity,
    contract_id || ' ' || product_id || coalesce('/' || sku_id, '') as entity_key,
    description as value,
    'the price list names ' || product_id || coalesce('/' || sku_id, '') || ' ' || product as detail,
    source_file,
    source_line
from judged
where not is_named
order by source_file, source_line
