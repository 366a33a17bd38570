package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func secondsOf(fs ...float64) []Sample {
	var out []Sample
	for _, f := range fs {
		out = append(out, Sample{Wall: time.Duration(f * float64(time.Second))})
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want time.Duration
	}{
		{"none", nil, 0},
		{"one", []float64{7}, 7 * time.Second},
		{"odd, unsorted", []float64{3, 1, 2}, 2 * time.Second},
		{"even: mean of the middle two", []float64{4, 1, 3, 2}, 2500 * time.Millisecond},
		{"an outlier does not move it", []float64{1, 1.2, 90}, 1200 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Median(walls(secondsOf(tc.in...))); got != tc.want {
				t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// The figures below are worked by hand: medians 3 s and 10 s, ratio
// 10/3 = 3.33 (11 % over 3×), 1,000,000 rows / 10 s = 100,000 rows/s,
// RSS 1.5 GiB (50 % over 1 GiB).
func TestStatsAndVerdict(t *testing.T) {
	big := &Case{Name: "pricelist cold", InputRows: 1_000_000,
		Baseline: []Sample{{4 * time.Second, 300 << 20}, {2 * time.Second, 320 << 20}, {3 * time.Second, 310 << 20}},
		Run:      []Sample{{9 * time.Second, 1 << 30}, {12 * time.Second, 3 << 29}, {10 * time.Second, 1 << 29}},
		Target:   Target{MaxRatio: 3, MaxRSS: 1 * gib}}
	s := big.Stats()
	want := Stats{Baseline: 3 * time.Second, Run: 10 * time.Second, Ratio: 10.0 / 3, RunRSS: 3 << 29, BaseRSS: 320 << 20, RowsPerSec: 100_000}
	if s != want {
		t.Errorf("Stats = %+v, want %+v", s, want)
	}

	plus12 := &Case{Name: casePlus12, InputRows: 50_000, Baseline: secondsOf(1, 1, 1), Run: secondsOf(10, 11, 9)}
	for _, tc := range []struct {
		name string
		c    *Case
		want string
	}{
		{"ratio and memory missed", big, "misses: 3.3× > 3× (+11 %); RSS 1.50 GiB > 1.00 GiB (+50 %)"},
		{"ratio met", &Case{Baseline: secondsOf(5, 5, 5), Run: secondsOf(9, 10, 11), Target: Target{MaxRatio: 2}}, "meets"},
		{"no-op under a second", &Case{Baseline: secondsOf(5), Run: secondsOf(0.5, 2, 0.8), Target: Target{MaxWall: time.Second}, NoRate: true}, "meets"},
		{"no-op over a second, with the steps", &Case{Baseline: secondsOf(5), Run: secondsOf(23.7), Target: Target{MaxWall: time.Second}, Why: "model priced_skus 7.0 s"},
			"misses: 23.70 s > 1.00 s (+2270 %); slowest steps: model priced_skus 7.0 s"},
		{"history: 25 s against 2 × 10 s", &Case{Baseline: secondsOf(1), Run: secondsOf(25), Target: Target{RelativeTo: casePlus12, MaxRel: 2}}, "misses: 25.00 s > 2 × 10.00 s (+25 %)"},
		{"history: 19 s against 2 × 10 s", &Case{Baseline: secondsOf(1), Run: secondsOf(19), Target: Target{RelativeTo: casePlus12, MaxRel: 2}}, "meets"},
		{"history without its reference", &Case{Baseline: secondsOf(1), Run: secondsOf(19), Target: Target{RelativeTo: "absent", MaxRel: 2}}, "no comparison: absent did not run"},
		{"no target", plus12, "no target"},
		{"skipped", &Case{Skipped: "needs a generated inbox", Target: Target{MaxWall: time.Second}}, "not run: needs a generated inbox"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Verdict(map[string]*Case{casePlus12: plus12}); got != tc.want {
				t.Errorf("Verdict = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTable(t *testing.T) {
	cases := []*Case{
		{Name: "reconciliation cold", InputRows: 3_400_000, Baseline: secondsOf(5, 6, 4), Run: []Sample{{27 * time.Second, 2200 << 20}, {25 * time.Second, 2100 << 20}, {26 * time.Second, 2000 << 20}},
			Target: Target{MaxRatio: 2, MaxRSS: 2 * gib}, Why: "model reconciliation 11.8 s"},
		{Name: caseNoop, InputRows: 3_400_000, Baseline: []Sample{{5 * time.Second, 400 << 20}}, Run: []Sample{{800 * time.Millisecond, 90 << 20}}, Target: Target{MaxWall: time.Second}, NoRate: true},
		{Name: casePlus12, Skipped: "needs a generated inbox"},
	}
	golden(t, "table.md", Table(cases))
}

func TestSplice(t *testing.T) {
	const b, e = "<!-- b -->", "<!-- e -->"
	for _, tc := range []struct{ name, doc, want string }{
		{"empty file", "", b + "\nT\n" + e + "\n"},
		{"no markers: appended after a blank line", "# Title\ntext", "# Title\ntext\n\n" + b + "\nT\n" + e + "\n"},
		{"markers: replaced, the rest kept", "head\n" + b + "\nold\nrows\n" + e + "\ntail\n", "head\n" + b + "\nT\n" + e + "\ntail\n"},
		{"another size's markers are left alone", "<!-- x -->\nX\n" + b + "\nold\n" + e + "\n", "<!-- x -->\nX\n" + b + "\nT\n" + e + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Splice(tc.doc, b, e, "T\n"); got != tc.want {
				t.Errorf("Splice = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParsePeriods(t *testing.T) {
	out := "periods: 2023-12, 2024-01 … 2024-02\nms_billing 1,000,000 rows (first bill 2023-12-01)\nlatest: 2024-02\n"
	if got, want := parsePeriods(out), []string{"2023-12", "2024-01", "2024-02"}; !slices.Equal(got, want) {
		t.Errorf("parsePeriods = %q, want %q", got, want)
	}
}

func TestPeriodOf(t *testing.T) {
	periods := []string{"2025-11", "2025-12"}
	for _, tc := range []struct{ rel, want string }{
		{"vendor_billing/microsoft/G012345678_recon_202512.csv", "2025-12"},
		{"erp/orders/pedidos_2025-11.csv", "2025-11"},
		{"nf/2025/12/nfe_5001.xml", "2025-12"},
		{"quotes/solicitacoes_2025-12-08.csv", "2025-12"},
		{"erp/orders/pedidos_2025_11.csv", "2025-11"},
		{"erp/customers/clientes.csv", ""},
		{"fx/ptax_2025.csv", ""},
		{"nf/nfe_5202512.xml", ""}, // a number that contains 202512 is not a period
		{"erp/orders/pedidos_2024-12.csv", ""},
	} {
		if got := periodOf(tc.rel, periods); got != tc.want {
			t.Errorf("periodOf(%q) = %q, want %q", tc.rel, got, tc.want)
		}
	}
}

func TestSlowestSteps(t *testing.T) {
	for _, tc := range []struct{ log, want string }{
		// slog's text handler (log: format: text)
		{"run.log", "write reconciliation.xlsx 62.0 s, model reconciliation 11.8 s, load vendor_billing/microsoft/recon_2025-12.csv 3.5 s"},
		// slog's default, through package log (no log config): a real
		// pricelist run's lines, on a loaded machine
		{"run-logpackage.log", "write quote_prices.xlsx 61.2 s, model priced_skus 38.6 s, load pricelists/microsoft/nce_1m.csv 31.7 s"},
	} {
		if got := slowestSteps(filepath.Join("testdata", tc.log), 3); got != tc.want {
			t.Errorf("slowestSteps(%s) = %q, want %q", tc.log, got, tc.want)
		}
	}
}

func TestAsOf(t *testing.T) {
	for period, want := range map[string]string{"2025-12": "2026-01-10", "2024-01": "2024-02-10"} {
		if got := asOf(period); got != want {
			t.Errorf("asOf(%s) = %s, want %s", period, got, want)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// testdata/inbox: bills and orders by month (2025-11, 2025-12), one price
// list named for 2025-12, a Windows-1252 customer master, an NF-e XML.
func TestScanInbox(t *testing.T) {
	in, err := scanInbox(t.Context(), filepath.Join("testdata", "inbox"), []string{"2025-11", "2025-12"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range in.Files {
		got = append(got, f.Rel+" "+f.Kind+" "+f.Period+" "+f.Encoding)
	}
	want := []string{
		"erp/customers/clientes.csv erp_customers  latin-1",
		"erp/orders/pedidos_2025-11.csv erp_orders 2025-11 ",
		"erp/orders/pedidos_2025-12.csv erp_orders 2025-12 ",
		"nf/2025/12/nfe_1.xml nf_xml  ", // the only NF period: not monthly
		"pricelists/microsoft/nce_licensebased_pricelist_202512.csv ms_prices  ",
		"vendor_billing/microsoft/G000000001_recon_202511.csv ms_billing 2025-11 ",
		"vendor_billing/microsoft/G000000002_recon_202512.csv ms_billing 2025-12 ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The history without 2025-12, as the reconciliation's baseline
	// reads it: CSV only (no XML, no price list).
	hist := in.subset(func(p string) bool { return p != "2025-12" })
	files, err := plan(hist, []string{"reconciliation"})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		rel, _ := filepath.Rel(in.Root, f.Path)
		paths = append(paths, filepath.ToSlash(rel)+" "+f.Encoding)
	}
	wantPlan := []string{"erp/customers/clientes.csv latin-1", "erp/orders/pedidos_2025-11.csv ", "vendor_billing/microsoft/G000000001_recon_202511.csv "}
	if !slices.Equal(paths, wantPlan) {
		t.Errorf("plan: %q, want %q", paths, wantPlan)
	}
}
