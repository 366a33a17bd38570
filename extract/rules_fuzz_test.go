package extract

import (
	"database/sql/driver"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// pctRef is parsePct written again from its doc, without regexp or
// shopspring/decimal: digits, an optional decimal comma and digits, an
// optional '%'; a minus sign only on zero.
func pctRef(s string, optional bool) (*big.Rat, bool) {
	v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if v == "" {
		return new(big.Rat), optional
	}
	neg := strings.HasPrefix(v, "-")
	whole, frac, comma := strings.Cut(strings.TrimPrefix(v, "-"), ",")
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return s != ""
	}
	if !digits(whole) || comma && !digits(frac) {
		return nil, false
	}
	r, _ := new(big.Rat).SetString(whole + "." + frac + "0")
	if neg && r.Sign() != 0 {
		return nil, false
	}
	return r, true
}

// FuzzParsePct checks parsePct against pctRef: the same inputs accepted,
// the same value; a value written back with a decimal comma parses to
// itself; an error quotes the input.
func FuzzParsePct(f *testing.F) {
	for _, s := range []string{"12,5", "0", "100", "12,50 %", " 7 ", "-0", "-1", "1.5", "1,2,3", "", "1e3", "٣", "1,", ",5"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, optional bool) {
		d, err := parsePct(s, optional)
		want, ok := pctRef(s, optional)
		if ok != (err == nil) {
			t.Fatalf("parsePct(%q, %v) = %v, %v; the reference accepts: %v", s, optional, d, err, ok)
		}
		if !ok {
			v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
			if msg := err.Error(); !strings.Contains(msg, strconv.Quote(v)) && !strings.HasPrefix(msg, "empty") {
				t.Fatalf("parsePct(%q): error %q does not quote the value", s, msg)
			}
			return
		}
		if d.Rat().Cmp(want) != 0 {
			t.Fatalf("parsePct(%q) = %s, want %s", s, d, want.RatString())
		}
		back := strings.Replace(d.String(), ".", ",", 1)
		if d2, err := parsePct(back, false); err != nil || !d2.Equal(d) {
			t.Fatalf("parsePct(%q) = %s, written %q, read back %v, %v", s, d, back, d2, err)
		}
	})
}

// ruleDateRef is parseRuleDate written again from its doc: d/m/yyyy, day
// and month of one or two digits, a date of the calendar.
func ruleDateRef(s string) (y, m, d int, ok bool) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	num := func(s string, minLen, maxLen int) (int, bool) {
		if len(s) < minLen || len(s) > maxLen {
			return 0, false
		}
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	d, ok1 := num(parts[0], 1, 2)
	m, ok2 := num(parts[1], 1, 2)
	y, ok3 := num(parts[2], 4, 4)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return 0, 0, 0, false
	}
	// Day 0 of the next month is the last day of this one.
	if last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d > last {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// FuzzParseRuleDate checks parseRuleDate against ruleDateRef, and that a
// date written dd/mm/aaaa reads back as itself.
func FuzzParseRuleDate(f *testing.F) {
	for _, s := range []string{"01/12/2025", "1/2/2025", "31/02/2025", "29/02/2024", "29/02/2100", "2025-12-01", "", " 1/1/0000 ", "001/1/2025", "1/1/25", "+1/1/2025"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseRuleDate(s)
		if strings.TrimSpace(s) == "" {
			if got != nil || err != nil {
				t.Fatalf("parseRuleDate(%q) = %v, %v; want no date", s, got, err)
			}
			return
		}
		y, m, d, ok := ruleDateRef(s)
		if ok != (err == nil) {
			t.Fatalf("parseRuleDate(%q) = %v, %v; the reference accepts: %v", s, got, err, ok)
		}
		if !ok {
			if !strings.Contains(err.Error(), strconv.Quote(strings.TrimSpace(s))) {
				t.Fatalf("parseRuleDate(%q): error %q does not quote the value", s, err)
			}
			return
		}
		if got.Year() != y || int(got.Month()) != m || got.Day() != d {
			t.Fatalf("parseRuleDate(%q) = %v, want %04d-%02d-%02d", s, got, y, m, d)
		}
		back, err := parseRuleDate(got.Format("02/01/2006"))
		if err != nil || !back.Equal(*got) {
			t.Fatalf("parseRuleDate(%q) = %v, written %q, read back %v, %v", s, got, got.Format("02/01/2006"), back, err)
		}
	})
}

// FuzzRulesFile reads arbitrary rules files. Properties: an error is a
// *PosError on the file, with a line inside it (only a file without a
// header, or one missing a column, has no line), and a column when it names
// a field; every rule kept is one the checks allow (method, percentages in
// range, dates in order), its line after the header and after the previous
// rule's.
func FuzzRulesFile(f *testing.F) {
	f.Add("vendor;segment;product_family;method;pct;min_margin_pct\nMicrosoft;*;Microsoft 365*;markup;15;10\n*;*;*;list_discount;12,5;\n", false)
	f.Add("vendor;segment;product_family;method;pct\n\"Micro\nsoft\";*;*;markup;1\n*;*;*;markup;-1\n", false)
	f.Add("\ufeffVendor ; Segment;product_family;method;pct\n*;*;*;list_discount;100\n", false)
	f.Add("vendor;program;sku_pattern;pct;valid_from;valid_to\nMicrosoft;CSP;CFQ7*;4;01/11/2025;31/12/2025\nAdobe;VIP;*;2,5;;\n", true)
	f.Add("vendor;program;sku_pattern;pct;valid_from;valid_to\nA;B;*;1;02/01/2025;01/01/2025\n", true)
	f.Add("vendor;vendor;program;sku_pattern;pct\n", true)
	f.Add("", false)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string, incentives bool) {
		name, read := "rules/pricing.csv", readPricingRules
		if incentives {
			name, read = "rules/incentives.csv", readIncentiveRules
		}
		local := filepath.Join(dir, "rules.csv")
		if err := os.WriteFile(local, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		var rows [][]driver.Value
		n, err := read(File{Path: name, Local: local}, 7, func(vals ...driver.Value) error {
			rows = append(rows, vals)
			return nil
		})
		if err != nil {
			checkRulesError(t, err, name, content)
			return
		}
		if n != int64(len(rows)) {
			t.Fatalf("%d rules counted, %d added", n, len(rows))
		}
		prev := int64(1)
		for _, r := range rows {
			line := r[1].(int64)
			if r[0] != int64(7) || line <= prev {
				t.Fatalf("rule %v: file id or line out of order (after line %d)", r, prev)
			}
			prev = line
			for _, v := range r[2:5] {
				if strings.TrimSpace(v.(string)) == "" {
					t.Fatalf("rule %v: empty key field kept", r)
				}
			}
			if incentives {
				pct := decimal.RequireFromString(r[5].(string))
				if pct.IsNegative() || pct.GreaterThan(decimal.NewFromInt(100)) {
					t.Fatalf("rule %v: pct out of range", r)
				}
				if from, to := r[6], r[7]; from != nil && to != nil && to.(string) < from.(string) {
					t.Fatalf("rule %v: valid_to before valid_from", r)
				}
				continue
			}
			method := r[5].(string)
			pct := decimal.RequireFromString(r[6].(string))
			margin := decimal.RequireFromString(r[7].(string))
			if method != "markup" && method != "list_discount" || pct.IsNegative() || margin.IsNegative() ||
				margin.GreaterThanOrEqual(decimal.NewFromInt(100)) ||
				method == "list_discount" && pct.GreaterThanOrEqual(decimal.NewFromInt(100)) {
				t.Fatalf("rule %v: kept a rule the checks forbid", r)
			}
		}
	})
}

// checkRulesError fails t unless err is a *PosError on the rules file name
// with a line inside content (only a file without a header, or one missing
// a column, has none), and a column when it names a field.
func checkRulesError(t *testing.T, err error, name, content string) {
	t.Helper()
	var pe *PosError
	if !errors.As(err, &pe) || pe.File != name {
		t.Fatalf("error %v (%T) is not a *PosError on %s", err, err, name)
	}
	lines := int64(strings.Count(content, "\n") + 1)
	switch {
	case pe.Line == 0 && !errors.Is(err, ErrMissingColumn) && !strings.HasPrefix(pe.Err.Error(), "empty file"):
		t.Fatalf("error %q has no line", err)
	case pe.Line > lines:
		t.Fatalf("error %q: line %d of %d", err, pe.Line, lines)
	case pe.Field != "" && pe.Column < 1:
		t.Fatalf("error %q names a field but no column", err)
	}
}
