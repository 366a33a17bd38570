package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/salesops/salesops/transform"
)

// column maps one raw-table column to a source column, found by header name
// (case-insensitive, any of Names) or, in files without a header, by Index.
type column struct {
	Field    string
	Names    []string
	Index    int
	Required bool
	// Date: a workbook's number cell here is Excel's serial day number,
	// read as that date (see loadXLSX).
	Date bool
}

// csvLayout describes a delimited file kind.
type csvLayout struct {
	Delim    rune
	Header   bool
	Encoding string // "utf-8", "windows-1252", or "" to detect (UTF-8 unless invalid)
	Columns  []column
	// MaxLine bounds one line in bytes (a record, its quoted line breaks
	// included, as DuckDB's max_line_size counts it); 0 is the default of
	// Limits.MaxLineBytes.
	MaxLine int64
}

// source is one file being loaded.
type source struct {
	File
	fp      fingerprint
	fileID  int64
	staging string // the kind's incremental staging model, if any (Kind.Staging)
}

// loadCSV loads a delimited file into table with DuckDB's read_csv: Go only
// reads the first bytes and the header, to map columns by name and fail
// early, saying what the file looks like, when it is not the CSV expected.
// consts are extra raw columns with one value for every row.
func loadCSV(ctx context.Context, w *transform.Warehouse, s source, table string, lay csvLayout, consts map[string]string) (int64, error) {
	if !utf8.ValidString(s.Path) {
		return 0, fileNameError(s.Path)
	}
	maxLine := lay.MaxLine
	if maxLine <= 0 {
		maxLine = Limits{}.WithDefaults().MaxLineBytes
	}
	// Before any recoding: a UTF-16 file is not valid UTF-8, so it would be
	// "recoded" from Windows-1252 into a header that lacks every column.
	if err := sniffContent(s.File, lay.Encoding); err != nil {
		return 0, err
	}
	local := s.Local
	enc := lay.Encoding
	if enc == "" {
		enc = "utf-8"
		if !s.fp.UTF8 {
			enc = "windows-1252"
		}
	}
	switch strings.ToLower(enc) {
	case "utf-8", "utf8":
	case "windows-1252", "cp1252", "latin1", "iso-8859-1":
		// DuckDB reads UTF-8; recode to a temporary copy first.
		tmp, err := recode1252(s.File, lay.Encoding == "")
		if err != nil {
			return 0, err
		}
		defer os.Remove(tmp)
		local = tmp
	default:
		return 0, &PosError{File: s.Path, Err: fmt.Errorf("unsupported encoding %q", enc)}
	}

	first, err := readFirstRecord(local, lay.Delim, maxLine)
	if err != nil {
		return 0, &PosError{File: s.Path, Line: 1, Err: err}
	}
	var header []string
	if lay.Header {
		if first == nil {
			return 0, &PosError{File: s.Path, Line: 1, Err: errors.New("empty file: no header line")}
		}
		if header, err = splitRecord(first, lay.Delim); err != nil {
			return 0, &PosError{File: s.Path, Line: 1, Err: fmt.Errorf("header: %w", err)}
		}
	}
	pos, err := mapColumns(s.Path, header, lay)
	if err != nil {
		if derr := wrongDelimiter(s.Path, first, lay); derr != nil {
			return 0, derr
		}
		return 0, err
	}
	width := len(header)
	if !lay.Header {
		for _, p := range pos {
			if p+1 > width {
				width = p + 1
			}
		}
		if derr := wrongDelimiter(s.Path, first, lay); derr != nil {
			return 0, derr
		}
	}
	colDefs := make([]string, 0, width)
	for i := 0; i < width; i++ {
		colDefs = append(colDefs, fmt.Sprintf("'c%d': 'VARCHAR'", i))
	}
	// Each raw field's expression over read_csv's columns c0..cN.
	exprs := map[string]string{"file_id": fmt.Sprint(s.fileID), "line": "0"} // line: set below from the row ids
	for _, c := range lay.Columns {
		if p, ok := pos[c.Field]; ok {
			exprs[c.Field] = fmt.Sprintf("c%d", p)
		}
	}
	for k, v := range consts {
		exprs[k] = transform.QuoteString(v)
	}
	// DuckDB v1.5.6 fails a line of max_line_size bytes (not only a longer
	// one), and counts a \r\n line's \r: two bytes more make its limit
	// the line's bytes without their end, as ours (give or take one byte:
	// a \n file's line of maxLine+1 bytes passes).
	reader := fmt.Sprintf("read_csv(%s, delim=%s, quote='\"', escape='\"', header=%t, auto_detect=false, max_line_size=%d, columns={%s})",
		transform.QuoteString(local), transform.QuoteString(string(lay.Delim)), lay.Header, maxLine+2, strings.Join(colDefs, ", "))
	lines, err := physicalLines(s)
	if err != nil {
		return 0, err
	}
	// From here on the file is read where it is in UTF-8, with the limit.
	s.Local, lay.MaxLine = local, maxLine
	var rows int64
	if s.staging != "" {
		rows, err = stageRows(ctx, w, s, table, exprs, reader, lines, lay, width)
	} else {
		rows, err = insertRows(ctx, w, s, table, exprs, reader, lines, lay, width)
	}
	if err != nil {
		var pe *PosError
		if errors.As(err, &pe) {
			return 0, err
		}
		return 0, csvError(s.Path, local, lay, maxLine, err)
	}
	if err := recordColumns(ctx, w, s.fileID, lay, header, pos); err != nil {
		return 0, err
	}
	return rows, nil
}

// insertRows appends one file's raw rows, each field's expression over
// reader, to table, and numbers their lines. Fields without an expression
// are NULL.
func insertRows(ctx context.Context, w *transform.Warehouse, s source, table string, exprs map[string]string, reader string, lines int64, lay csvLayout, width int) (int64, error) {
	fields, values := make([]string, 0, len(exprs)), make([]string, 0, len(exprs))
	for _, f := range sortedKeys(exprs) {
		fields = append(fields, transform.QuoteIdent(f))
		values = append(values, exprs[f])
	}
	res, err := w.Conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s",
		transform.QuoteIdent(table), strings.Join(fields, ", "), strings.Join(values, ", "), reader))
	if err != nil {
		return 0, err
	}
	rows, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	// Line numbers come from the row ids: DuckDB appends an INSERT ... SELECT
	// in the reader's order (insertion order is preserved), one id after the
	// other, so the k-th record of the file has the k-th id of its rows.
	// A row_number() window would do the same single-threaded, at twice the
	// cost of the whole load on a million rows.
	q := transform.QuoteIdent(table)
	if lineARecord(lines, rows, lay) {
		return rows, numberLines(ctx, w, q, s.fileID, lay)
	}
	rl, err := recordLines(ctx, w, s, reader, lines, lay, width)
	if err != nil {
		return 0, err
	}
	defer dropTemp(ctx, w, rl)
	_, err = w.Conn.ExecContext(ctx, fmt.Sprintf(`
		UPDATE %s SET line = l.line
		FROM %s l
		WHERE %s.file_id = ? AND %s.rowid - (SELECT min(rowid) FROM %s WHERE file_id = ?) + 1 = l.rn`,
		q, rl, q, q, q), s.fileID, s.fileID)
	return rows, err
}

// stageRows runs the kind's staging model over one file's raw rows into the
// file's table of the model (transform.Increment), with table shadowed by a
// temp view of the file, so the raw text is never stored in the warehouse.
//
// The rows reach the model with their line numbers: a staging model need
// not keep the file's order. DuckDB v1.5.6 plans an IN list of constants as
// a hash MARK join, so stg_erp_orders (order_type not in (...)) came out of
// a 600,000-line file with up to all rows on the wrong line when its table's
// row ids were taken for line numbers. Unless stageInOrder applies, the raw
// rows first go to a temp table, whose row ids follow the reader as an
// INSERT's do (insertRows), and the view gives each its line.
func stageRows(ctx context.Context, w *transform.Warehouse, s source, table string, exprs map[string]string, reader string, lines int64, lay csvLayout, width int) (int64, error) {
	cols, err := tableColumns(ctx, w, table)
	if err != nil {
		return 0, err
	}
	reads, err := stagingReads(ctx, w, s.staging, cols)
	if err != nil {
		return 0, err
	}
	// Each raw column's value: its field, or NULL when the model does not
	// read it or the file has no such column.
	value := func(c string) string {
		e, ok := exprs[c]
		switch {
		case c == "line":
			return ""
		case !reads[c]:
			return "NULL::VARCHAR"
		case c == "file_id":
			return "CAST(" + e + " AS BIGINT)"
		case !ok:
			return "NULL::VARCHAR"
		}
		return e
	}
	view := transform.QuoteIdent(table)
	defer func() { _, _ = w.Conn.ExecContext(ctx, "DROP VIEW IF EXISTS temp.main."+view) }()

	n, ok, err := stageInOrder(ctx, w, s, table, cols, value, reader, lines, lay)
	if err != nil || ok {
		return n, err
	}
	slog.Debug(twoPasses, "file", s.Path, "model", s.staging)

	sel := make([]string, 0, len(cols))
	for _, c := range cols {
		if c != "line" && reads[c] {
			sel = append(sel, value(c)+" AS "+transform.QuoteIdent(c))
		}
	}
	const raw = "salesops_file_rows"
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+raw+" AS SELECT "+strings.Join(sel, ", ")+" FROM "+reader); err != nil {
		return 0, err
	}
	defer dropTemp(ctx, w, raw)
	// A temp table's row ids need not start at 0 (they start at 2^55).
	var rows, first int64
	if err := w.Conn.QueryRowContext(ctx, "SELECT count(*), coalesce(min(rowid), 0) FROM "+raw).Scan(&rows, &first); err != nil {
		return 0, err
	}
	// The view's columns in the raw table's order, line included.
	proj := make([]string, len(cols))
	for i, c := range cols {
		proj[i] = "r." + transform.QuoteIdent(c)
		if c != "line" && !reads[c] {
			proj[i] = "NULL::VARCHAR AS " + transform.QuoteIdent(c)
		}
	}
	var from string
	if lineARecord(lines, rows, lay) {
		from = fmt.Sprintf("(SELECT *, rowid - %d + %d AS line FROM %s) r", first, 1+headerLines(lay), raw)
	} else {
		rl, err := recordLines(ctx, w, s, reader, lines, lay, width)
		if err != nil {
			return 0, err
		}
		defer dropTemp(ctx, w, rl)
		from = fmt.Sprintf("(SELECT t.*, l.line FROM %s t JOIN %s l ON t.rowid - %d + 1 = l.rn) r", raw, rl, first)
	}
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+view+" AS SELECT "+strings.Join(proj, ", ")+" FROM "+from); err != nil {
		return 0, err
	}
	if n, err = w.Increment(ctx, s.staging, s.fileID); err == nil && n != rows {
		err = fmt.Errorf("staging model %s kept %d of the file's %d records", s.staging, n, rows)
	}
	return n, err
}

// twoPasses is the debug message of a staged load that could not take the
// one pass (stageInOrder); the tests look for it.
const twoPasses = "stage in two passes"

// stageInOrder is stageRows in one pass, with no temp table: the staging
// model reads the file itself, and the row ids of the file's table number
// the lines, as insertRows does. It applies when the model keeps the
// reader's order (transform.Warehouse.IncrementKeepsOrder) and every line
// of the file is one record, which the count tells once the rows are in:
// one more line than records means a record spans lines (or a line is
// blank), and the rows are dropped for the two passes, which number the
// lines of each record. ok says whether the rows are in.
//
// On the 1M-row Microsoft price list, the two passes took 1.7 s (raw) and
// 2.4 s (typed), this one 3.0 s and 0.06 s to number the lines.
func stageInOrder(ctx context.Context, w *transform.Warehouse, s source, table string, cols []string, value func(string) string, reader string, lines int64, lay csvLayout) (n int64, ok bool, err error) {
	proj := make([]string, len(cols))
	for i, c := range cols {
		e := value(c)
		if c == "line" {
			e = "NULL::BIGINT" // set below, from the row ids
		}
		proj[i] = e + " AS " + transform.QuoteIdent(c)
	}
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+transform.QuoteIdent(table)+" AS SELECT "+strings.Join(proj, ", ")+" FROM "+reader); err != nil {
		return 0, false, err
	}
	if keeps, err := w.IncrementKeepsOrder(ctx, s.staging); err != nil || !keeps {
		return 0, false, err
	}
	if n, err = w.Increment(ctx, s.staging, s.fileID); err != nil {
		return 0, false, err
	}
	if !lineARecord(lines, n, lay) {
		return 0, false, w.ForgetIncrement(ctx, s.staging, s.fileID)
	}
	part := "main." + transform.QuoteIdent(transform.IncrementTable(s.staging, s.fileID))
	if err := numberLines(ctx, w, part, s.fileID, lay); err != nil {
		return 0, false, err
	}
	return n, true, nil
}

// lineARecord tells whether a file of lines physical lines, read as
// records records after its header, has no record over more than one
// line, so that the k-th record is on the header's lines + k. A quoted
// field over several lines (or a blank line) leaves more lines than
// records. insertRows, stageRows and stageInOrder all decide with it.
func lineARecord(lines, records int64, lay csvLayout) bool {
	return lines <= records+headerLines(lay)
}

// numberLines sets the line of file fileID's rows in table (quoted) from
// their row ids, for a file whose every line is a record: the rows were
// appended in the file's order, one id after the other. Row ids need not
// start at 0: within the load's transaction they start at about 2^55
// (36,028,797,018,960,000), as a temp table's do.
func numberLines(ctx context.Context, w *transform.Warehouse, table string, fileID int64, lay csvLayout) error {
	_, err := w.Conn.ExecContext(ctx, fmt.Sprintf(
		"UPDATE %[1]s SET line = rowid - (SELECT min(rowid) FROM %[1]s WHERE file_id = ?) + ? WHERE file_id = ?", table),
		fileID, 1+headerLines(lay), fileID)
	return err
}

// stagingReads tells which of the raw columns cols staging model name
// reads: those its SQL names, and those it outputs under their own name (as
// a SELECT * would). The loader copies only these: a Microsoft bill has 46
// columns, of which its staging model reads 23, and a 333,000-line bill
// file loaded in 3.7-4.2 s instead of 3.6-6.6 s.
func stagingReads(ctx context.Context, w *transform.Warehouse, name string, cols []string) (map[string]bool, error) {
	models, err := transform.Models()
	if err != nil {
		return nil, err
	}
	m, ok := models[name]
	if !ok {
		return nil, fmt.Errorf("no staging model %s", name)
	}
	out, err := tableColumns(ctx, w, name) // the model's view
	if err != nil {
		return nil, err
	}
	reads := map[string]bool{}
	for _, c := range cols {
		named, err := regexp.MatchString(`(?i)\b`+regexp.QuoteMeta(c)+`\b`, m.SQL)
		reads[c] = c == "file_id" || slices.Contains(out, c) || named || err != nil
	}
	return reads, nil
}

// recordLines is for a file where a quoted field spans lines (the '\n'
// count gave it away): a temp table of each record's number (rn, from 1) and
// first line, 1 + the lines of the records before it.
func recordLines(ctx context.Context, w *transform.Warehouse, s source, reader string, lines int64, lay csvLayout, width int) (string, error) {
	var all []string
	for i := 0; i < width; i++ {
		all = append(all, fmt.Sprintf("coalesce(c%d, '')", i))
	}
	nl := fmt.Sprintf("length(concat(%s)) - length(replace(concat(%s), chr(10), ''))", strings.Join(all, ", "), strings.Join(all, ", "))
	const rl = "salesops_record_lines"
	_, err := w.Conn.ExecContext(ctx, fmt.Sprintf(`
		CREATE OR REPLACE TEMP TABLE %s AS
		SELECT rn, rn + ? + coalesce(sum(nl) OVER (ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line, nl
		FROM (SELECT row_number() OVER () AS rn, %s AS nl FROM %s)`, rl, nl, reader), headerLines(lay))
	if err != nil {
		return "", err
	}
	var last int64
	if err := w.Conn.QueryRowContext(ctx, "SELECT coalesce(max(line + nl), ?) FROM "+rl, headerLines(lay)).Scan(&last); err != nil {
		dropTemp(ctx, w, rl)
		return "", err
	}
	// DuckDB v1.5.6 drops, without an error, a last record longer than
	// its read buffers (about 32 MB): the records then end before the
	// file does. Trailing blank lines do the same harmlessly, hence the
	// look for the long line before failing.
	if last < lines {
		if r, ok := findRecord(s.Local, lay.Delim, func(r scannedRecord) bool { return r.size > lay.MaxLine }); ok {
			dropTemp(ctx, w, rl)
			return "", &PosError{File: s.Path, Line: r.line, Err: lineTooLong(lay.MaxLine)}
		}
	}
	return rl, nil
}

// dropTemp drops a temp table of the load; it is gone with the connection
// anyway, so a failure only costs memory.
func dropTemp(ctx context.Context, w *transform.Warehouse, name string) {
	_, _ = w.Conn.ExecContext(ctx, "DROP TABLE IF EXISTS temp.main."+name)
}

// physicalLines is how many lines the file has: its '\n's, and one more
// when the last line has no line end (one byte read to tell).
func physicalLines(s source) (int64, error) {
	if s.Size == 0 {
		return 0, nil
	}
	f, err := os.Open(s.Local)
	if err != nil {
		return 0, &PosError{File: s.Path, Err: err}
	}
	defer f.Close()
	var last [1]byte
	if _, err := f.ReadAt(last[:], s.Size-1); err != nil {
		return 0, &PosError{File: s.Path, Err: err}
	}
	if last[0] != '\n' {
		return s.fp.Newlines + 1, nil
	}
	return s.fp.Newlines, nil
}

func headerLines(lay csvLayout) int64 {
	if lay.Header {
		return 1
	}
	return 0
}

// mapColumns finds each column's 0-based position.
func mapColumns(file string, header []string, lay csvLayout) (map[string]int, error) {
	pos := map[string]int{}
	if !lay.Header {
		for _, c := range lay.Columns {
			pos[c.Field] = c.Index
		}
		return pos, nil
	}
	index := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[k]; !dup {
			index[k] = i
		}
	}
	for _, c := range lay.Columns {
		found := false
		for _, n := range c.Names {
			if i, ok := index[strings.ToLower(n)]; ok {
				pos[c.Field] = i
				found = true
				break
			}
		}
		if !found && c.Required {
			return nil, missingColumn(file, c.Names[0])
		}
	}
	return pos, nil
}

func recordColumns(ctx context.Context, w *transform.Warehouse, fileID int64, lay csvLayout, header []string, pos map[string]int) error {
	for _, c := range lay.Columns {
		p, ok := pos[c.Field]
		if !ok {
			continue
		}
		name := fmt.Sprintf("column %d", p+1)
		switch {
		case p < len(header):
			name = strings.TrimSpace(header[p])
		case len(c.Names) > 0:
			name = c.Names[0]
		}
		if _, err := w.Conn.ExecContext(ctx, "INSERT INTO file_columns VALUES (?, ?, ?, ?)", fileID, c.Field, name, p+1); err != nil {
			return err
		}
	}
	return nil
}

// readFirstRecord returns the file's first record (the header, when it has
// one) as bytes, without a UTF-8 byte-order mark or line end; nil for an
// empty file. The record ends at an unquoted \n or \r, as DuckDB ends one:
// a file with Mac line ends (\r only) is read by DuckDB, so its header
// must be too. It reads at most max bytes: DuckDB's max_line_size does not
// cover the header line.
func readFirstRecord(path string, delim rune, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	var rec []byte
	q := newQuoteState(delim)
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return rec, nil
		}
		if err != nil {
			return nil, err
		}
		if !q.step(c) && (c == '\n' || c == '\r') {
			if rec == nil {
				rec = []byte{}
			}
			return rec, nil
		}
		if int64(len(rec)) == max {
			return nil, lineTooLong(max)
		}
		rec = append(rec, c)
	}
}

// splitRecord splits one record into its fields.
func splitRecord(rec []byte, delim rune) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(rec))
	r.Comma = delim
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	fields, err := r.Read()
	if err == io.EOF {
		return []string{""}, nil
	}
	return fields, err
}

func lineTooLong(max int64) error {
	return because(ErrLineTooLong, "a line longer than %d bytes (limits.max_line_bytes)", max)
}

// sniffHead is how much of a file sniffContent looks at.
const sniffHead = 4 << 10

// sniffContent tells, from the first bytes, a file that is no CSV text
// DuckDB can read: UTF-16 or UTF-32 (Excel's "Unicode Text"), a workbook
// saved with a .csv name, or other binary data. Without it the header of
// such a file "lacks" every column. encoding is the layout's (what to tell
// the user to save the file as).
func sniffContent(f File, encoding string) error {
	in, err := os.Open(f.Local)
	if err != nil {
		return &PosError{File: f.Path, Err: err}
	}
	defer in.Close()
	head := make([]byte, sniffHead)
	n, err := io.ReadFull(in, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return &PosError{File: f.Path, Err: err}
	}
	head = head[:n]
	advice := saveAs(encoding)
	for _, b := range []struct{ bom, name string }{
		// UTF-32 LE first: its mark starts with UTF-16 LE's.
		{"\xff\xfe\x00\x00", "UTF-32"}, {"\x00\x00\xfe\xff", "UTF-32"},
		{"\xff\xfe", "UTF-16"}, {"\xfe\xff", "UTF-16"},
	} {
		if bytes.HasPrefix(head, []byte(b.bom)) {
			return &PosError{File: f.Path, Line: 1, Err: because(ErrNotCSV, "the file is %s (byte-order mark % X): %s", b.name, b.bom, advice)}
		}
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return &PosError{File: f.Path, Err: because(ErrNotCSV, "looks binary (a ZIP archive, as an .xlsx workbook is), not a CSV: %s", advice)}
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return &PosError{File: f.Path, Err: because(ErrNotCSV, "looks binary (an OLE2 file, as an .xls workbook is), not a CSV: %s", advice)}
	case bytes.IndexByte(head, 0) < 0:
		return nil
	}
	// UTF-16 without a byte-order mark: text in Latin script has a NUL in
	// every other byte, and only there.
	var nul [2]int
	for i, c := range head {
		if c == 0 {
			nul[i%2]++
		}
	}
	if half := len(head) / 2; half > 0 && (nul[0] == 0 && nul[1] >= half*9/10 || nul[1] == 0 && nul[0] >= half*9/10) {
		return &PosError{File: f.Path, Line: 1, Err: because(ErrNotCSV, "the file is UTF-16 (no byte-order mark, a NUL in every other byte): %s", advice)}
	}
	return &PosError{File: f.Path, Err: because(ErrNotCSV, "looks binary (NUL bytes in the first 4 KiB), not a CSV")}
}

// saveAs tells how to save a file for a layout's encoding.
func saveAs(encoding string) string {
	switch strings.ToLower(encoding) {
	case "utf-8", "utf8":
		return "save it as CSV UTF-8"
	case "windows-1252", "cp1252", "latin1", "iso-8859-1":
		return "save it as CSV in Windows-1252"
	}
	return "save it as CSV UTF-8 or Windows-1252"
}

// delimiters are the separators spreadsheets save CSV with, by locale.
var delimiters = []struct {
	r         rune
	one, many string
}{{',', "comma", "commas"}, {';', "semicolon", "semicolons"}, {'\t', "tab", "tabs"}, {'|', "vertical bar", "vertical bars"}}

// wrongDelimiter explains a first record that splits into too few columns
// with the layout's delimiter, when another one would have found them: a
// list saved with the separator of another locale. nil when no other
// delimiter does better.
func wrongDelimiter(file string, first []byte, lay csvLayout) error {
	cur, err := splitRecord(first, lay.Delim)
	if err != nil || len(first) == 0 {
		return nil
	}
	// score: required columns found (header), or columns (no header).
	score := func(fields []string) int {
		if !lay.Header {
			return len(fields)
		}
		return len(lay.Columns) - len(missingRequired(fields, lay))
	}
	want := 0
	if !lay.Header {
		for _, c := range lay.Columns {
			want = max(want, c.Index+1)
		}
		if len(cur) >= want {
			return nil
		}
	}
	best, found := -1, 0
	for i, d := range delimiters {
		n := countUnquoted(first, d.r)
		if d.r == lay.Delim || n <= found {
			continue
		}
		alt, err := splitRecord(first, d.r)
		if err != nil || score(alt) <= score(cur) || !lay.Header && len(alt) < want {
			continue
		}
		best, found = i, n
	}
	if best < 0 {
		return nil
	}
	d := delimiters[best]
	noun, what := d.many, "line"
	if found == 1 {
		noun = d.one
	}
	columns := "columns"
	if len(cur) == 1 {
		columns = "column"
	}
	var expected string
	if lay.Header {
		what = "header"
		missing := missingRequired(cur, lay)
		q := make([]string, 0, 4)
		for i, m := range missing {
			if i == 3 {
				q = append(q, "…")
				break
			}
			q = append(q, fmt.Sprintf("%q", m))
		}
		expected = strings.Join(q, ", ")
	} else {
		expected = fmt.Sprintf("%d columns", want)
	}
	return &PosError{File: file, Line: 1, Err: because(ErrNotCSV, "%s has %d %s split by %q but the file's delimiter looks like %q (found %d %s): expected %s",
		what, len(cur), columns, string(lay.Delim), string(d.r), found, noun, expected)}
}

// missingRequired lists the first name of each required column a header
// lacks, in the layout's order.
func missingRequired(header []string, lay csvLayout) []string {
	have := map[string]bool{}
	for _, h := range header {
		have[strings.ToLower(strings.TrimSpace(h))] = true
	}
	var missing []string
	for _, c := range lay.Columns {
		if !c.Required {
			continue
		}
		found := false
		for _, n := range c.Names {
			found = found || have[strings.ToLower(n)]
		}
		if !found {
			missing = append(missing, c.Names[0])
		}
	}
	return missing
}

// countUnquoted counts the delimiter d in rec outside quoted fields.
func countUnquoted(rec []byte, d rune) int {
	n := 0
	q := newQuoteState(d)
	for _, c := range rec {
		if !q.step(c) && rune(c) == d {
			n++
		}
	}
	return n
}

// quoteState follows double quotes through a record as DuckDB's reader
// and encoding/csv's LazyQuotes do: a quote opens a quoted field only at
// the start of a field (elsewhere it is a character); in one, a quote
// closes it, unless the next is one too (an escaped quote).
type quoteState struct {
	delim   byte // 0 for a delimiter beyond ASCII: fields then start only with the record
	quoted  bool
	closed  bool // the last byte closed a quoted field
	atStart bool
}

func newQuoteState(delim rune) quoteState {
	q := quoteState{atStart: true}
	if delim < utf8.RuneSelf {
		q.delim = byte(delim)
	}
	return q
}

// step takes the next byte of a record and tells whether it is inside
// a quoted field (the quotes themselves count as inside).
func (q *quoteState) step(c byte) bool {
	closed := q.closed
	q.closed = false
	switch {
	case q.quoted:
		if c == '"' {
			q.quoted, q.closed = false, true
			return true
		}
		return true
	case c == '"' && (q.atStart || closed):
		q.quoted, q.atStart = true, false
		return true
	}
	q.atStart = q.delim != 0 && c == q.delim
	return false
}

// newRecord is called after a record's line end.
func (q *quoteState) newRecord() { *q = quoteState{delim: q.delim, atStart: true} }

// DuckDB's read_csv errors are its only report of where a file went wrong,
// so loadCSV reads their text. Written for DuckDB v1.5.6 (duckdb-go
// v2.10506.0); messages_test.go fails if one of them changes.
var (
	// "CSV Error on Line: 12": the record number, header included, not
	// the file's line when a quoted field spans lines.
	duckCSVLine = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	// The errors told in words of our own, by the start of a line of
	// DuckDB's: a record with another number of fields than the header
	// (loadCSV counts them again), and a quote never closed.
	duckColumns      = "Expected Number of Columns"
	duckUnterminated = "Value with unterminated quote"
	// Bytes that are not UTF-8, in a kind whose encoding is fixed to it.
	duckInvalidUnicode = "Invalid unicode"
	// A record longer than max_line_size.
	duckLineSize = "Maximum line size of"
	// A record longer than the parallel reader's buffers (about 32 MB):
	// DuckDB gives no line, and no line-size error either.
	duckBufferTooSmall = "does not support a full read on this file"
)

// csvError turns DuckDB's multi-line error on file (read from local) into
// one positioned line. It reads the file again to place the error (on this
// failure path only, so no load pays for it): DuckDB numbers records, not
// lines; a line over its buffers has no number at all; and a file with
// mixed line endings fails, in strict mode, with no line or with one that
// blames a quote or the column count, where the cause is the line ends
// (DuckDB takes the newline of the first line for the whole file, and its
// strict_mode=false, which reads mixed ends, also drops extra columns
// without a word, so it is not used).
func csvError(file, local string, lay csvLayout, maxLine int64, err error) error {
	delim := lay.Delim
	msg := err.Error()
	if !strings.Contains(msg, "CSV") && !strings.Contains(msg, duckBufferTooSmall) {
		return &PosError{File: file, Err: err}
	}
	if strings.Contains(msg, duckLineSize) || strings.Contains(msg, duckBufferTooSmall) {
		if r, ok := findRecord(local, delim, func(r scannedRecord) bool { return r.size > maxLine }); ok {
			return &PosError{File: file, Line: r.line, Err: lineTooLong(maxLine)}
		}
	}
	var first scannedRecord
	mixed, ok := findRecord(local, delim, func(r scannedRecord) bool {
		if r.ending == "" {
			return false
		}
		if first.ending == "" {
			first = r
		}
		return r.ending != first.ending
	})
	if ok {
		return &PosError{File: file, Line: mixed.endLine, Err: because(ErrNotCSV, "mixed line endings (%s at line %d, %s at line %d)",
			escapeEnding(first.ending), first.endLine, escapeEnding(mixed.ending), mixed.endLine)}
	}
	m := duckCSVLine.FindStringSubmatch(msg)
	if m == nil {
		// DuckDB's own words are for the debug log, not for the user.
		slog.Debug("read_csv", "file", file, "error", msg)
		return &PosError{File: file, Err: fmt.Errorf("%w: malformed CSV (no line can be named: SALESOPS_LOG=debug logs the reader's error)", ErrBadValue)}
	}
	var n int64
	fmt.Sscan(m[1], &n)
	line := n
	rec, found := findRecord(local, delim, func(r scannedRecord) bool { return r.n == n })
	if found {
		line = rec.line
	}
	switch {
	case strings.Contains(msg, duckInvalidUnicode):
		return &PosError{File: file, Line: line, Err: fmt.Errorf("%w: invalid unicode: the file is not UTF-8: %s", ErrBadValue, saveAs(lay.Encoding))}
	case hasLine(msg, duckColumns) && found:
		return &PosError{File: file, Line: line, Err: fieldCount(local, lay, rec.fields)}
	case hasLine(msg, duckUnterminated):
		return &PosError{File: file, Line: line, Err: because(ErrBadValue,
			`a value opened with a quote (") never closes: if the file was cut short, copy it again; a quote inside a quoted value is written twice ("")`)}
	}
	slog.Debug("read_csv", "file", file, "error", msg)
	return &PosError{File: file, Line: line, Err: fmt.Errorf("%w: malformed CSV", ErrBadValue)}
}

// hasLine tells whether a line of DuckDB's error msg starts with prefix.
func hasLine(msg, prefix string) bool {
	for _, l := range strings.Split(msg, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return true
		}
	}
	return false
}

// fieldCount is the error for a record of got fields in the file at local
// (UTF-8), where the header's count, or the layout's for a file without
// one, is expected.
func fieldCount(local string, lay csvLayout, got int64) error {
	var want int64
	where := "the header has"
	if lay.Header {
		if h, ok := findRecord(local, lay.Delim, func(r scannedRecord) bool { return r.n == 1 }); ok {
			want = h.fields
		}
	} else {
		where = "each line has"
		for _, c := range lay.Columns {
			want = max(want, int64(c.Index)+1)
		}
	}
	if got < want {
		return because(ErrBadValue, "%d fields where %s %d: add the %d missing (empty ones too), or put in quotes a value that holds a line break",
			got, where, want, want-got)
	}
	extra := "fields"
	if got == want+1 {
		extra = "field"
	}
	return because(ErrBadValue, "%d fields where %s %d: put in quotes a value that holds %q, or remove the extra %s",
		got, where, want, string(lay.Delim), extra)
}

func escapeEnding(e string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(e)
}

// scannedRecord is one record of a CSV file as DuckDB's reader splits it.
type scannedRecord struct {
	n       int64  // 1-based, the header included
	line    int64  // the line it starts on
	endLine int64  // the line its line end is on
	size    int64  // bytes, without the line end
	ending  string // "\n", "\r\n", "\r", or "" at the end of the file
	fields  int64  // delimiters outside quotes, plus one
}

// findRecord reads the file at path record by record (a record ends at an
// unquoted \n, \r\n or \r; a line ends at any of these, or at a \n
// inside quotes) and returns the first record for which match is true.
func findRecord(path string, delim rune, match func(scannedRecord) bool) (scannedRecord, bool) {
	f, err := os.Open(path)
	if err != nil {
		return scannedRecord{}, false
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	r := scannedRecord{n: 1, line: 1, endLine: 1, fields: 1}
	q := newQuoteState(delim)
	cr := false
	// end closes the current record; true when it matched.
	end := func(ending string) bool {
		r.ending = ending
		if match(r) {
			return true
		}
		r = scannedRecord{n: r.n + 1, line: r.endLine + 1, endLine: r.endLine + 1, fields: 1}
		q.newRecord()
		return false
	}
	for {
		c, err := br.ReadByte()
		if err != nil {
			if cr && end("\r") {
				return r, true
			}
			if !cr && r.size > 0 && end("") {
				return r, true
			}
			return scannedRecord{}, false
		}
		if cr {
			cr = false
			if c == '\n' {
				if end("\r\n") {
					return r, true
				}
				continue
			}
			if end("\r") {
				return r, true
			}
		}
		quoted := q.step(c)
		switch {
		case !quoted && rune(c) == delim:
			r.fields++
		case quoted && c == '\n':
			r.endLine++
		case !quoted && c == '\r':
			cr = true
			continue
		case !quoted && c == '\n':
			if end("\n") {
				return r, true
			}
			continue
		}
		r.size++
	}
}

// recode1252 writes a UTF-8 copy of a Windows-1252 file and returns its path.
// When the encoding was detected (the file is not UTF-8 as a whole), a line
// that is UTF-8 beside one that is not means the file mixes the two (rows
// appended by another program): recoding it would turn "São" into "SÃ£o"
// in every report, so it fails naming one line of each.
func recode1252(f File, detected bool) (string, error) {
	in, err := os.Open(f.Local)
	if err != nil {
		return "", fmt.Errorf("%s: %w", f.Path, err)
	}
	defer in.Close()
	out, err := os.CreateTemp("", "salesops-utf8-*.csv")
	if err != nil {
		return "", fmt.Errorf("%s: %w", f.Path, err)
	}
	fail := func(err error) (string, error) {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	dec := charmap.Windows1252.NewDecoder()
	r := bufio.NewReaderSize(in, 1<<16)
	w := bufio.NewWriterSize(out, 1<<16)
	var utf8Line, cp1252Line int64
	var buf []byte
	for line := int64(1); ; line++ {
		b, rerr := r.ReadSlice('\n')
		if rerr == bufio.ErrBufferFull {
			// A long line: gather it whole (loadCSV bounds its length).
			buf = append(buf[:0], b...)
			for rerr == bufio.ErrBufferFull {
				b, rerr = r.ReadSlice('\n')
				buf = append(buf, b...)
			}
			b = buf
		}
		if rerr != nil && rerr != io.EOF {
			return fail(fmt.Errorf("%s: %w", f.Path, rerr))
		}
		if detected && !isASCII(b) {
			if utf8.Valid(b) {
				if utf8Line == 0 {
					utf8Line = line
				}
			} else if cp1252Line == 0 {
				cp1252Line = line
			}
			if utf8Line > 0 && cp1252Line > 0 {
				return fail(&PosError{File: f.Path, Line: max(utf8Line, cp1252Line), Err: fmt.Errorf(
					"%w: line %d is UTF-8 but line %d is Windows-1252: save the whole file in one encoding (CSV UTF-8)",
					ErrMixedEncoding, utf8Line, cp1252Line)})
			}
		}
		u, err := dec.Bytes(b)
		if err != nil {
			return fail(fmt.Errorf("%s: recode windows-1252: %w", f.Path, err))
		}
		if _, err := w.Write(u); err != nil {
			return fail(fmt.Errorf("%s: %w", f.Path, err))
		}
		if rerr == io.EOF {
			break
		}
	}
	if err := w.Flush(); err != nil {
		return fail(fmt.Errorf("%s: %w", f.Path, err))
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("%s: %w", f.Path, err)
	}
	return out.Name(), nil
}

// sniffDelim picks ',', ';' or tab for files people save from Excel, whose
// separator follows the machine's locale: the one most frequent in the first
// line outside quotes wins; ',' on a tie. It looks at 64 KiB at most: a
// header is far shorter, and a file with no line end must not be read
// whole (loadCSV then reports the line's length).
func sniffDelim(s source) rune {
	f, err := os.Open(s.Local)
	if err != nil {
		return ','
	}
	defer f.Close()
	line, _ := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isASCII tells whether b has no byte of 0x80 or more.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
