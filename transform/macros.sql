-- Helpers for every model, created at each open of the warehouse, followed
-- by package ptbr's (ptbr/ptbr.sql): pt-BR text for people, ptbr_money(x)
-- (R$ 1.234,56, -R$ 50,00), ptbr_date(d) (dd/mm/aaaa), ptbr_month(d),
-- ptbr_bool(b), ptbr_plain(x).
-- DuckDB divides DECIMALs as DOUBLE and rounds ties away from zero, so exact
-- division and half-even rounding (ABNT NBR 5891) are spelled out here.
-- Money results are DECIMAL(18,2).

-- div_round(n, d): n / d rounded half-even to 2 decimals, exactly.
-- The quotient is first estimated in DOUBLE only to find the candidate cent;
-- whenever the estimate lies near a half cent (where a DOUBLE could round the
-- wrong way) the decision is taken on DECIMALs: the sign of n*200 - (2w+1)*d
-- tells whether n/d*100 is above, below or exactly on w + 1/2. Away from a
-- tie the DOUBLE's rounding is the exact one (relative error ~1e-16), so the
-- result is exact for any |n/d| below 1e13. NULL when d is 0 or NULL.
CREATE OR REPLACE MACRO div_round_est(n, d, v) AS (
    CASE
        WHEN abs(v - floor(v) - 0.5) > 1e-6 + abs(v) * 1e-15 THEN round(v)
        ELSE floor(v) + CASE sign((n::DECIMAL(38,18) * 200
                                   - (2 * floor(v)::DECIMAL(38,0) + 1) * d::DECIMAL(38,18)) * sign(d))
                WHEN 1 THEN 1
                WHEN -1 THEN 0
                ELSE abs(floor(v)::HUGEINT % 2) -- a true tie: to the even cent
            END
    END
);
-- div_round_with(n, d, v): div_round with the caller's estimate v of
-- n/d*100, for n or d whose DOUBLE cast is slow (DECIMALs of scale > 12) or
-- that are costly to compute: v must be within 1e-7 of the exact value,
-- which a DOUBLE expression over the operands of n and d always is, and NULL
-- when d is 0 (divide by nullif(d, 0)). n and d themselves are then only
-- evaluated near a half cent. (No CASE: it would cost more than the rest.)
CREATE OR REPLACE MACRO div_round_with(n, d, v) AS
    div_round_est(n, d, v)::BIGINT::DECIMAL(18,0) * 0.01;

CREATE OR REPLACE MACRO div_round(n, d) AS div_round_with(n, d, n::DOUBLE * 100 / nullif(d::DOUBLE, 0));

-- round_half_even(x): x (any DECIMAL) to 2 decimals, ties to the even cent.
CREATE OR REPLACE MACRO round_half_even(x) AS div_round(x, 1);

-- The price-list formulas, exact: cost and list DECIMAL(18,6), percentages
-- DECIMAL(9,4), so results have scale 12-18 (HUGEINT arithmetic).
-- priced_skus passes them to div_round_with, which evaluates them only for
-- the rare amounts whose DOUBLE estimate lies near a half cent.
-- net_cost = cost × (1 − incentive/100)
CREATE OR REPLACE MACRO net_cost_exact(cost, incentive_pct) AS cost::DECIMAL(38,6) * (1 - incentive_pct * 0.01);
-- the rule's price: markup on the net cost, or a discount on the list price
CREATE OR REPLACE MACRO rule_price_exact(method, cost, list_price, incentive_pct, rule_pct) AS CASE method
    WHEN 'markup' THEN net_cost_exact(cost, incentive_pct) * (1 + rule_pct * 0.01)
    WHEN 'list_discount' THEN list_price::DECIMAL(38,6) * (1 - rule_pct * 0.01)
END;
-- the minimum margin's divisor, the Brazilian markup divisor: the margin net
-- of the taxes the price includes, (sell − sell × tax/100 − net_cost) / sell,
-- is at least min_margin when sell ≥ net_cost / (1 − tax/100 − min_margin/100)
CREATE OR REPLACE MACRO margin_den_exact(min_margin_pct, tax_pct) AS
    1 - coalesce(min_margin_pct, 0) * 0.01 - coalesce(tax_pct, 0) * 0.01;
-- the sell price is sell_num_exact / sell_den_exact: the rule's price, or the
-- net cost over the divisor when the minimum margin applies
CREATE OR REPLACE MACRO sell_num_exact(applied, method, cost, list_price, incentive_pct, rule_pct) AS
    CASE WHEN applied THEN net_cost_exact(cost, incentive_pct) ELSE rule_price_exact(method, cost, list_price, incentive_pct, rule_pct) END;
CREATE OR REPLACE MACRO sell_den_exact(applied, min_margin_pct, tax_pct) AS
    CASE WHEN applied THEN margin_den_exact(min_margin_pct, tax_pct) ELSE 1 END;

-- taxes_on(amount, taxes): the taxes on an amount in BRL of a list of
-- {tax, rate_pct} (core/taxes_in_force), tax by tax, each rounded
-- half-even to the cent, then summed: 0.00 for no tax, NULL for no amount.
CREATE OR REPLACE MACRO taxes_on(amount, taxes) AS CASE WHEN amount IS NOT NULL THEN
    coalesce(list_sum(list_transform(taxes, t -> div_round(amount * t.rate_pct, 100))), 0)::DECIMAL(18,2) END;

-- parse_decimal(txt, sep): text with decimal separator sep ('.' or ',') and
-- optional thousands grouping by the other character, to DECIMAL(18,6);
-- NULL when it is not such a number. With '.', DuckDB's own cast reads the
-- plain numbers first (a million-row price list is nearly all of them; it
-- also takes 1e3 or +5); the patterns only see what it refuses.
CREATE OR REPLACE MACRO parse_decimal(txt, sep) AS coalesce(
    CASE WHEN sep = '.' THEN try_cast(txt AS DECIMAL(18,6)) END,
    CASE
        WHEN txt IS NULL OR trim(txt) = '' THEN NULL
        WHEN sep = ','
             AND regexp_full_match(trim(txt), '-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?')
            THEN try_cast(replace(replace(trim(txt), '.', ''), ',', '.') AS DECIMAL(18,6))
        WHEN sep = '.'
             AND regexp_full_match(trim(txt), '-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?')
            THEN try_cast(replace(trim(txt), ',', '') AS DECIMAL(18,6))
        ELSE NULL
    END
);

-- number_reason(txt, sep, otherwise): why txt, which parse_decimal refused,
-- is not a value: a number written right but too large for DECIMAL(18,6)
-- (more than 12 digits before the separator) is out of range, not "not a
-- number"; anything else gets otherwise. Called only for refused values.
CREATE OR REPLACE MACRO number_reason(txt, sep, otherwise) AS CASE
    WHEN (sep = ',' AND regexp_full_match(trim(txt), '-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?'))
      OR (sep = '.' AND regexp_full_match(trim(txt), '-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?'))
        THEN 'out of range: more than 12 digits before the decimal separator'
    ELSE otherwise
END;

-- parse_br_date(txt): dd/mm/aaaa, ddmmaaaa (PTAX) or ISO aaaa-mm-dd.
CREATE OR REPLACE MACRO parse_br_date(txt) AS (
    CASE
        WHEN regexp_full_match(trim(txt), '\d{1,2}/\d{1,2}/\d{4}') THEN try_strptime(trim(txt), '%d/%m/%Y')::DATE
        WHEN regexp_full_match(trim(txt), '\d{8}') THEN try_strptime(trim(txt), '%d%m%Y')::DATE
        WHEN regexp_full_match(trim(txt), '\d{4}-\d{2}-\d{2}') THEN try_cast(trim(txt) AS DATE)
        ELSE NULL
    END
);

-- glob_ci(value, pattern): case-insensitive glob (* ? [..]).
CREATE OR REPLACE MACRO glob_ci(value, pattern) AS lower(value) GLOB lower(pattern);

-- blank(txt): NULL or only spaces.
CREATE OR REPLACE MACRO blank(txt) AS txt IS NULL OR trim(txt) = '';

-- term_months(txt): a price list's term in months (P1Y 12, P3Y 36, P1M 1,
-- "12 MONTHS", "1 ano", "12 meses"), NULL when it is none of these.
CREATE OR REPLACE MACRO term_months(txt) AS CASE
    WHEN regexp_full_match(upper(trim(txt)), 'P\d+Y') THEN regexp_extract(upper(trim(txt)), '\d+')::INTEGER * 12
    WHEN regexp_full_match(upper(trim(txt)), 'P\d+M') THEN regexp_extract(upper(trim(txt)), '\d+')::INTEGER
    WHEN regexp_full_match(upper(trim(txt)), '\d+\s*(YEAR|YEARS|ANO|ANOS)') THEN regexp_extract(upper(trim(txt)), '\d+')::INTEGER * 12
    WHEN regexp_full_match(upper(trim(txt)), '\d+\s*(MONTH|MONTHS|MES|MÊS|MESES)') THEN regexp_extract(upper(trim(txt)), '\d+')::INTEGER
END;

-- Domain ranges, checked once, in staging (a failure is a reject):
-- date_out_of_range(d): a date read but outside 2000-01-01 – 2099-12-31, the
-- years any contract, order, invoice or request of this business falls in
-- (a typed 0202 for 2022 parses, and is caught here).
CREATE OR REPLACE MACRO date_out_of_range(d) AS coalesce(d < DATE '2000-01-01' OR d > DATE '2099-12-31', false);
-- id_problem(txt): why an id (contract_id, request_id) cannot name a
-- document, or NULL: a control character, or more than 64 characters (the
-- bound documented in the README; ids become file names such as
-- RN-<contract_id>.pdf and <request_id>-r1.pdf).
CREATE OR REPLACE MACRO id_problem(txt) AS CASE
    WHEN regexp_matches(txt, '[\x00-\x1F\x7F]') THEN 'control character'
    WHEN length(txt) > 64 THEN 'longer than 64 characters'
END;
-- quantity_problem(q): why a licence or order quantity is not above 0, or
-- NULL (an unreadable quantity is its own reject).
CREATE OR REPLACE MACRO quantity_problem(q) AS CASE
    WHEN q < 0 THEN 'negative quantity'
    WHEN q = 0 THEN 'zero quantity'
END;

-- reject(cond, field, value, reason): one entry of a staging row's _errors
-- list, or NULL when cond is false.
CREATE OR REPLACE MACRO reject(cond, field, value, reason) AS
    CASE WHEN cond THEN {'field': field, 'value': value::VARCHAR, 'reason': reason} END;

-- vendor_date(txt, fmt): a date in one of the formats a vendor mapping may
-- name (strptime needs a constant format). Keep in step with
-- extract.VendorDateFormats.
CREATE OR REPLACE MACRO vendor_date(txt, fmt) AS (
    CASE fmt
        WHEN '%d/%m/%Y' THEN try_strptime(trim(txt), '%d/%m/%Y')
        WHEN '%m/%d/%Y' THEN try_strptime(trim(txt), '%m/%d/%Y')
        WHEN '%Y-%m-%d' THEN try_strptime(trim(txt), '%Y-%m-%d')
        WHEN '%d.%m.%Y' THEN try_strptime(trim(txt), '%d.%m.%Y')
        WHEN '%d-%m-%Y' THEN try_strptime(trim(txt), '%d-%m-%Y')
        WHEN '%Y%m%d' THEN try_strptime(trim(txt), '%Y%m%d')
    END
);

-- ERP exports read through a mapping (extract/erpmap.go) say how their
-- text is written in raw columns of their own: decimal_sep ('.' or ','),
-- date_format (one of extract.VendorDateFormats), unmapped (the fields no
-- column or default feeds, '|'-separated) and map_errors (JSON). All are
-- NULL in the native layout: decimal comma, dd/mm/aaaa dates, every field
-- read from its column.
-- erp_number(txt, sep): parse_decimal with the file's separator.
CREATE OR REPLACE MACRO erp_number(txt, sep) AS parse_decimal(txt, coalesce(sep, ','));
-- erp_number_reason(txt, sep): why erp_number refused txt.
CREATE OR REPLACE MACRO erp_number_reason(txt, sep) AS number_reason(txt, coalesce(sep, ','),
    CASE WHEN sep = '.' THEN 'not a number with a decimal point (1234.56)'
         ELSE 'not a number with a decimal comma (1.234,56)' END);
-- erp_date(txt, fmt): the native dates (parse_br_date), or a mapping's
-- format; blank (Protheus writes an empty date as eight spaces) is NULL.
CREATE OR REPLACE MACRO erp_date(txt, fmt) AS
    CASE WHEN fmt IS NULL THEN parse_br_date(txt) ELSE vendor_date(txt, fmt)::DATE END;
-- erp_date_reason(fmt): the reject reason of a text that is no date.
CREATE OR REPLACE MACRO erp_date_reason(fmt) AS 'not a date (' || CASE coalesce(fmt, '%d/%m/%Y')
    WHEN '%d/%m/%Y' THEN 'dd/mm/aaaa'
    WHEN '%m/%d/%Y' THEN 'mm/dd/aaaa'
    WHEN '%Y-%m-%d' THEN 'aaaa-mm-dd'
    WHEN '%d.%m.%Y' THEN 'dd.mm.aaaa'
    WHEN '%d-%m-%Y' THEN 'dd-mm-aaaa'
    WHEN '%Y%m%d' THEN 'aaaammdd'
    ELSE fmt END || ')';
-- erp_doc_number(txt): a document, order or title number compared without
-- leading zeros (000005001 is NF 5001, as the XML writes it); all zeros
-- stay as written.
CREATE OR REPLACE MACRO erp_doc_number(txt) AS
    nullif(coalesce(nullif(ltrim(trim(txt), '0'), ''), trim(txt)), '');
-- erp_map_errors(map_errors): the loader's mapping problems of a row: a
-- value its value map lacks, a joined row missing. Each covers the fields
-- it accounts for.
CREATE OR REPLACE MACRO erp_map_errors(map_errors) AS coalesce(
    from_json(map_errors, '[{"field":"VARCHAR","value":"VARCHAR","reason":"VARCHAR","covers":["VARCHAR"]}]'), []);
-- erp_errors(checks, unmapped, map_errors): a staging row's _errors: its
-- mapping problems, then its checks (reject() entries, NULL when they
-- pass) but those on a field no column feeds or a mapping problem
-- already accounts for. A native row (neither set) only drops the passed
-- checks: parsing JSON for it made a staged load of 200,000 order lines
-- take half as long again (3.5 s against 2.3 s, BenchmarkOrdersLoad/native).
CREATE OR REPLACE MACRO erp_errors(checks, unmapped, map_errors) AS CASE
    WHEN unmapped IS NULL AND map_errors IS NULL THEN list_filter(checks, e -> e IS NOT NULL)
    WHEN map_errors IS NULL THEN list_filter(checks, e -> e IS NOT NULL
        AND NOT list_contains(string_split(unmapped, '|'), e.field))
    ELSE list_concat(
        list_transform(erp_map_errors(map_errors), m -> {'field': m.field, 'value': m.value, 'reason': m.reason}),
        list_filter(checks, e -> e IS NOT NULL
            AND NOT list_contains(string_split(coalesce(unmapped, ''), '|'), e.field)
            AND NOT list_contains(flatten(list_transform(erp_map_errors(map_errors), m -> m.covers)), e.field)))
END;

-- receivable_open(amount, balance, paid_date, day): what is still owed of a
-- receivable item (core/receivable_items) at day: its balance, unless its
-- last payment came after day (then all of it: the export's balance is of
-- a later day); all of it when no balance is known.
CREATE OR REPLACE MACRO receivable_open(amount, balance, paid_date, day) AS
    CASE WHEN paid_date > day THEN amount ELSE coalesce(balance, amount) END;

-- cnpj_clean(txt): a CNPJ without its formatting (. / - and spaces), upper
-- case: '12.abc.345/01de-35' → '12ABC34501DE35'.
CREATE OR REPLACE MACRO cnpj_clean(txt) AS upper(regexp_replace(trim(txt), '[./\s-]', '', 'g'));

-- cnpj_dv(c, n): the check digit over the first n characters of a clean
-- CNPJ. Each character is worth its ASCII code − 48 (digits 0–9, letters
-- A=17…Z=42, the alphanumeric CNPJ of July 2026); weights run 2…9 from the
-- right and restart (5,4,3,2,9,8,7,6,5,4,3,2 for DV1, 6,5,4,… for DV2);
-- remainder mod 11 below 2 gives 0, else 11 − remainder.
CREATE OR REPLACE MACRO cnpj_dv_of(s) AS CASE WHEN s % 11 < 2 THEN 0 ELSE 11 - s % 11 END;
CREATE OR REPLACE MACRO cnpj_dv(c, n) AS cnpj_dv_of(
    list_sum(list_transform(range(n), i -> (ascii(substr(c, i + 1, 1)) - 48) * ((n - 1 - i) % 8 + 2))));

-- cnpj_valid(txt): 14 characters once cleaned, the first 12 alphanumeric
-- and the last 2 digits matching DV1 and DV2; all-same-digit numbers
-- (00000000000000, 11111111111111…) pass the arithmetic but are invalid.
CREATE OR REPLACE MACRO cnpj_valid(txt) AS coalesce(
    regexp_full_match(cnpj_clean(txt), '[0-9A-Z]{12}[0-9]{2}')
    AND cnpj_clean(txt) <> repeat(left(cnpj_clean(txt), 1), 14)
    AND cnpj_dv(cnpj_clean(txt), 12) = try_cast(substr(cnpj_clean(txt), 13, 1) AS INTEGER)
    AND cnpj_dv(cnpj_clean(txt), 13) = try_cast(substr(cnpj_clean(txt), 14, 1) AS INTEGER),
    false);

-- ms_timestamp(txt): Partner Center's US-style timestamp ("2/1/2019
-- 12:00:00 AM"); other spellings seen in re-saved files are tried only when
-- the usual one fails.
CREATE OR REPLACE MACRO ms_timestamp(txt) AS coalesce(
    try_strptime(trim(txt), '%m/%d/%Y %I:%M:%S %p'),
    try_strptime(trim(txt), ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])
);

-- named_rejects(errors): a rejects report from its errors (file_id, line,
-- e: a reject() entry), each row with its file's path and the column as
-- that file's header names it (file_columns), in the report's order. The
-- caller passes its errors CTE by name (query_table: a table macro cannot
-- see its caller's CTEs otherwise). Model fingerprints and dependencies
-- count what this body reads (Model.reads).
CREATE OR REPLACE MACRO named_rejects(errors_table) AS TABLE
    select
        f.path as file,
        errors.line,
        coalesce(c.header, errors.e.field) as "column",
        errors.e.value as value,
        errors.e.reason as reason
    from query_table(errors_table) errors
    join files f on f.file_id = errors.file_id
    left join file_columns c on c.file_id = errors.file_id and c.field = errors.e.field
    order by file, line, "column" nulls first, reason;

-- plain_number(x): a DECIMAL as text without trailing zeros (5.000000 →
-- '5', 12.500000 → '12.5'), for findings people read.
CREATE OR REPLACE MACRO plain_number(x) AS rtrim(rtrim(x::VARCHAR, '0'), '.');

-- conflict_findings(versions): one row per version of a key that another
-- version contradicts, from a table (passed by name, as named_rejects) of
-- entity, entity_key, customer_id, file_id, source_file, source_line and
-- vals (the version's business values as JSON, keyed by column). Each
-- version is compared with the first other version (by file and line)
-- whose values differ: the columns that differ (field when just one),
-- this version's values (value) and the other's file, line and values
-- (detail). Identical versions are no conflict and give no row.
CREATE OR REPLACE MACRO conflict_findings(versions_table) AS TABLE
    with v as (
        select *, md5(vals::VARCHAR) as vals_md5 from query_table(versions_table)
    ),
    pairs as (
        select
            v.entity, v.entity_key, v.customer_id, v.file_id, v.source_file, v.source_line, v.vals,
            o.source_file as other_file, o.source_line as other_line, o.vals as other_vals
        from v
        join v o on o.entity = v.entity and o.entity_key = v.entity_key
        where o.vals_md5 <> v.vals_md5
        qualify row_number() over (partition by v.entity, v.entity_key, v.source_file, v.source_line
                                   order by o.source_file, o.source_line) = 1
    ),
    diffs as (
        select
            *,
            list_filter(json_keys(vals), k -> json_extract_string(vals, k) is distinct from json_extract_string(other_vals, k)) as cols
        from pairs
    )
    select
        entity,
        entity_key,
        customer_id,
        file_id,
        source_file,
        source_line,
        case when len(cols) = 1 then cols[1] end as field,
        array_to_string(list_transform(cols, k -> k || ' ' || coalesce(json_extract_string(vals, k), '(empty)')), '; ') as value,
        other_file,
        other_line,
        'differs from ' || other_file || ':' || other_line || ' ('
            || array_to_string(list_transform(cols, k -> k || ' ' || coalesce(json_extract_string(other_vals, k), '(empty)')), '; ')
            || ')' as detail
    from diffs;

-- product_name(vendor, product, sku_title): a product as a customer's
-- document names it, from the vendor's price list: the SKU's title when it
-- names the product more precisely ("Microsoft 365 A3 for faculty"), the
-- product's when it holds the SKU's ("Microsoft Teams Rooms Pro" for
-- "Teams Rooms Pro"), both otherwise ("Acrobat Pro — Team Level 1 1 - 9"),
-- after the vendor's name unless it starts with it ("Adobe Acrobat Pro").
-- The PDF and the XLSX of a proposal print this one name.
CREATE OR REPLACE MACRO product_name_of(vendor, n) AS
    CASE WHEN vendor IS NULL OR starts_with(lower(n), lower(trim(vendor))) THEN n
         ELSE upper(left(trim(vendor), 1)) || substr(trim(vendor), 2) || ' ' || n
    END;
CREATE OR REPLACE MACRO product_name(vendor, product, sku_title) AS product_name_of(vendor,
    CASE
        WHEN nullif(trim(sku_title), '') IS NULL OR lower(sku_title) = lower(product) THEN product
        WHEN contains(lower(sku_title), lower(product)) THEN sku_title
        WHEN contains(lower(product), lower(sku_title)) THEN product
        ELSE product || ' — ' || sku_title
    END);

-- name_key(txt): a product's name reduced to what tells it from another:
-- lower case, no accents, letters and digits only, without the words an
-- ERP adds to any line (licença, license, assinatura, subscription):
-- "Licença Microsoft 365 E3" → "microsoft 365 e3".
CREATE OR REPLACE MACRO name_key(txt) AS trim(regexp_replace(
    regexp_replace(' ' || regexp_replace(lower(strip_accents(txt)), '[^a-z0-9]+', ' ', 'g') || ' ',
        ' (licencas?|licen[cs]es?|assinaturas?|subscriptions?) ', ' ', 'g'),
    ' +', ' ', 'g'));

-- Exception identity (the review loop, docs/review.md): what identifies the
-- line an exception is about, never a file or line number, so the same line
-- keeps its id across runs, months, re-ordered and renamed files. The id is
-- "EX-" and the first 16 hex digits of the SHA-256 of the line type and its
-- key parts, each part as text (NULL as U+001E), joined by U+001F.
CREATE OR REPLACE MACRO exception_id(line_type, parts) AS
    'EX-' || upper(left(sha256(array_to_string(list_transform(list_concat([line_type], parts), p -> coalesce(p, chr(30))), chr(31))), 16));
-- order_exception_id: an order line, by its order and line.
CREATE OR REPLACE MACRO order_exception_id(so_number, order_line) AS
    exception_id('order_line', [so_number, order_line::VARCHAR]);
-- invoice_exception_id: an invoice as the tax authorities identify it
-- (core/invoices: issuer, kind, model, series, number).
CREATE OR REPLACE MACRO invoice_exception_id(issuer_cnpj, kind, model, series, nf_number) AS
    exception_id('invoice', [issuer_cnpj, kind, model, series, nf_number]);
-- period_index(p): a period 'YYYY-MM' as a count of months, so that the
-- months from a to b are period_index(b) - period_index(a).
CREATE OR REPLACE MACRO period_index(p) AS left(p, 4)::INTEGER * 12 + substr(p, 6, 2)::INTEGER - 1;
-- index_period(i): the period of a count of months (period_index's inverse).
CREATE OR REPLACE MACRO index_period(i) AS lpad((i // 12)::VARCHAR, 4, '0') || '-' || lpad((i % 12 + 1)::VARCHAR, 2, '0');
