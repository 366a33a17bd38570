package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// salesops site builds <out>/site from the publications under --out.
func TestSiteVerb(t *testing.T) {
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS("../../site/testdata/out")); err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	if err := runSite(context.Background(), &stdout, GlobalOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	if want := "site: 3 publication(s) in " + filepath.Join(out, "site", "index.html") + "\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
	for _, p := range []string{"index.html", "reconciliation/2025-12/reconciliation.html", "pricelist/2025-12/quote_prices.html", "lifecycle/2025-12/renewals.html", "assets/echarts.min.js"} {
		if _, err := os.Stat(filepath.Join(out, "site", p)); err != nil {
			t.Error(err)
		}
	}
}
