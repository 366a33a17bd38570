-- Helpers for every model, created at each open of the warehouse.
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
CREATE OR REPLACE MACRO div_round(n, d) AS (
    CASE WHEN d = 0 THEN NULL
         ELSE div_round_est(n, d, n::DOUBLE * 100 / d::DOUBLE)::DECIMAL(38,0) * 0.01
    END
)::DECIMAL(18,2);

-- round_half_even(x): x (any DECIMAL) to 2 decimals, ties to the even cent.
CREATE OR REPLACE MACRO round_half_even(x) AS div_round(x, 1);

-- parse_decimal(txt, sep): text with decimal separator sep ('.' or ',') and
-- optional thousands grouping by the other character, to DECIMAL(18,6);
-- NULL when it is not such a number.
CREATE OR REPLACE MACRO parse_decimal(txt, sep) AS (
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
