-- Sellers' quote request lines (quotes/*.csv|*.xlsx), renamed and typed.
-- Workbook cells hold numbers with a decimal point, CSV files a decimal
-- comma, and dates as Excel's serial day numbers or text; an empty
-- discount is 0 and an empty date the run's as-of. coterm_end, when given,
-- is the day the line is prorated to (on or after requested_on).
with source as (
    select r.*, f.path as source_file,
           case when lower(f.path) like '%.xlsx' then '.' else ',' end as sep
    from raw_quote_requests r
    join files f using (file_id)
),

renamed as (
    select
        -- ids
        file_id,
        line,
        source_file,
        trim(request_id) as request_id,
        nullif(trim(seller), '') as seller,
        trim(customer) as customer_text,
        nullif(trim(vendor), '') as vendor,
        trim(product_id) as product_id,
        nullif(trim(sku_id), '') as sku_id,
        nullif(trim(segment), '') as segment,
        nullif(trim(term), '') as term,
        nullif(trim(billing_plan), '') as billing_plan,
        nullif(upper(trim(currency)), '') as currency,
        nullif(trim(notes), '') as notes,

        -- numerics
        parse_decimal(quantity, sep) as quantity,
        case when blank(discount_pct) then 0 else parse_decimal(discount_pct, sep) end as discount_pct,

        -- dates
        case
            when blank(requested_on) then getvariable('as_of')::DATE
            -- a workbook's date cell is Excel's serial day number
            when sep = '.' and regexp_full_match(trim(requested_on), '\d{5}(\.0+)?')
                then DATE '1899-12-30' + try_cast(floor(trim(requested_on)::DOUBLE) as INTEGER)
            else parse_br_date(requested_on)
        end as requested_on,
        case
            when blank(coterm_end) then null
            when sep = '.' and regexp_full_match(trim(coterm_end), '\d{5}(\.0+)?')
                then DATE '1899-12-30' + try_cast(floor(trim(coterm_end)::DOUBLE) as INTEGER)
            else parse_br_date(coterm_end)
        end as coterm_end,

        -- source text, for rejects
        quantity as quantity_text,
        discount_pct as discount_text,
        requested_on as requested_on_text,
        coterm_end as coterm_end_text
    from source
)

select
    file_id,
    line,
    source_file,
    request_id,
    seller,
    customer_text,
    vendor,
    product_id,
    sku_id,
    segment,
    term,
    billing_plan,
    currency,
    notes,
    quantity,
    discount_pct,
    requested_on,
    coterm_end,
    list_filter([
        reject(blank(request_id), 'request_id', request_id, 'required'),
        reject(id_problem(request_id) is not null, 'request_id', request_id, id_problem(request_id)),
        reject(blank(customer_text), 'customer', customer_text, 'required'),
        reject(blank(product_id), 'product_id', product_id, 'required'),
        reject(quantity is null, 'quantity', quantity_text, number_reason(quantity_text, ',', 'not a number with a decimal comma (1.234,56)')),
        reject(quantity <= 0, 'quantity', quantity_text, 'must be more than 0'),
        reject(discount_pct is null, 'discount_pct', discount_text, number_reason(discount_text, ',', 'not a number with a decimal comma (12,5)')),
        reject(discount_pct < 0 or discount_pct > 100, 'discount_pct', discount_text, 'outside 0–100'),
        reject(requested_on is null, 'requested_on', requested_on_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(requested_on), 'requested_on', requested_on_text, 'outside 2000–2099'),
        reject(not blank(coterm_end_text) and coterm_end is null, 'coterm_end', coterm_end_text, 'not a date (dd/mm/aaaa)'),
        reject(date_out_of_range(coterm_end), 'coterm_end', coterm_end_text, 'outside 2000–2099'),
        reject(coterm_end < requested_on, 'coterm_end', coterm_end_text, 'before requested_on')
    ], e -> e is not null) as _errors
from renamed
