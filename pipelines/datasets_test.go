package pipelines

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/load/publish"
)

// TestDatasetNames: the dataset tree's names go through publish.SafeName,
// which leaves every declared report name and a valid period as they are
// (so the tree is <report>/period=YYYY-MM/<report>.parquet), and keeps a
// period that is not one (Resolve refuses it first) inside the tree.
func TestDatasetNames(t *testing.T) {
	n := 0
	for _, p := range All {
		for _, r := range p.Reports {
			if got := publish.SafeName(r.Name); got != r.Name {
				t.Errorf("report %s of %s: SafeName gives %s: its files would not be its name", r.Name, p.Name, got)
			}
		}
		for _, ds := range datasetsOf(Config{Out: "out", Period: "2025-12"}, p, "dir", manifestOfAll(p)) {
			report := strings.TrimSuffix(ds.Output.Path, ".parquet")
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
