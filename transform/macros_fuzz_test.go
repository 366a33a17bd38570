package transform

import (
	"context"
	"database/sql"
	"math/big"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The parsers of Brazilian and vendor text live in SQL macros (macros.sql)
// and staging models. These targets run each fuzzed input through DuckDB
// (a millisecond or two a query, so each query checks several values) and
// compare with a small Go implementation written from the rule the macro
// documents, not from the macro.

func openFuzz(f *testing.F) *Warehouse {
	f.Helper()
	w, err := Open(context.Background(), filepath.Join(f.TempDir(), "w.duckdb"), Options{Threads: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { w.Close() })
	return w
}

func prepare(f *testing.F, w *Warehouse, query string) *sql.Stmt {
	f.Helper()
	st, err := w.Conn.PrepareContext(context.Background(), query)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	return st
}

// duckTrim is DuckDB's trim(): it strips Unicode space separators (category
// Zs: ' ', U+00A0, U+2003...), not tabs or line breaks.
func duckTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.Is(unicode.Zs, r) })
}

// CNPJ check digits as the Receita Federal publishes them, alphanumeric
// CNPJ (July 2026) included: each character is worth its ASCII code − 48
// (digits 0–9, A = 17 … Z = 42), weighted from the left by these tables;
// a remainder mod 11 below 2 gives 0, else 11 − remainder.
var (
	cnpjWeights1 = []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	cnpjWeights2 = []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
)

func cnpjDigit(s string, weights []int) byte {
	sum := 0
	for i, w := range weights {
		sum += (int(s[i]) - 48) * w
	}
	if r := sum % 11; r >= 2 {
		return byte('0' + 11 - r)
	}
	return '0'
}

// cnpjCleanRef is cnpj_clean: trimmed, without . / - and whitespace
// (RE2's \s: tab, newline, form feed, carriage return, space), upper case.
func cnpjCleanRef(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '.', '/', '-', '\t', '\n', '\f', '\r', ' ':
			return -1
		}
		return r
	}, duckTrim(s))
	return strings.ToUpper(s)
}

// cnpjValidRef is cnpj_valid: 12 characters 0–9 or A–Z and 2 check digits,
// not one character repeated.
func cnpjValidRef(s string) bool {
	c := cnpjCleanRef(s)
	if len(c) != 14 || strings.Count(c, c[:1]) == 14 {
		return false
	}
	for i := 0; i < 14; i++ {
		digit := c[i] >= '0' && c[i] <= '9'
		if !digit && (i >= 12 || c[i] < 'A' || c[i] > 'Z') {
			return false
		}
	}
	return c[12] == cnpjDigit(c, cnpjWeights1) && c[13] == cnpjDigit(c, cnpjWeights2)
}

// FuzzCNPJ compares cnpj_valid and cnpj_clean with the Go rule on the
// fuzzed text and on CNPJs built from it: the same 12 characters with their
// true check digits (valid, formatted 12.ABC.345/01DE-35 in lower case too)
// and with a wrong second digit (invalid). Property: the macro agrees, and
// never raises.
func FuzzCNPJ(f *testing.F) {
	for _, s := range []string{"11.222.333/0001-81", "11444777000161", "12.abc.345/01de-35", "12ABC34501DE35",
		"00000000000000", "11.222.333/0001-82", " 11222333000181\u00a0", "1122233300018", "ıı222333000181", ""} {
		f.Add(s)
	}
	w := openFuzz(f)
	st := prepare(f, w, "SELECT cnpj_valid($1), cnpj_valid($2), cnpj_valid($3), cnpj_valid($4), cnpj_clean($1)")
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip("DuckDB text is UTF-8 without NUL")
		}
		base := []byte("000000000000")
		for i := 0; i < len(s); i++ {
			base[i%12] = alphabet[(int(base[i%12])+int(s[i]))%36]
		}
		full := string(base) + "00"
		full = full[:12] + string(cnpjDigit(full, cnpjWeights1)) + "0"
		full = full[:13] + string(cnpjDigit(full, cnpjWeights2))
		formatted := strings.ToLower(full[:2] + "." + full[2:5] + "." + full[5:8] + "/" + full[8:12] + "-" + full[12:])
		wrong := full[:13] + string('0'+(full[13]-'0'+1)%10)
		inputs := []string{s, full, formatted, wrong}

		var got [4]bool
		var clean sql.NullString
		if err := st.QueryRow(s, full, formatted, wrong).Scan(&got[0], &got[1], &got[2], &got[3], &clean); err != nil {
			t.Fatalf("cnpj_valid(%q): %v", s, err)
		}
		for i, in := range inputs {
			if want := cnpjValidRef(in); got[i] != want {
				t.Errorf("cnpj_valid(%q) = %v, the rule says %v", in, got[i], want)
			}
		}
		if clean.String != cnpjCleanRef(s) {
			t.Errorf("cnpj_clean(%q) = %q, want %q", s, clean.String, cnpjCleanRef(s))
		}
	})
}

var (
	brDecimalRE = regexp.MustCompile(`^-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$`)
	usDecimalRE = regexp.MustCompile(`^-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$`)
	million     = big.NewRat(1000000, 1)
	decimalMax  = new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(12), nil)) // DECIMAL(18,6) holds |x| < 10^12
)

// decimalRef reads text in the form re allows, group being the grouping
// character and the other one the decimal separator, as DECIMAL(18,6):
// rounded to 6 decimals half away from zero, nil when out of range.
func decimalRef(s string, re *regexp.Regexp, group string) *big.Rat {
	t := duckTrim(s)
	if !re.MatchString(t) {
		return nil
	}
	t = strings.Replace(strings.ReplaceAll(t, group, ""), ",", ".", 1)
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return nil
	}
	// Half away from zero: round |r| × 10^6 half up, then put the sign back.
	n := new(big.Rat).Mul(new(big.Rat).Abs(r), million)
	q := new(big.Int).Quo(n.Num(), n.Denom())
	rem := new(big.Rat).Sub(n, new(big.Rat).SetInt(q))
	if rem.Cmp(big.NewRat(1, 2)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	out := new(big.Rat).SetFrac(q, big.NewInt(1000000))
	if r.Sign() < 0 {
		out.Neg(out)
	}
	if new(big.Rat).Abs(out).Cmp(decimalMax) >= 0 {
		return nil
	}
	return out
}

// formatDecimal writes units / 10^scale with the given separators, the
// integer part grouped by three when group is not "".
func formatDecimal(units int64, scale int, group, point string) string {
	neg := units < 0
	digits := new(big.Int).Abs(big.NewInt(units)).String()
	for len(digits) <= scale {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	if group != "" {
		var b strings.Builder
		for i := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(group)
			}
			b.WriteByte(whole[i])
		}
		whole = b.String()
	}
	s := whole
	if scale > 0 {
		s += point + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FuzzParseDecimal checks parse_decimal. With a decimal comma (PTAX,
// rules, Brazilian price lists) the macro must agree with decimalRef on
// any text. With a decimal point DuckDB's own cast reads the text first and
// takes forms of its own (1e3, +5), so there the check is one way: text in
// the documented form must read as decimalRef says. And round trips: a
// value of up to 6 decimals, written either way with or without grouping,
// reads back as itself.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1.234,56", "1234,56", "-0,5", "1.23,4", "1,2345675", "999.999.999.999,999999", "1.000.000.000.000", "\u00a012,5 ", "\t1", "٣", "1,234.56", "1e3"} {
		f.Add(s, int64(123456), uint8(2), true)
	}
	w := openFuzz(f)
	st := prepare(f, w, "SELECT parse_decimal($1, ',')::VARCHAR, parse_decimal($1, '.')::VARCHAR, parse_decimal($2, ',')::VARCHAR, parse_decimal($3, '.')::VARCHAR")
	f.Fuzz(func(t *testing.T, s string, units int64, scale uint8, group bool) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip("DuckDB text is UTF-8 without NUL")
		}
		sc := int(scale % 7)
		g1, g2 := "", ""
		if group {
			g1, g2 = ".", ","
		}
		br, us := formatDecimal(units, sc, g1, ","), formatDecimal(units, sc, g2, ".")
		var got [4]sql.NullString
		if err := st.QueryRow(s, br, us).Scan(&got[0], &got[1], &got[2], &got[3]); err != nil {
			t.Fatalf("parse_decimal(%q): %v", s, err)
		}
		check := func(in, sep string, got sql.NullString, want *big.Rat) {
			t.Helper()
			if want == nil {
				if got.Valid {
					t.Errorf("parse_decimal(%q, '%s') = %s, want NULL", in, sep, got.String)
				}
				return
			}
			r, ok := new(big.Rat).SetString(got.String)
			if !got.Valid || !ok || r.Cmp(want) != 0 {
				t.Errorf("parse_decimal(%q, '%s') = %v, want %s", in, sep, got, want.FloatString(6))
			}
		}
		check(s, ",", got[0], decimalRef(s, brDecimalRE, "."))
		if want := decimalRef(s, usDecimalRE, ","); want != nil {
			check(s, ".", got[1], want)
		}
		value := new(big.Rat).SetFrac(big.NewInt(units), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(sc)), nil))
		if new(big.Rat).Abs(value).Cmp(decimalMax) >= 0 {
			value = nil
		}
		check(br, ",", got[2], value)
		check(us, ".", got[3], value)
	})
}

var (
	brSlashRE  = regexp.MustCompile(`^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$`)
	brPTAXRE   = regexp.MustCompile(`^[0-9]{8}$`)
	isoDateRE  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	// Partner Center's spelling, hours 1 to 12.
	pcTimestampRE = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2}):([0-9]{2}) (AM|PM)$`)
)

// brDateRef is parse_br_date: dd/mm/aaaa (day and month of one or two
// digits), ddmmaaaa (PTAX) or aaaa-mm-dd, a date of the proleptic
// Gregorian calendar.
func brDateRef(s string) (time.Time, bool) {
	t := duckTrim(s)
	var d, m, y string
	switch {
	case brSlashRE.MatchString(t):
		p := strings.Split(t, "/")
		d, m, y = p[0], p[1], p[2]
	case brPTAXRE.MatchString(t):
		d, m, y = t[:2], t[2:4], t[4:]
	case isoDateRE.MatchString(t):
		y, m, d = t[:4], t[5:7], t[8:]
	default:
		return time.Time{}, false
	}
	dn, _ := strconv.Atoi(d)
	mn, _ := strconv.Atoi(m)
	yn, _ := strconv.Atoi(y)
	date := time.Date(yn, time.Month(mn), dn, 0, 0, 0, 0, time.UTC)
	if mn < 1 || mn > 12 || dn < 1 || date.Day() != dn {
		return time.Time{}, false
	}
	return date, true
}

// FuzzParseBRDate compares parse_br_date (ERP and PTAX dates) with
// brDateRef on the fuzzed text, and round-trips a date built from the
// fuzzed numbers, written in each of the accepted forms.
func FuzzParseBRDate(f *testing.F) {
	for _, s := range []string{"28/11/2025", "1/2/2025", "28112025", "2025-11-28", "31/02/2025", "29/02/2024", "29022100", "00/01/2025", " 1/1/2025\u00a0", "\t1/1/2025", "1/1/0000", "2025-1-01", "٢٨/١١/٢٠٢٥"} {
		f.Add(s, uint16(2025), uint8(11), uint8(28), uint8(0))
	}
	w := openFuzz(f)
	st := prepare(f, w, "SELECT strftime(parse_br_date($1), '%Y-%m-%d'), strftime(parse_br_date($2), '%Y-%m-%d')")
	f.Fuzz(func(t *testing.T, s string, y uint16, m, d, form uint8) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip("DuckDB text is UTF-8 without NUL")
		}
		month := time.Month(m%12 + 1)
		days := time.Date(int(y%10000), month+1, 0, 0, 0, 0, 0, time.UTC).Day()
		date := time.Date(int(y%10000), month, int(d)%days+1, 0, 0, 0, 0, time.UTC)
		layouts := []string{"02/01/2006", "2/1/2006", "02012006", "2006-01-02"}
		written := date.Format(layouts[int(form)%len(layouts)])
		var got [2]sql.NullString
		if err := st.QueryRow(s, written).Scan(&got[0], &got[1]); err != nil {
			t.Fatalf("parse_br_date(%q): %v", s, err)
		}
		want, ok := brDateRef(s)
		if got[0].Valid != ok || ok && got[0].String != want.Format("2006-01-02") {
			t.Errorf("parse_br_date(%q) = %v, want %v (%v)", s, got[0], want.Format("2006-01-02"), ok)
		}
		if !got[1].Valid || got[1].String != date.Format("2006-01-02") {
			t.Errorf("parse_br_date(%q) = %v, want %s", written, got[1], date.Format("2006-01-02"))
		}
	})
}

// FuzzMSTimestamp checks ms_timestamp, Partner Center's dates: a
// timestamp built from the fuzzed numbers, written in each spelling the
// macro documents (Partner Center's "2/1/2019 12:00:00 AM", zero-padded,
// am/pm in lower case, 24-hour, date only, ISO), reads back as itself; the
// fuzzed text never makes it raise, and when it is in Partner Center's
// spelling it reads as Go reads it.
func FuzzMSTimestamp(f *testing.F) {
	for _, s := range []string{"2/1/2019 12:00:00 AM", "12/31/9999 11:59:59 PM", "1/1/1753 12:00:00 AM", "2/30/2019 12:00:00 AM", "2/1/2019 0:00:00 AM", "2019-02-01", " 2/1/2019 1:02:03 pm "} {
		f.Add(s, uint16(2019), uint8(2), uint8(1), uint8(0), uint8(0), uint8(0), uint8(0))
	}
	w := openFuzz(f)
	st := prepare(f, w, "SELECT strftime(ms_timestamp($1), '%Y-%m-%d %H:%M:%S'), strftime(ms_timestamp($2), '%Y-%m-%d %H:%M:%S')")
	f.Fuzz(func(t *testing.T, s string, y uint16, mo, d, h, mi, sec, style uint8) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip("DuckDB text is UTF-8 without NUL")
		}
		month := time.Month(mo%12 + 1)
		year := 1000 + int(y)%9000
		days := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
		ts := time.Date(year, month, int(d)%days+1, int(h%24), int(mi%60), int(sec%60), 0, time.UTC)
		layouts := []string{"1/2/2006 3:04:05 PM", "01/02/2006 03:04:05 PM", "1/2/2006 3:04:05 pm", "1/2/2006 15:04:05", "1/2/2006", "2006-01-02T15:04:05", "2006-01-02"}
		layout := layouts[int(style)%len(layouts)]
		written := ts.Format(layout)
		if !strings.Contains(layout, "15") && !strings.Contains(layout, "3") {
			ts = time.Date(ts.Year(), ts.Month(), ts.Day(), 0, 0, 0, 0, time.UTC)
		}
		var got [2]sql.NullString
		if err := st.QueryRow(s, written).Scan(&got[0], &got[1]); err != nil {
			t.Fatalf("ms_timestamp(%q): %v", s, err)
		}
		if !got[1].Valid || got[1].String != ts.Format("2006-01-02 15:04:05") {
			t.Errorf("ms_timestamp(%q) = %v, want %s", written, got[1], ts.Format("2006-01-02 15:04:05"))
		}
		if m := pcTimestampRE.FindStringSubmatch(duckTrim(s)); m != nil && m[4] != "0" && m[4] != "00" {
			// time.Parse takes hour 0 on a 12-hour clock; the clock has none.
			want, err := time.Parse("1/2/2006 3:04:05 PM", m[0])
			if err == nil && (!got[0].Valid || got[0].String != want.Format("2006-01-02 15:04:05")) {
				t.Errorf("ms_timestamp(%q) = %v, want %s", s, got[0], want.Format("2006-01-02 15:04:05"))
			}
		}
	})
}

// FuzzPTAXLine puts the fields of a fuzzed PTAX line (split on ';' as
// read_csv would split an unquoted line) into raw_ptax and runs the
// stg_ptax model over it. Property: the line is a rate (currency, date,
// sell rate as the references read them) or carries exactly the rejects
// the references predict, each naming its field. The rejects below
// restate the model's: a rule added there fails this target until it is
// added here too, which is the point.
func FuzzPTAXLine(f *testing.F) {
	for _, s := range []string{"28112025;220;A;USD;5,3339;5,3345;1,0000;1,0000", "28/11/2025;978;B;eur;6,1;6,2", "31022025;220;A;USD;5;0", "28112025;;;US;x;-1", "", ";;;;;;;;;"} {
		f.Add(s)
	}
	w := openFuzz(f)
	models, err := Models()
	if err != nil {
		f.Fatal(err)
	}
	del := prepare(f, w, "DELETE FROM raw_ptax")
	ins := prepare(f, w, "INSERT INTO raw_ptax VALUES (1, 1, $1, $2, $3, $4, $5, $6, $7, $8)")
	sel := prepare(f, w, "SELECT currency, strftime(rate_date, '%Y-%m-%d'), sell_rate::VARCHAR, "+
		"array_to_string(list_transform(_errors, e -> e.field), ',') FROM (\n"+models["stg_ptax"].SQL+"\n)")
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) || strings.ContainsRune(line, 0) {
			t.Skip("DuckDB text is UTF-8 without NUL")
		}
		fields := strings.Split(line, ";")
		vals := make([]any, 8)
		for i := range vals {
			if i < len(fields) && fields[i] != "" {
				vals[i] = fields[i] // read_csv reads an empty field as NULL
			}
		}
		if _, err := del.Exec(); err != nil {
			t.Fatal(err)
		}
		if _, err := ins.Exec(vals...); err != nil {
			t.Fatal(err)
		}
		var currency, date, sell, rejects sql.NullString
		if err := sel.QueryRow().Scan(&currency, &date, &sell, &rejects); err != nil {
			t.Fatalf("stg_ptax over %q: %v", line, err)
		}
		field := func(i int) string {
			if s, ok := vals[i].(string); ok {
				return s
			}
			return ""
		}
		wantDate, dateOK := brDateRef(field(0))
		wantCurrency := strings.ToUpper(duckTrim(field(3)))
		wantSell := decimalRef(field(5), brDecimalRE, ".")
		var want []string
		if !dateOK {
			want = append(want, "rate_date")
		}
		if !currencyRE.MatchString(wantCurrency) {
			want = append(want, "symbol")
		}
		switch {
		case wantSell == nil: // not a number
			want = append(want, "sell")
		case wantSell.Sign() <= 0: // not a positive rate
			want = append(want, "sell")
		case wantSell.Cmp(big.NewRat(100000, 1)) >= 0: // a decimal comma lost
			want = append(want, "sell")
		}
		if rejects.String != strings.Join(want, ",") {
			t.Fatalf("stg_ptax over %q: rejects %q, want %q", line, rejects.String, strings.Join(want, ","))
		}
		if dateOK && date.String != wantDate.Format("2006-01-02") {
			t.Errorf("stg_ptax over %q: rate_date %v, want %s", line, date, wantDate.Format("2006-01-02"))
		}
		if vals[3] != nil && currency.String != wantCurrency {
			t.Errorf("stg_ptax over %q: currency %q, want %q", line, currency.String, wantCurrency)
		}
		if wantSell != nil {
			if r, ok := new(big.Rat).SetString(sell.String); !ok || r.Cmp(wantSell) != 0 {
				t.Errorf("stg_ptax over %q: sell_rate %v, want %s", line, sell, wantSell.FloatString(6))
			}
		}
	})
}
