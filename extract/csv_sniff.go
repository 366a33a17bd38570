package extract

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

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

// isASCII tells whether b has no byte of 0x80 or more.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
