-- NF-e items (det/prod) read from the XML, typed.
select
    file_id,
    line,
    kind,
    doc_key,
    coalesce(nullif(ltrim(trim(number), '0'), ''), trim(number)) as nf_number,
    item_number,
    trim(product_code) as product_code,
    trim(description) as description,
    parse_decimal(quantity, '.') as quantity,
    parse_decimal(unit_price, '.') as unit_price_brl,
    parse_decimal(total, '.') as total_brl
from raw_nf
where record = 'item'
