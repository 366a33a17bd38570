-- Licensed quantities and locked prices per contract line, as delivered
-- (a contract may list a SKU on several lines), with their file and line.
-- unit_price is per billing period of the contract (a month on a monthly
-- contract), annual_price per year, license_price once per license;
-- product_class and sa_price (Software Assurance per unit per year) are
-- the enrollment's, for the true-up.
-- The same contract line (contract_id, product_id and SKU) in two files is
-- one delivery when both files give it the same lines (description,
-- currency, quantity and prices; the later file's are kept), and
-- is_conflicting when they do not: the later file's lines are kept here,
-- core/erp_conflicts lists both, and the contract's customer gets no
-- renewal draft until the files agree.
-- check: not_null(contract_id, product_id, quantity, currency)
with lines as (
    select
        l.*,
        coalesce(l.sku_id, '') as sku_key,
        f.path as source_file,
        hash(l.description, l.currency, l.quantity, l.unit_price, l.license_price, l.annual_price, l.product_class, l.sa_price) as value_hash
    from stg_erp_contract_lines l
    join files f using (file_id)
    where len(l._errors) = 0
),

-- what each file says of each contract line: the set of its lines' values
deliveries as (
    select
        contract_id,
        product_id,
        sku_key,
        file_id,
        any_value(source_file) as source_file,
        hash(list(value_hash order by value_hash)) as delivery_hash
    from lines
    group by contract_id, product_id, sku_key, file_id
),

kept as (
    select
        contract_id,
        product_id,
        sku_key,
        file_id,
        min(delivery_hash) over w <> max(delivery_hash) over w as is_conflicting
    from deliveries
    window w as (partition by contract_id, product_id, sku_key order by source_file desc
                 rows between unbounded preceding and unbounded following)
    qualify row_number() over w = 1
)

select
    l.contract_id,
    l.product_id,
    l.sku_id,
    l.description,
    l.currency,
    l.quantity,
    l.unit_price,
    l.license_price,
    l.annual_price,
    l.product_class,
    l.sa_price,
    l.source_file,
    l.line as source_line,
    k.is_conflicting
from lines l
join kept k using (contract_id, product_id, sku_key, file_id)
order by l.contract_id, l.source_file, l.line
