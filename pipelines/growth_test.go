package pipelines

import (
	"context"
	"os"
	"testing"
)

// How much the warehouse file may grow over identical re-runs, in DuckDB
// blocks of 256 KiB. The marts no longer come back beside their old copies
// (that grew the examples' file by 16 MB, +70 %, at the first re-run); what
// is still written anew each run (the ledger's rows, the price history of
// the period, tables of the per-run checks) took 9 blocks at the first
// re-run (23.6 → 26.0 MB) and must take none after that. Since the ERP
// exports and the bills are staged on load, one table per file, the first
// re-run takes 13 blocks and leaves 4 free (24.6 → 29.1 MB, 17 blocks).
// With the taxes and the licensing rules' models the later runs do not
// grow but wander around the second's size: eight runs measured 114, 133,
// 137, 134, 136, 136, 131, 138 blocks (at most 5 above the second run's,
// never a trend). The review loop (review.go) builds the reconciliation of
// each month it evaluates again, three per run of the examples, beside the
// taxes' tables: over seven re-runs the file measured 31.99 MB after run 2,
// then 33.30, 32.78, 32.26, 31.73, 33.04 MB: within −1 and +6 blocks of run
// 2, no trend; 8 blocks of slack tells that from a growth.
const (
	firstRerunSlack = 20 << 18
	laterRerunSlack = 8 << 18
)

// Identical re-runs leave the warehouse file the size it was (issue 10):
// the marts rebuilt at each run reuse the blocks their old copies freed.
// (Four runs of every pipeline: minutes on a loaded machine.)
func TestWarehouseStableOverReruns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every pipeline four times")
	}
	ctx := context.Background()
	cfg := exampleConfig(t, "", t.TempDir())
	cfg.Force = true // every run rebuilds: the same inputs would be up to date
	var sizes []int64
	for run := 1; run <= 4; run++ {
		if _, err := RunAll(ctx, cfg, All); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		fi, err := os.Stat(cfg.Warehouse)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fi.Size())
	}
	t.Logf("warehouse after runs 1-4: %d bytes", sizes)
	if sizes[1] > sizes[0]+firstRerunSlack {
		t.Errorf("after run 2 the warehouse is %d bytes, %d more than after run 1 (slack %d)", sizes[1], sizes[1]-sizes[0], firstRerunSlack)
	}
	for i, s := range sizes[2:] {
		if s > sizes[1]+laterRerunSlack {
			t.Errorf("after run %d the warehouse is %d bytes, %d more than after run 2 (slack %d)", i+3, s, s-sizes[1], laterRerunSlack)
		}
	}
}
