package write

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SheetOptions lay a sheet out for people: what stays in view, what
// prints, what stands out.
type SheetOptions struct {
	// Document: a customer's document or a cover, not a table: no
	// AutoFilter, no frozen header, printed portrait, one page wide.
	Document bool
	// FreezeCols keeps the first columns (the row's keys: id, name) in
	// view with the header, and prints them on every page.
	FreezeCols int
	// PrintCols is how many leading columns are printed (0: all): the
	// internal ones after them (source file and line) stay on screen.
	PrintCols int
	// Highlights mark the data rows to look at (conditional formats).
	Highlights []XLSXHighlight
	// Banner is printed at the top of every page (a draft's notice).
	Banner string
	// Main: the workbook opens on this sheet (the first sheet otherwise).
	Main bool
}

// XLSXHighlight is a conditional format on a sheet's data rows: where
// column Col (0-based) compares with Value by Op ("=", ">", "<", ">=",
// "<=", "<>"), the cells of Mark (every column when empty) are filled,
// red (Alert) or yellow. Value is as the cell shows it: text (a label,
// sim / não) or a number.
type XLSXHighlight struct {
	Col   int
	Op    string
	Value string
	Mark  []int
	Alert bool
}

// Print setup: A4 landscape (portrait for documents) with half-inch side
// margins, 271.6 mm across in landscape. A column w characters wide takes
// about 7w + 5 pixels at 96 dpi (Calibri 11), 25.4/96 mm each.
const (
	printWidthMM     = 297 - 25.4
	printWidthMMPort = 210 - 25.4
	// minPrintScale: a sheet is printed on as many pages across as keep
	// its text at this scale or more (70 %: 7.7 pt), rather than shrunk to
	// one page where 39 columns come out microscopic.
	minPrintScale = 0.70
)

// pagesWide is how many pages across the columns widths need at
// minPrintScale or more.
func pagesWide(widths []float64, pageMM float64) int {
	mm := 0.0
	for _, w := range widths {
		mm += (7*w + 5) * 25.4 / 96
	}
	return max(1, int(math.Ceil(mm*minPrintScale/pageMM)))
}

// checkOptions validates o against the sheet's columns.
func checkOptions(name string, cols []XLSXColumn, o SheetOptions) error {
	if o.FreezeCols < 0 || o.FreezeCols >= len(cols) && o.FreezeCols > 0 {
		return fmt.Errorf("xlsx: sheet %q: freeze %d of %d columns", name, o.FreezeCols, len(cols))
	}
	if o.PrintCols < 0 || o.PrintCols > len(cols) {
		return fmt.Errorf("xlsx: sheet %q: print %d of %d columns", name, o.PrintCols, len(cols))
	}
	for _, h := range o.Highlights {
		if h.Col < 0 || h.Col >= len(cols) {
			return fmt.Errorf("xlsx: sheet %q: highlight on column %d of %d", name, h.Col, len(cols))
		}
		switch h.Op {
		case "=", ">", "<", ">=", "<=", "<>":
		default:
			return fmt.Errorf("xlsx: sheet %q: highlight operator %q", name, h.Op)
		}
		for _, m := range h.Mark {
			if m < 0 || m >= len(cols) {
				return fmt.Errorf("xlsx: sheet %q: highlight marks column %d of %d", name, m, len(cols))
			}
		}
	}
	return nil
}

// appendPane appends the sheet view's frozen pane: the header row, and
// the key columns.
func (x *XLSXWriter) appendPane(b []byte) []byte {
	if x.opts.Document {
		return b
	}
	if k := x.opts.FreezeCols; k > 0 {
		cell := x.cells[k].letters + "2"
		b = append(b, `<pane xSplit="`...)
		b = strconv.AppendInt(b, int64(k), 10)
		b = append(b, `" ySplit="1" topLeftCell="`+cell+`" activePane="bottomRight" state="frozen"/>`+
			`<selection pane="topRight"/><selection pane="bottomLeft"/><selection pane="bottomRight" activeCell="`+cell+`" sqref="`+cell+`"/>`...)
		return b
	}
	return append(b, `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>`...)
}

// appendConditional appends the sheet's conditional formats: negative
// amounts in red (data and totals rows), and its highlights on the data
// rows.
func (x *XLSXWriter) appendConditional(b []byte, s *sheetInfo) []byte {
	if s.rows == 0 {
		return b
	}
	last := strconv.FormatInt(s.nextRow()-1, 10)
	lastData := strconv.FormatInt(s.rows+1, 10)
	var neg []string
	for _, c := range x.cells {
		switch c.kind {
		case CellDecimal, CellMoneyBRL, CellPercent:
			neg = append(neg, c.letters+"2:"+c.letters+last)
		}
	}
	priority := 1
	if len(neg) > 0 {
		b = append(b, `<conditionalFormatting sqref="`+strings.Join(neg, " ")+`"><cfRule type="cellIs" dxfId="`+strconv.Itoa(dxfNegative)+
			`" priority="1" operator="lessThan"><formula>0</formula></cfRule></conditionalFormatting>`...)
		priority++
	}
	for _, h := range x.opts.Highlights {
		var ranges []string
		if len(h.Mark) == 0 {
			ranges = append(ranges, "A2:"+x.cells[len(x.cells)-1].letters+lastData)
		}
		for _, m := range h.Mark {
			ranges = append(ranges, x.cells[m].letters+"2:"+x.cells[m].letters+lastData)
		}
		dxf := dxfWarn
		if h.Alert {
			dxf = dxfAlert
		}
		b = append(b, `<conditionalFormatting sqref="`+strings.Join(ranges, " ")+`"><cfRule type="expression" dxfId="`+strconv.Itoa(dxf)+`" priority="`...)
		b = strconv.AppendInt(b, int64(priority), 10)
		b = append(b, `"><formula>`...)
		b = appendEscaped(b, highlightFormula(x.cells[h.Col], h))
		b = append(b, `</formula></cfRule></conditionalFormatting>`...)
		priority++
	}
	return b
}

// highlightFormula is h's test on the first data row, relative to the
// row: $F2>100, $O2="Vencido".
func highlightFormula(c cellFmt, h XLSXHighlight) string {
	ref := "$" + c.letters + "2"
	v := h.Value
	if c.kind == CellText || !validNumber(v) {
		v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return ref + h.Op + v
}

// appendPageSetup appends the print setup: A4, landscape for tables, as
// many pages across as keep the text readable (pagesWide), the header row
// (and the key columns) on every page, the sheet name and the page number
// in the footer, a draft's banner in the header.
func (x *XLSXWriter) appendPageSetup(b []byte) []byte {
	widths := x.printWidths()
	orientation, page := "landscape", printWidthMM
	if x.opts.Document {
		orientation, page = "portrait", printWidthMMPort
	}
	b = append(b, `<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="`+orientation+`" fitToWidth="`...)
	pages := pagesWide(widths, page)
	if x.opts.Document {
		pages = 1 // a document is read page by page, never across
	}
	b = strconv.AppendInt(b, int64(pages), 10)
	b = append(b, `" fitToHeight="0"/><headerFooter>`...)
	if x.opts.Banner != "" {
		b = append(b, `<oddHeader>`...)
		b = appendEscaped(b, `&C&"-,Bold"&14&KC00000`+strings.ReplaceAll(x.opts.Banner, "&", "&&"))
		b = append(b, `</oddHeader>`...)
	}
	return append(b, `<oddFooter>&amp;L&amp;A&amp;RPágina &amp;P de &amp;N</oddFooter></headerFooter>`...)
}

// printWidths are the widths of the printed columns.
func (x *XLSXWriter) printWidths() []float64 {
	n := len(x.cols)
	if x.opts.PrintCols > 0 {
		n = x.opts.PrintCols
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = fittedWidth(x.cols[i], x.widths[i])
	}
	return w
}

// appendDefinedNames appends sheet i's defined names: its filter range
// (Excel keeps it in a hidden name and repairs files whose filters lack
// it), its print titles (the header row, and the frozen key columns) and
// its print area when internal columns are left out.
func appendDefinedNames(b []byte, i int, s sheetInfo) []byte {
	sheet := "'" + strings.ReplaceAll(s.name, "'", "''") + "'"
	name := func(n string, hidden bool) {
		b = append(b, `<definedName name="`+n+`" localSheetId="`...)
		b = strconv.AppendInt(b, int64(i), 10)
		if hidden {
			b = append(b, `" hidden="1`...)
		}
		b = append(b, `">`...)
	}
	if !s.opts.Document {
		name("_xlnm._FilterDatabase", true)
		b = appendEscaped(b, sheet)
		b = append(b, `!$A$1:$`...)
		b = append(b, s.lastCol...)
		b = append(b, '$')
		b = strconv.AppendInt(b, s.rows+1, 10)
		b = append(b, `</definedName>`...)
	}
	if s.printCol != "" {
		name("_xlnm.Print_Area", false)
		b = appendEscaped(b, sheet+"!$A:$"+s.printCol)
		b = append(b, `</definedName>`...)
	}
	if !s.opts.Document {
		name("_xlnm.Print_Titles", false)
		if s.freezeCol != "" {
			b = appendEscaped(b, sheet+"!$A:$"+s.freezeCol+",")
		}
		b = appendEscaped(b, sheet+"!$1:$1")
		b = append(b, `</definedName>`...)
	}
	return b
}
