package extract

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/salesops/salesops/transform"
)

// loadXLSX loads the first sheet (or the one named sheet) of a
// workbook into table: the first non-empty row is the header, columns are
// matched by name as in CSV files, and cells are read raw (unformatted) so
// numbers keep their stored digits. A date column's number cell is
// Excel's serial day number: it is written as the date, in the format of
// consts' date_format (default %d/%m/%Y), its time of day dropped.
//
// The workbook is streamed (see workbook), within opts' limits and memory
// budget: what it inflates, what its shared strings hold, each cell and
// each row are bounded, so a small hostile file fails with the limit it
// broke instead of exhausting memory. A formula with no saved value in a
// column read fails the file: its cell reads as empty, which would pass
// for an empty discount or be rejected as "not a number".
func loadXLSX(ctx context.Context, w *transform.Warehouse, s source, opts Options, table, sheet string, cols []column, consts map[string]string) (int64, error) {
	return loadXLSXSheet(ctx, w, s, opts, table, func(wb *workbook) (string, string, error) { return wb.sheet(sheet) }, cols, consts)
}

// loadXLSXSheet is loadXLSX reading the sheet pick resolves (its part and
// name).
func loadXLSXSheet(ctx context.Context, w *transform.Warehouse, s source, opts Options, table string, pick func(*workbook) (string, string, error), cols []column, consts map[string]string) (int64, error) {
	wb, err := openWorkbook(s.Local, s.Path, opts.Limits.WithDefaults(), readerBudget(opts.MemoryLimit))
	if err != nil {
		return 0, err
	}
	defer wb.Close()
	sheetPart, sheet, err := pick(wb)
	if err != nil {
		return 0, err
	}
	sst, err := wb.sharedStrings()
	if err != nil {
		return 0, err
	}

	var (
		header []string
		pos    map[string]int
		read   []int // the columns read, left to right
		n      int64
		keys   = sortedKeys(consts)
		dates  = map[string]bool{}
		layout = strftimeLayout(consts["date_format"])
	)
	for _, c := range cols {
		dates[c.Field] = c.Date
	}
	// The appender fills columns in table order, so build full rows. (Query
	// before appending: the appender holds the warehouse connection.)
	tcols, err := tableColumns(ctx, w, table)
	if err != nil {
		return 0, err
	}
	err = w.Append(ctx, table, func(add func(...driver.Value) error) error {
		return wb.rows(ctx, sheetPart, sst, func(r *sheetRow) error {
			if header == nil {
				// Any column: the header row's cells name the columns.
				for p, k := range r.kinds {
					if k == cellUnsaved {
						return unsavedFormula(s.Path, r.line, p, "")
					}
				}
				if isEmptyRow(r.cells) {
					return nil
				}
				header = append([]string(nil), r.cells...)
				if len(header) > 0 {
					header[0] = strings.TrimPrefix(header[0], "\ufeff")
				}
				var err error
				if pos, err = mapColumns(s.Path, header, csvLayout{Header: true, Columns: cols}); err != nil {
					return err
				}
				for _, p := range pos {
					read = append(read, p)
				}
				slices.Sort(read)
				return nil
			}
			for _, p := range read {
				if p < len(r.kinds) && r.kinds[p] == cellUnsaved {
					return unsavedFormula(s.Path, r.line, p, strings.TrimSpace(header[p]))
				}
			}
			if isEmptyRow(r.cells) {
				return nil
			}
			vals := make(map[string]string, len(pos)+len(keys))
			for field, p := range pos {
				if p >= len(r.cells) {
					continue
				}
				vals[field] = r.cells[p]
				if !dates[field] {
					continue
				}
				if d, ok := wb.date(r.cells[p], r.kinds[p]); ok {
					vals[field] = d.Format(layout)
				}
			}
			for _, k := range keys {
				vals[k] = consts[k]
			}
			row := make([]driver.Value, len(tcols))
			for i, c := range tcols {
				switch c {
				case "file_id":
					row[i] = s.fileID
				case "line":
					row[i] = r.line
				default:
					if v := strings.TrimSpace(vals[c]); v != "" {
						row[i] = vals[c]
					}
				}
			}
			if err := add(row...); err != nil {
				return &PosError{File: s.Path, Line: r.line, Err: err}
			}
			n++
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	if header == nil {
		return 0, &PosError{File: s.Path, Err: fmt.Errorf("sheet %q is empty: no header row", sheet)}
	}
	if err := recordColumns(ctx, w, s.fileID, csvLayout{Header: true, Columns: cols}, header, pos); err != nil {
		return 0, err
	}
	if s.staging != "" {
		// Staged on load: the raw table holds only this file's rows (those
		// of earlier files left with them), which the model now stages.
		if n, err = w.Increment(ctx, s.staging, s.fileID); err != nil {
			return 0, &PosError{File: s.Path, Err: err}
		}
		if _, err := w.Conn.ExecContext(ctx, "DELETE FROM "+transform.QuoteIdent(table)+" WHERE file_id = ?", s.fileID); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// unsavedFormula is the error for a formula cell (column p, from 0) with
// no saved value, under the header field ("" in the header row).
func unsavedFormula(file string, line int64, p int, field string) error {
	return &PosError{File: file, Line: line, Column: p + 1, Field: field, Err: because(ErrBadValue,
		"the formula has no saved value: open the workbook in Excel (or LibreOffice) and save it, so its values are stored")}
}

// date reads a cell as a date: a number is Excel's serial day number (its
// fraction, the time of day, dropped), from 1 March 1900 (Excel counts a
// 29 February 1900 that never was) to 9999; an ISO 8601 date cell (t="d")
// its date. Any other cell is not a date.
func (wb *workbook) date(v string, kind cellKind) (time.Time, bool) {
	switch kind {
	case cellDate:
		if len(v) >= len("2006-01-02") {
			d, err := time.Parse("2006-01-02", v[:len("2006-01-02")])
			return d, err == nil
		}
	case cellNumber:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		base, first := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC), 61.0
		if wb.date1904 {
			base, first = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC), 0
		}
		if err != nil || !(f >= first && f < 3e6) { // also NaN
			return time.Time{}, false
		}
		d := base.AddDate(0, 0, int(f))
		return d, d.Year() <= 9999
	}
	return time.Time{}, false
}

// strftimeLayout is the Go layout of a date format of VendorDateFormats
// ("" is %d/%m/%Y, as read by parse_br_date).
func strftimeLayout(format string) string {
	if format == "" {
		format = "%d/%m/%Y"
	}
	return strings.NewReplacer("%d", "02", "%m", "01", "%Y", "2006").Replace(format)
}

func isEmptyRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// tableColumns lists a table's columns in order.
func tableColumns(ctx context.Context, w *transform.Warehouse, table string) ([]string, error) {
	rows, err := w.Conn.QueryContext(ctx, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// Excel's own bounds on a sheet. A cell reference beyond them is an error,
// not a reason to allocate a row of that many cells.
const (
	xlsxMaxRows = 1 << 20 // 1,048,576
	xlsxMaxCols = 1 << 14 // 16,384, column XFD
	// xlsxMaxDepth bounds element nesting in a part. SpreadsheetML nests
	// about a dozen deep; the decoder keeps a record per open element,
	// many times the three bytes "<a>" costs.
	xlsxMaxDepth = 64
	// xlsxTokenFactor: an XML token of a part may be this many times
	// MaxCellBytes, the most escaping can grow a cell's text ("&quot;"
	// for '"'), so no cell within the limit trips the token bound.
	xlsxTokenFactor = 6
)

// workbook reads an XLSX (a zip of SpreadsheetML parts) as a stream: only
// the parts a load needs are inflated (the package and workbook
// relationships, the workbook, the shared strings and the one sheet), each
// through encoding/xml token by token. Every inflated byte counts against
// MaxUnzippedBytes as it is read, whatever a zip header claims; a cell and
// a shared string against MaxCellBytes; a row's cells, summed, against
// MaxLineBytes; and any one XML token against xlsxTokenFactor × MaxCellBytes.
// (excelize, used before, inflated every part into memory and decoded a
// shared string whole before looking at its size.)
type workbook struct {
	name     string // inbox path, for errors
	file     *os.File
	parts    map[string]*zip.File // by path, lower-cased, '/'-separated
	lim      Limits
	budget   memoryBudget // what the shared strings may hold
	unzipped int64        // bytes inflated so far, all parts together
	date1904 bool         // serial dates count from 1904-01-01 (workbookPr date1904)

	wbPart string   // the workbook part, once found
	wbRels []opcRel // and its relationships
}

func openWorkbook(local, name string, lim Limits, budget memoryBudget) (*workbook, error) {
	f, err := os.Open(local)
	if err != nil {
		return nil, &PosError{File: name, Err: err}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &PosError{File: name, Err: err}
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, &PosError{File: name, Err: fmt.Errorf("open workbook: %w", err)}
	}
	wb := &workbook{name: name, file: f, parts: make(map[string]*zip.File, len(zr.File)), lim: lim, budget: budget}
	for _, zf := range zr.File {
		wb.parts[partKey(zf.Name)] = zf
	}
	return wb, nil
}

func (wb *workbook) Close() error { return wb.file.Close() }

// partKey normalises a part name: OPC names are case-insensitive, and some
// writers use '\'.
func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// opcRel is one Relationship of a .rels part, its target resolved to
// a part path.
type opcRel struct {
	id, typ, target string
}

// relationships reads the .rels part of the part named source ("" for the
// package). A missing .rels part has none.
func (wb *workbook) relationships(source string) ([]opcRel, error) {
	dir, base := path.Split(source)
	relsPart := dir + "_rels/" + base + ".rels"
	if _, ok := wb.parts[partKey(relsPart)]; !ok {
		return nil, nil
	}
	var rels []opcRel
	err := wb.parse(relsPart, func(x *xmlPart, tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			return nil
		}
		r := opcRel{id: xmlAttr(se, "Id"), typ: xmlAttr(se, "Type")}
		target := xmlAttr(se, "Target")
		if xmlAttr(se, "TargetMode") == "External" {
			return nil
		}
		if strings.HasPrefix(target, "/") {
			r.target = path.Clean(target)[1:]
		} else {
			r.target = strings.TrimPrefix(path.Clean(dir+target), "/")
		}
		rels = append(rels, r)
		return nil
	})
	return rels, err
}

// xmlAttr returns the value of the attribute with that local name, in any
// namespace (r:id is in the relationships namespace, of which transitional
// and strict OOXML have different URIs).
func xmlAttr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// workbookPart returns the path of the workbook part (the package's
// officeDocument relationship, or where every writer puts it) and its
// relationships.
func (wb *workbook) workbookPart() (string, []opcRel, error) {
	if wb.wbPart != "" {
		return wb.wbPart, wb.wbRels, nil
	}
	rels, err := wb.relationships("")
	if err != nil {
		return "", nil, err
	}
	part := "xl/workbook.xml"
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			part = r.target
			break
		}
	}
	if _, ok := wb.parts[partKey(part)]; !ok {
		return "", nil, &PosError{File: wb.name, Err: fmt.Errorf("open workbook: no %s: not an XLSX workbook", part)}
	}
	if wb.wbRels, err = wb.relationships(part); err != nil {
		return "", nil, err
	}
	wb.wbPart = part
	return part, wb.wbRels, nil
}

// sheet resolves a sheet name ("" for the first sheet, else matched
// case-insensitively, as Excel does) to its part, and returns its name.
func (wb *workbook) sheet(name string) (part, sheet string, err error) {
	return wb.resolveSheet(name, false)
}

// sheetOr is sheet(name) when the workbook has a sheet of that name, else
// its first sheet (a reviews/ workbook: the Revisão sheet of
// reconciliation.xlsx, or a hand-made list of decisions).
func sheetOr(name string) func(*workbook) (string, string, error) {
	return func(wb *workbook) (string, string, error) { return wb.resolveSheet(name, true) }
}

// resolveSheet is sheet; with orFirst, a name no sheet has resolves to the
// first sheet.
func (wb *workbook) resolveSheet(name string, orFirst bool) (part, sheet string, err error) {
	wbPart, rels, err := wb.workbookPart()
	if err != nil {
		return "", "", err
	}
	type sheetRef struct{ name, rid string }
	var sheets []sheetRef
	err = wb.parse(wbPart, func(x *xmlPart, tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		switch {
		case !ok:
		case se.Name.Local == "sheet" && x.parent() == "sheets":
			sheets = append(sheets, sheetRef{xmlAttr(se, "name"), xmlAttr(se, "id")})
		case se.Name.Local == "workbookPr" && x.depth() == 2:
			v := xmlAttr(se, "date1904")
			wb.date1904 = v == "1" || v == "true"
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	var ref *sheetRef
	for i := range sheets {
		if name == "" || strings.EqualFold(sheets[i].name, name) {
			ref = &sheets[i]
			break
		}
	}
	if ref == nil && orFirst && len(sheets) > 0 {
		ref = &sheets[0]
	}
	if ref == nil {
		names := make([]string, len(sheets))
		for i, s := range sheets {
			names[i] = strconv.Quote(s.name)
		}
		if name == "" {
			return "", "", &PosError{File: wb.name, Err: errors.New("the workbook has no sheet")}
		}
		return "", "", &PosError{File: wb.name, Err: fmt.Errorf("sheet %q: no such sheet (the workbook has %s)", name, strings.Join(names, ", "))}
	}
	for _, r := range rels {
		if r.id == ref.rid {
			if _, ok := wb.parts[partKey(r.target)]; !ok {
				break
			}
			return r.target, ref.name, nil
		}
	}
	return "", "", &PosError{File: wb.name, Err: fmt.Errorf("sheet %q: its part (relationship %q) is missing", ref.name, ref.rid)}
}

// sharedStringTable holds the workbook's shared strings end to end in
// chunks of bytes, a string never across two: a buffer and an offset per
// string cost less than a Go string each (a header and an allocation),
// which matters for a table of many short strings, and chunks grow the
// table without copying it (one buffer doubled holds up to three times
// its text while it moves). What the chunks and offsets take counts
// against the budget as the table grows.
type sharedStringTable struct {
	chunks [][]byte
	first  []int    // first[c]: the number of chunk c's first string
	ends   []uint32 // ends[i]: where string i ends in its chunk
	held   int64    // bytes allocated for chunks, first and ends
	budget int64    // bound on held; 0 for none
}

// sstChunk bounds a chunk of the shared-string table (a longer string
// has a chunk of its own); the first is sstChunkMin, each next one twice
// the last.
const (
	sstChunkMin = 64 << 10
	sstChunk    = 1 << 20
)

func (t *sharedStringTable) get(i int) (string, bool) {
	if i < 0 || i >= len(t.ends) {
		return "", false
	}
	c := sort.Search(len(t.first), func(c int) bool { return t.first[c] > i }) - 1
	var start uint32
	if i > t.first[c] {
		start = t.ends[i-1]
	}
	return string(t.chunks[c][start:t.ends[i]]), true
}

func (t *sharedStringTable) len() int { return len(t.ends) }

// add appends s; false when the table would then hold more than its
// budget.
func (t *sharedStringTable) add(s []byte) bool {
	c := len(t.chunks) - 1
	if c < 0 || len(t.chunks[c])+len(s) > cap(t.chunks[c]) {
		size := sstChunkMin
		if c >= 0 {
			size = min(2*cap(t.chunks[c]), sstChunk)
		}
		size = max(size, len(s))
		if !t.grow(int64(size)) {
			return false
		}
		t.chunks = append(t.chunks, make([]byte, 0, size))
		t.first = append(t.first, len(t.ends))
		c++
	}
	if len(t.ends) == cap(t.ends) {
		before := cap(t.ends)
		t.ends = slices.Grow(t.ends, max(len(t.ends), 1024))
		if !t.grow(4 * int64(cap(t.ends)-before)) {
			return false
		}
	}
	t.chunks[c] = append(t.chunks[c], s...)
	t.ends = append(t.ends, uint32(len(t.chunks[c])))
	return true
}

// grow counts n more bytes held; false when that is over the budget.
func (t *sharedStringTable) grow(n int64) bool {
	t.held += n
	return t.budget <= 0 || t.held <= t.budget
}

// sharedStrings reads the shared-string table: each si's text is its t, or
// its runs' t (r/t) joined; phonetic runs (rPh) are not the cell's text.
// The table is the one thing of a workbook held whole, so it counts
// against the run's memory budget as it is read, and the reading stops
// when the budget would not hold it.
func (wb *workbook) sharedStrings() (*sharedStringTable, error) {
	sst := &sharedStringTable{budget: wb.budget.bytes}
	_, rels, err := wb.workbookPart()
	if err != nil {
		return nil, err
	}
	part := ""
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			part = r.target
		}
	}
	if part == "" {
		part = "xl/sharedStrings.xml"
	}
	if _, ok := wb.parts[partKey(part)]; !ok {
		return sst, nil
	}
	var text []byte
	err = wb.parse(part, func(x *xmlPart, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "si" && x.depth() == 2 {
				text = text[:0]
			}
		case xml.CharData:
			if !x.at(1, "si") || !x.inText(1) {
				return nil
			}
			if int64(len(text)+len(t)) > wb.lim.MaxCellBytes {
				// The part, not the place in it: a user finds the string
				// in the sheet, not in the XML.
				return wb.cellLimit()
			}
			text = append(text, t...)
		case xml.EndElement:
			if t.Name.Local == "si" && x.depth() == 1 {
				s := text
				if bytes.Contains(text, []byte("_x")) {
					s = []byte(bstrUnmarshal(string(text)))
				}
				if !sst.add(s) {
					return because(ErrOverBudget, "the shared strings need more than %d bytes, the %d %% of memory_limit (%s) left beside DuckDB: save the sheet as CSV UTF-8, or raise memory_limit",
						wb.budget.bytes, wb.budget.pct, wb.budget.setting)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sst, nil
}

func (wb *workbook) cellLimit() *LimitError {
	return &LimitError{What: "a cell", Limit: wb.lim.MaxCellBytes, Key: "max_cell_bytes"}
}

// xlsxCell is the cell being read.
type xlsxCell struct {
	col   int
	typ   string // the t attribute: s, inlineStr, str, b, e, n, d or ""
	v     []byte // text of v
	is    []byte // text of is (an inline string)
	hasIS bool
	hasF  bool // a formula (f)
	hasV  bool // a value (v), even empty
}

// cellKind tells what a cell's text is, where the text alone cannot.
type cellKind uint8

const (
	cellText   cellKind = iota // a string, a boolean, an error value, or empty
	cellNumber                 // a number as stored (t absent or n)
	cellDate                   // an ISO 8601 date (t="d")
	// cellUnsaved: a formula with no saved value, as a program that
	// writes formulas without computing them leaves it; its text is empty.
	cellUnsaved
)

// sheetRow is one row of a sheet as rows reads it.
type sheetRow struct {
	line  int64      // the row number
	cells []string   // text by column: cells[0] is column A; trailing empty cells left out, but for unsaved formulas
	kinds []cellKind // what each of cells is
}

// rows streams the rows of a sheet part, calling each with the row
// (its number is its r attribute, or one more than the previous row's).
// Values are raw: a number as stored, a shared string resolved, an inline
// string's text; a boolean "0" or "1"; a formula's saved value. The row is
// reused for the next one.
func (wb *workbook) rows(ctx context.Context, part string, sst *sharedStringTable, each func(r *sheetRow) error) error {
	var (
		r        sheetRow
		rowBytes int64
		c        xlsxCell
		count    int
	)
	at := func(err error) error {
		return &PosError{File: wb.name, Line: r.line, Column: c.col, Err: err}
	}
	return wb.parse(part, func(x *xmlPart, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == "row" && x.depth() == 3 && x.at(1, "sheetData"):
				num := xmlAttr(t, "r")
				if num == "" {
					r.line++
				} else if n, err := strconv.ParseInt(num, 10, 64); err == nil && n >= 1 && n <= xlsxMaxRows {
					r.line = n
				} else {
					return x.errorf("row number %q: not between 1 and %d", num, xlsxMaxRows)
				}
				if r.line > xlsxMaxRows {
					return x.errorf("more than %d rows", xlsxMaxRows)
				}
				if count++; count%4096 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				r.cells, r.kinds, rowBytes, c.col = r.cells[:0], r.kinds[:0], 0, 0
			case t.Name.Local == "c" && x.depth() == 4 && x.at(2, "row") && x.at(1, "sheetData"):
				next := c.col + 1
				c = xlsxCell{col: next, typ: xmlAttr(t, "t"), v: c.v[:0], is: c.is[:0]}
				if ref := xmlAttr(t, "r"); ref != "" {
					col, ok := columnOf(ref)
					if !ok {
						return at(fmt.Errorf("cell reference %q: not a column (A to XFD) and a row number", ref))
					}
					c.col = col
				} else if next > xlsxMaxCols {
					return at(fmt.Errorf("more than %d cells in a row", xlsxMaxCols))
				}
			case x.depth() == 5 && x.at(3, "c") && x.at(1, "sheetData"):
				switch t.Name.Local {
				case "is":
					c.hasIS = true
				case "f":
					c.hasF = true
				case "v":
					c.hasV = true
				}
			}
		case xml.CharData:
			switch {
			case x.depth() == 5 && x.at(1, "sheetData") && x.at(3, "c") && x.at(4, "v"):
				if int64(len(c.v)+len(t)) > wb.lim.MaxCellBytes {
					return at(wb.cellLimit())
				}
				c.v = append(c.v, t...)
			case x.depth() >= 6 && x.at(1, "sheetData") && x.at(3, "c") && x.at(4, "is") && x.inText(4):
				if int64(len(c.is)+len(t)) > wb.lim.MaxCellBytes {
					return at(wb.cellLimit())
				}
				c.is = append(c.is, t...)
			}
		case xml.EndElement:
			switch {
			case t.Name.Local == "c" && x.depth() == 3 && x.at(1, "sheetData"):
				val, err := c.value(sst)
				if err != nil {
					return at(err)
				}
				kind := c.kind()
				if val == "" && kind != cellUnsaved {
					return nil
				}
				if rowBytes += int64(len(val)); rowBytes > wb.lim.MaxLineBytes {
					return at(&LimitError{What: "a row", Limit: wb.lim.MaxLineBytes, Key: "max_line_bytes"})
				}
				for len(r.cells) < c.col {
					r.cells, r.kinds = append(r.cells, ""), append(r.kinds, cellText)
				}
				r.cells[c.col-1], r.kinds[c.col-1] = val, kind
			case t.Name.Local == "row" && x.depth() == 2 && x.at(1, "sheetData"): // rows elsewhere are not data
				c.col = 0
				if err := each(&r); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// kind tells what the cell's text is.
func (c *xlsxCell) kind() cellKind {
	switch {
	case c.hasF && !c.hasV:
		return cellUnsaved
	case c.typ == "" || c.typ == "n":
		return cellNumber
	case c.typ == "d":
		return cellDate
	}
	return cellText
}

// value is the cell's raw text, as excelize reads it with RawCellValue.
func (c *xlsxCell) value(sst *sharedStringTable) (string, error) {
	switch c.typ {
	case "s":
		if len(c.v) == 0 {
			return "", nil
		}
		s := strings.TrimSpace(string(c.v))
		i, err := strconv.Atoi(s)
		if err != nil {
			return "", fmt.Errorf("shared string index %q is not a number", s)
		}
		v, ok := sst.get(i)
		if !ok {
			return "", fmt.Errorf("shared string %d: no such string (the workbook has %d)", i, sst.len())
		}
		return v, nil
	case "inlineStr":
		if c.hasIS {
			return bstrUnmarshal(string(c.is)), nil
		}
	}
	return string(c.v), nil
}

// columnOf returns the column number of a cell reference such as "AB12":
// letters A to XFD, then a row number.
func columnOf(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		b := ref[i] | 0x20 // lower case
		if b < 'a' || b > 'z' {
			break
		}
		if col = col*26 + int(b-'a'+1); col > xlsxMaxCols {
			return 0, false
		}
	}
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, d := range ref[i:] {
		if d < '0' || d > '9' {
			return 0, false
		}
	}
	return col, true
}

// bstrRE is an escaped character in SpreadsheetML text (ECMA-376 ST_Xstring):
// _xHHHH_, for characters XML 1.0 cannot hold, such as _x000D_.
var bstrRE = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal decodes _xHHHH_ escapes as excelize (lib.go, v2.11.1) does,
// so a workbook reads as it did: _x005F_ is '_', others the character, and
// an escape of no valid character (a lone surrogate) is dropped.
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	cursor := 0
	for _, m := range bstrRE.FindAllStringIndex(s, -1) {
		b.WriteString(s[cursor:m[0]])
		cursor = m[1]
		if s[m[0]:m[1]] == "_x005F_" {
			b.WriteByte('_')
			continue
		}
		v, _ := strconv.Unquote(`"\u` + s[m[0]+2:m[1]-1] + `"`)
		b.WriteString(v)
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// xmlPart is one part being decoded, with the local names of the elements
// open around the current token.
type xmlPart struct {
	name      string // part path, for errors
	dec       *xml.Decoder
	in        *partReader
	stack     []string
	tokLine   int // where the current token starts
	tokCol    int
	boundLine int // where the token the bound was last set for starts
	boundCol  int
	tokenMax  int64
}

// parse decodes a part, calling each for every token.
func (wb *workbook) parse(part string, each func(x *xmlPart, tok xml.Token) error) error {
	zf := wb.parts[partKey(part)]
	if zf == nil {
		return &PosError{File: wb.name, Err: fmt.Errorf("%s: missing part", part)}
	}
	rc, err := zf.Open()
	if err != nil {
		return &PosError{File: wb.name, Err: fmt.Errorf("%s: %w", part, err)}
	}
	defer rc.Close()
	in := &partReader{r: bufio.NewReader(&inflated{wb: wb, r: rc})}
	x := &xmlPart{name: part, dec: xml.NewDecoder(in), in: in, tokenMax: xlsxTokenFactor * wb.lim.MaxCellBytes}
	// Strict with no entity map (the defaults, set because safety rests on
	// them): a DOCTYPE's entities are never expanded.
	x.dec.Strict, x.dec.Entity = true, nil
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err == nil {
			err = each(x, tok)
		}
		if err != nil {
			return wb.partError(x, err)
		}
	}
}

// partError places an error of a part: limits and XML errors are
// reported with the part (and where known the position in it); positioned
// errors (a cell's) and ctx's are returned as they are.
func (wb *workbook) partError(x *xmlPart, err error) error {
	var pe *PosError
	if errors.As(err, &pe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pp *partPosError
	switch {
	case errors.Is(err, errUnzipped):
		err = &LimitError{What: "unzipped parts", Limit: wb.lim.MaxUnzippedBytes, Key: "max_unzipped_bytes"}
	case errors.Is(err, errTokenBound):
		err = &LimitError{What: "an XML token", Limit: x.tokenMax, Key: fmt.Sprintf("max_cell_bytes × %d", xlsxTokenFactor)}
		return &PosError{File: wb.name, Err: fmt.Errorf("%s:%d:%d: %w", x.name, x.boundLine, x.boundCol, err)}
	case errors.As(err, &pp):
		return &PosError{File: wb.name, Err: fmt.Errorf("%s:%d:%d: %w", x.name, pp.line, pp.col, pp.err)}
	}
	return &PosError{File: wb.name, Err: fmt.Errorf("%s: %w", x.name, err)}
}

// errorf is an error at the current token of the part.
func (x *xmlPart) errorf(format string, args ...any) error {
	return &partPosError{line: x.tokLine, col: x.tokCol, err: fmt.Errorf(format, args...)}
}

// partPosError is an error at a line and column of a part; partError
// names the part.
type partPosError struct {
	line, col int
	err       error
}

func (e *partPosError) Error() string { return fmt.Sprintf("%d:%d: %v", e.line, e.col, e.err) }
func (e *partPosError) Unwrap() error { return e.err }

// next returns the next token, keeping the stack of open elements and
// setting the bound on the token's bytes.
func (x *xmlPart) next() (xml.Token, error) {
	x.tokLine, x.tokCol = x.dec.InputPos()
	// Once the bound is hit the decoder may still return the text read up
	// to it before the error; the bound and its position stay as they were.
	if !x.in.hit {
		x.in.stop = x.dec.InputOffset() + x.tokenMax
		x.boundLine, x.boundCol = x.tokLine, x.tokCol
	}
	tok, err := x.dec.Token()
	if err != nil {
		if errors.Is(err, errPartBound) {
			return nil, errTokenBound
		}
		if errors.Is(err, x.in.err) && x.in.err != nil {
			return nil, x.in.err
		}
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(x.stack) >= xlsxMaxDepth {
			return nil, x.errorf("elements nested more than %d deep", xlsxMaxDepth)
		}
		x.stack = append(x.stack, t.Name.Local)
	case xml.EndElement:
		x.stack = x.stack[:len(x.stack)-1]
	}
	return tok, nil
}

// depth is the number of elements open.
func (x *xmlPart) depth() int { return len(x.stack) }

// at reports whether the element open at depth i (0 is the root) is name.
func (x *xmlPart) at(i int, name string) bool { return i < len(x.stack) && x.stack[i] == name }

// parent is the local name of the innermost open element.
func (x *xmlPart) parent() string {
	if len(x.stack) < 2 {
		return ""
	}
	return x.stack[len(x.stack)-2]
}

// inText reports whether the current text belongs to the string whose
// element is open at depth i: its own t, or a run's (r/t); a phonetic
// run's (rPh/t) is not part of it.
func (x *xmlPart) inText(i int) bool {
	rest := x.stack[min(i+1, len(x.stack)):]
	switch len(rest) {
	case 1:
		return rest[0] == "t"
	case 2:
		return rest[0] == "r" && rest[1] == "t"
	}
	return false
}

var (
	// errUnzipped: the workbook inflated more than MaxUnzippedBytes.
	errUnzipped = errors.New("unzipped bound reached")
	// errPartBound: partReader reached its stop; next turns it into
	// errTokenBound.
	errPartBound  = errors.New("token bound reached")
	errTokenBound = errors.New("token too long")
)

// inflated counts the bytes a part inflates against the workbook's
// MaxUnzippedBytes, and never hands on more: at most one byte past the
// limit is inflated.
type inflated struct {
	wb *workbook
	r  io.Reader
}

func (f *inflated) Read(b []byte) (int, error) {
	left := f.wb.lim.MaxUnzippedBytes - f.wb.unzipped
	if int64(len(b)) > left+1 {
		b = b[:left+1]
	}
	n, err := f.r.Read(b)
	if f.wb.unzipped += int64(n); f.wb.unzipped > f.wb.lim.MaxUnzippedBytes {
		return 0, errUnzipped
	}
	return n, err
}

// partReader feeds the decoder. Being an io.ByteReader, it is read byte by
// byte with no buffer of the decoder's own in between, so it sees exactly
// what the decoder has consumed and can stop it at stop: that bounds what
// one token can make the decoder hold.
type partReader struct {
	r    *bufio.Reader
	n    int64 // bytes handed to the decoder
	stop int64
	hit  bool  // stop was reached
	err  error // the read error, if any
}

func (p *partReader) ReadByte() (byte, error) {
	if p.n >= p.stop {
		p.hit = true
		return 0, errPartBound
	}
	b, err := p.r.ReadByte()
	if err != nil {
		if err != io.EOF {
			p.err = err
		}
		return 0, err
	}
	p.n++
	return b, nil
}

// Read is never called by the decoder (it uses ReadByte); it is here
// because NewDecoder takes an io.Reader, and it keeps the same bound.
func (p *partReader) Read(b []byte) (int, error) {
	for i := range b {
		c, err := p.ReadByte()
		if err != nil {
			return i, err
		}
		b[i] = c
	}
	return len(b), nil
}
