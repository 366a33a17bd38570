package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWarnsOnOlderPageProblems: an older publication whose CSV lacks a
// column its report now declares gets a page that says so, but the run
// that publishes something else is right and exits without error; a real
// site failure would still fail it (site.OnlyPageProblems decides).
func TestRunWarnsOnOlderPageProblems(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist}); err != nil {
		t.Fatal(err)
	}
	// The published price table as an older version would have left it:
	// without sell_price_brl.
	path := filepath.Join(cfg.Out, "pricelist", "2025-12", "quote_prices.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), ",sell_price_brl,") {
		t.Fatal("quote_prices.csv has no sell_price_brl column")
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), ",sell_price_brl,", ",preco_antigo,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := RunAll(context.Background(), cfg, []*Pipeline{Reconciliation})
	if err != nil {
		t.Fatalf("a run publishing the reconciliation failed on the price list's page: %v", err)
	}
	if len(res) != 1 || res[0].UpToDate {
		t.Fatalf("results = %+v, want one reconciliation published", res)
	}
	page, err := os.ReadFile(filepath.Join(cfg.Out, "site", "pricelist", "2025-12", "quote_prices.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "sell_price_brl") {
		t.Error("the price table's page does not name the missing column sell_price_brl")
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "site", "reconciliation", "2025-12", "reconciliation.html")); err != nil {
		t.Errorf("the reconciliation's page was not written: %v", err)
	}
}
