package write_test

import (
	"archive/zip"
	"context"
	"io"
	"math/big"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/pipelines"
)

// runExamples publishes every pipeline on the bundled examples into a
// temporary folder, as `salesops run all --config examples/salesops.yaml`
// does, and returns that folder.
func runExamples(t *testing.T) string {
	t.Helper()
	cfg, err := pipelines.LoadConfig(filepath.Join("..", "..", "examples", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg.Out, cfg.Warehouse = out, filepath.Join(out, "warehouse.duckdb")
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	if _, err := pipelines.RunAll(context.Background(), cfg, pipelines.All); err != nil {
		t.Fatal(err)
	}
	return out
}

// chartRef is a chart formula: a quoted sheet name, then a cell or a
// column's range ('Resumo'!$B$2:$B$10); a doubled quote stands for a quote
// inside.
var chartRef = regexp.MustCompile(`^'((?:[^']|'')+)'!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$`)

var chartFormula = regexp.MustCompile(`<c:f>([^<]*)</c:f>`)

// cents reads a stored decimal ("2725.00", "-300", "0.5") as cents.
func cents(t *testing.T, s string) int64 {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("%q is not a number", s)
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		t.Fatalf("%q has fractions of a cent", s)
	}
	return r.Num().Int64()
}

// TestExampleWorkbooks opens the examples' workbooks as Excel would read
// them: every chart formula names an existing sheet, quoted, and covers
// exactly the sheet's data rows (row 2 to the row before the totals row,
// or the last row); each chart's cached points are the cells' values; a
// few labelled cells and the totals rows hold hand-checked figures, and
// each total is the sum of the rows above it.
func TestExampleWorkbooks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every pipeline on the examples")
	}
	out := runExamples(t)
	books := map[string]string{
		"pricelist":      filepath.Join(out, "pricelist", "2025-12", "pricelist.xlsx"),
		"reconciliation": filepath.Join(out, "reconciliation", "2025-12", "reconciliation.xlsx"),
		"lifecycle":      filepath.Join(out, "lifecycle", "2025-12", "lifecycle.xlsx"),
		"quotes":         filepath.Join(out, "quotes", "2025-12", "quotes.xlsx"),
	}
	files := map[string]*excelize.File{}
	charts := 0
	for name, path := range books {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer f.Close()
		files[name] = f
		charts += checkCharts(t, name, path, f)
	}
	// Reconciliation (Resumo, Resumo por cliente, Aging, Pendências,
	// Tendência: 2 + 1 + 1 + 1 + 1), price list (per vendor), lifecycle
	// (renewals by month); the first period's price changes are empty, so
	// their sheet has no chart.
	if charts != 8 {
		t.Errorf("%d charts in the examples' workbooks, want 8", charts)
	}

	raw := excelize.Options{RawCellValue: true}
	cell := func(book, sheet, ref string) string {
		t.Helper()
		v, err := files[book].GetCellValue(sheet, ref, raw)
		if err != nil {
			t.Fatalf("%s %s!%s: %v", book, sheet, ref, err)
		}
		return v
	}
	// Labelled cells: codes in Portuguese, periods as 12/2025, a row
	// without a customer named.
	for _, c := range []struct{ book, sheet, ref, want string }{
		{"reconciliation", "Resumo por cliente", "A2", "12/2025"},
		{"reconciliation", "Resumo por cliente", "C2", "Construtora Ação Ltda"},
		{"reconciliation", "Resumo por cliente", "C5", "(fora do cadastro)"},
		{"reconciliation", "Resumo por cliente", "C6", "(cliente não identificado)"},
		{"reconciliation", "Resumo por cliente", "A7", "Total"},
		{"reconciliation", "Conciliação", "A2", "Conciliado"},
		{"reconciliation", "Conciliação", "B2", "Item de pedido"},
		{"reconciliation", "Conciliação", "I2", "Recorrência"},
		{"reconciliation", "Conciliação", "A4", "Cancelada sem substituta"},
		{"pricelist", "Resumo por fabricante", "A5", "Total"},
		{"lifecycle", "Renovações", "K2", "Vencido sem sucessor"},
		{"quotes", "Rejeições", "E7", "cliente desconhecido: não é código nem CNPJ do cadastro"},
		{"quotes", "Rejeições", "E2", "revisão 1 substituída pela revisão 2"},
	} {
		if got := cell(c.book, c.sheet, c.ref); got != c.want {
			t.Errorf("%s %s!%s = %q, want %q", c.book, c.sheet, c.ref, got, c.want)
		}
	}
	// Hand-checked from examples/inbox/erp/orders and erp/invoices, in
	// cents: C001 orders SO-1001 10 × 230,00 + SO-1002 5 × 25,00 +
	// SO-1007 1 × 300,00 = 2.725,00 and is invoiced NF 5001 2.300,00 +
	// NF 5002 125,00 = 2.425,00 (NF 5005 cancelled); C003 orders SO-1006
	// 1.000,00 + SO-1008 2 × 240,00 + SO-1012 2 × 532,16 = 2.544,32,
	// invoiced NFS-e 203 1.000,00 (201 replaced by it and 202, a
	// duplicate, cancelled by their events) + NF 5008 480,00 + NFS-e 204
	// 1.068,00 = 2.548,00; C002 orders 3 × 200,00 + 20 × 20,00 + 2 ×
	// 500,00 = 2.000,00 (SO-1010's "dez" rejected, SO-1011 cancelled);
	// C099 SO-1009 150,00. All orders: 7.419,32, 14 lines.
	for _, c := range []struct {
		ref  string
		want int64
	}{
		{"E2", 272500}, {"F2", 242500}, {"E4", 254432}, {"F4", 254800}, {"E3", 200000}, {"E5", 15000},
		{"E7", 741932}, {"K7", 1400},
	} {
		if got := cents(t, cell("reconciliation", "Resumo por cliente", c.ref)); got != c.want {
			t.Errorf("reconciliation Resumo por cliente!%s = %d cents, want %d", c.ref, got, c.want)
		}
	}
	// The Conciliação's per-order amounts count each order once, as the
	// Resumo does: invoiced 6.673,00 (C001 2.425,00 + C002 1.700,00 + C003
	// 2.548,00, NFS-e 204 included), variance 6.673,00 − 7.419,32 =
	// −746,32 (14 lines, total on row 16). The renewals compare the
	// contracts priced in full (K001 and K025 left out): 6.250 (K026) +
	// 12.600 + 13.800 + 17.400 + 13.000 = 63.050,00 now; at renewal, at the
	// price list's prices (the taxes on revenue included, Microsoft at the
	// vendor's rate), K026 7.495,45 + K012 13.875,50 + K011 16.575,00 + K013
	// 19.041,99 + K014 14.990,90 = 71.978,84; issue 25's erp_status moves
	// the values to P and Q, the total to row 9.
	for _, c := range []struct {
		book, sheet, ref string
		want             int64
	}{
		{"reconciliation", "Conciliação", "S16", 667300}, {"reconciliation", "Conciliação", "T16", -74632},
		{"lifecycle", "Renovações", "P9", 6305000}, {"lifecycle", "Renovações", "Q9", 7197884},
	} {
		if got := cents(t, cell(c.book, c.sheet, c.ref)); got != c.want {
			t.Errorf("%s %s!%s = %d cents, want %d", c.book, c.sheet, c.ref, got, c.want)
		}
	}
	// The price list's 15 quotable SKUs (quote_prices.csv's rows).
	if got := cell("pricelist", "Resumo por fabricante", "B5"); got != "15" {
		t.Errorf("pricelist Resumo por fabricante!B5 = %q SKUs, want 15", got)
	}
	// Every totals row is the sum of the rows above it.
	for _, s := range []struct{ book, sheet, cols string }{
		{"reconciliation", "Resumo", "CDEFG"},
		{"reconciliation", "Resumo por cliente", "DEFGIKLM"},
		{"reconciliation", "Pendências", "BCDEFGH"},
		{"reconciliation", "Conciliação", "PQ"},
		{"reconciliation", "Aging", "DEFGHIJ"},
		{"reconciliation", "Exposição de crédito", "CDEF"},
		{"reconciliation", "Crédito e refaturamento", "GHI"},
		{"pricelist", "Resumo por fabricante", "BC"},
		{"lifecycle", "Renovações por mês", "BCDEF"},
	} {
		checkTotals(t, files[s.book], s.book, s.sheet, s.cols)
	}
}

// checkTotals compares each of cols' totals row cell with the sum of the
// data rows above it.
func checkTotals(t *testing.T, f *excelize.File, book, sheet, cols string) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s %s: %v", book, sheet, err)
	}
	total := totalsRow(rows)
	if total < 0 {
		t.Errorf("%s %s: no totals row", book, sheet)
		return
	}
	for _, col := range cols {
		i := int(col - 'A')
		var sum int64
		for _, r := range rows[1:total] {
			if i < len(r) && r[i] != "" {
				sum += cents(t, r[i])
			}
		}
		if i >= len(rows[total]) {
			t.Errorf("%s %s: totals row has no %c", book, sheet, col)
			continue
		}
		if got := cents(t, rows[total][i]); got != sum {
			t.Errorf("%s %s!%c%d = %d cents, the rows above sum to %d", book, sheet, col, total+1, got, sum)
		}
	}
}

// totalsRow is the index of the row saying "Total", or -1.
func totalsRow(rows [][]string) int {
	for i, r := range rows {
		if i > 0 && len(r) > 0 && (r[0] == "Total" || len(r) > 1 && r[1] == "Total") {
			return i
		}
	}
	return -1
}

// checkCharts checks every chart of the workbook at path and returns how
// many there are.
func checkCharts(t *testing.T, book, path string, f *excelize.File) int {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sheets := map[string]bool{}
	for _, s := range f.GetSheetList() {
		sheets[s] = true
	}
	n := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/") {
			continue
		}
		n++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		xml := string(b)
		where := book + " " + zf.Name
		for _, m := range chartFormula.FindAllStringSubmatch(xml, -1) {
			ref := strings.ReplaceAll(m[1], "&apos;", "'")
			p := chartRef.FindStringSubmatch(ref)
			if p == nil {
				t.Errorf("%s: formula %q is not 'Sheet'!$C$r[:$C$r]", where, ref)
				continue
			}
			sheet := strings.ReplaceAll(p[1], "''", "'")
			if !sheets[sheet] {
				t.Errorf("%s: formula %q names no sheet of %v", where, ref, f.GetSheetList())
				continue
			}
			if p[4] == "" { // a series title: the column's header
				if p[3] != "1" {
					t.Errorf("%s: series title %q is not on the header row", where, ref)
				}
				continue
			}
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			last := len(rows)
			if i := totalsRow(rows); i >= 0 {
				last = i // rows[i] is sheet row i+1: the data end on row i
			}
			from, _ := strconv.Atoi(p[3])
			to, _ := strconv.Atoi(p[5])
			if p[2] != p[4] || from != 2 || to != last || to < from {
				t.Errorf("%s: range %q, want %s rows 2 to %d (the data rows, not the header nor the totals)", where, ref, p[2], last)
				continue
			}
			// The cached points are the cells' values, in order.
			col, _ := excelize.ColumnNameToNumber(p[2])
			for r := from; r <= to; r++ {
				v := ""
				if col-1 < len(rows[r-1]) {
					v = rows[r-1][col-1]
				}
				if v != "" && !strings.Contains(xml, `<c:pt idx="`+strconv.Itoa(r-2)+`"><c:v>`+escapeXML(v)+`</c:v></c:pt>`) {
					t.Errorf("%s: no cached point %d = %q for %q", where, r-2, v, ref)
				}
			}
		}
	}
	return n
}

func escapeXML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}
