package write

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// CellKind says how a column's values are stored and formatted.
type CellKind int

const (
	CellText     CellKind = iota // inline string
	CellInteger                  // number, format "0"  (e.g. line numbers, counts)
	CellDecimal                  // number, format "#,##0.00"  (money in a foreign currency, generic amounts)
	CellMoneyBRL                 // number, format "\"R$\" #,##0.00"  (renders as R$ 1.234,56 in a pt-BR Excel)
	CellPercent                  // number holding percentage points (12.34 means 12.34 %), format "#,##0.00"
	CellRate                     // number, format "#,##0.0000####" (exchange rates)
	CellDate                     // input "YYYY-MM-DD", stored as Excel serial day number, format "dd/mm/yyyy"
	CellQuantity                 // number, "#,##0" when whole (20 licences, not 20,00), else with its decimals
)

// XLSXColumn describes one column of a sheet.
type XLSXColumn struct {
	Title string // header cell text
	Kind  CellKind
	Width float64 // column width in characters; 0 means derive from the title and kind
}

// maxSheetRows is Excel's per-sheet row limit (header included). It is a
// variable so tests can exercise sheet continuation without a million rows.
var maxSheetRows = 1048576

const (
	maxCellChars  = 32767 // Excel's per-cell text limit, in UTF-16 units
	maxSheetName  = 31    // Excel's sheet name limit, in UTF-16 units
	maxColumns    = 16384 // Excel's column limit (XFD)
	maxColWidth   = 255   // Excel rejects wider columns
	maxDerivedW   = 60    // keeps fitted widths readable
	minFittedW    = 6
	xlsxFlushSize = 64 << 10
	excelUnixDays = 25569 // Excel serial of 1970-01-01
)

// zipModTime is fixed so identical input gives byte-identical files.
var zipModTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	errInvalidNumber = errors.New("invalid number")
	errInvalidDate   = errors.New("invalid date")
	errXLSXClosed    = errors.New("xlsx: writer is closed")
)

// XLSXWriter streams a workbook to w. Sheets are written one after another.
//
// The caller's goroutine renders XML into a reused buffer; deflate, the bulk
// of the work, runs in parallel on all cores (see parallelDeflate). Close
// must be called, even after an error, to stop those goroutines.
type XLSXWriter struct {
	zw *zip.Writer
	fw io.Writer // current zip entry

	buf    []byte // XML not yet handed to the zip entry
	entry  string // name of the current zip entry, for errors
	rowNum []byte // decimal text of the current row number, reused

	sheets []sheetInfo
	names  map[string]bool // lower-cased names in use; Excel compares case-insensitively
	cells  []cellFmt       // per column of the current sheet
	base   string          // name continuation sheets derive from
	cols   []XLSXColumn
	opts   SheetOptions // of the current sheet

	// The head of a sheet (its <cols> widths) is written once the first
	// sampleRows rows are measured, or when the sheet ends: fitted widths
	// from a bounded sample, never a second pass over the data.
	sheetOpen   bool
	headPending bool
	sampleLeft  int
	widths      []float64 // widest display text seen per column, in characters

	charts []chartInfo // every chart of the workbook, in sheet order

	lists []listValidation // the current columns' drop-down lists (xlsx_validation.go)

	rows     int64
	err      error // sticky: output is broken
	closed   bool
	closeErr error
}

type sheetInfo struct {
	name      string
	lastCol   string
	rows      int64 // data rows
	extra     int64 // totals and note rows after the data
	charts    []int // indexes into XLSXWriter.charts
	opts      SheetOptions
	freezeCol string // the last frozen key column, if any
	printCol  string // the last printed column, when internal ones follow
	continued bool   // a continuation sheet, or one continued on the next
}

// nextRow is the sheet row number the next row gets.
func (s *sheetInfo) nextRow() int64 { return s.rows + s.extra + 2 }

// cellFmt holds the constant XML around one column's cells, so a cell costs
// only a few appends.
type cellFmt struct {
	kind    CellKind
	title   string
	letters string
	open    string // `<c r="AB`
	mid     string // after the row number, up to the value
}

// NewXLSXWriter returns a writer that streams a workbook to w.
func NewXLSXWriter(w io.Writer) *XLSXWriter {
	x := &XLSXWriter{
		zw:    zip.NewWriter(w),
		buf:   make([]byte, 0, xlsxFlushSize+xlsxFlushSize/2),
		names: map[string]bool{},
	}
	x.zw.RegisterCompressor(zip.Deflate, newParallelDeflate)
	x.startEntry("_rels/.rels")
	x.buf = append(x.buf, rootRelsXML...)
	x.startEntry("xl/styles.xml")
	x.buf = append(x.buf, stylesXML...)
	x.startEntry("xl/theme/theme1.xml")
	x.buf = append(x.buf, themeXML...)
	return x
}

// flush hands the buffered XML to the current zip entry.
func (x *XLSXWriter) flush() error {
	if x.err != nil {
		return x.err
	}
	if _, err := x.fw.Write(x.buf); err != nil {
		x.err = fmt.Errorf("xlsx: write %s: %w", x.entry, err)
		return x.err
	}
	x.buf = x.buf[:0]
	return nil
}

// startEntry ends the current zip entry and starts the named one. Errors
// are kept in x.err.
func (x *XLSXWriter) startEntry(name string) {
	if x.fw != nil && len(x.buf) > 0 {
		_ = x.flush()
	}
	if x.err != nil {
		return
	}
	fw, err := x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipModTime})
	if err != nil {
		x.err = fmt.Errorf("xlsx: start %s: %w", name, err)
		return
	}
	x.fw, x.entry = fw, name
}

// AddSheet starts a new sheet (ending the previous one) laid out as a
// table: a header row kept in view, an AutoFilter, printed landscape.
// Sheet names are sanitised (Excel forbids []:*?/\ and >31 chars) and made
// unique.
func (x *XLSXWriter) AddSheet(name string, cols []XLSXColumn) error {
	return x.AddSheetWith(name, cols, SheetOptions{})
}

// AddSheetWith is AddSheet with the sheet's layout options.
func (x *XLSXWriter) AddSheetWith(name string, cols []XLSXColumn, opts SheetOptions) error {
	if x.closed {
		return errXLSXClosed
	}
	if x.err != nil {
		return x.err
	}
	if len(cols) == 0 {
		return fmt.Errorf("xlsx: sheet %q: no columns", name)
	}
	if len(cols) > maxColumns {
		return fmt.Errorf("xlsx: sheet %q: %d columns exceed excel's limit of %d", name, len(cols), maxColumns)
	}
	for i, c := range cols {
		if c.Kind < CellText || c.Kind > CellQuantity {
			return fmt.Errorf("xlsx: sheet %q column %s (%q): unknown cell kind %d", name, colLetters(i), c.Title, c.Kind)
		}
		if math.IsNaN(c.Width) || c.Width < 0 || c.Width > maxColWidth {
			return fmt.Errorf("xlsx: sheet %q column %s (%q): width %v outside 0..%d", name, colLetters(i), c.Title, c.Width, maxColWidth)
		}
	}
	if err := checkOptions(name, cols, opts); err != nil {
		return err
	}
	x.finishSheet() // with its own columns
	x.opts = opts
	x.cols = append([]XLSXColumn(nil), cols...)
	x.lists = nil
	x.cells = x.cells[:0]
	for i, c := range x.cols {
		l := colLetters(i)
		f := cellFmt{kind: c.Kind, title: c.Title, letters: l, open: `<c r="` + l}
		if s := kindStyle(c.Kind); s != 0 {
			f.mid = `" s="` + strconv.Itoa(s) + `"><v>`
		}
		x.cells = append(x.cells, f)
	}
	x.widths = make([]float64, len(x.cols))
	x.base = x.uniqueName(sanitizeSheetName(name))
	if err := x.startSheet(x.base); err != nil {
		return err
	}
	x.sampleLeft = sampleRows
	return nil
}

// startSheet ends the current sheet and starts a new one with the current
// columns. Its head waits for the width sample (see writeHead): a
// continuation sheet, whose widths are known, gets it at once.
func (x *XLSXWriter) startSheet(name string) error {
	x.finishSheet()
	x.names[strings.ToLower(name)] = true
	s := sheetInfo{name: name, lastCol: x.cells[len(x.cells)-1].letters, opts: x.opts}
	if k := x.opts.FreezeCols; k > 0 && !x.opts.Document {
		s.freezeCol = x.cells[k-1].letters
	}
	if k := x.opts.PrintCols; k > 0 && k < len(x.cells) {
		s.printCol = x.cells[k-1].letters
	}
	x.sheets = append(x.sheets, s)
	x.startEntry("xl/worksheets/sheet" + strconv.Itoa(len(x.sheets)) + ".xml")
	if x.err != nil {
		return x.err
	}
	x.headPending, x.sampleLeft, x.sheetOpen = true, 0, true
	return nil
}

// finishSheet ends the current sheet, if one is open.
func (x *XLSXWriter) finishSheet() {
	if x.sheetOpen {
		x.endSheet()
		x.sheetOpen = false
	}
}

// sampleRows is how many rows of a sheet its column widths are fitted to.
const sampleRows = 200

// measure widens the fitted widths to the display text of vals.
func (x *XLSXWriter) measure(vals []string) {
	for i, v := range vals {
		if v == "" {
			continue
		}
		if w := displayWidth(x.cols[i].Kind, v); w > x.widths[i] {
			x.widths[i] = w
		}
	}
}

// writeHead puts the sheet's head (print setup, frozen header, fitted
// column widths, header row) before the rows buffered while sampling.
func (x *XLSXWriter) writeHead() {
	if !x.headPending {
		return
	}
	x.headPending = false
	b := make([]byte, 0, 1024+len(x.buf))
	b = append(b, xlsxXMLHeader+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView `...)
	if x.opts.Main {
		b = append(b, `tabSelected="1" `...)
	}
	b = append(b, `workbookViewId="0">`...)
	b = x.appendPane(b)
	b = append(b, `</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>`...)
	wrapped := false
	for i, c := range x.cols {
		n := strconv.AppendInt(x.rowNum[:0], int64(i+1), 10)
		w := fittedWidth(c, x.widths[i])
		wrapped = wrapped || float64(utf8.RuneCountInString(c.Title))*1.1+3 > w
		b = append(b, `<col min="`...)
		b = append(b, n...)
		b = append(b, `" max="`...)
		b = append(b, n...)
		b = append(b, `" width="`...)
		b = strconv.AppendFloat(b, w, 'f', -1, 64)
		b = append(b, `" customWidth="1"/>`...)
	}
	b = append(b, `</cols><sheetData><row r="1"`...)
	style := `1" s="1" t="inlineStr"><is>`
	if x.opts.Document {
		style = `1" s="` + strconv.Itoa(styleLabel) + `" t="inlineStr"><is>`
	} else if wrapped {
		// A title wider than its column takes two lines.
		b = append(b, ` ht="30" customHeight="1"`...)
	}
	b = append(b, '>')
	for _, c := range x.cells {
		if c.title == "" {
			continue
		}
		b = append(b, c.open...)
		b = append(b, style...)
		b = appendInlineText(b, c.title)
		b = append(b, `</is></c>`...)
	}
	b = append(b, `</row>`...)
	x.buf = append(b, x.buf...)
}

// endSheet closes sheetData and adds the autoFilter whose extent is only
// known now (over the data rows, not the totals), the conditional formats
// and the print setup (appendPageSetup), which all follow sheetData in
// the schema, so this stays streaming.
func (x *XLSXWriter) endSheet() {
	x.writeHead()
	s := &x.sheets[len(x.sheets)-1]
	if len(s.charts) > 0 && len(x.charts[s.charts[0]].cats) == 0 {
		// A sheet without data rows (its note only) gets no chart: its
		// range would be $C$2:$C$1, which Excel reads as the header and
		// the note. The sheet's charts are the last ones declared.
		x.charts = x.charts[:s.charts[0]]
		s.charts = nil
	}
	b := append(x.buf, `</sheetData>`...)
	if !x.opts.Document {
		b = append(b, `<autoFilter ref="A1:`...)
		b = append(b, s.lastCol...)
		b = strconv.AppendInt(b, s.rows+1, 10)
		b = append(b, `"/>`...)
	}
	// CT_Worksheet's order: conditionalFormatting, then dataValidations,
	// then the page's margins and setup.
	b = x.appendConditional(b, s)
	b = x.appendValidations(b, s)
	b = x.appendPageSetup(b)
	if len(s.charts) > 0 {
		b = append(b, `<drawing r:id="rId1"/>`...)
	}
	x.buf = append(b, `</worksheet>`...)
}

// displayWidth is how many characters v takes once Excel formats it as
// kind in a pt-BR locale (R$ 1.234,56; 31/12/2025).
func displayWidth(kind CellKind, v string) float64 {
	switch kind {
	case CellText:
		longest := 0
		for line := range strings.SplitSeq(v, "\n") {
			longest = max(longest, utf8.RuneCountInString(line))
		}
		return float64(longest)
	case CellDate:
		return 10
	case CellInteger:
		return float64(len(v))
	}
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	n := len(intPart) + (len(intPart)-1)/3 // thousands dots
	if v[0] == '-' {
		n++
	}
	switch kind {
	case CellRate:
		n += 1 + max(4, min(len(frac), 8))
	case CellQuantity:
		if frac = strings.TrimRight(frac, "0"); frac != "" {
			n += 1 + len(frac)
		}
	default:
		n += 3 // ,00
	}
	if kind == CellMoneyBRL {
		n += 3 // "R$ "
	}
	return float64(n)
}

// fittedWidth is a column's width: the declared one, or the widest of its
// title (bold, with the filter button, on two lines if need be: its
// longest word, or half its length) and its sampled values, within
// readable bounds.
func fittedWidth(c XLSXColumn, measured float64) float64 {
	if c.Width > 0 {
		return c.Width
	}
	title := (utf8.RuneCountInString(c.Title) + 1) / 2
	for word := range strings.FieldsSeq(c.Title) {
		title = max(title, utf8.RuneCountInString(word))
	}
	w := max(float64(title)*1.1+3, measured+2)
	return math.Round(min(max(w, minFittedW), maxDerivedW)*10) / 10
}

// WriteRow appends one data row to the current sheet. vals has one entry per
// column; "" is an empty cell. Numeric kinds take plain decimal text
// ("1234.56", "-0.5", "12") that is copied verbatim into the file, so money
// never passes through float64. CellDate takes "YYYY-MM-DD". A full sheet
// continues on "<name> (2)", "<name> (3)"... with the same header.
//
// An invalid value leaves the row unwritten and the writer usable.
func (x *XLSXWriter) WriteRow(vals []string) error {
	if x.closed {
		return errXLSXClosed
	}
	if x.err != nil {
		return x.err
	}
	if len(x.sheets) == 0 {
		return errors.New("xlsx: write row: no sheet started")
	}
	s := &x.sheets[len(x.sheets)-1]
	if len(vals) != len(x.cells) {
		return fmt.Errorf("xlsx: sheet %q row %d: %d values for %d columns", s.name, s.rows+2, len(vals), len(x.cells))
	}
	if s.rows+s.extra+1 >= int64(maxSheetRows) {
		// Check the row before opening a continuation sheet, so a bad row
		// never leaves an empty trailing sheet.
		next := x.uniqueName(x.base)
		mark := len(x.buf)
		if err := x.appendRow(vals, next, 2); err != nil {
			return err
		}
		x.buf = x.buf[:mark]
		s.continued = true
		if err := x.startSheet(next); err != nil {
			return err
		}
		x.writeHead() // the widths are the first sheet's
		s = &x.sheets[len(x.sheets)-1]
		s.continued = true
	}
	if err := x.appendRow(vals, s.name, s.nextRow()); err != nil {
		return err
	}
	if len(s.charts) > 0 {
		x.keepChartValues(s, vals)
	}
	s.rows++
	x.rows++
	if x.headPending {
		if x.sampleLeft > 0 {
			x.measure(vals)
			x.sampleLeft--
		}
		if x.sampleLeft == 0 {
			x.writeHead()
		}
	}
	if !x.headPending && len(x.buf) >= xlsxFlushSize {
		return x.flush()
	}
	return nil
}

// appendRow renders one row into x.buf, or leaves x.buf untouched and
// returns an error naming sheet, row and column.
func (x *XLSXWriter) appendRow(vals []string, sheet string, row int64) error {
	rn := strconv.AppendInt(x.rowNum[:0], row, 10)
	x.rowNum = rn
	start := len(x.buf)
	b := append(x.buf, `<row r="`...)
	b = append(b, rn...)
	b = append(b, `">`...)
	for i, v := range vals {
		if v == "" {
			continue
		}
		c := &x.cells[i]
		b = append(b, c.open...)
		b = append(b, rn...)
		switch c.kind {
		case CellText:
			b = append(b, `" t="inlineStr"><is>`...)
			b = appendInlineText(b, v)
			b = append(b, `</is></c>`...)
		case CellDate:
			serial, ok := excelSerial(v)
			if !ok {
				x.buf = b[:start]
				return cellError(sheet, row, c, errInvalidDate, v)
			}
			b = append(b, c.mid...)
			b = strconv.AppendInt(b, serial, 10)
			b = append(b, `</v></c>`...)
		case CellQuantity:
			if !validNumber(v) {
				x.buf = b[:start]
				return cellError(sheet, row, c, errInvalidNumber, v)
			}
			b = append(b, `" s="`...)
			b = strconv.AppendInt(b, int64(quantityStyle(v)), 10)
			b = append(b, `"><v>`...)
			b = append(b, v...)
			b = append(b, `</v></c>`...)
		default:
			if !validNumber(v) {
				x.buf = b[:start]
				return cellError(sheet, row, c, errInvalidNumber, v)
			}
			b = append(b, c.mid...)
			b = append(b, v...)
			b = append(b, `</v></c>`...)
		}
	}
	x.buf = append(b, `</row>`...)
	return nil
}

func cellError(sheet string, row int64, c *cellFmt, err error, v string) error {
	return fmt.Errorf("xlsx: sheet %q row %d column %s (%q): %w %q", sheet, row, c.letters, c.title, err, v)
}

// Rows returns the number of data rows written so far (all sheets).
func (x *XLSXWriter) Rows() int64 { return x.rows }

// Close finishes the workbook (workbook.xml, styles, content types, rels...).
// It does not close the underlying writer.
func (x *XLSXWriter) Close() error {
	if x.closed {
		return x.closeErr
	}
	x.closed = true
	switch {
	case x.err != nil:
	case len(x.sheets) == 0:
		x.err = errors.New("xlsx: close: workbook has no sheets")
	default:
		x.finishSheet()
		x.writeCharts()
		x.startEntry("xl/workbook.xml")
		x.buf = x.appendWorkbook(x.buf)
		x.startEntry("xl/_rels/workbook.xml.rels")
		x.buf = x.appendWorkbookRels(x.buf)
		x.startEntry("[Content_Types].xml")
		x.buf = x.appendContentTypes(x.buf)
		if x.flush() == nil {
			if err := x.zw.Close(); err != nil {
				x.err = fmt.Errorf("xlsx: close: %w", err)
			}
		}
	}
	if x.err != nil {
		// Stop the compressor goroutines of the unfinished entry.
		_ = x.zw.Close()
	}
	x.closeErr = x.err
	x.buf = nil
	return x.closeErr
}

func (x *XLSXWriter) appendWorkbook(b []byte) []byte {
	active := 0
	for i, s := range x.sheets {
		if s.opts.Main {
			active = i
			break
		}
	}
	b = append(b, xlsxXMLHeader+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="`...)
	b = strconv.AppendInt(b, int64(active), 10)
	b = append(b, `"/></bookViews><sheets>`...)
	for i, s := range x.sheets {
		b = append(b, `<sheet name="`...)
		b = appendAttr(b, s.name)
		b = append(b, `" sheetId="`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" r:id="rId`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `"/>`...)
	}
	b = append(b, `</sheets><definedNames>`...)
	for i, s := range x.sheets {
		b = appendDefinedNames(b, i, s)
	}
	return append(b, `</definedNames></workbook>`...)
}

func (x *XLSXWriter) appendWorkbookRels(b []byte) []byte {
	b = append(b, xlsxXMLHeader+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`...)
	for i := range x.sheets {
		b = append(b, `<Relationship Id="rId`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `.xml"/>`...)
	}
	b = append(b, `<Relationship Id="rId`...)
	b = strconv.AppendInt(b, int64(len(x.sheets)+1), 10)
	b = append(b, `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId`...)
	b = strconv.AppendInt(b, int64(len(x.sheets)+2), 10)
	return append(b, `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>`...)
}

func (x *XLSXWriter) appendContentTypes(b []byte) []byte {
	b = append(b, xlsxXMLHeader+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`...)
	for i := range x.sheets {
		b = append(b, `<Override PartName="/xl/worksheets/sheet`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`...)
	}
	b = x.appendChartTypes(b)
	return append(b, `</Types>`...)
}

const xlsxXMLHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const rootRelsXML = xlsxXMLHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

// validNumber accepts what Excel stores verbatim in <v>: an optional '-',
// digits, and an optional '.' followed by digits.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[0] == '-' {
		i++
	}
	digits := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == digits {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	frac := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > frac && i == len(s)
}

// excelSerial converts "YYYY-MM-DD" to Excel's 1900-system serial day number
// without time.Time, keeping the per-cell cost low.
func excelSerial(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	serial := daysFromCivil(y, m, d) + excelUnixDays
	if y == 1900 && m < 3 {
		// Excel counts the non-existent 1900-02-29, so serials shift by one
		// from March 1900 on; earlier dates are one less.
		serial--
	}
	return serial, true
}

func atoiDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns days since 1970-01-01 (Howard Hinnant's algorithm),
// valid for the non-negative years used here.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// xmlTextPlain marks ASCII bytes that go into XML text unchanged.
var xmlTextPlain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	t['&'], t['<'], t['>'], t['_'] = false, false, false, false
	return t
}()

// appendInlineText appends <t>s</t> for an inline string cell.
func appendInlineText(b []byte, s string) []byte {
	if len(s) > maxCellChars {
		s = truncateCell(s)
	}
	if isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1]) {
		b = append(b, `<t xml:space="preserve">`...)
	} else {
		b = append(b, `<t>`...)
	}
	b = appendEscaped(b, s)
	return append(b, `</t>`...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendEscaped appends s as XML text: markup characters escaped, characters
// XML 1.0 forbids dropped, invalid UTF-8 replaced, CR kept as Excel's _x000D_
// (a literal CR would be normalised to LF by XML parsers), and literal
// "_xHHHH_" protected as Excel does, since Excel decodes that pattern.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if xmlTextPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '&':
				b = append(b, "&amp;"...)
			case '<':
				b = append(b, "&lt;"...)
			case '>':
				b = append(b, "&gt;"...)
			case '_':
				if isExcelEscape(s[i:]) {
					b = append(b, "_x005F"...)
				}
				b = append(b, '_')
			case '\t', '\n':
				b = append(b, c)
			case '\r':
				b = append(b, "_x000D_"...)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, "\uFFFD"...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// appendAttr appends s as an XML attribute value (between double quotes):
// markup characters and the quote escaped. Text escaping is not enough there:
// a number format such as "R$" #,##0 would end the attribute at its first quote.
func appendAttr(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#9;"
		case '\n':
			esc = "&#10;"
		case '\r':
			esc = "&#13;"
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// isExcelEscape reports whether s starts with _xHHHH_.
func isExcelEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for i := 2; i < 6; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// truncateCell cuts s to Excel's cell limit, counted in UTF-16 units as
// Excel does, without splitting a character.
func truncateCell(s string) string { return truncateUTF16(s, maxCellChars) }

func truncateUTF16(s string, limit int) string {
	n := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if n+w > limit {
			return s[:i]
		}
		n += w
	}
	return s
}

// sanitizeSheetName makes name acceptable to Excel: forbidden characters
// become '_', characters XML forbids are dropped, leading/trailing
// apostrophes (rejected by Excel) are removed, and the length is capped.
func sanitizeSheetName(name string) string {
	var sb strings.Builder
	for _, r := range name {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			sb.WriteRune('_')
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
		default:
			sb.WriteRune(r) // invalid UTF-8 arrives as U+FFFD
		}
	}
	s := strings.Trim(truncateUTF16(sb.String(), maxSheetName), "'")
	if strings.TrimSpace(s) == "" {
		s = "Sheet"
	}
	if strings.EqualFold(s, "History") { // reserved by Excel for change tracking
		s += "_"
	}
	return s
}

// uniqueName returns base, or base with " (2)", " (3)"... if taken, kept
// within Excel's name length.
func (x *XLSXWriter) uniqueName(base string) string {
	if !x.names[strings.ToLower(base)] {
		return base
	}
	for k := 2; ; k++ {
		suffix := " (" + strconv.Itoa(k) + ")"
		cand := truncateUTF16(base, maxSheetName-len(suffix)) + suffix
		if !x.names[strings.ToLower(cand)] {
			return cand
		}
	}
}

// colLetters returns the column name for a 0-based index: A..Z, AA..XFD.
func colLetters(i int) string {
	var buf [3]byte
	n := len(buf)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		buf[n] = byte('A' + (i-1)%26)
	}
	return string(buf[n:])
}

const (
	deflateLevel = flate.BestSpeed
	deflateBlock = 512 << 10 // large enough that restarting the window costs little ratio
)

// finalEmptyBlock ends a deflate stream: a final fixed-Huffman block holding
// only end-of-block.
var finalEmptyBlock = []byte{0x03, 0x00}

// parallelDeflate is a zip compressor that deflates fixed-size blocks
// independently on all cores. Each block ends with a sync flush, so the
// blocks concatenated in order, plus a final empty block, form one valid
// deflate stream. Cutting at fixed input offsets keeps output deterministic
// whatever the scheduling.
type parallelDeflate struct {
	dst   io.Writer
	block []byte
	jobs  chan *deflateJob // to the workers
	order chan *deflateJob // to the writer, in input order
	free  chan *deflateJob
	done  chan struct{}
	wg    sync.WaitGroup

	mu  sync.Mutex
	err error
}

type deflateJob struct {
	in    []byte
	out   bytes.Buffer
	ready chan struct{}
	err   error
}

func newParallelDeflate(dst io.Writer) (io.WriteCloser, error) {
	workers := runtime.GOMAXPROCS(0)
	n := 2*workers + 1 // enough in flight to keep every worker busy
	p := &parallelDeflate{
		dst:   dst,
		jobs:  make(chan *deflateJob, n),
		order: make(chan *deflateJob, n),
		free:  make(chan *deflateJob, n),
		done:  make(chan struct{}),
	}
	for range n {
		p.free <- &deflateJob{ready: make(chan struct{}, 1)}
	}
	for range workers {
		p.wg.Add(1)
		go p.work()
	}
	go p.write()
	return p, nil
}

func (p *parallelDeflate) work() {
	defer p.wg.Done()
	var fw *flate.Writer
	for j := range p.jobs {
		if fw == nil {
			fw, j.err = flate.NewWriter(&j.out, deflateLevel)
		} else {
			fw.Reset(&j.out)
		}
		if j.err == nil {
			_, j.err = fw.Write(j.in)
		}
		if j.err == nil {
			j.err = fw.Flush()
		}
		j.ready <- struct{}{}
	}
}

// write emits compressed blocks in input order and recycles their jobs.
func (p *parallelDeflate) write() {
	defer close(p.done)
	var err error
	for j := range p.order {
		<-j.ready
		if err == nil {
			err = j.err
		}
		if err == nil {
			_, err = p.dst.Write(j.out.Bytes())
		}
		if err != nil {
			p.mu.Lock()
			p.err = err
			p.mu.Unlock()
		}
		j.in, j.err = j.in[:0], nil
		j.out.Reset()
		p.free <- j
	}
}

func (p *parallelDeflate) firstErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *parallelDeflate) Write(b []byte) (int, error) {
	n := len(b)
	if p.block == nil && n > 0 {
		p.block = make([]byte, 0, deflateBlock)
	}
	for len(b) > 0 {
		k := copy(p.block[len(p.block):cap(p.block)], b)
		p.block, b = p.block[:len(p.block)+k], b[k:]
		if len(p.block) == cap(p.block) {
			p.submit()
		}
	}
	if err := p.firstErr(); err != nil {
		return 0, err
	}
	return n, nil
}

// submit queues the filled block and takes a spare buffer; it blocks while
// all jobs are in flight, bounding memory.
func (p *parallelDeflate) submit() {
	j := <-p.free
	if j.in == nil {
		j.in = make([]byte, 0, deflateBlock)
	}
	j.in, p.block = p.block, j.in
	p.order <- j
	p.jobs <- j
}

func (p *parallelDeflate) Close() error {
	if len(p.block) > 0 {
		p.submit()
	}
	close(p.jobs)
	close(p.order)
	<-p.done
	p.wg.Wait()
	if err := p.firstErr(); err != nil {
		return err
	}
	_, err := p.dst.Write(finalEmptyBlock)
	return err
}
