package write

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// TestWriteReportPeopleCSV checks <report>.pt-BR.csv byte for byte against
// a file written by hand: BOM, titles, labels, decimal comma without
// thousands separator, dd/mm/aaaa, sim/não, ';' inside text quoted,
// formulas neutralised after labelling; the machine CSV beside it keeps
// codes and decimal points; a second write gives the same bytes.
func TestWriteReportPeopleCSV(t *testing.T) {
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	// margin_pct is DOUBLE on purpose: 0.1 + 0.2 is 0.30000000000000004,
	// which the CSV for people shows as 0,30.
	q := `CREATE TABLE lines AS SELECT * FROM (VALUES
		('matched', 'Ação; Ltda', 1234.50::DECIMAL(18,2), 0.1::DOUBLE + 0.2::DOUBLE, 5.3216::DECIMAL(18,4), 7, 8::DECIMAL(18,6), DATE '2025-12-01', true),
		('amount_mismatch', '=HYPERLINK("http://x")', -5.25::DECIMAL(18,2), 12.5::DOUBLE, 1.0::DECIMAL(18,4), 1200000, 0.5::DECIMAL(18,6), DATE '2026-01-31', false),
		('new_code', NULL, 1234567.89::DECIMAL(18,2), NULL, NULL, NULL, NULL, NULL, NULL),
		('=evil', '', 0.00::DECIMAL(18,2), -0.5::DOUBLE, 0.0001::DECIMAL(18,4), 0, -2::DECIMAL(18,6), DATE '2024-02-29', NULL)
	) t(class, customer_name, amount_brl, margin_pct, fx_rate, lines, quantity, issue_date, is_over)`
	if _, err := w.Conn.ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
	r := reports.Report{Name: "lines", Model: "lines", Formats: []reports.Format{reports.CSV, reports.CSVPeople},
		Labels:  map[string][]reports.Label{"class": reports.Codes(map[string]string{"matched": "Conciliado", "amount_mismatch": "Valor divergente"})},
		Display: map[string]string{"customer_name": "coalesce(customer_name, '(fora do cadastro)')"},
		Columns: []reports.Column{
			{Name: "class", Type: reports.Text, Title: "Classe"},
			{Name: "customer_name", Type: reports.Text, Title: "Cliente"},
			{Name: "amount_brl", Type: reports.MoneyBRL, Title: "Valor (R$)"},
			{Name: "margin_pct", Type: reports.Percent, Title: "Margem %"},
			{Name: "fx_rate", Type: reports.Rate, Title: "PTAX"},
			{Name: "lines", Type: reports.Integer, Title: "Linhas"},
			{Name: "quantity", Type: reports.Integer, Title: "Qtde"},
			{Name: "issue_date", Type: reports.Date, Title: "Emissão"},
			{Name: "is_over", Type: reports.Bool, Title: "Acima do limite"},
		}}
	// Written by hand from the rows above.
	want := "\uFEFFClasse;Cliente;Valor (R$);Margem %;PTAX;Linhas;Qtde;Emissão;Acima do limite\r\n" +
		"Conciliado;\"Ação; Ltda\";1234,50;0,30;5,3216;7;8,000000;01/12/2025;sim\r\n" +
		"Valor divergente;\"'=HYPERLINK(\"\"http://x\"\")\";-5,25;12,50;1,0000;1200000;0,500000;31/01/2026;não\r\n" +
		"new_code;(fora do cadastro);1234567,89;;;;;;\r\n" +
		"'=evil;\"\";0,00;-0,50;0,0001;0;-2,000000;29/02/2024;\r\n"
	wantMachine := "class,customer_name,amount_brl,margin_pct,fx_rate,lines,quantity,issue_date,is_over\r\n" +
		"matched,Ação; Ltda,1234.50,0.30000000000000004,5.3216,7,8.000000,2025-12-01,true\r\n"

	var first []byte
	for run := range 2 {
		dir := t.TempDir()
		outs, err := Report(ctx, w, dir, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(outs) != 2 || outs[0].Path != "lines.csv" || outs[1].Path != "lines.pt-BR.csv" || outs[1].Rows != 4 {
			t.Fatalf("outputs %+v, want lines.csv and lines.pt-BR.csv of 4 rows", outs)
		}
		got, err := os.ReadFile(filepath.Join(dir, "lines.pt-BR.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = got
			if string(got) != want {
				t.Errorf("lines.pt-BR.csv:\n%q\nwant\n%q", got, want)
			}
			if sum, size := fileSHA256(t, filepath.Join(dir, "lines.pt-BR.csv")); outs[1].SHA256 != sum || outs[1].Bytes != size {
				t.Errorf("output %+v, file has sha256 %s and %d bytes", outs[1], sum, size)
			}
			machine, err := os.ReadFile(filepath.Join(dir, "lines.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(machine, []byte(wantMachine)) {
				t.Errorf("lines.csv begins\n%q\nwant\n%q", machine, wantMachine)
			}
		} else if !bytes.Equal(got, first) {
			t.Errorf("a second write gave other bytes:\n%q\nthen\n%q", first, got)
		}
	}
}

// Every report declaring a CSV for people also has the machine CSV, and
// its titles are distinct (they are the header's column names).
func TestPeopleCSVDeclared(t *testing.T) {
	var all []reports.Report
	all = append(all, reports.ReconciliationSheets...)
	all = append(all, reports.LifecycleWorkbook.Sheets...)
	all = append(all, reports.QuotesWorkbook.Sheets...)
	all = append(all, reports.PricelistWorkbook.Sheets...)
	all = append(all, reports.QuotePrices, reports.PriceChanges)
	n := 0
	for _, r := range all {
		if !slices.Contains(r.Formats, reports.CSVPeople) {
			continue
		}
		n++
		if !slices.Contains(r.Formats, reports.CSV) {
			t.Errorf("%s: a CSV for people without the machine CSV", r.Name)
		}
		seen := map[string]bool{}
		for _, c := range r.Columns {
			if seen[c.Title] {
				t.Errorf("%s: title %q twice", r.Name, c.Title)
			}
			seen[c.Title] = true
		}
	}
	if n == 0 {
		t.Error("no report declares a CSV for people")
	}
}
