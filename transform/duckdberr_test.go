package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDuckDBTexts runs statements that fail in DuckDB 1.5.6 and checks
// what duckdberr.go reads from each error: when an upgrade rewords one,
// this names the match to fix. (The full disk, the corrupt file and
// running out of memory are TestExplain's and TestCorruptWarehouse's.)
func TestDuckDBTexts(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	fail := func(q string) error {
		t.Helper()
		_, err := w.Conn.ExecContext(ctx, q)
		if err == nil {
			t.Fatalf("%s: no error", q)
		}
		return err
	}

	t.Run("missing table", func(t *testing.T) {
		name, ok := MissingTable(fail("SELECT * FROM customers"))
		if name != "customers" || !ok {
			t.Errorf("MissingTable = %q, %t, want customers, true", name, ok)
		}
		if name, ok := MissingTable(fail("SELECT 1 +")); ok {
			t.Errorf("MissingTable of a syntax error = %q, true", name)
		}
	})

	t.Run("drop of the other kind", func(t *testing.T) {
		if _, err := w.Conn.ExecContext(ctx, "CREATE TABLE t AS SELECT 1 AS x"); err != nil {
			t.Fatal(err)
		}
		if err := fail("DROP VIEW IF EXISTS main.t"); !droppedOtherKind(err) {
			t.Errorf("droppedOtherKind(%v) = false", err)
		}
		if err := fail("DROP VIEW IF EXISTS 1"); droppedOtherKind(err) {
			t.Errorf("droppedOtherKind(%v) = true for a syntax error", err)
		}
	})

	// Each file's failing record is counted by hand, the header being
	// record 1.
	dir := t.TempDir()
	for _, tt := range []struct {
		name, body string
		options    string // read_csv's, after the fixed ones
		want       CSVFault
	}{
		{"a third field", "a,b\n1,2\n3,4,5\n", "", CSVFault{Record: 3, FieldCount: true}},
		{"a quote never closed", "a,b\n1,2\n\"3,4\n", "", CSVFault{Record: 3, Unterminated: true}},
		{"not UTF-8", "a,b\n1,2\n3,\xe74\n", "", CSVFault{Record: 3, InvalidUnicode: true}},
		{"a line over max_line_size", "a,b\n1,2\n3," + strings.Repeat("4", 100) + "\n", ", max_line_size=40", CSVFault{Record: 3, LineTooLong: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".csv")
			if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			err := fail("SELECT * FROM read_csv(" + QuoteString(path) + ", delim=',', quote='\"', escape='\"', header=true, auto_detect=false" +
				tt.options + ", columns={'a': 'VARCHAR', 'b': 'VARCHAR'})")
			got, ok := CSVFaultOf(err)
			if !ok || got != tt.want {
				t.Errorf("CSVFaultOf = %+v, %t, want %+v, true; DuckDB said:\n%v", got, ok, tt.want, err)
			}
		})
	}
	if f, ok := CSVFaultOf(fail("SELECT * FROM nowhere")); ok {
		t.Errorf("CSVFaultOf of a catalog error = %+v, true", f)
	}
}
