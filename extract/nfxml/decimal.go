package nfxml

import (
	"fmt"
	"math/big"
	"strings"
	"time"
)

// validate checks captured text against the syntax its field needs.
func validate(c check, s string) error {
	switch c {
	case amount:
		if !isDecimal(s) {
			return fmt.Errorf("malformed amount %q: want a plain decimal such as 1234.56", s)
		}
		if whole, _, _ := strings.Cut(strings.TrimPrefix(s, "-"), "."); len(strings.TrimLeft(whole, "0")) > maxWholeDigits {
			return fmt.Errorf("amount %q out of range: from -%[2]s to %[2]s", s, maxAmount)
		}
	case timestamp:
		// DuckDB casts these to TIMESTAMPTZ; a date without offset would
		// silently take the session time zone.
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Errorf("malformed date-time %q: want RFC 3339 with offset such as 2025-11-14T10:32:00-03:00", s)
		}
	}
	return nil
}

// Amounts are typed DECIMAL(18,6) by the staging models (parse_decimal):
// twelve digits before the point. A longer one, which no invoice holds
// (NF-e quantities have at most 11, amounts 13 of which no real one uses
// the thirteenth), would become NULL there without a word.
const (
	maxWholeDigits = 12
	maxAmount      = "999999999999.999999"
)

// isDecimal reports whether s matches ^-?\d+(\.\d+)?$, the form both layouts
// use for amounts (no thousands separator, dot for decimals).
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	return allDigits(whole) && (!dot || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// addDecimal adds two strings accepted by isDecimal exactly, keeping the
// larger number of decimal places ("50.00" + "25.5" = "75.50").
func addDecimal(a, b string) string {
	scale := max(decimalScale(a), decimalScale(b))
	sum := scaled(a, scale)
	sum.Add(sum, scaled(b, scale))

	digits := new(big.Int).Abs(sum).String()
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	if scale > 0 {
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if sum.Sign() < 0 {
		return "-" + digits
	}
	return digits
}

func decimalScale(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// scaled returns s multiplied by 10^scale as an integer; scale must be at
// least decimalScale(s).
func scaled(s string, scale int) *big.Int {
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	n, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", scale-len(frac)), 10)
	if !ok {
		panic("nfxml: addDecimal called with a value isDecimal rejects")
	}
	if neg {
		n.Neg(n)
	}
	return n
}
