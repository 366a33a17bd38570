package extract

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/salesops/salesops/transform"
)

// TestStagingEnsuredOncePerOpen: the first sync after Open makes every
// kind's staging model current, synced or not (stg_ms_prices here, with no
// kind synced); the later syncs of the same Open do not check them again,
// the next Open's first sync does.
func TestStagingEnsuredOncePerOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	const old = "an older model"
	hash := func(w *transform.Warehouse) string {
		t.Helper()
		var h string
		if err := w.Conn.QueryRowContext(ctx, "SELECT sql_sha256 FROM incremental_models WHERE name = 'stg_ms_prices'").Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	sync := func(w *transform.Warehouse) {
		t.Helper()
		if _, err := Sync(ctx, w, Dir(""), nil, nil, Options{}); err != nil {
			t.Fatal(err)
		}
	}

	w, err := transform.Open(ctx, path, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sync(w)
	current := hash(w)
	if len(current) != 64 {
		t.Fatalf("stg_ms_prices after the first sync: sql_sha256 %q, want a SHA-256 in hex", current)
	}
	// As if an older binary had built it.
	if _, err := w.Conn.ExecContext(ctx, "UPDATE incremental_models SET sql_sha256 = ? WHERE name = 'stg_ms_prices'", old); err != nil {
		t.Fatal(err)
	}
	sync(w)
	if got := hash(w); got != old {
		t.Errorf("second sync of the same Open: sql_sha256 %q, want %q left alone", got, old)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	w, err = transform.Open(ctx, path, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sync(w)
	if got := hash(w); got != current {
		t.Errorf("first sync after reopening: sql_sha256 %q, want %q (rebuilt)", got, current)
	}
}
