package reports

import "testing"

// TestHighlightHolds compares published values the way the site does and
// the workbooks' conditional formats do: codes and booleans as text,
// numbers as numbers (10 > 9.5, not "10" < "9.5"), an empty cell neither
// above nor below a number.
func TestHighlightHolds(t *testing.T) {
	for _, c := range []struct {
		h    Highlight
		t    Type
		raw  string
		want bool
	}{
		{Highlight{If: "status", Value: "overdue"}, Text, "overdue", true},
		{Highlight{If: "status", Value: "overdue"}, Text, "due_0_30", false},
		{Highlight{If: "class", Op: "<>", Value: "matched"}, Text, "amount_mismatch", true},
		{Highlight{If: "class", Op: "<>", Value: "matched"}, Text, "matched", false},
		{Highlight{If: "reason", Op: "<>", Value: ""}, Text, "", false},
		{Highlight{If: "reason", Op: "<>", Value: ""}, Text, "no price", true},
		{Highlight{If: "is_over_limit", Value: "true"}, Bool, "true", true},
		{Highlight{If: "is_over_limit", Value: "true"}, Bool, "false", false},
		{Highlight{If: "pct", Op: ">=", Value: "80"}, Percent, "122.50", true},
		{Highlight{If: "pct", Op: ">=", Value: "80"}, Percent, "80.00", true},
		{Highlight{If: "pct", Op: ">=", Value: "80"}, Percent, "79.99", false},
		{Highlight{If: "n", Op: ">", Value: "9.5"}, Integer, "10", true},
		{Highlight{If: "brl", Op: ">", Value: "0"}, MoneyBRL, "", false},
		{Highlight{If: "brl", Op: "<", Value: "0"}, MoneyBRL, "", false},
		{Highlight{If: "brl", Op: "<>", Value: "0"}, MoneyBRL, "-150.00", true},
		{Highlight{If: "brl", Op: "<>", Value: "0"}, MoneyBRL, "0.00", false},
		{Highlight{If: "brl", Op: ">", Value: "0"}, MoneyBRL, "n/a", false},
	} {
		if got := c.h.Holds(c.t, c.raw); got != c.want {
			t.Errorf("%s %s %q holds for %q: %v, want %v", c.h.If, c.h.Op, c.h.Value, c.raw, got, c.want)
		}
	}
}

// TestReportSum tells the totals a spreadsheet can follow a filter with
// from those it cannot.
func TestReportSum(t *testing.T) {
	r := Report{Columns: []Column{{"a", MoneyBRL, "A"}, {"ok", Bool, "OK"}, {"t", Text, "T"}}}
	for _, c := range []struct {
		agg, col, flag string
		ok             bool
	}{
		{"sum(a)", "a", "", true},
		{"sum(a) filter (where ok)", "a", "ok", true},
		{"sum(a) filter (where t)", "", "", false}, // not a Bool
		{"sum(b)", "", "", false},                  // no such column
		{"div_round(sum(a) * 100, sum(a))", "", "", false},
		{"sum(a) + 1", "", "", false},
	} {
		col, flag, ok := r.Sum(c.agg)
		if col != c.col || flag != c.flag || ok != c.ok {
			t.Errorf("Sum(%q) = %q, %q, %v; want %q, %q, %v", c.agg, col, flag, ok, c.col, c.flag, c.ok)
		}
	}
}

// TestPrintColumns: the internal columns a sheet does not print are those
// that come last.
func TestPrintColumns(t *testing.T) {
	for _, c := range []struct {
		r    Report
		want int
	}{
		{Reconciliation, len(Reconciliation.Columns) - 3}, // source_file, source_line, exception_id
		{Renewals, len(Renewals.Columns)},
		{Report{Columns: []Column{{"source_file", Text, ""}, {"x", Text, ""}}}, 2},
		{Report{Columns: []Column{{"x", Text, ""}, {"note", Text, ""}}, Internal: []string{"note"}}, 1},
	} {
		if got := c.r.PrintColumns(); got != c.want {
			t.Errorf("%s: %d printed columns, want %d", c.r.Name, got, c.want)
		}
	}
}
