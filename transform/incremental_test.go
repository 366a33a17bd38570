package transform

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestReadsInOrder: the one-pass staged load (extract.stageInOrder) is
// taken only for a model whose plan reads the file and projects its rows.
// A filter drops rows, a join or a long IN list (a join in DuckDB v1.5.6)
// loses the file's order; each must send the load to its two passes. A
// DuckDB that renamed its plan operators fails here rather than slow every
// load down unseen (extract's TestExamplesStageInOnePass checks the models
// as shipped).
func TestReadsInOrder(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	csv := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(csv, []byte("a,b\nx,1\ny,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TEMP VIEW raw AS SELECT c0 AS a, c1 AS b FROM read_csv(" + QuoteString(csv) + ", header=true, auto_detect=false, columns={'c0': 'VARCHAR', 'c1': 'VARCHAR'})",
		"CREATE TEMP TABLE codes AS SELECT 'x' AS a",
	} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, query string
		want        bool
	}{
		{"projection", "select upper(a) as a, try_cast(b as INTEGER) as b from raw", true},
		{"CTEs and a list_contains", "with s as (select * from raw), r as (select a, b from s) select a, list_contains(['x', 'y', 'z', 'v', 'w'], a) as known from r", true},
		{"filter", "select a from raw where b <> '2'", false},
		{"IN list of five", "select a, a not in ('x', 'y', 'z', 'v', 'w') as unknown from raw", false},
		{"join", "select r.a from raw r join codes c using (a)", false},
		{"unnest", "select unnest([a, b]) from raw", false},
	} {
		got, err := w.readsInOrder(ctx, tc.query)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: reads in order %v, want %v", tc.name, got, tc.want)
		}
	}
}
