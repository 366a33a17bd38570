package transform

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

func openTest(t *testing.T) *Warehouse {
	t.Helper()
	w, err := Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// TestMoneyMacros checks exact half-even rounding and division against
// values worked out by hand, including ties a DOUBLE gets wrong.
func TestMoneyMacros(t *testing.T) {
	w := openTest(t)
	tests := []struct {
		name, expr, want string
	}{
		{"tie down to even", "round_half_even(2.345::DECIMAL(18,3))", "2.34"},
		{"tie up to even", "round_half_even(2.355::DECIMAL(18,3))", "2.36"},
		{"negative tie", "round_half_even(-2.345::DECIMAL(18,3))", "-2.34"},
		{"above the tie", "round_half_even(2.3450001::DECIMAL(18,7))", "2.35"},
		{"0.125", "round_half_even(0.125::DECIMAL(18,3))", "0.12"},
		{"wide decimal tie", "round_half_even(1234567.125::DECIMAL(38,18))", "1234567.12"},
		{"50.505, whose DOUBLE is below the tie", "round_half_even(10.101::DECIMAL(18,6) * 5.0000::DECIMAL(18,4))", "50.50"},
		{"1.005, whose DOUBLE is below the tie", "round_half_even(1.005::DECIMAL(18,3))", "1.00"},
		{"1.015, whose DOUBLE is above the tie", "round_half_even(1.015::DECIMAL(18,3))", "1.02"},
		{"one third", "div_round(1::DECIMAL(18,2), 3::DECIMAL(18,2))", "0.33"},
		{"3/8 = 0.375 to even", "div_round(3, 8)", "0.38"},
		{"1/8 = 0.125 to even", "div_round(1, 8)", "0.12"},
		{"-3/8", "div_round(-3, 8)", "-0.38"},
		{"negative divisor", "div_round(-1, -8)", "0.12"},
		{"min-margin floor 100/0.85", "div_round(100.00, 0.85)", "117.65"},
		{"by zero is NULL", "coalesce(div_round(1, 0)::VARCHAR, 'NULL')", "NULL"},
		{"estimate given", "div_round_with(0.125::DECIMAL(38,18), 1, 12.5)", "0.12"},
		{"decimal comma", "parse_decimal('1.234,56', ',')", "1234.560000"},
		{"decimal point with grouping", "parse_decimal('1,234.56', '.')", "1234.560000"},
		{"not a number", "coalesce(parse_decimal('1.2.3', ',')::VARCHAR, 'NULL')", "NULL"},
		{"plain number, cast path", "parse_decimal(' 12.5 ', '.')", "12.500000"},
		{"exponent read by the cast", "parse_decimal('1e3', '.')", "1000.000000"},
		{"text is not a number", "coalesce(parse_decimal('abc', '.')::VARCHAR, 'NULL')", "NULL"},
		{"two points are not a number", "coalesce(parse_decimal('1.2.3', '.')::VARCHAR, 'NULL')", "NULL"},
		{"point grouping with comma decimals", "parse_decimal('1.234', ',')", "1234.000000"},
		{"PTAX date", "parse_br_date('28112025')", "2025-11-28"},
		{"br date", "parse_br_date('28/11/2025')", "2025-11-28"},
		{"impossible date", "coalesce(parse_br_date('31/02/2025')::VARCHAR, 'NULL')", "NULL"},
		{"US timestamp", "ms_timestamp('2/1/2019 12:00:00 AM')", "2019-02-01 00:00:00"},
		{"net cost", "(net_cost_exact(50.00, 4.0000::DECIMAL(9,4)) = 48)::VARCHAR", "true"},
		{"markup on the net cost", "(rule_price_exact('markup', 50.00, NULL, 4.0000::DECIMAL(9,4), 15.0000::DECIMAL(9,4)) = 55.2)::VARCHAR", "true"},
		{"discount on the list", "(rule_price_exact('list_discount', 90.00, 100.00, 0::DECIMAL(9,4), 20.0000::DECIMAL(9,4)) = 80)::VARCHAR", "true"},
		{"minimum margin: net over the divisor", "div_round(sell_num_exact(true, 'list_discount', 90.00, 100.00, 0::DECIMAL(9,4), 20.0000::DECIMAL(9,4)), sell_den_exact(true, 10.0000::DECIMAL(9,4), NULL))", "100.00"},
		{"rule price when the margin holds", "div_round(sell_num_exact(false, 'markup', 100.00, NULL, 0::DECIMAL(9,4), 10.0000::DECIMAL(9,4)), sell_den_exact(false, 5.0000::DECIMAL(9,4), 5.65::DECIMAL(9,4)))", "110.00"},
		// 1 − 5,65 % (ISS 2 + PIS 0,65 + COFINS 3) − 10 % = 0,8435: 843,50 / 0,8435 = 1.000,00 exactly;
		// 100,00 / 0,8435 = 118,5536… → 118,55.
		{"markup divisor with taxes", "div_round(843.50, margin_den_exact(10.0000::DECIMAL(9,4), 5.6500::DECIMAL(9,4)))", "1000.00"},
		{"markup divisor with taxes, rounded", "div_round(100.00, margin_den_exact(10.0000::DECIMAL(9,4), 5.6500::DECIMAL(9,4)))", "118.55"},
		{"divisor without taxes as before", "margin_den_exact(10.0000::DECIMAL(9,4), NULL)", "0.900000"},
		// 118,55 × 2 % = 2,371 → 2,37; × 0,65 % = 0,770575 → 0,77; × 3 % = 3,5565 → 3,56: 6,70.
		{"taxes tax by tax", "taxes_on(118.55, [{'tax': 'ISS', 'rate_pct': 2.0000::DECIMAL(9,4)}, {'tax': 'PIS', 'rate_pct': 0.6500::DECIMAL(9,4)}, {'tax': 'COFINS', 'rate_pct': 3.0000::DECIMAL(9,4)}])", "6.70"},
		// 1,25 × 2 % = 0,025: a tie, to the even cent.
		{"tax on a half cent", "taxes_on(1.25, [{'tax': 'ISS', 'rate_pct': 2.0000::DECIMAL(9,4)}])", "0.02"},
		{"no tax is zero", "taxes_on(118.55, []::STRUCT(tax VARCHAR, rate_pct DECIMAL(9,4))[])", "0.00"},
		{"no amount, no tax", "coalesce(taxes_on(NULL::DECIMAL(18,2), [{'tax': 'ISS', 'rate_pct': 2.0000::DECIMAL(9,4)}])::VARCHAR, 'NULL')", "NULL"},
		{"glob is case-insensitive", "glob_ci('Microsoft 365 E3', 'microsoft 365*')", "true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if err := w.Conn.QueryRowContext(context.Background(), "SELECT ("+tt.expr+")::VARCHAR").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
			}
		})
	}
}

// TestModelPlan checks that models are built after what they read.
func TestModelPlan(t *testing.T) {
	plan, err := Plan("quote_prices")
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, m := range plan {
		pos[m.Name] = i
	}
	for _, pair := range [][2]string{{"stg_ms_prices", "prices"}, {"prices", "priced_skus"}, {"period_fx", "priced_skus"}, {"priced_skus", "quote_prices"}} {
		a, okA := pos[pair[0]]
		b, okB := pos[pair[1]]
		if !okA || !okB || a >= b {
			t.Errorf("%s must be built before %s (plan positions %d, %d)", pair[0], pair[1], a, b)
		}
	}
	if _, err := Plan("no_such_model"); err == nil {
		t.Error("planning an unknown model succeeded")
	}
}

// TestModelReads checks what two models read, from their FROM clauses:
// t36_calendar.sql names its event 'reconciliation' (a string) and
// reads the run ledger, where the word scan it replaces also built the
// reconciliation mart for the lifecycle.
func TestModelReads(t *testing.T) {
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		model         string
		refs, sources []string
	}{
		{"t36_calendar", []string{"business_days", "lifecycle_contracts", "orders", "true_up_statements", "true_up_years"}, []string{"runs"}},
		// named_rejects(errors) joins files and file_columns (macros.sql);
		// the kinds' rejects come through the pipeline's kind_rejects view.
		{"pricelist_rejects", []string{"priced_skus"}, []string{"file_columns", "files", "kind_rejects"}},
	}
	for _, tt := range tests {
		m := models[tt.model]
		if !reflect.DeepEqual(m.Refs, tt.refs) || !reflect.DeepEqual(m.Sources, tt.sources) {
			t.Errorf("%s reads models %v, sources %v; want %v, %v", tt.model, m.Refs, m.Sources, tt.refs, tt.sources)
		}
	}
	plan, err := Plan("t36_calendar")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range plan {
		if m.Name == "reconciliation" {
			t.Error("t36_calendar's plan builds the reconciliation mart")
		}
	}
}

// TestChecks runs model checks on tables with and without the defect.
func TestChecks(t *testing.T) {
	w := openTest(t)
	ctx := context.Background()
	if _, err := w.Conn.ExecContext(ctx, `
		CREATE TABLE good AS SELECT i AS a, 'x' || i AS b, 'new' AS c FROM range(1000) t(i);
		CREATE TABLE dup AS SELECT * FROM good UNION ALL SELECT 7, 'x7', 'new';
		CREATE TABLE nulls AS SELECT * FROM good UNION ALL SELECT 1, NULL, 'gone'`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		table   string
		check   Check
		wantErr string
	}{
		{"good", Check{Kind: "unique", Columns: []string{"a", "b"}}, ""},
		{"dup", Check{Kind: "unique", Columns: []string{"a", "b"}}, "model dup: check unique(a, b) failed for 1 rows"},
		{"dup", Check{Kind: "unique", Columns: []string{"c"}}, "model dup: check unique(c) failed for 1 rows"},
		{"nulls", Check{Kind: "not_null", Columns: []string{"a", "b"}}, "model nulls: check not_null(a, b) failed for 1 rows"},
		{"nulls", Check{Kind: "accepted_values", Columns: []string{"c"}, Values: []string{"new"}}, "model nulls: check accepted_values(c: new) failed for 1 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.table+" "+tt.check.String(), func(t *testing.T) {
			err := w.check(ctx, &Model{Name: tt.table, Checks: []Check{tt.check}})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("error %q, want %q", got, tt.wantErr)
			}
		})
	}
}
