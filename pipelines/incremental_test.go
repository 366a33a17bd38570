package pipelines

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/salesops/salesops/transform"
)

// builtAt returns when each stored model table was last built
// (model_state, see transform/fingerprint.go).
func builtAt(t *testing.T, cfg Config) map[string]string {
	t.Helper()
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Conn.QueryContext(context.Background(), "SELECT name, built_at::VARCHAR FROM model_state")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var name, at string
		if err := rows.Scan(&name, &at); err != nil {
			t.Fatal(err)
		}
		m[name] = at
	}
	return m
}

// rebuiltBetween lists the tables built again (or for the first time)
// between two builtAt snapshots, leaving out those that read the run
// ledger (runs), which changes at every run. (Views, made at every run,
// are recorded when their checks run.)
func rebuiltBetween(t *testing.T, before, after map[string]string) []string {
	t.Helper()
	models, err := transform.Models()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for name, at := range after {
		if before[name] != at && !runsReaders[name] && models[name].Materialized == "table" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// runsReaders read the run ledger (the T-36 calendar closes a month's
// reconciliation event with its run), so they are built at every run.
var runsReaders = map[string]bool{"t36_calendar": true, "t36_ics": true, "update_statements": true, "lifecycle_overview": true}

// reportCSVs reads every CSV a run published under out, by path.
func reportCSVs(t *testing.T, out string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "site" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".csv") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(out, p)
			m[rel] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestIncrementalRebuild runs every pipeline on the example inbox, again
// with nothing changed (no table is built again), then with one vendor
// bill file changed: exactly the tables reading the bills are built
// again, and every published CSV is byte for byte what a run on a fresh
// warehouse publishes from the same inbox.
func TestIncrementalRebuild(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	run := func(cfg Config) {
		t.Helper()
		if _, err := RunAll(context.Background(), cfg, All); err != nil {
			t.Fatal(err)
		}
	}
	run(cfg)
	first := builtAt(t, cfg)
	for _, m := range []string{"vendor_bill_lines", "orders", "invoices", "reconciliation", "renewals_due", "pricelist_overview"} {
		if first[m] == "" {
			t.Fatalf("%s: no build recorded", m)
		}
	}

	// Nothing changed (the runs may even be up to date and build nothing).
	// The rejects marts read kind_rejects, a view each run defines over
	// its kinds: like price_changes over the price history, they are built
	// at every run that builds, and no fingerprint of theirs is recorded.
	run(cfg)
	second := builtAt(t, cfg)
	for _, m := range rebuiltBetween(t, first, second) {
		t.Errorf("nothing changed, yet %s was built again", m)
	}

	// The bill file without its November line (out of the period).
	bills := filepath.Join(inbox, "vendor_billing", "microsoft", "G012345678_recon_202512.csv")
	b, err := os.ReadFile(bills)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.Contains(l, ",11/1/2025,") {
			kept = append(kept, l)
		}
	}
	if len(kept) != strings.Count(string(b), "\n") {
		t.Fatalf("the bill file has no single November line to remove")
	}
	if err := os.WriteFile(bills, []byte(strings.Join(kept, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	run(cfg)
	third := builtAt(t, cfg)
	// The bills feed vendor_bill_lines, vendor_bill_ids and the committed
	// months still owed (committed_subscriptions, which credit exposure
	// reads); the reconciliation, data quality and the products' kinds of
	// sale (product_goods, for the taxes) read them; the overview, credit &
	// rebill and credit exposure read the reconciliation. The examples'
	// review loop starts in October (review.start): a run that builds
	// evaluates October and November again, building their period_fx and
	// reconciliation before the run's own (review.go); the summary reads
	// the review's register, made at every run, and records no
	// fingerprint. Nothing else of the price list, the lifecycle or the
	// quotes reads them (the quotes' models reading credit exposure are
	// per-run tables).
	want := []string{"committed_subscriptions", "credit_exposure", "credit_rebill", "data_quality", "period_fx", "product_goods", "reconciliation",
		"reconciliation_overview", "vendor_bill_ids", "vendor_bill_lines"}
	if rebuilt := rebuiltBetween(t, second, third); !reflect.DeepEqual(rebuilt, want) {
		t.Errorf("after a bill file changed, %v were built again, want %v", rebuilt, want)
	}

	fresh := exampleConfig(t, inbox, t.TempDir())
	run(fresh)
	got, wantCSV := reportCSVs(t, cfg.Out), reportCSVs(t, fresh.Out)
	if len(got) != len(wantCSV) || len(got) < 20 {
		t.Errorf("%d CSV files published, %d on a fresh warehouse", len(got), len(wantCSV))
	}
	for name, w := range wantCSV {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: not published", name)
		} else if string(g) != string(w) {
			t.Errorf("%s differs from a fresh warehouse's", name)
		}
	}
}
