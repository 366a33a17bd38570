package write

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

func TestWriteWorkbook(t *testing.T) {
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 4 // header + 3 data rows

	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, q := range []string{
		"CREATE TABLE overview AS SELECT * FROM (VALUES ('matched', 3), ('amount_mismatch', 2)) t(class, lines)",
		// 5 rows: too many for a sheet; 2 exceptions fit.
		"CREATE TABLE detail AS SELECT * FROM (VALUES ('matched', 1.00), ('amount_mismatch', 2.50), ('matched', 3.00), ('matched', 4.00), ('amount_mismatch', 5.25)) t(class, amount_brl)",
	} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	overview := reports.Report{Name: "overview", Model: "overview", Sheet: "Resumo", Columns: []reports.Column{
		{Name: "class", Type: reports.Text, Title: "Classe"}, {Name: "lines", Type: reports.Integer, Title: "Linhas"}}}
	// The filter is the declaration's: the overview has a class column
	// too, and no filter.
	detail := reports.Report{Name: "detail", Model: "detail", Sheet: "Detalhe", Columns: []reports.Column{
		{Name: "class", Type: reports.Text, Title: "Classe"}, {Name: "amount_brl", Type: reports.MoneyBRL, Title: "Valor"}},
		Oversize: &reports.Filter{Where: `"class" <> 'matched'`, Kept: "only the exceptions"}}
	// The same rows declared without a filter: all of them, on two sheets,
	// class column or not.
	all := detail
	all.Sheet, all.Oversize = "Tudo", nil

	dir := t.TempDir()
	out, notes, err := Workbook(ctx, w, dir, "book.xlsx", []reports.Report{overview, detail, all})
	if err != nil {
		t.Fatal(err)
	}
	if out.Path != "book.xlsx" || out.Rows != 9 || out.SHA256 == "" {
		t.Errorf("output = %+v, want book.xlsx with 2 + 2 + 5 rows", out)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], `sheet "Detalhe" lists only the exceptions`) {
		t.Errorf("notes = %q", notes)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "book.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "Resumo|Detalhe|Tudo|Tudo (2)" {
		t.Errorf("sheets = %s, want Resumo|Detalhe|Tudo|Tudo (2)", got)
	}
	rows, err := f.GetRows("Detalhe")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r, ";"))
	}
	want := "Classe;Valor|amount_mismatch;R$ 2.50|amount_mismatch;R$ 5.25"
	if strings.Join(got, "|") != want {
		t.Errorf("Detalhe = %q, want %q", strings.Join(got, "|"), want)
	}
}
