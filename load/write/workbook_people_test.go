package write

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// A workbook for people: cover from the manifest with links, labels,
// display expressions, totals in cents, a line on an empty sheet,
// capitalised SheetBy names and a native chart.
func TestWriteWorkbookForPeople(t *testing.T) {
	ctx := context.Background()
	w, err := transform.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, q := range []string{
		`CREATE TABLE summary AS SELECT * FROM (VALUES
			('C001', 'Construtora Ação Ltda', 'amount_mismatch', 1050.00, 12.50),
			('C099', NULL, 'matched', 0.10, NULL),
			(NULL, NULL, 'vendor_billed_not_ordered, price_below_cost', -108.61, 3.25)) t(customer_id, customer_name, class, amount_brl, pct)`,
		`CREATE TABLE nothing AS SELECT 'x' AS code WHERE false`,
		`CREATE TABLE prices AS SELECT * FROM (VALUES ('Adobe', 1.00), ('kaspersky', 2.00)) t(vendor, cost)`,
	} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	summary := reports.Report{Name: "summary", Model: "summary", Sheet: "Resumo",
		Labels:  map[string][]reports.Label{"class": reports.Codes(reports.ClassLabels)},
		Display: map[string]string{"customer_name": `coalesce(customer_name, CASE WHEN customer_id IS NULL THEN '(sem cliente)' ELSE '(fora do cadastro)' END)`},
		Totals:  map[string]string{"amount_brl": "sum(amount_brl)", "pct": "div_round(sum(pct), count(pct))"},
		Charts:  []reports.Chart{{Title: "Valor por cliente", Category: "customer_name", Values: []string{"amount_brl"}, Horizontal: true}},
		Columns: []reports.Column{
			{Name: "customer_id", Type: reports.Text, Title: "Cliente (ID)"},
			{Name: "customer_name", Type: reports.Text, Title: "Cliente"},
			{Name: "class", Type: reports.Text, Title: "Classe"},
			{Name: "amount_brl", Type: reports.MoneyBRL, Title: "Valor (R$)"},
			{Name: "pct", Type: reports.Percent, Title: "%"},
		}}
	nothing := reports.Report{Name: "nothing", Model: "nothing", Sheet: "Vazia", Empty: "Nada a mostrar neste mês.",
		Columns: []reports.Column{{Name: "code", Type: reports.Text, Title: "Código"}}}
	prices := reports.Report{Name: "prices", Model: "prices", SheetBy: "vendor",
		Columns: []reports.Column{{Name: "vendor", Type: reports.Text, Title: "Fabricante"}, {Name: "cost", Type: reports.Money, Title: "Custo"}}}
	rejects := reports.Report{Name: "rejects", Model: "nothing", Sheet: "Rejeições", Columns: []reports.Column{{Name: "code", Type: reports.Text, Title: "x"}}}
	wb := reports.Workbook{File: "book.xlsx", Title: "Conciliação", Sheets: []reports.Report{summary, nothing, prices, rejects}, Rejects: "Rejeições"}
	m := publish.Manifest{RunID: "run-1", Period: "2025-12", AsOf: "2026-01-10", StartedAt: "2026-01-10T12:30:00Z",
		FX:      map[string]publish.FXRate{"USD": {Rate: "5.321600", Date: "2025-11-28"}},
		Inputs:  []publish.Input{{Path: "erp/orders/a.csv", Kind: "erp_orders", Rows: 1234}},
		Rejects: 4}

	dir := t.TempDir()
	out, _, err := WorkbookFor(ctx, w, dir, wb, m)
	if err != nil {
		t.Fatal(err)
	}
	// 3 summary rows + 2 price rows; cover, notes and totals are not data.
	if out.Rows != 5 {
		t.Errorf("rows = %d, want 5", out.Rows)
	}
	path := filepath.Join(dir, "book.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "Sobre|Resumo|Vazia|Adobe|Kaspersky|Rejeições" {
		t.Errorf("sheets = %s", got)
	}
	sheet := func(name string) string {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range rows {
			lines = append(lines, strings.Join(r, ";"))
		}
		return strings.Join(lines, "\n")
	}
	tests := []struct{ sheet, want string }{
		{"Sobre", "Item;Valor\nRelatório;Conciliação\nPeríodo;12/2025\nPosição em;10/01/2026\n" +
			// the first 12 hex digits of sha256("2025-12\n2026-01-10\nerp/orders/a.csv\x00\n"), by sha256sum
			"Entradas (impressão digital);bdeff75220ec\nPTAX venda USD;5,3216 de 28/11/2025\n" +
			"Rejeições;4 linha(s) de entrada rejeitada(s): ver a planilha Rejeições\nPlanilhas\n;Resumo\n;Vazia\n;Rejeições\n" +
			"Arquivos lidos (1);linhas · tipo\nerp/orders/a.csv;1.234 · pedidos (ERP)"},
		// 1050.00 + 0.10 − 108.61 = 941.49; (12.50 + 3.25) / 2 = 7.875, a tie, to the even 7.88.
		{"Resumo", "Cliente (ID);Cliente;Classe;Valor (R$);%\n" +
			"C001;Construtora Ação Ltda;Valor divergente;1050.00;12.50\n" +
			"C099;(fora do cadastro);Conciliado;0.10\n" +
			";(sem cliente);Cobrado pelo fabricante sem pedido, Preço abaixo do custo;-108.61;3.25\n" +
			"Total;;;941.49;7.88"},
		{"Vazia", "Código\nNada a mostrar neste mês."},
		{"Kaspersky", "Fabricante;Custo\nkaspersky;2.00"},
	}
	for _, tt := range tests {
		if got := sheet(tt.sheet); got != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.sheet, got, tt.want)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for part, want := range map[string][]string{
		"xl/worksheets/sheet1.xml": {`<f>HYPERLINK(&quot;#&apos;Rejeições&apos;!A1&quot;,`, `<f>HYPERLINK("#'Rejeições'!A1",`},
		"xl/worksheets/sheet2.xml": {`<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>`, `<drawing r:id="rId1"/>`, `<autoFilter ref="A1:E4"/>`},
		"xl/charts/chart1.xml": {`<c:barDir val="bar"/>`, `<c:f>'Resumo'!$B$2:$B$4</c:f>`, `<c:f>'Resumo'!$D$2:$D$4</c:f>`,
			`<c:pt idx="2"><c:v>(sem cliente)</c:v></c:pt>`, `<c:pt idx="2"><c:v>-108.61</c:v></c:pt>`, `<a:t>Valor por cliente</a:t>`},
		"[Content_Types].xml": {`<Override PartName="/xl/charts/chart1.xml"`, `<Override PartName="/xl/drawings/drawing2.xml"`},
	} {
		s := zipEntry(t, b, part)
		found := false
		for _, w := range want {
			if strings.Contains(s, w) {
				found = true
			}
		}
		if part != "xl/worksheets/sheet1.xml" {
			for _, w := range want {
				if !strings.Contains(s, w) {
					t.Errorf("%s lacks %s", part, w)
				}
			}
		} else if !found {
			t.Errorf("%s has no link to the rejects sheet", part)
		}
	}
	// The totals row is bold with a rule above, in the money format.
	st, err := f.GetCellStyle("Resumo", "D5")
	if err != nil {
		t.Fatal(err)
	}
	if st != styleTotal+styleMoney-1 {
		t.Errorf("D5 style = %d, want bold money %d", st, styleTotal+styleMoney-1)
	}
}
