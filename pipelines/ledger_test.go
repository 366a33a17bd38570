package pipelines

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/salesops/salesops/transform"
)

// The ledger records what started a run and the rows it read and
// published; a failed run's error carries its ledger id.
func TestLedgerTriggerAndRows(t *testing.T) {
	ctx := context.Background()
	cfg := exampleConfig(t, "", t.TempDir())
	cfg.Trigger = "schedule"
	res, err := RunAll(ctx, cfg, []*Pipeline{Pricelist})
	if err != nil {
		t.Fatal(err)
	}
	var wantIn int64
	for _, in := range res[0].Manifest.Inputs {
		wantIn += in.Rows
	}
	// Rows out are the Main report's: the price list's 15 quotable SKUs.
	if m := res[0].Main; m.Path != "quote_prices.csv" || m.Rows != 15 || wantIn == 0 {
		t.Fatalf("main output %s of %d rows, %d rows in; want quote_prices.csv of 15, the example's rows", m.Path, m.Rows, wantIn)
	}
	wantOut := res[0].Main.Rows

	// A run that fails: no pricing rules.
	bad := cfg
	bad.Inbox = t.TempDir()
	bad.Trigger = ""
	if err := os.MkdirAll(filepath.Join(bad.Inbox, "pricelists"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = RunAll(ctx, bad, []*Pipeline{Pricelist})
	var runErr *RunError
	if !errors.As(err, &runErr) || runErr.RunID == "" {
		t.Fatalf("failed run: %v, want a *RunError with the run id", err)
	}

	w, err := transform.Open(ctx, cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	type row struct {
		trigger, status        string
		rowsIn, rowsOut, rejec sql.NullInt64
		errText                sql.NullString
	}
	get := func(where string, args ...any) row {
		var r row
		if err := w.Conn.QueryRowContext(ctx, `SELECT "trigger", status, rows_in, rows_out, rejects, error FROM runs WHERE `+where, args...).
			Scan(&r.trigger, &r.status, &r.rowsIn, &r.rowsOut, &r.rejec, &r.errText); err != nil {
			t.Fatal(err)
		}
		return r
	}
	ok := get("run_id = ?", res[0].Manifest.RunID)
	if ok.trigger != "schedule" || ok.status != "succeeded" || ok.rowsIn.Int64 != wantIn || ok.rowsOut.Int64 != wantOut ||
		ok.rejec.Int64 != res[0].Manifest.Rejects || ok.errText.Valid {
		t.Errorf("succeeded run in the ledger: %+v, want schedule, succeeded, %d in, %d out, %d rejects, no error", ok, wantIn, wantOut, res[0].Manifest.Rejects)
	}
	failed := get("run_id = ?", runErr.RunID)
	if failed.trigger != "cli" || failed.status != "failed" || failed.errText.String != runErr.Err.Error() || failed.rowsOut.Valid {
		t.Errorf("failed run in the ledger: %+v, want cli, failed, error %q, no rows out", failed, runErr.Err.Error())
	}
}
