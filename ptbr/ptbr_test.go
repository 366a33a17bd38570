package ptbr

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// Each case's want is written by hand, as people in Brazil read the value.
func TestGo(t *testing.T) {
	cases := []struct {
		name, got, want string
	}{
		{"money negative", Money("-50"), "-R$ 50,00"},
		{"money thousands", Money("1234.5"), "R$ 1.234,50"},
		{"money zero", Money("0"), "R$ 0,00"},
		{"money millions", Money("-1234567.891"), "-R$ 1.234.567,89"},
		{"money tie to even, down", Money("0.125"), "R$ 0,12"},
		{"money tie to even, up", Money("0.135"), "R$ 0,14"},
		{"money above a tie", Money("0.1251"), "R$ 0,13"},
		{"money rounds to zero: no sign", Money("-0.004"), "R$ 0,00"},
		{"money negative tie to zero", Money("-0.005"), "R$ 0,00"},
		{"money carries", Money("999.995"), "R$ 1.000,00"},
		{"money huge", Money("123456789012345678901234.565"), "R$ 123.456.789.012.345.678.901.234,56"},
		{"money exponent", Money("1e+20"), "R$ 100.000.000.000.000.000.000,00"},
		{"money not a number", Money("n/a"), "n/a"},
		{"money empty", Money(""), ""},
		{"number", Number("-1234.567", 2), "-1.234,57"},
		{"number whole", Number("8.000000", 0), "8"},
		{"number tie", Number("2.5", 0), "2"},
		{"number small negative", Number("-0.001", 2), "0,00"},
		{"percent", Percent("12.345"), "12,34 %"},
		{"percent negative", Percent("-3.5"), "-3,50 %"},
		{"rate four decimals", Rate("5.321600"), "5,3216"},
		{"rate padded", Rate("5"), "5,0000"},
		{"rate more decimals", Rate("0.123456"), "0,123456"},
		{"rate at most eight", Rate("1.23456789012"), "1,23456789"},
		{"rate thousands", Rate("1234.5"), "1.234,5000"},
		{"quantity whole", Quantity("10.000000"), "10"},
		{"quantity fraction", Quantity("1234.50"), "1.234,5"},
		{"quantity negative", Quantity("-2.250"), "-2,25"},
		{"int", Int(1048575), "1.048.575"},
		{"int small", Int(999), "999"},
		{"int negative", Int(-1234), "-1.234"},
		{"int zero", Int(0), "0"},
		{"date", Date("2026-01-05"), "05/01/2026"},
		{"date not ISO", Date("05/01/2026"), "05/01/2026"},
		{"date empty", Date(""), ""},
		{"date of", DateOf(time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)), "31/12/2025"},
		{"period", Period("2025-12"), "12/2025"},
		{"time", Time("2026-01-05T13:04:00Z"), "05/01/2026 10:04 (Brasília)"},
		{"time the day before", Time("2026-01-05T02:30:00Z"), "04/01/2026 23:30 (Brasília)"},
		{"time not RFC 3339", Time("yesterday"), "yesterday"},
		{"true", Bool(true), "sim"},
		{"false", Bool(false), "não"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestSQLAgreesWithGo runs each value through a ptbr.sql macro in DuckDB
// and through its Go twin on the text DuckDB writes for the value (what
// the site and the dossier read): both must give the text written by hand.
// NULL stays NULL in SQL; Go gets "" for it and gives "".
func TestSQLAgreesWithGo(t *testing.T) {
	db := macroDB(t)
	ctx := context.Background()
	type value struct {
		sql  string // a DuckDB expression
		want string // "" for NULL
	}
	kinds := []struct {
		name  string
		sqlOf func(string) string // the macro's call
		goIn  string              // the SQL giving Go's input; %s is the value
		goOf  func(string) string // the Go twin
		cases []value
	}{
		{"money", MoneySQL, "(%s)::VARCHAR", Money, []value{
			{"-50::DECIMAL(18,2)", "-R$ 50,00"},
			{"0::DECIMAL(18,2)", "R$ 0,00"},
			{"1234.5::DECIMAL(18,2)", "R$ 1.234,50"},
			{"1234.5::DOUBLE", "R$ 1.234,50"},
			{"0.125::DECIMAL(18,3)", "R$ 0,12"},
			{"0.135::DECIMAL(18,3)", "R$ 0,14"},
			{"0.1250::DECIMAL(18,4)", "R$ 0,12"},
			{"0.1251::DECIMAL(18,4)", "R$ 0,13"},
			{"-0.005::DECIMAL(18,3)", "R$ 0,00"},
			{"-0.015::DECIMAL(18,3)", "-R$ 0,02"},
			{"999.995::DECIMAL(18,3)", "R$ 1.000,00"},
			{"1.005::DOUBLE", "R$ 1,00"}, // the DOUBLE's text is 1.005: a tie
			{"-1234567.891::DECIMAL(18,3)", "-R$ 1.234.567,89"},
			{"100::INTEGER", "R$ 100,00"},
			{"123456789012345678901234.565::DECIMAL(38,3)", "R$ 123.456.789.012.345.678.901.234,56"},
			{"1e20::DOUBLE", "R$ 100.000.000.000.000.000.000,00"},
			{"NULL::DECIMAL(18,2)", ""},
		}},
		{"quantity", QuantitySQL, "(%s)::VARCHAR", Quantity, []value{
			{"20::DECIMAL(18,6)", "20"},
			{"8.000000::DECIMAL(18,6)", "8"},
			{"1234.50::DECIMAL(18,2)", "1.234,5"},
			{"2.5::DOUBLE", "2,5"},
			{"-3.250::DECIMAL(18,3)", "-3,25"},
			{"100::INTEGER", "100"},
			{"NULL::DECIMAL(18,6)", ""},
		}},
		{"date", DateSQL, "(%s)::VARCHAR", Date, []value{
			{"DATE '2026-01-05'", "05/01/2026"},
			{"DATE '9999-12-31'", "31/12/9999"},
			{"NULL::DATE", ""},
		}},
		{"month", func(e string) string { return "ptbr_month(" + e + ")" }, "strftime((%s), '%%Y-%%m')", Period, []value{
			{"DATE '2025-12-01'", "12/2025"},
			{"DATE '2026-01-31'", "01/2026"},
			{"NULL::DATE", ""},
		}},
		{"bool", BoolSQL, "(%s)::VARCHAR", func(s string) string {
			if s == "" {
				return ""
			}
			return Bool(s == "true")
		}, []value{
			{"true", "sim"},
			{"false", "não"},
			{"NULL::BOOLEAN", ""},
		}},
	}
	for _, k := range kinds {
		for _, v := range k.cases {
			var in, got sql.NullString
			q := "SELECT " + fmt.Sprintf(k.goIn, v.sql) + ", " + k.sqlOf(v.sql)
			if err := db.QueryRowContext(ctx, q).Scan(&in, &got); err != nil {
				t.Fatalf("%s %s: %v\n%s", k.name, v.sql, err, q)
			}
			if got.String != v.want || got.Valid != (v.want != "") {
				t.Errorf("%s %s: SQL gives %q (valid %v), want %q", k.name, v.sql, got.String, got.Valid, v.want)
			}
			if g := k.goOf(in.String); g != v.want {
				t.Errorf("%s %s: Go gives %q for DuckDB's %q, want %q", k.name, v.sql, g, in.String, v.want)
			}
		}
	}
}

// The CSV for people has no Go twin: Excel reads its numbers.
func TestPlainSQL(t *testing.T) {
	db := macroDB(t)
	ctx := context.Background()
	for in, want := range map[string]string{
		"1234.50::DECIMAL(18,2)":                  "1234,50",
		"-0.5::DECIMAL(18,1)":                     "-0,5",
		"8::DECIMAL(18,6)":                        "8,000000",
		"12345678901234567890::HUGEINT":           "12345678901234567890",
		"-12345678901234567890.12::DECIMAL(38,2)": "-12345678901234567890,12",
		"NULL::DECIMAL(18,2)":                     "",
	} {
		var got sql.NullString
		if err := db.QueryRowContext(ctx, "SELECT "+PlainSQL(in)).Scan(&got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got.String != want || got.Valid != (want != "") {
			t.Errorf("%s: got %q (valid %v), want %q", in, got.String, got.Valid, want)
		}
	}
}

// macroDB is an in-memory DuckDB with the macros of ptbr.sql.
func macroDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(SQL); err != nil {
		t.Fatalf("ptbr.sql: %v", err)
	}
	return db
}

func TestQuantityPlainSQL(t *testing.T) {
	db := macroDB(t)
	ctx := context.Background()
	for in, want := range map[string]string{
		"8::DECIMAL(18,6)":       "8",
		"20.000000":              "20",
		"1234.50::DECIMAL(18,2)": "1234,5",
		"-0.5::DECIMAL(18,1)":    "-0,5",
		"100::INTEGER":           "100",
		"NULL::DECIMAL(18,2)":    "",
	} {
		var got sql.NullString
		if err := db.QueryRowContext(ctx, "SELECT "+QuantityPlainSQL(in)).Scan(&got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got.String != want || got.Valid != (want != "") {
			t.Errorf("%s: got %q (valid %v), want %q", in, got.String, got.Valid, want)
		}
	}
}
