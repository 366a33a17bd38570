package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A second run of the example price list with nothing new says so, and
// the ledger records it as up_to_date; --force publishes again.
func TestRunUpToDate(t *testing.T) {
	cfg, out := exampleConfig(t, "1m")
	run := func(force bool) string { return runPricelist(t, cfg, force) }
	dir := filepath.Join(out, "pricelist", "2025-12")
	// Where the rejects and the site are follow what the run did.
	published := "pricelist 2025-12: published " + dir + " (15 rows in quote_prices.csv, 4 rejects)\n" +
		"  rejects: " + filepath.Join(dir, "rejects.csv") + "\n" + "site: " + filepath.Join(out, "site", "index.html") + "\n"
	if got, want := run(false), published; got != want {
		t.Errorf("first run printed %q, want %q", got, want)
	}
	if got, want := run(false), "pricelist 2025-12: up to date ("+dir+")\nsite: "+filepath.Join(out, "site", "index.html")+"\n"; got != want {
		t.Errorf("second run printed %q, want %q", got, want)
	}
	if got, want := run(true), published; got != want {
		t.Errorf("--force printed %q, want %q", got, want)
	}
	var buf strings.Builder
	if err := runRuns(context.Background(), &buf, GlobalOptions{Config: cfg}, RunsOptions{Last: 5}); err != nil {
		t.Fatal(err)
	}
	var statuses []string
	status := regexp.MustCompile(` (succeeded|up_to_date|failed|running|interrupted) `)
	for _, l := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")[1:] {
		statuses = append(statuses, strings.TrimSpace(status.FindString(l)))
	}
	if got, want := strings.Join(statuses, " "), "succeeded up_to_date succeeded"; got != want {
		t.Errorf("runs statuses %q, want %q:\n%s", got, want, buf.String())
	}
}
