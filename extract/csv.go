package extract

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

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
}

// csvLayout describes a delimited file kind.
type csvLayout struct {
	Delim    rune
	Header   bool
	Encoding string // "utf-8", "windows-1252", or "" to detect (UTF-8 unless invalid)
	Columns  []column
}

// source is one file being loaded.
type source struct {
	File
	fp      fingerprint
	fileID  int64
	staging string // the kind's incremental staging model, if any (Kind.Staging)
}

// loadCSV loads a delimited file into table with DuckDB's read_csv: Go only
// reads the header, to map columns by name and fail early on a missing one.
// consts are extra raw columns with one value for every row.
func loadCSV(ctx context.Context, w *transform.Warehouse, s source, table string, lay csvLayout, consts map[string]string) (int64, error) {
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
		tmp, err := recode1252(s.File)
		if err != nil {
			return 0, err
		}
		defer os.Remove(tmp)
		local = tmp
	default:
		return 0, &PosError{File: s.Path, Err: fmt.Errorf("unsupported encoding %q", enc)}
	}

	var header []string
	if lay.Header {
		h, err := readHeader(local, lay.Delim)
		if err != nil {
			return 0, &PosError{File: s.Path, Line: 1, Err: err}
		}
		header = h
	}
	pos, err := mapColumns(s.Path, header, lay)
	if err != nil {
		return 0, err
	}
	width := len(header)
	if !lay.Header {
		for _, p := range pos {
			if p+1 > width {
				width = p + 1
			}
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
	reader := fmt.Sprintf("read_csv(%s, delim=%s, quote='\"', escape='\"', header=%t, auto_detect=false, columns={%s})",
		transform.QuoteString(local), transform.QuoteString(string(lay.Delim)), lay.Header, strings.Join(colDefs, ", "))
	rows, err := insertRows(ctx, w, s, table, exprs, reader)
	if err != nil {
		return 0, csvError(s.Path, err)
	}
	// The rows that hold line numbers: the raw table's, or the file's
	// table of the staging model when the kind is staged on load.
	target := table
	if s.staging != "" {
		target = transform.IncrementTable(s.staging, s.fileID)
	}

	// Line numbers come from the row ids: DuckDB appends an INSERT ... SELECT
	// in the reader's order (insertion order is preserved), one id after the
	// other, so the k-th record of the file has the k-th id of its rows.
	// A row_number() window would do the same single-threaded, at twice the
	// cost of the whole load on a million rows.
	q := transform.QuoteIdent(target)
	oneLineRecords := s.fp.Newlines <= rows+headerLines(lay)
	switch {
	case oneLineRecords && s.staging != "":
		// The file's own table: its row ids are the record numbers.
		if err := w.NumberLines(ctx, s.staging, s.fileID, 1+headerLines(lay)); err != nil {
			return 0, err
		}
	case oneLineRecords:
		_, err = w.Conn.ExecContext(ctx, fmt.Sprintf(
			"UPDATE %s SET line = rowid - (SELECT min(rowid) FROM %s WHERE file_id = ?) + ? WHERE file_id = ?", q, q),
			s.fileID, 1+headerLines(lay), s.fileID)
		if err != nil {
			return 0, err
		}
	default:
		// A quoted field spans lines: the '\n' count gave it away. Each
		// record's first line is 1 + the lines of the records before it.
		var all []string
		for i := 0; i < width; i++ {
			all = append(all, fmt.Sprintf("coalesce(c%d, '')", i))
		}
		nl := fmt.Sprintf("length(concat(%s)) - length(replace(concat(%s), chr(10), ''))", strings.Join(all, ", "), strings.Join(all, ", "))
		_, err = w.Conn.ExecContext(ctx, fmt.Sprintf(`
			UPDATE %s SET line = l.line
			FROM (
				SELECT rn, rn + ? + coalesce(sum(nl) OVER (ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line
				FROM (SELECT row_number() OVER () AS rn, %s AS nl FROM %s)
			) l
			WHERE %s.file_id = ? AND %s.rowid - (SELECT min(rowid) FROM %s WHERE file_id = ?) + 1 = l.rn`,
			q, nl, reader, q, q, q), headerLines(lay), s.fileID, s.fileID)
		if err != nil {
			return 0, csvError(s.Path, err)
		}
	}
	if err := recordColumns(ctx, w, s.fileID, lay, header, pos); err != nil {
		return 0, err
	}
	return rows, nil
}

// insertRows puts one file's raw rows, each field's expression over reader,
// into table; or, when the kind is staged on load, runs the staging model
// over them into the file's table, with table shadowed by a temp view of the
// file, so the raw rows are never stored. Fields without an expression are
// NULL.
func insertRows(ctx context.Context, w *transform.Warehouse, s source, table string, exprs map[string]string, reader string) (int64, error) {
	if s.staging == "" {
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
		return res.RowsAffected()
	}
	cols, err := tableColumns(ctx, w, table)
	if err != nil {
		return 0, err
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		e, ok := exprs[c]
		switch {
		case c == "file_id" || c == "line":
			e = "CAST(" + e + " AS BIGINT)"
		case !ok:
			e = "NULL::VARCHAR"
		}
		sel[i] = e + " AS " + transform.QuoteIdent(c)
	}
	view := "temp.main." + transform.QuoteIdent(table)
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+transform.QuoteIdent(table)+" AS SELECT "+strings.Join(sel, ", ")+" FROM "+reader); err != nil {
		return 0, err
	}
	n, err := w.Increment(ctx, s.staging, s.fileID)
	if _, derr := w.Conn.ExecContext(ctx, "DROP VIEW IF EXISTS "+view); err == nil && derr != nil {
		err = derr
	}
	return n, err
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

// readHeader returns the first record, without a UTF-8 byte-order mark.
func readHeader(path string, delim rune) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.Comma = delim
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("empty file: no header line")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	return rec, nil
}

var duckCSVLine = regexp.MustCompile(`CSV Error on Line: (\d+)`)

// csvError turns DuckDB's multi-line CSV error into one positioned line.
func csvError(file string, err error) error {
	msg := err.Error()
	m := duckCSVLine.FindStringSubmatch(msg)
	if m == nil {
		return &PosError{File: file, Err: err}
	}
	var line int64
	fmt.Sscan(m[1], &line)
	reason := "malformed CSV"
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "Expected Number of Columns") || strings.HasPrefix(l, "Value with unterminated quote") ||
			strings.HasPrefix(l, "Invalid unicode") {
			reason = strings.TrimSuffix(strings.ToLower(l[:1])+l[1:], ".")
			break
		}
	}
	return &PosError{File: file, Line: line, Err: fmt.Errorf("%w: %s", ErrBadValue, reason)}
}

// recode1252 writes a UTF-8 copy of a Windows-1252 file and returns its path.
func recode1252(f File) (string, error) {
	in, err := os.Open(f.Local)
	if err != nil {
		return "", fmt.Errorf("%s: %w", f.Path, err)
	}
	defer in.Close()
	out, err := os.CreateTemp("", "salesops-utf8-*.csv")
	if err != nil {
		return "", fmt.Errorf("%s: %w", f.Path, err)
	}
	if _, err := io.Copy(out, charmap.Windows1252.NewDecoder().Reader(in)); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", fmt.Errorf("%s: recode windows-1252: %w", f.Path, err)
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("%s: %w", f.Path, err)
	}
	return out.Name(), nil
}

// sniffDelim picks ',', ';' or tab for files people save from Excel, whose
// separator follows the machine's locale: the one most frequent in the first
// line outside quotes wins; ',' on a tie.
func sniffDelim(s source) rune {
	f, err := os.Open(s.Local)
	if err != nil {
		return ','
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
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
