package pipelines

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRejectsFollowKinds: each pipeline's rejects.csv lists the rejected
// rows of the kinds it reads, and its manifest and the run's Main count
// what the declarations say. The example inbox plus fx/ptax_extra.csv,
// whose one line has the currency "US1" (rejected: not a currency code;
// nothing uses it), and the examples' own rejected customer row:
//   - the PTAX line is in the rejects of the price list, the
//     reconciliation and the lifecycle (whose hand-typed list of kinds
//     once left PTAX out), not in the quotes' (they read PTAX for the
//     credit exposure, and leave its rejects to the others:
//     RejectedElsewhere);
//   - the customer row (clientes.csv line 4, credit_limit "dez mil") is in
//     the reconciliation's and the lifecycle's, not in the price list's
//     (no customers read) nor the quotes' (RejectedElsewhere);
//   - each manifest counts its rejects.csv's rows: the examples' 4, 3, 6
//     and 6 (the reconciliation's fiscal events are read, not rejected;
//     the lifecycle's statement naming no anniversary is; the quotes'
//     sixth is the approval of Q-101's superseded revision 1), plus the
//     PTAX line where it is listed: 5, 4, 7, 6;
//   - the run's Main is the CSV of the pipeline's Main report, with its
//     rows (the lifecycle's is the T-36 calendar, not the renewals).
func TestRejectsFollowKinds(t *testing.T) {
	inbox := exampleInbox(t)
	writeInbox(t, inbox, map[string]string{"fx/ptax_extra.csv": "15122025;220;A;US1;5,3211;5,3219;1,0000;1,0000\n"})
	cfg := exampleConfig(t, inbox, t.TempDir())
	res, err := RunAll(context.Background(), cfg, All)
	if err != nil {
		t.Fatal(err)
	}
	const (
		ptax     = "fx/ptax_extra.csv|1|symbol|US1|not a currency code"
		customer = `erp/customers/clientes.csv|4|credit_limit|dez mil|not a number with a decimal comma (1.234,56)`
	)
	tests := []struct {
		pipeline  string
		has, hasn []string
		rejects   int64
		main      string
	}{
		{"pricelist", []string{ptax}, []string{customer}, 5, "quote_prices.csv"},
		{"reconciliation", []string{ptax, customer}, nil, 4, "reconciliation.csv"},
		{"lifecycle", []string{ptax, customer}, nil, 7, "t36_calendar.csv"},
		{"quotes", nil, []string{ptax, customer}, 6, "quotes.csv"},
	}
	for i, tt := range tests {
		dir := filepath.Join(cfg.Out, tt.pipeline, "2025-12")
		var rows []string
		for _, r := range readCSV(t, filepath.Join(dir, "rejects.csv")) {
			rows = append(rows, strings.Join([]string{r["file"], r["line"], r["column"], r["value"], r["reason"]}, "|"))
		}
		for _, want := range tt.has {
			if !slices.Contains(rows, want) {
				t.Errorf("%s rejects: no %s in\n%s", tt.pipeline, want, strings.Join(rows, "\n"))
			}
		}
		for _, not := range tt.hasn {
			if slices.Contains(rows, not) {
				t.Errorf("%s rejects: %s, want it left out", tt.pipeline, not)
			}
		}
		if m := readManifest(t, dir); m.Rejects != tt.rejects || int64(len(rows)) != tt.rejects {
			t.Errorf("%s: manifest counts %d rejects, rejects.csv has %d rows; want %d", tt.pipeline, m.Rejects, len(rows), tt.rejects)
		}
		mainRows := int64(len(readCSV(t, filepath.Join(dir, tt.main))))
		if r := res[i]; r.Pipeline != tt.pipeline || r.Main.Path != tt.main || r.Main.Rows != mainRows || mainRows == 0 {
			t.Errorf("result %d: %s, main %s of %d rows; want %s, %s of %d (its rows)", i, r.Pipeline, r.Main.Path, r.Main.Rows, tt.pipeline, tt.main, mainRows)
		}
	}
}
