package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/salesops/salesops/synth"
)

// readColumn counts the values of one column of a published CSV.
func readColumn(t *testing.T, path, column string) map[string]int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == column {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s: no column %q in %v", path, column, rows[0])
	}
	n := map[string]int64{}
	for _, r := range rows[1:] {
		n[r[col]]++
	}
	return n
}

// TestGenRunsEveryPipeline generates a small inbox and runs every pipeline
// on it with no config file: each publishes, and the reconciliation finds
// exactly the classes the generator planned, slot by slot.
func TestGenRunsEveryPipeline(t *testing.T) {
	ctx := context.Background()
	inbox := filepath.Join(t.TempDir(), "inbox")
	out := filepath.Join(t.TempDir(), "out")
	sum, err := synth.Generate(ctx, inbox, synth.Options{Customers: 40, Months: 2, BillLines: 8000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	period := sum.Periods[len(sum.Periods)-1]
	var stdout bytes.Buffer
	if err := runRun(ctx, &stdout, GlobalOptions{Out: out}, RunOptions{Inbox: inbox, Period: period, AsOf: sum.AsOf}, []string{"all"}); err != nil {
		t.Fatalf("run all: %v\n%s", err, stdout.String())
	}
	pub := func(p, name string) string { return filepath.Join(out, p, period, name) }

	classes := readColumn(t, pub("reconciliation", "reconciliation.csv"), "class")
	if !reflect.DeepEqual(classes, sum.Classes[period]) {
		t.Errorf("reconciliation classes\n got %v\nwant %v (planned)", classes, sum.Classes[period])
	}
	// The plan's shares (gen.go's planPerMille): 91 % of the slots match.
	var total int64
	for _, n := range classes {
		total += n
	}
	if len(classes) != 9 || classes["matched"]*100 < total*85 {
		t.Errorf("want all 9 classes and at least 85 %% matched: %v", classes)
	}

	// The generator bills licences on NF-e, as the examples do: each such
	// order line is a licence_on_nfe finding naming its NF-e (issue 24).
	dq := readColumn(t, pub("reconciliation", "data_quality.csv"), "check_name")
	licences := dq["licence_on_nfe"]
	delete(dq, "licence_on_nfe")
	if want := map[string]int64{"vendor_formula_mismatch": sum.FormulaBreaks[period]}; !reflect.DeepEqual(dq, want) {
		t.Errorf("data quality %v, want %v (no invalid CNPJ, no register/XML disagreement)", dq, want)
	}
	if licences == 0 {
		t.Error("no licence_on_nfe finding, though the generator bills Microsoft licences on NF-e")
	}
	for v, n := range readColumn(t, pub("reconciliation", "data_quality.csv"), "value") {
		if !strings.HasPrefix(v, "NFE ") && v != "" && !strings.HasPrefix(v, "Subtotal") && !strings.HasPrefix(v, "Total") {
			t.Errorf("data quality value %q (%d rows): a licence_on_nfe finding names an NF-e", v, n)
		}
	}
	if rejects := readColumn(t, pub("reconciliation", "rejects.csv"), "file"); len(rejects) != 0 {
		t.Errorf("reconciliation rejects: %v", rejects)
	}
	buckets := readColumn(t, pub("lifecycle", "renewals.csv"), "bucket")
	if len(buckets) < 4 {
		t.Errorf("renewal buckets %v, want at least 4 of them", buckets)
	}
	events := readColumn(t, pub("lifecycle", "t36_calendar.csv"), "event")
	for _, e := range []string{"onboarding", "annual_order", "true_up", "renewal", "recurrence", "reconciliation"} {
		if events[e] == 0 {
			t.Errorf("no T-36 %s event: %v", e, events)
		}
	}
	statuses := readColumn(t, pub("quotes", "quotes.csv"), "status")
	if statuses["rejected"] == 0 || len(statuses) < 2 {
		t.Errorf("quote statuses %v, want several, rejected among them", statuses)
	}
	checkOutputsValid(t, out)
}

func TestGenPrintsPeriodsAndRows(t *testing.T) {
	var stdout bytes.Buffer
	opts := GenOptions{Out: t.TempDir(), Customers: 5, Months: 3, BillLines: 300, Seed: 1, End: "2026-02"}
	if err := runGen(context.Background(), &stdout, opts); err != nil {
		t.Fatal(err)
	}
	got := stdout.String()
	if !strings.HasPrefix(got, "periods:\n2025-12\n2026-01\n2026-02\nas-of: 2026-03-10\nrows by kind:\n") {
		t.Errorf("output starts:\n%s", got)
	}
	if !strings.Contains(got, "ms_billing") || !strings.Contains(got, "     300 rows      3 files") {
		t.Errorf("no bill line count in:\n%s", got)
	}
}
