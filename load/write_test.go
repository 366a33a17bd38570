package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

func testWarehouse(t *testing.T) *transform.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	q := "CREATE TABLE sales AS SELECT * FROM (VALUES ('São Paulo', 1.50, DATE '2025-12-01', true), ('Ação', 2.25, DATE '2025-12-02', false), ('x', 3.00, DATE '2025-12-03', NULL)) t(city, amount, day, ok)"
	if _, err := w.Conn.ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
	return w
}

var salesReport = reports.Report{Name: "sales", Model: "sales", Columns: []reports.Column{
	{Name: "city", Type: reports.Text, Title: "Cidade"},
	{Name: "amount", Type: reports.MoneyBRL, Title: "Valor"},
	{Name: "day", Type: reports.Date, Title: "Dia"},
	{Name: "ok", Type: reports.Bool, Title: "OK"},
}}

func fileSHA256(t *testing.T, path string) (string, int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), int64(len(b))
}

// TestWriteReport checks the outputs' hashes and sizes against the files,
// and that a stage then publishes them.
func TestWriteReport(t *testing.T) {
	ctx := context.Background()
	w := testWarehouse(t)
	s, err := NewStage(filepath.Join(t.TempDir(), "out", "2025-12"))
	if err != nil {
		t.Fatal(err)
	}
	r := salesReport
	r.Formats = []reports.Format{reports.CSV, reports.Parquet, reports.XLSX}
	outs, err := WriteReport(ctx, w, s.Dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 3 {
		t.Fatalf("outputs %+v, want 3", outs)
	}
	for i, want := range []string{"sales.csv", "sales.parquet", "sales.xlsx"} {
		o := outs[i]
		sum, size := fileSHA256(t, filepath.Join(s.Dir, want))
		if o.Path != want || o.Rows != 3 || o.SHA256 != sum || o.Bytes != size {
			t.Errorf("output %d = %+v, want %s, 3 rows, sha256 %s, %d bytes", i, o, want, sum, size)
		}
	}
	if err := WriteManifest(s.Dir, Manifest{Outputs: outs}); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(); err != nil {
		t.Fatal(err)
	}
	if got, want := listDir(t, s.Target), []string{"manifest.json", "sales.csv", "sales.parquet", "sales.xlsx"}; !equal(got, want) {
		t.Errorf("published %v, want %v", got, want)
	}
	if sum, _ := fileSHA256(t, filepath.Join(s.Target, "sales.csv")); sum != outs[0].SHA256 {
		t.Errorf("published sales.csv sha256 %s, want %s", sum, outs[0].SHA256)
	}
}

func TestWriteReportErrors(t *testing.T) {
	ctx := context.Background()
	w := testWarehouse(t)
	write := func(formats ...reports.Format) error {
		r := salesReport
		r.Formats = formats
		outs, err := WriteReport(ctx, w, t.TempDir(), r)
		if err != nil && outs != nil {
			t.Errorf("outputs %+v with error %v", outs, err)
		}
		return err
	}

	err := write(reports.CSV, "txt", reports.Parquet)
	if want := `report sales: sales.txt: unknown format "txt"`; err == nil || err.Error() != want {
		t.Errorf("unknown format: %v, want %s", err, want)
	}

	r := salesReport
	r.Model = "missing"
	r.Formats = []reports.Format{reports.CSV}
	if _, err := WriteReport(ctx, w, t.TempDir(), r); err == nil || !strings.HasPrefix(err.Error(), "report sales: ") {
		t.Errorf("missing model: %v, want report sales: ...", err)
	}

	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sales.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = salesReport
	r.Formats = []reports.Format{reports.CSV, reports.XLSX}
	_, err = WriteReport(ctx, w, dir, r)
	if err == nil || !strings.HasPrefix(err.Error(), "report sales: sales.xlsx: ") {
		t.Errorf("unwritable xlsx: %v, want report sales: sales.xlsx: ...", err)
	}

	// Hashing and flushing fail: the first format's error is returned.
	defer func(f func(string) (string, int64, error)) { finishFile = f }(finishFile)
	finishFile = func(path string) (string, int64, error) {
		return "", 0, fmt.Errorf("%s: disk on fire", filepath.Base(path))
	}
	err = write(reports.CSV, reports.Parquet, reports.XLSX)
	if want := "report sales: sales.csv: disk on fire"; err == nil || err.Error() != want {
		t.Errorf("failed sync: %v, want %s", err, want)
	}
	finishFile = func(path string) (string, int64, error) {
		if filepath.Ext(path) == ".xlsx" {
			return "", 0, fmt.Errorf("%s: disk on fire", filepath.Base(path))
		}
		return finishOutput(path)
	}
	err = write(reports.CSV, reports.Parquet, reports.XLSX)
	if want := "report sales: sales.xlsx: disk on fire"; err == nil || err.Error() != want {
		t.Errorf("failed sync of the last file: %v, want %s", err, want)
	}
}
