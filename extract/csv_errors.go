package extract

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/salesops/salesops/transform"
)

func lineTooLong(max int64) error {
	return because(ErrLineTooLong, "a line longer than %d bytes (limits.max_line_bytes)", max)
}

// csvError turns DuckDB's multi-line error on file (read from local) into
// one positioned line. It reads the file again to place the error (on this
// failure path only, so no load pays for it): DuckDB numbers records, not
// lines; a line over its buffers has no number at all; and a file with
// mixed line endings fails, in strict mode, with no line or with one that
// blames a quote or the column count, where the cause is the line ends
// (DuckDB takes the newline of the first line for the whole file, and its
// strict_mode=false, which reads mixed ends, also drops extra columns
// without a word, so it is not used). What DuckDB's text says is read by
// transform.CSVFaultOf, with the other DuckDB texts salesops matches.
func csvError(file, local string, lay csvLayout, maxLine int64, err error) error {
	delim := lay.Delim
	fault, ok := transform.CSVFaultOf(err)
	if !ok {
		return &PosError{File: file, Err: err}
	}
	if fault.LineTooLong {
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
	n := fault.Record
	if n == 0 {
		// DuckDB's own words are for the debug log, not for the user.
		slog.Debug("read_csv", "file", file, "error", err.Error())
		return &PosError{File: file, Err: fmt.Errorf("%w: malformed CSV (no line can be named: SALESOPS_LOG=debug logs the reader's error)", ErrBadValue)}
	}
	line := n
	rec, found := findRecord(local, delim, func(r scannedRecord) bool { return r.n == n })
	if found {
		line = rec.line
	}
	switch {
	case fault.InvalidUnicode:
		return &PosError{File: file, Line: line, Err: fmt.Errorf("%w: invalid unicode: the file is not UTF-8: %s", ErrBadValue, saveAs(lay.Encoding))}
	case fault.FieldCount && found:
		return &PosError{File: file, Line: line, Err: fieldCount(local, lay, rec.fields)}
	case fault.Unterminated:
		return &PosError{File: file, Line: line, Err: because(ErrBadValue,
			`a value opened with a quote (") never closes: if the file was cut short, copy it again; a quote inside a quoted value is written twice ("")`)}
	}
	slog.Debug("read_csv", "file", file, "error", err.Error())
	return &PosError{File: file, Line: line, Err: fmt.Errorf("%w: malformed CSV", ErrBadValue)}
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
