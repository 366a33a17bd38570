package write

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXWriterLayout writes a sheet with every layout option and reads
// back the XML the options make: frozen key columns, the print area
// without the internal columns, print titles, the pages across, the
// conditional formats, sums that follow a filter with their cached value,
// quantities whole or not, the sheet it opens on, a document without a
// filter, and the theme part every viewer needs.
func TestXLSXWriterLayout(t *testing.T) {
	var buf bytes.Buffer
	x := NewXLSXWriter(&buf)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.AddSheetWith("Capa", []XLSXColumn{{Title: "Item", Kind: CellText}, {Title: "Valor", Kind: CellText}}, SheetOptions{Document: true, Banner: "RASCUNHO — aguardando aprovação"}))
	must(x.WriteRow([]string{"Período", "12/2025"}))
	cols := []XLSXColumn{
		{Title: "Cliente (ID)", Kind: CellText}, {Title: "Cliente", Kind: CellText}, {Title: "Qtde", Kind: CellQuantity},
		{Title: "Valor (R$)", Kind: CellMoneyBRL}, {Title: "Completo", Kind: CellText}, {Title: "Arquivo de origem", Kind: CellText},
	}
	must(x.AddSheetWith("Dados", cols, SheetOptions{FreezeCols: 2, PrintCols: 5, Main: true, Highlights: []XLSXHighlight{
		{Col: 4, Op: "=", Value: "não", Alert: true},
		{Col: 3, Op: ">", Value: "1000", Mark: []int{3}},
	}}))
	must(x.WriteRow([]string{"C001", "Ação", "20.000000", "1500.00", "sim", "a.csv"}))
	must(x.WriteRow([]string{"C002", "Livraria", "2.50", "-300.00", "não", "a.csv"}))
	must(x.WriteRow([]string{"C003", "Alfa", "8", "100.00", "sim", "b.csv"}))
	// 1.500,00 + 100,00 over the complete rows; 1.300,00 over all.
	must(x.WriteTotalRow([]XLSXTotal{{Value: "Total"}, {}, {Value: "30.5", Sum: true}, {Value: "1600.00", Sum: true, IfCol: 4, IfValue: "sim"}, {}, {}}))
	must(x.Close())
	b := buf.Bytes()

	cover := zipEntry(t, b, "xl/worksheets/sheet1.xml")
	data := zipEntry(t, b, "xl/worksheets/sheet2.xml")
	book := zipEntry(t, b, "xl/workbook.xml")
	for _, c := range []struct{ what, part, want string }{
		{"the cover has no filter", cover, "!<autoFilter"},
		{"the cover has no frozen header", cover, "!<pane"},
		{"a document prints portrait", cover, `orientation="portrait"`},
		{"the banner heads every printed page", cover, `<oddHeader>&amp;C&amp;"-,Bold"&amp;14&amp;KC00000RASCUNHO — aguardando aprovação</oddHeader>`},
		{"key columns frozen with the header", data, `<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"/>`},
		{"the main sheet is selected", data, `<sheetView tabSelected="1" workbookViewId="0">`},
		{"the cover is not", cover, `!tabSelected`},
		{"the filter covers the data rows", data, `<autoFilter ref="A1:F4"/>`},
		{"a whole quantity shows no decimals", data, `<c r="C2" s="7"><v>20.000000</v></c>`},
		{"a fractional one shows its own", data, `<c r="C3" s="8"><v>2.50</v></c>`},
		{"a sum follows the filter, its value cached", data, `<c r="C5" s="16"><f>SUBTOTAL(109,C2:C4)</f><v>30.5</v></c>`},
		{"a conditional sum too", data, `<c r="D5" s="12"><f>SUMPRODUCT(SUBTOTAL(109,OFFSET(D2,ROW(D2:D4)-ROW(D2),0)),--(E2:E4="sim"))</f><v>1600.00</v></c>`},
		{"negatives in red, totals included", data, `<conditionalFormatting sqref="D2:D5"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>`},
		{"an alert on the whole row", data, `<conditionalFormatting sqref="A2:F4"><cfRule type="expression" dxfId="1" priority="2"><formula>$E2="não"</formula></cfRule></conditionalFormatting>`},
		{"a warning on one cell", data, `<conditionalFormatting sqref="D2:D4"><cfRule type="expression" dxfId="2" priority="3"><formula>$D2&gt;1000</formula></cfRule></conditionalFormatting>`},
		{"tables print landscape", data, `orientation="landscape" fitToWidth="1" fitToHeight="0"`},
		{"the workbook opens on the main sheet", book, `<workbookView activeTab="1"/>`},
		{"the print area leaves the internal column out", book, `<definedName name="_xlnm.Print_Area" localSheetId="1">'Dados'!$A:$E</definedName>`},
		{"key columns and header on every page", book, `<definedName name="_xlnm.Print_Titles" localSheetId="1">'Dados'!$A:$B,'Dados'!$1:$1</definedName>`},
		{"a document has no filter name", book, `!<definedName name="_xlnm._FilterDatabase" localSheetId="0"`},
		{"the theme is related", zipEntry(t, b, "xl/_rels/workbook.xml.rels"), `Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"`},
		{"and typed", zipEntry(t, b, "[Content_Types].xml"), `<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`},
		{"the theme names its colours", zipEntry(t, b, "xl/theme/theme1.xml"), `<a:accent1><a:srgbClr val="4472C4"/></a:accent1>`},
	} {
		if want, ok := strings.CutPrefix(c.want, "!"); ok {
			if strings.Contains(c.part, want) {
				t.Errorf("%s: found %s", c.what, want)
			}
		} else if !strings.Contains(c.part, c.want) {
			t.Errorf("%s: no %s", c.what, c.want)
		}
	}
	// Cached values as excelize (and a viewer that does not recalculate)
	// reads them.
	f := openXLSX(t, b)
	for ref, want := range map[string]string{"C5": "30.5", "D5": "1600.00"} {
		if got, err := f.GetCellValue("Dados", ref, excelize.Options{RawCellValue: true}); err != nil || got != want {
			t.Errorf("Dados!%s = %q, %v; want %q", ref, got, err, want)
		}
	}
}

// TestPagesWide: a sheet prints on as many pages across as keep its text
// at 70 % or more. 20 columns of 10 characters are 20 × 75 px = 396.9 mm,
// 277.8 mm at 70 %: two A4 landscape pages (271.6 mm each), one portrait
// page holds 184.6 mm.
func TestPagesWide(t *testing.T) {
	w := make([]float64, 20)
	for i := range w {
		w[i] = 10
	}
	for _, c := range []struct {
		widths []float64
		page   float64
		want   int
	}{
		{w, printWidthMM, 2},
		{w[:10], printWidthMM, 1},
		{w, printWidthMMPort, 2},
		{w[:9], printWidthMMPort, 1},
		{nil, printWidthMM, 1},
	} {
		if got := pagesWide(c.widths, c.page); got != c.want {
			t.Errorf("pagesWide(%d columns of 10, %.1f mm) = %d, want %d", len(c.widths), c.page, got, c.want)
		}
	}
}
