-- pt-BR text for people in DuckDB SQL: the twins of package ptbr's Go
-- functions (ptbr.go), which give the same text from the same values
-- (TestSQLAgreesWithGo). Created with transform/macros.sql at each open of
-- the warehouse and of a scratch database, so every model, report Display
-- expression and writer may call them. NULL stays NULL.

-- ptbr_date(d): a DATE (or TIMESTAMP) as dd/mm/aaaa: 05/01/2026 (ptbr.Date).
CREATE OR REPLACE MACRO ptbr_date(d) AS strftime(d, '%d/%m/%Y');

-- ptbr_month(d): the month of d as mm/aaaa: 12/2025 (ptbr.Period).
CREATE OR REPLACE MACRO ptbr_month(d) AS strftime(d, '%m/%Y');

-- ptbr_bool(b): sim or não (ptbr.Bool).
CREATE OR REPLACE MACRO ptbr_bool(b) AS CASE WHEN b THEN 'sim' WHEN NOT b THEN 'não' END;

-- ptbr_plain(x): a number as a spreadsheet set to pt-BR reads it in a CSV:
-- a decimal comma, no thousands separator (to a program, "1.234" would be
-- one point two), the digits of x's type: 1234.50 → 1234,50.
CREATE OR REPLACE MACRO ptbr_plain(x) AS replace(x::VARCHAR, '.', ',');

-- ptbr_cents(x): x rounded half to even to the cent, exactly, as
-- DECIMAL(38,2). It works on x's text, the one Go gets (a DOUBLE's
-- shortest form, a DECIMAL's digits): the cast to DECIMAL(38,2) rounds
-- ties away from zero, and ptbr_cents_of takes a tie (text ending in a
-- half cent: 0.125, -0.0050) back to the even cent.
CREATE OR REPLACE MACRO ptbr_cents_of(t, c) AS
    CASE WHEN regexp_full_match(t, '-?\d*\.\d\d50*') AND regexp_full_match(c::VARCHAR, '.*[13579]')
         THEN c - sign(c) * 0.01
         ELSE c
    END;
CREATE OR REPLACE MACRO ptbr_cents(x) AS ptbr_cents_of(x::VARCHAR, x::VARCHAR::DECIMAL(38,2))::DECIMAL(38,2);

-- ptbr_grouped(t): the text of a number ≥ 0 ("1234567.5") with a dot every
-- three integer digits and a decimal comma: 1.234.567,5. RE2 has no
-- look-ahead: the digits are grouped from the right on the reversed text.
CREATE OR REPLACE MACRO ptbr_grouped(t) AS
    ltrim(reverse(regexp_replace(reverse(split_part(t, '.', 1)), '(\d{3})', '\1.', 'g')), '.')
    || CASE WHEN contains(t, '.') THEN ',' || split_part(t, '.', 2) ELSE '' END;

-- ptbr_money(x): reais rounded half to even to the cent, the sign before
-- the symbol: R$ 1.234,56, -R$ 50,00 (ptbr.Money).
CREATE OR REPLACE MACRO ptbr_money(x) AS
    CASE WHEN ptbr_cents(x) < 0 THEN '-R$ ' ELSE 'R$ ' END || ptbr_grouped(abs(ptbr_cents(x))::VARCHAR);

-- ptbr_trim_zeros(t): the text of a number without the zeros ending its
-- decimals, nor a decimal point left alone: 20.000000 → 20, 2.50 → 2.5.
CREATE OR REPLACE MACRO ptbr_trim_zeros(t) AS CASE WHEN contains(t, '.') THEN rtrim(rtrim(t, '0'), '.') ELSE t END;

-- ptbr_quantity(x): a quantity with the decimals it has, none when whole,
-- thousands dotted: 1234.50 → 1.234,5; 20.000000 → 20 (ptbr.Quantity).
CREATE OR REPLACE MACRO ptbr_quantity(x) AS
    CASE WHEN x < 0 THEN '-' ELSE '' END || ptbr_grouped(ptbr_trim_zeros(abs(x)::VARCHAR));

-- ptbr_quantity_plain(x): a quantity as a spreadsheet set to pt-BR reads
-- it in a CSV, as ptbr_plain but without trailing zeros: 20.000000 → 20,
-- 2.50 → 2,5 (ptbr_plain would give 20,000000, which reads as twenty but
-- shows six zeros).
CREATE OR REPLACE MACRO ptbr_quantity_plain(x) AS replace(ptbr_trim_zeros(x::VARCHAR), '.', ',');
