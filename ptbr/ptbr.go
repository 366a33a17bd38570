// Package ptbr writes numbers, money, percentages, rates, dates and
// booleans as people read them in Brazil, in Go and in DuckDB SQL (the
// macros of ptbr.sql), so that every file and page for people shows a value
// one way:
//
//	Money("-50")           → "-R$ 50,00" (as Excel's pt-BR currency format shows it)
//	Money("1234.5")        → "R$ 1.234,50"
//	Number("1234.567", 2)  → "1.234,57"
//	Percent("12.345")      → "12,34 %"
//	Rate("5.321600")       → "5,3216"
//	Date("2026-01-05")     → "05/01/2026"
//	Bool(true)             → "sim"
//
// Values come as the text DuckDB (or a CSV it wrote) gives them: exact
// decimal text, never through a float. Rounding is half to even (ABNT NBR
// 5891), as the warehouse rounds money. Text that is not a number or a date
// is returned as written. The SQL twins give the same text from the same
// values (TestSQLAgreesWithGo).
package ptbr

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Number is the decimal text v rounded half to even to places decimals,
// with a dot every three integer digits and a decimal comma:
// ("-1234.567", 2) → "-1.234,57"; a value that rounds to zero has no sign.
func Number(v string, places int) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return digits(d, places, places)
}

// Money is the decimal text v as reais, rounded half to even to the cent:
// "1234.5" → "R$ 1.234,50", "-50" → "-R$ 50,00" (the sign before the
// symbol, as Excel's pt-BR currency format and the browser's Intl show a
// negative amount), "-0.004" → "R$ 0,00".
func Money(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	d = d.RoundBank(2)
	if d.IsNegative() {
		return "-R$ " + digits(d.Neg(), 2, 2)
	}
	return "R$ " + digits(d, 2, 2)
}

// Percent is v, in percentage points, with 2 decimals and the sign:
// "12.345" → "12,34 %".
func Percent(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return digits(d, 2, 2) + " %"
}

// Rate is an exchange rate or a factor with at least 4 decimals and at
// most 8, as the workbooks' rate format (#,##0.0000####) shows it: PTAX is
// published with 4, and a rate or factor with more keeps them:
// "5.321600" → "5,3216", "1.23456789012" → "1,23456789".
func Rate(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return digits(d, 4, 8)
}

// Quantity is a quantity with the decimals it has and no trailing zeros,
// none when it is whole: "10.000000" → "10", "1234.50" → "1.234,5".
func Quantity(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return digits(d, 0, max(0, -int(d.Exponent())))
}

// Int is n with a dot every three digits: 1048575 → "1.048.575".
func Int(n int64) string {
	return digits(decimal.NewFromInt(n), 0, 0)
}

// digits writes d rounded half to even to at most maxPlaces decimals, the
// zeros beyond minPlaces dropped, with thousands dots and a decimal comma.
func digits(d decimal.Decimal, minPlaces, maxPlaces int) string {
	d = d.RoundBank(int32(maxPlaces))
	neg := d.IsNegative() // a zero is never negative
	s := d.Abs().StringFixed(int32(maxPlaces))
	intPart, frac, _ := strings.Cut(s, ".")
	for len(frac) > minPlaces && strings.HasSuffix(frac, "0") {
		frac = frac[:len(frac)-1]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// Date is an ISO date as dd/mm/aaaa: "2026-01-05" → "05/01/2026".
func Date(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return DateOf(t)
}

// DateOf is t's day as dd/mm/aaaa.
func DateOf(t time.Time) string { return t.Format("02/01/2006") }

// Period is a period "2025-12" as people write it: "12/2025".
func Period(p string) string {
	if y, m, ok := strings.Cut(p, "-"); ok {
		return m + "/" + y
	}
	return p
}

// brasilia is Brasília time: UTC−3, without daylight saving since 2019.
var brasilia = time.FixedZone("BRT", -3*3600)

// Time is an RFC 3339 instant as dd/mm/aaaa hh:mm in Brasília time:
// "2026-01-05T13:04:00Z" → "05/01/2026 10:04 (Brasília)".
func Time(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(brasilia).Format("02/01/2006 15:04") + " (Brasília)"
}

// Bool is sim or não.
func Bool(b bool) string {
	if b {
		return "sim"
	}
	return "não"
}
