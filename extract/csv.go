package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

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
	// peers are the files a mapped file's join may read (the files of the
	// joined kind, fetched): see loadMapped.
	peers []source
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
