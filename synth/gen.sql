-- The generator's big files, as DuckDB table macros over range(): every
-- column is a function of the seed and the row number (hash), so a file is
-- the same bytes at every run and no table is ever held. Variables are set
-- by gen.go: seed, customers, products, price_rows, subs (subscriptions = bill lines a
-- month), months, bills, and the month (m_*: dates, rates, and the month's
-- dates as text) and customer (c_*) lists,
-- indexed by month and customer number from 1. /*PLAN*/ is replaced by the
-- CASE that turns r (0–999) into a slot's plan (planPerMille in gen.go).
--
-- Statements are separated by ";" at the end of a line.

-- Money as whole cents, written as the files write it: US (1234.56) or
-- Brazilian (1.234,56). Amounts are never negative here.
CREATE OR REPLACE TEMP MACRO gen_us(c) AS (c // 100)::VARCHAR || '.' || lpad((c % 100)::VARCHAR, 2, '0');
CREATE OR REPLACE TEMP MACRO gen_br(c) AS replace(format('{:,}', (c // 100)::BIGINT), ',', '.') || ',' || lpad((c % 100)::VARCHAR, 2, '0');
CREATE OR REPLACE TEMP MACRO gen_us_date(d) AS strftime(d, '%-m/%-d/%Y');
CREATE OR REPLACE TEMP MACRO gen_br_date(d) AS strftime(d, '%d/%m/%Y');
-- A UUID-shaped id from two hashes (md5 and a regexp cost more).
CREATE OR REPLACE TEMP MACRO gen_uuid(tag, n) AS printf('%08x-%04x-4%03x-8%03x-%012x',
    hash(getvariable('seed'), tag, n) >> 32,
    (hash(getvariable('seed'), tag, n) >> 16) & 65535,
    hash(getvariable('seed'), tag, n) & 4095,
    (hash(n, tag, getvariable('seed')) >> 48) & 4095,
    hash(n, tag, getvariable('seed')) & 281474976710655);

-- Products: the P1M monthly USD cost of product p, its ids and names. Go
-- asks these macros too (contract lines, quotes), so a product is defined once.
CREATE OR REPLACE TEMP MACRO gen_price_cents(p) AS (200 + hash(getvariable('seed'), p, 'price') % 4800)::BIGINT;
CREATE OR REPLACE TEMP MACRO gen_product_id(p) AS 'CFQ7TTC' || lpad(p::VARCHAR, 5, '0');
CREATE OR REPLACE TEMP MACRO gen_sku_id(p) AS lpad((1 + p % 3)::VARCHAR, 4, '0');
CREATE OR REPLACE TEMP MACRO gen_family(p) AS ['Microsoft 365 E3', 'Microsoft 365 Business Premium', 'Microsoft 365 Business Basic', 'Dynamics 365 Sales', 'Power BI Pro', 'Windows 365 Enterprise', 'Microsoft Teams Rooms Pro', 'Exchange Online (Plan 1)'][1 + (p % 8)::BIGINT];
CREATE OR REPLACE TEMP MACRO gen_title(p) AS gen_family(p) || ' ' || (p // 8)::VARCHAR;

-- The Microsoft price list: ten rows per product (term, plan, market,
-- currency, segment). UnitPrice is the cost of the whole term; the P1M
-- Monthly BR USD row is what the bills charge a month. One product in 20
-- is new this month (in force from the latest period's first day).
CREATE OR REPLACE TEMP MACRO gen_ms_prices() AS TABLE
SELECT
    gen_title(p) AS "ProductTitle",
    gen_product_id(p) AS "ProductId",
    gen_sku_id(p) AS "SkuId",
    gen_title(p) || ' (' || term || ')' AS "SkuTitle",
    'Microsoft Corporation' AS "Publisher",
    gen_family(p) || ', per user' AS "SkuDescription",
    CASE term WHEN 'P1M' THEN '1 Month' ELSE '1 Year' END AS "UnitOfMeasure",
    term AS "TermDuration",
    plan AS "BillingPlan",
    market AS "Market",
    currency AS "Currency",
    gen_us(cents) AS "UnitPrice",
    '0' AS "PricingTierRangeMin",
    NULL::VARCHAR AS "PricingTierRangeMax",
    CASE WHEN p % 20 = 7 THEN gen_us_date(getvariable('m_start')[getvariable('months')]::DATE) ELSE '1/1/2019' END || ' 12:00:00 AM' AS "EffectiveStartDate",
    '12/31/9999 11:59:59 PM' AS "EffectiveEndDate",
    'License' AS "Tags",
    gen_us(cents * 120 // 100) AS "ERP Price",
    segment AS "Segment"
FROM (
    SELECT
        p, term, plan, market, currency, segment,
        -- P1Y Annual: ten months; P1Y Monthly 5 % more; BRL at 5.5; Education 60 %, Government 90 %.
        (gen_price_cents(p)
            * CASE WHEN term = 'P1M' THEN 100 WHEN plan = 'Annual' THEN 1000 ELSE 1050 END // 100
            * CASE currency WHEN 'BRL' THEN 55 ELSE 10 END // 10
            * CASE segment WHEN 'Education' THEN 60 WHEN 'Government' THEN 90 ELSE 100 END // 100)::BIGINT AS cents
    FROM (
        SELECT
            r // 10 AS p,
            ['P1Y', 'P1Y', 'P1M', 'P1Y', 'P1M', 'P1Y', 'P1M', 'P1Y', 'P1Y', 'P1Y'][1 + r % 10] AS term,
            ['Annual', 'Monthly', 'Monthly', 'Annual', 'Monthly', 'Annual', 'Monthly', 'Annual', 'Annual', 'Annual'][1 + r % 10] AS plan,
            ['BR', 'BR', 'BR', 'BR', 'BR', 'US', 'US', 'BR', 'BR', 'US'][1 + r % 10] AS market,
            ['USD', 'USD', 'USD', 'BRL', 'BRL', 'USD', 'USD', 'USD', 'BRL', 'USD'][1 + r % 10] AS currency,
            ['Commercial', 'Commercial', 'Commercial', 'Commercial', 'Commercial', 'Commercial', 'Commercial', 'Education', 'Education', 'Government'][1 + r % 10] AS segment
        FROM range(getvariable('price_rows')) t(r)
    )
);

-- Slots: slot i is one subscription's month — its bill line, order line
-- and invoices. The latest month holds the last `subs` slots, each month
-- before it the `subs` before them, so a subscription is billed every
-- month. Customers are Zipf-like: customer floor(N × u^2.5) for a uniform
-- u, so customer 1 takes about N^-0.4 of the lines (21 % of 50 customers,
-- 3 % of 5,000).
CREATE OR REPLACE TEMP MACRO gen_slots(lo, hi) AS TABLE
SELECT
    s.*,
    getvariable('m_start')[m_idx + 1]::DATE AS p_start,
    (getvariable('m_start')[m_idx + 1]::DATE + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS p_end,
    getvariable('m_rate4')[m_idx + 1] AS rate4,
    getvariable('m_rate_on')[m_idx + 1]::DATE AS rate_on,
    getvariable('c_id')[cust + 1] AS customer_id,
    'K' || lpad((cust + 1)::VARCHAR, 6, '0') AS contract_id,
    gen_product_id(prod) AS product_id,
    gen_sku_id(prod) AS sku_id,
    gen_title(prod) AS product_name,
    gen_price_cents(prod) AS eup_cents,
    -- Microsoft's ROUNDDOWN(EffectiveUnitPrice × PCToBCExchangeRate, 2), in cents
    gen_price_cents(prod) * getvariable('m_rate4')[m_idx + 1] // 10000 AS unit_bc_cents,
    qty + CASE WHEN plan = 'quantity_mismatch' THEN 1 + hash(getvariable('seed'), i, 'dq') % 3 ELSE 0 END AS bill_qty,
    -- one matched line in 500 breaks Microsoft's formula by a cent (data quality)
    plan = 'matched' AND hash(getvariable('seed'), i, 'formula') % 500 = 0 AS formula_broken,
    CASE WHEN plan = 'price_below_cost'
         THEN gen_price_cents(prod) * getvariable('m_rate4')[m_idx + 1] // 10000 * 85 // 100
         ELSE (gen_price_cents(prod) * getvariable('m_rate4')[m_idx + 1] // 10000 * (110 + hash(getvariable('seed'), sub, 'markup') % 20) + 99) // 100
    END AS unit_price_cents,
    'SO-' || lpad(i::VARCHAR, 9, '0') AS so_number,
    gen_uuid('sub', sub) AS subscription_id,
    (getvariable('m_start')[m_idx + 1]::DATE + (hash(getvariable('seed'), i, 'day') % 20)::INTEGER) AS issue_date
FROM (
    SELECT *, /*PLAN*/ AS plan
    FROM (
        SELECT
            i,
            (getvariable('bills') - 1 - i) % getvariable('subs') AS sub,
            getvariable('months') - 1 - (getvariable('bills') - 1 - i) // getvariable('subs') AS m_idx,
            (hash(getvariable('seed'), i, 'plan') % 1000)::BIGINT AS r,
            least(getvariable('customers') - 1,
                  floor(getvariable('customers') * pow((hash(getvariable('seed'), (getvariable('bills') - 1 - i) % getvariable('subs'), 'cust') % 1000003) / 1000003.0, 2.5)))::BIGINT AS cust,
            (hash(getvariable('seed'), (getvariable('bills') - 1 - i) % getvariable('subs'), 'prod') % getvariable('products'))::BIGINT AS prod,
            (1 + hash(getvariable('seed'), (getvariable('bills') - 1 - i) % getvariable('subs'), 'qty') % 40)::BIGINT AS qty
        FROM range(lo, hi) t(i)
    )
) s;

-- A month's Microsoft reconciliation file, its published columns in order.
-- Billed in BRL, priced in USD at PCToBCExchangeRate.
CREATE OR REPLACE TEMP MACRO gen_bills(lo, hi, invoice_no) AS TABLE
SELECT
    i,
    '5f2e7c1a-0000-4000-8000-00000000aaaa' AS "PartnerId",
    getvariable('c_vendor')[cust + 1] AS "CustomerId",
    getvariable('c_name')[cust + 1] AS "CustomerName",
    getvariable('c_domain')[cust + 1] AS "CustomerDomainName",
    'BR' AS "CustomerCountry",
    'G' || lpad(invoice_no::VARCHAR, 9, '0') AS "InvoiceNumber",
    '1234567' AS "MPNID",
    NULL::VARCHAR AS "ResellerMpnId",
    'ORD-' || lpad(sub::VARCHAR, 8, '0') AS "OrderId",
    getvariable('m_us_order')[m_idx + 1] AS "OrderDate",
    product_id AS "ProductId",
    sku_id AS "SkuId",
    'CFQ7TTC0' || lpad((prod % 10000)::VARCHAR, 4, '0') AS "AvailabilityId",
    product_name AS "SkuName",
    product_name AS "ProductName",
    'cycleCharge' AS "ChargeType",
    gen_us(eup_cents) AS "UnitPrice",
    bill_qty AS "Quantity",
    gen_us(unit_bc_cents * bill_qty + formula_broken::INTEGER) AS "Subtotal",
    '0.00' AS "TaxTotal",
    gen_us(unit_bc_cents * bill_qty + formula_broken::INTEGER) AS "Total",
    'BRL' AS "Currency",
    NULL::VARCHAR AS "PriceAdjustmentDescription",
    'Microsoft Corporation' AS "PublisherName",
    NULL::VARCHAR AS "PublisherId",
    product_name AS "SubscriptionDescription",
    subscription_id AS "SubscriptionId",
    getvariable('m_us_start')[m_idx + 1] AS "ChargeStartDate",
    getvariable('m_us_end')[m_idx + 1] AS "ChargeEndDate",
    'One-Month commitment for monthly billing' AS "TermAndBillingCycle",
    gen_us(eup_cents) AS "EffectiveUnitPrice",
    'Licenses' AS "UnitType",
    NULL::VARCHAR AS "AlternateId",
    bill_qty AS "BillableQuantity",
    'Monthly' AS "BillingFrequency",
    'USD' AS "PricingCurrency",
    (rate4 // 10000)::VARCHAR || '.' || lpad((rate4 % 10000)::VARCHAR, 4, '0') AS "PCToBCExchangeRate",
    getvariable('m_us_rate_on')[m_idx + 1] AS "PCToBCExchangeRateDate",
    NULL::VARCHAR AS "MeterDescription",
    NULL::VARCHAR AS "ReservationOrderId",
    NULL::VARCHAR AS "CreditReasonCode",
    getvariable('m_us_start')[m_idx + 1] AS "SubscriptionStartDate",
    getvariable('m_us_end')[m_idx + 1] AS "SubscriptionEndDate",
    NULL::VARCHAR AS "ReferenceId",
    NULL::VARCHAR AS "ProductQualifiers",
    NULL::VARCHAR AS "PromotionId"
FROM gen_slots(lo, hi);

-- A month's sales orders: one order of one line per slot, except the
-- slots Microsoft billed with no order.
CREATE OR REPLACE TEMP MACRO gen_orders(lo, hi) AS TABLE
SELECT
    so_number,
    CASE WHEN getvariable('c_po')[cust + 1] THEN 'PO-' || lpad(i::VARCHAR, 9, '0') ELSE NULL END AS po_number,
    customer_id,
    contract_id,
    getvariable('m_br_order')[m_idx + 1] AS order_date,
    CASE WHEN m_idx = 0 THEN 'new' ELSE 'recurrence' END AS order_type,
    1 AS line,
    product_id,
    sku_id,
    qty AS quantity,
    gen_br(unit_price_cents) AS unit_price_brl,
    getvariable('m_br_start')[m_idx + 1] AS period_start,
    getvariable('m_br_end')[m_idx + 1] AS period_end,
    subscription_id AS vendor_subscription_id,
    CASE WHEN plan = 'ordered_not_invoiced' THEN 'open' ELSE 'invoiced' END AS status
FROM gen_slots(lo, hi)
WHERE plan <> 'vendor_billed_not_ordered';

-- A month's invoice register. Invoice k of a slot: 0 the order's NF-e
-- (cancelled for cancelled_without_replacement and rebilled), 1 its second
-- authorised NF-e (duplicate_invoice) or the replacement of the cancelled
-- one (rebilled), 2 a service NFS-e with no order (invoiced_not_ordered),
-- ISS withheld at 2 %. Older months are paid but for one invoice in 25.
-- x carries what the NF XML needs besides the register's columns.
CREATE OR REPLACE TEMP MACRO gen_invoices(lo, hi) AS TABLE
SELECT
    nf_number::VARCHAR AS nf_number,
    '1' AS series,
    kind,
    gen_br_date(issued) AS issue_date,
    getvariable('c_cnpj')[cust + 1] AS customer_cnpj,
    CASE WHEN k = 2 THEN NULL ELSE so_number END AS so_number,
    gen_br(gross) AS gross,
    '0,00' AS discount,
    gen_br(taxes) AS taxes_withheld,
    gen_br(gross - taxes) AS net,
    status,
    gen_br_date(issued + getvariable('c_terms')[cust + 1]::INTEGER) AS due_date,
    CASE WHEN paid THEN gen_br_date(issued + getvariable('c_terms')[cust + 1]::INTEGER - (hash(getvariable('seed'), i, k, 'paid') % 5)::INTEGER) ELSE NULL END AS paid_date,
    CASE WHEN paid THEN gen_br(gross - taxes) ELSE NULL END AS paid_amount,
    CASE WHEN getvariable('c_portal')[cust + 1] THEN gen_br_date(issued + (hash(getvariable('seed'), i, k, 'portal') % 5)::INTEGER) ELSE NULL END AS portal_posted_date,
    CASE WHEN k = 1 AND plan = 'rebilled' THEN (2 * i + 1)::VARCHAR ELSE NULL END AS replaces_nf,
    {
        i: i, k: k, cust: cust, cnpj: regexp_replace(getvariable('c_cnpj')[cust + 1], '[^0-9A-Z]', '', 'g'),
        issued: issued, product_id: product_id, product_name: product_name, qty: qty,
        unit_cents: unit_price_cents, gross: gross, taxes: taxes, cancelled: status = 'cancelada'
    } AS x
FROM (
    SELECT
        *,
        CASE WHEN k = 2 THEN 'NFSE' ELSE 'NFE' END AS kind,
        CASE k WHEN 0 THEN 2 * i + 1 WHEN 1 THEN 2 * i + 2 ELSE i + 1 END AS nf_number,
        issue_date + CASE WHEN k = 1 AND plan = 'rebilled' THEN 2 ELSE 0 END AS issued,
        CASE
            WHEN k = 2 THEN 30000 + hash(getvariable('seed'), i, 'service') % 200000
            WHEN k = 0 AND plan = 'amount_mismatch' THEN qty * unit_price_cents + 100 + hash(getvariable('seed'), i, 'delta') % 5000
            ELSE qty * unit_price_cents
        END::BIGINT AS gross,
        CASE WHEN k = 2 THEN (30000 + hash(getvariable('seed'), i, 'service') % 200000) * 2 // 100 ELSE 0 END::BIGINT AS taxes,
        CASE WHEN k = 0 AND plan IN ('cancelled_without_replacement', 'rebilled') THEN 'cancelada' ELSE 'autorizada' END AS status,
        m_idx < getvariable('months') - 1
            AND NOT (k = 0 AND plan IN ('cancelled_without_replacement', 'rebilled'))
            AND hash(getvariable('seed'), i, k, 'unpaid') % 25 <> 0 AS paid
    FROM (
        SELECT s.*, unnest(CASE plan
            WHEN 'ordered_not_invoiced' THEN []::INTEGER[]
            WHEN 'vendor_billed_not_ordered' THEN []::INTEGER[]
            WHEN 'duplicate_invoice' THEN [0, 1]
            WHEN 'rebilled' THEN [0, 1]
            WHEN 'invoiced_not_ordered' THEN [0, 2]
            ELSE [0]
        END) AS k
        FROM gen_slots(lo, hi) s
    )
);
