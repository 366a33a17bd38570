package pipelines

import (
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/transform"
)

// exampleInbox copies the bundled example inbox to a folder the test may change.
func exampleInbox(t *testing.T) string {
	t.Helper()
	inbox := filepath.Join(t.TempDir(), "inbox")
	if err := os.CopyFS(inbox, os.DirFS(filepath.Join("..", "examples", "inbox"))); err != nil {
		t.Fatal(err)
	}
	return inbox
}

// untaxedInbox is the example inbox without rules/taxes.csv: prices and
// margins as before the taxes, which the hand-checked cents of the quotes,
// conflicts and renewal tests are (the taxed cents: taxes_test.go).
func untaxedInbox(t *testing.T) string {
	t.Helper()
	inbox := exampleInbox(t)
	if err := os.Remove(filepath.Join(inbox, "rules", "taxes.csv")); err != nil {
		t.Fatal(err)
	}
	return inbox
}

// fileState is a file's bytes and modification time.
type fileState struct {
	body  string
	mtime time.Time
}

// outState is every file under out but the warehouse's own (the ledger
// records every run).
func outState(t *testing.T, out string) map[string]fileState {
	t.Helper()
	files := map[string]fileState{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "warehouse.duckdb") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = fileState{string(b), info.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// runStatus is the ledger status of run id.
func runStatus(t *testing.T, cfg Config, id string) string {
	t.Helper()
	return queryString(t, cfg, "SELECT status FROM runs WHERE run_id = "+transform.QuoteString(id))
}

// TestUpToDate runs the price list of the example inbox, then changes one
// thing at a time: what makes a different set runs again and publishes,
// what does not leaves every file under out/ as it was (bytes, times, no
// new file), and the ledger says up_to_date.
func TestUpToDate(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir()) // period 2025-12, as-of 2026-01-10
	dir := filepath.Join(cfg.Out, "pricelist", "2025-12")
	run := func(cfg Config) Result {
		t.Helper()
		res, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 {
			t.Fatalf("%d results", len(res))
		}
		return res[0]
	}
	first := run(cfg)
	if first.UpToDate || len(readManifest(t, dir).Fingerprint) != 64 {
		t.Fatalf("first run: up to date %v, fingerprint %q", first.UpToDate, readManifest(t, dir).Fingerprint)
	}

	tests := []struct {
		name    string
		change  func(t *testing.T, cfg *Config) // nil: nothing
		rebuild bool
	}{
		{"nothing changed", nil, false},
		{"a setting that shapes nothing (threads, memory, shrink guard, lock wait, logs)", func(t *testing.T, cfg *Config) {
			cfg.Threads, cfg.MemoryLimit, cfg.MaxShrinkPct, cfg.LockWait, cfg.Log.Level = 1, "1GB", 90, time.Minute, "debug"
		}, false},
		{"an input file touched, same bytes", func(t *testing.T, cfg *Config) {
			p := filepath.Join(inbox, "rules", "pricing.csv")
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(p, later, later); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"one byte of an input", func(t *testing.T, cfg *Config) {
			p := filepath.Join(inbox, "rules", "pricing.csv")
			b := readFile(t, p)
			changed := strings.Replace(string(b), "*;*;*;markup;15;8", "*;*;*;markup;16;8", 1)
			if changed == string(b) {
				t.Fatal("pricing rule not found")
			}
			if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"a new skipped file", func(t *testing.T, cfg *Config) {
			writeFile(t, inbox, "rules/.~lock.pricing.csv#", "x")
		}, true},
		{"a setting that shapes the set (fx.max_age_days)", func(t *testing.T, cfg *Config) {
			cfg.FX.MaxAgeDays = 11
		}, true},
		{"a vendor mapping", func(t *testing.T, cfg *Config) {
			v := cfg.Vendors["kaspersky"]
			v.Defaults = map[string]string{"market": "BR", "segment": "Government"}
			cfg.Vendors = map[string]extract.VendorFormat{"kaspersky": v}
		}, true},
		{"as-of", func(t *testing.T, cfg *Config) {
			cfg.AsOf = "2026-01-11"
		}, true},
		{"an earlier period published (price_changes compares with it)", func(t *testing.T, cfg *Config) {
			nov := *cfg
			nov.Period = "2025-11"
			if res := run(nov); res.UpToDate {
				t.Fatal("2025-11 up to date before it was published")
			}
		}, true},
		{"a published output deleted", func(t *testing.T, cfg *Config) {
			if err := os.Remove(filepath.Join(dir, "price_changes.xlsx")); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"a published output changed in place, same size", func(t *testing.T, cfg *Config) {
			p := filepath.Join(dir, "quote_prices.csv")
			b := []byte(readFile(t, p))
			b[len(b)-3] ^= 1
			time.Sleep(10 * time.Millisecond) // a later time than the manifest's
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"the run that published killed before its commit", func(t *testing.T, cfg *Config) {
			execSQL(t, *cfg, "UPDATE runs SET status = 'interrupted' WHERE run_id = '"+readManifest(t, dir).RunID+"'")
		}, true},
		{"--force", func(t *testing.T, cfg *Config) {
			cfg.Force = true
		}, true},
	}
	for _, tt := range tests {
		c := cfg
		c.Vendors = map[string]extract.VendorFormat{}
		for k, v := range cfg.Vendors {
			c.Vendors[k] = v
		}
		if tt.change != nil {
			tt.change(t, &c)
		}
		before := outState(t, cfg.Out)
		prev := readManifest(t, dir)
		res := run(c)
		if res.UpToDate == tt.rebuild {
			t.Errorf("%s: up to date %v, want %v", tt.name, res.UpToDate, !tt.rebuild)
		}
		if status := runStatus(t, cfg, res.RunID); (status == "up_to_date") == tt.rebuild {
			t.Errorf("%s: ledger status %s", tt.name, status)
		}
		m := readManifest(t, dir)
		if !tt.rebuild {
			after := outState(t, cfg.Out)
			for name, s := range before {
				a, ok := after[name]
				switch {
				case !ok:
					t.Errorf("%s: %s removed", tt.name, name)
				case a.body != s.body:
					t.Errorf("%s: %s rewritten with other bytes", tt.name, name)
				case !a.mtime.Equal(s.mtime):
					t.Errorf("%s: %s written again (time %v, was %v)", tt.name, name, a.mtime, s.mtime)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s: %s written", tt.name, name)
				}
			}
			continue
		}
		if m.RunID != res.RunID || m.RunID == prev.RunID {
			t.Errorf("%s: published run %s, want this run's %s", tt.name, m.RunID, res.RunID)
		}
		// The next case starts from what was published (under the
		// changed settings).
		c.Force = false
		cfg = c
	}
	if last := run(cfg); !last.UpToDate {
		t.Error("the run after the last rebuild was not up to date")
	}

	// The period's prices gone from the history (which the quotes and the
	// lifecycle price from): a run with nothing new keeps them again.
	kept := filepath.Join(historyDir(cfg), "period=2025-12", "quote_prices.parquet")
	if err := os.Remove(kept); err != nil {
		t.Fatal(err)
	}
	if res := run(cfg); !res.UpToDate {
		t.Error("not up to date after the history lost the period")
	}
	if string(readFile(t, kept)) != string(readFile(t, filepath.Join(dir, "quote_prices.parquet"))) {
		t.Error("the history's quote_prices.parquet is not the published one")
	}
}

// TestUpToDateReads: a quotes set is priced from the published price list,
// the reconciliation compares the bills with its rates; republishing it
// with other contents makes what reads it run again, republishing the same
// does not.
func TestUpToDateReads(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	all := []*Pipeline{Pricelist, Reconciliation, Lifecycle, Quotes}
	res, err := RunAll(context.Background(), cfg, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.UpToDate {
			t.Errorf("%s: up to date on the first run", r.Pipeline)
		}
	}
	// The site is not built again when nothing was published.
	siteIndex := filepath.Join(cfg.Out, "site", "index.html")
	info, err := os.Stat(siteIndex)
	if err != nil {
		t.Fatal(err)
	}
	res, err = RunAll(context.Background(), cfg, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.UpToDate {
			t.Errorf("%s: not up to date on the second run", r.Pipeline)
		}
	}
	if again, err := os.Stat(siteIndex); err != nil || !again.ModTime().Equal(info.ModTime()) {
		t.Errorf("site/index.html written again by a run that published nothing (%v)", err)
	}

	// Microsoft's markup changes the price list, which the quotes and the
	// lifecycle read; the reconciliation reads only its rates, which stay.
	p := filepath.Join(inbox, "rules", "pricing.csv")
	b := readFile(t, p)
	changed := strings.Replace(string(b), "Microsoft;*;*;markup;12;8", "Microsoft;*;*;markup;13;8", 1)
	if changed == string(b) {
		t.Fatal("pricing rule not found")
	}
	if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = RunAll(context.Background(), cfg, all)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"pricelist": false, "reconciliation": true, "lifecycle": false, "quotes": false}
	for _, r := range res {
		if r.UpToDate != want[r.Pipeline] {
			t.Errorf("after a pricing rule changed, %s: up to date %v, want %v", r.Pipeline, r.UpToDate, want[r.Pipeline])
		}
	}
	// An NF-e removed: the reconciliation and the quotes (whose credit
	// exposure reads the inbox's invoices) run again. The lifecycle reads
	// only the day the period's reconciliation was first published, which
	// stays.
	if err := os.Remove(filepath.Join(inbox, "nf", "nfe_5004.xml")); err != nil {
		t.Fatal(err)
	}
	res, err = RunAll(context.Background(), cfg, all)
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]bool{"pricelist": true, "reconciliation": false, "lifecycle": true, "quotes": false}
	for _, r := range res {
		if r.UpToDate != want[r.Pipeline] {
			t.Errorf("after the reconciliation changed, %s: up to date %v, want %v", r.Pipeline, r.UpToDate, want[r.Pipeline])
		}
	}
}

// TestDatasets publishes the price list of two periods and reads the
// dataset tree as one Hive-partitioned table, as Trino, Spark or Athena
// would: each period is a partition with its set's rows.
func TestDatasets(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	nov := cfg
	nov.Period = "2025-11"
	for _, c := range []Config{nov, cfg} {
		if _, err := RunAll(context.Background(), c, []*Pipeline{Pricelist}); err != nil {
			t.Fatal(err)
		}
	}
	// Rows per period as the published CSVs hold them (read without DuckDB).
	want := map[string]int{}
	for _, p := range []string{"2025-11", "2025-12"} {
		want[p] = len(readCSV(t, filepath.Join(cfg.Out, "pricelist", p, "quote_prices.csv")))
	}
	if want["2025-12"] != 15 {
		t.Errorf("quote_prices.csv of 2025-12 has %d rows, want 15", want["2025-12"])
	}
	for _, p := range []string{"2025-11", "2025-12"} {
		published, err := os.Stat(filepath.Join(cfg.Out, "pricelist", p, "quote_prices.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		ds, err := os.Stat(filepath.Join(cfg.Out, "datasets", "quote_prices", "period="+p, "quote_prices.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if ds.Size() != published.Size() {
			t.Errorf("dataset of %s: %d bytes, published %d", p, ds.Size(), published.Size())
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	glob := filepath.Join(cfg.Out, "datasets", "quote_prices", "*", "*.parquet")
	rows, err := db.Query("SELECT period, count(*) FROM read_parquet(?, hive_partitioning = true) GROUP BY ALL ORDER BY 1", glob)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		got[p] = n
	}
	if len(got) != 2 || got["2025-11"] != want["2025-11"] || got["2025-12"] != want["2025-12"] {
		t.Errorf("datasets/quote_prices by period: %v, want %v", got, want)
	}

	// Every report publishing Parquet names one table: no two pipelines
	// may share a dataset.
	owner := map[string]string{}
	for _, p := range All {
		for _, ds := range datasetsOf(Config{Out: "out", Period: "2025-12"}, p, "dir", manifestOfAll(p)) {
			name := filepath.Base(filepath.Dir(filepath.Dir(ds.Target)))
			if o, ok := owner[name]; ok {
				t.Errorf("dataset %s published by %s and %s", name, o, p.Name)
			}
			owner[name] = p.Name
		}
	}
	if len(owner) < 15 {
		t.Errorf("%d datasets, want every Parquet report's", len(owner))
	}
}

// manifestOfAll is a manifest listing every output p's reports declare.
func manifestOfAll(p *Pipeline) publish.Manifest {
	var m publish.Manifest
	for _, r := range p.Reports {
		for _, f := range r.Formats {
			m.Outputs = append(m.Outputs, publish.Output{Path: r.Name + "." + string(f)})
		}
	}
	return m
}
