package write

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// listDir is the names in dir, sorted (as os.ReadDir gives them).
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

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
	s, err := publish.NewStage(filepath.Join(t.TempDir(), "out", "2025-12"))
	if err != nil {
		t.Fatal(err)
	}
	r := salesReport
	r.Formats = []reports.Format{reports.CSV, reports.Parquet, reports.XLSX}
	outs, err := Report(ctx, w, s.Dir, r)
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
	if err := publish.WriteManifest(s.Dir, publish.Manifest{Outputs: outs}); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(); err != nil {
		t.Fatal(err)
	}
	if got, want := listDir(t, s.Target), []string{"manifest.json", "sales.csv", "sales.parquet", "sales.xlsx"}; !slices.Equal(got, want) {
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
		outs, err := Report(ctx, w, t.TempDir(), r)
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
	if _, err := Report(ctx, w, t.TempDir(), r); err == nil || !strings.HasPrefix(err.Error(), "report sales: ") {
		t.Errorf("missing model: %v, want report sales: ...", err)
	}

	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sales.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = salesReport
	r.Formats = []reports.Format{reports.CSV, reports.XLSX}
	_, err = Report(ctx, w, dir, r)
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

// TestWriteReportFormulaInjection checks that text which a spreadsheet would
// run as a formula is neutralised in CSV (a leading ') while numbers and
// dates stay as they are, and that Parquet and XLSX keep the text as it is
// (XLSX writes it as an inline string, never a formula).
func TestWriteReportFormulaInjection(t *testing.T) {
	tests := []struct {
		name string
		text string
		cell string // the exact bytes of the text cell in the CSV
	}{
		{"formula", `=HYPERLINK("http://x","y")`, `"'=HYPERLINK(""http://x"",""y"")"`},
		{"plus", "+1", "'+1"},
		{"minus", "-abc", "'-abc"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\tx", "'\tx"},
		{"carriage return", "\rx", "\"'\rx\""}, // quoted: a CR inside a cell
		{"plain", "abc", "abc"},
		{"sign inside", "a=b-c", "a=b-c"},
		{"non-ASCII", "Ação", "Ação"},
		{"empty", "", `""`},
	}
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.Conn.ExecContext(ctx, "CREATE TABLE names (name VARCHAR, amount DECIMAL(18,2), day DATE)"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if _, err := w.Conn.ExecContext(ctx, "INSERT INTO names VALUES (?, -5.25, DATE '2025-12-01')", tt.text); err != nil {
			t.Fatal(err)
		}
	}
	r := reports.Report{Name: "names", Model: "names", Formats: []reports.Format{reports.CSV, reports.Parquet, reports.XLSX}, Columns: []reports.Column{
		{Name: "name", Type: reports.Text, Title: "Nome"},
		{Name: "amount", Type: reports.Money, Title: "Valor"},
		{Name: "day", Type: reports.Date, Title: "Dia"},
	}}
	dir := t.TempDir()
	if _, err := Report(ctx, w, dir, r); err != nil {
		t.Fatal(err)
	}

	b, err := os.ReadFile(filepath.Join(dir, "names.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Rows end in CRLF; a CR inside a quoted cell does not end one.
	lines := strings.SplitAfter(string(b), "\r\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if want := "name,amount,day\r\n"; lines[0] != want {
		t.Errorf("CSV header %q, want %q", lines[0], want)
	}
	if len(lines) != len(tests)+1 {
		t.Fatalf("CSV has %d lines, want %d:\n%q", len(lines), len(tests)+1, b)
	}
	for i, tt := range tests {
		if got, want := lines[i+1], tt.cell+",-5.25,2025-12-01\r\n"; got != want {
			t.Errorf("%s: CSV row %q, want %q", tt.name, got, want)
		}
	}

	// Parquet is read by programs: the text goes in as it came.
	rows, err := w.Conn.QueryContext(ctx, "SELECT name FROM read_parquet(?)", filepath.Join(dir, "names.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var parquet []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		parquet = append(parquet, s)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	xb, err := os.ReadFile(filepath.Join(dir, "names.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	x := openXLSX(t, xb)
	for i, tt := range tests {
		if i >= len(parquet) || parquet[i] != tt.text {
			t.Errorf("%s: Parquet rows %q, want %q at %d", tt.name, parquet, tt.text, i)
		}
		cell := fmt.Sprintf("A%d", i+2)
		if f, err := x.GetCellFormula("names", cell); err != nil || f != "" {
			t.Errorf("%s: XLSX %s has formula %q (%v), want none", tt.name, cell, f, err)
		}
		if v, err := x.GetCellValue("names", cell); err != nil || v != tt.text {
			t.Errorf("%s: XLSX %s = %q (%v), want %q", tt.name, cell, v, err, tt.text)
		}
	}
	if sheet := zipEntry(t, xb, "xl/worksheets/sheet1.xml"); strings.Contains(sheet, "<f>") || strings.Contains(sheet, "<f ") {
		t.Errorf("XLSX sheet holds a formula element:\n%s", sheet)
	}
}

// TestWriteReportKeepsMartOrder writes a mart of 200,000 rows, over a
// row group and a hundred of DuckDB's 2,048-row vectors, and checks that
// every file lists them in the mart's order. A constant IN list in the CSV
// select list had been planned as a hash join, and the CSV came out in
// shuffled blocks of 2,048 rows, different at each run.
func TestWriteReportKeepsMartOrder(t *testing.T) {
	const n = 200000
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	q := fmt.Sprintf("CREATE TABLE big AS SELECT %d - i AS id, 'name ' || (%[1]d - i) AS name FROM range(%[1]d) t(i) ORDER BY i", n)
	if _, err := w.Conn.ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
	r := reports.Report{Name: "big", Model: "big", Formats: []reports.Format{reports.CSV, reports.CSVPeople, reports.Parquet}, Columns: []reports.Column{
		{Name: "id", Type: reports.Integer, Title: "Id"},
		{Name: "name", Type: reports.Text, Title: "Nome"},
	}}
	dir := t.TempDir()
	if _, err := Report(ctx, w, dir, r); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ file, sep string }{{"big.csv", ","}, {"big.pt-BR.csv", ";"}} {
		b, err := os.ReadFile(filepath.Join(dir, f.file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
		if len(lines) != n+1 {
			t.Fatalf("%s: %d lines, want %d", f.file, len(lines), n+1)
		}
		for i, l := range lines[1:] {
			// the mart lists n, n-1, … 1
			if want := fmt.Sprintf("%d%sname %[1]d", n-i, f.sep); l != want {
				t.Fatalf("%s: row %d is %q, want %q", f.file, i+1, l, want)
			}
		}
	}
	var bad int
	q = "SELECT count(*) FROM read_parquet(?, file_row_number = true) WHERE id <> ? - file_row_number"
	if err := w.Conn.QueryRowContext(ctx, q, filepath.Join(dir, "big.parquet"), n).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("big.parquet: %d rows out of the mart's order", bad)
	}
}
