package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/filename"
)

// TestDatasetNames: the dataset tree's names go through filename.Safe,
// which leaves every declared report name and a valid period as they are
// (so the tree is <report>/period=YYYY-MM/<report>.parquet, <report> its
// DatasetName), and keeps a
// period that is not one (Resolve refuses it first) inside the tree.
func TestDatasetNames(t *testing.T) {
	n := 0
	for _, p := range All {
		for _, r := range p.Reports {
			if got := filename.Safe(r.Name); got != r.Name {
				t.Errorf("report %s of %s: filename.Safe gives %s: its files would not be its name", r.Name, p.Name, got)
			}
		}
		for _, ds := range datasetsOf(Config{Out: "out", Period: "2025-12"}, p, "dir", manifestOfAll(p)) {
			report := strings.TrimSuffix(ds.Output.Path, ".parquet")
			if p == Lifecycle && report == "data_quality" {
				report = "lifecycle_data_quality" // beside the reconciliation's (Report.Dataset)
			}
			if want := filepath.Join("out", "datasets", report, "period=2025-12", report+".parquet"); ds.Target != want {
				t.Errorf("dataset of %s: %s, want %s", report, ds.Target, want)
			}
			if want := "datasets/" + report + "/period=2025-12/" + report + ".parquet"; ds.Key != want {
				t.Errorf("dataset key of %s: %s, want %s", report, ds.Key, want)
			}
			n++
		}
	}
	if n < 15 {
		t.Errorf("%d datasets, want every Parquet report's", n)
	}
	// sha256sum of "../../x": 9cdf6a50100a862e…
	ds := datasetsOf(Config{Out: "out", Period: "../../x"}, Pricelist, "dir", manifestOfAll(Pricelist))
	if len(ds) == 0 {
		t.Fatal("no dataset for the price list")
	}
	if want := filepath.Join("out", "datasets", "quote_prices", "period=x-9cdf6a50100a862e", "quote_prices.parquet"); ds[0].Target != want {
		t.Errorf("dataset of period ../../x: %s, want %s", ds[0].Target, want)
	}
}

// TestProposalColumnsNameTheFiles: the quotes' proposal column and the
// renewals' draft_proposal name the files the writer makes, whatever the id
// holds (safe_name in SQL is filename.Safe): with a request id and a
// contract id holding "../", each named file exists in the set.
func TestProposalColumnsNameTheFiles(t *testing.T) {
	inbox := exampleInbox(t)
	editInbox(t, inbox, "quotes/solicitacoes_2025-12-01.csv", "Q-101;", "../../../../PWN_Q;")
	for _, f := range []string{"erp/contracts/contratos_ciclo.csv", "erp/contract_lines/itens_ciclo.csv"} {
		editInbox(t, inbox, f, "K011;", "../../../../PWN_K;")
	}
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, All); err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, c := range []struct{ pipeline, report, column string }{
		{"quotes", "quotes", "proposal"},
		{"lifecycle", "renewals", "draft_proposal"},
	} {
		dir := filepath.Join(cfg.Out, c.pipeline, "2025-12")
		for _, r := range readCSV(t, filepath.Join(dir, c.report+".csv")) {
			if r[c.column] == "" {
				continue
			}
			named[r[c.column]] = true
			for _, ext := range []string{".pdf", ".xlsx"} {
				if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(r[c.column])+ext)); err != nil {
					t.Errorf("%s.%s names %s: %v", c.report, c.column, r[c.column], err)
				}
			}
		}
	}
	// PWN_Q's revision 1 (Q-101's) waits for credit review: a draft.
	for _, want := range []string{"proposals/rascunhos/PWN_Q-r1-6bbfa34748ec75ec", "proposals/RN-PWN_K-b368b03c8376d6a9"} {
		if !named[want] {
			t.Errorf("no row names %s (named: %v)", want, named)
		}
	}
}
