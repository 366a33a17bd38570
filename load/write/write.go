package write

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Report writes r's mart from the warehouse into dir, in each of its
// formats, by the writer of the format's row (formats.go). CSV and Parquet
// are written by DuckDB's COPY (parallel, no rows through Go); XLSX streams
// rows through the XLSX writer.
func Report(ctx context.Context, w *transform.Warehouse, dir string, r reports.Report) ([]publish.Output, error) {
	// Each file, once written, is hashed and flushed to disk in a goroutine
	// while the next format is written.
	outs := make([]publish.Output, len(r.Formats))
	errs := make([]error, len(r.Formats))
	var wg sync.WaitGroup
	for i, f := range r.Formats {
		name := r.Name + "." + string(f)
		path := filepath.Join(dir, name)
		start := time.Now()
		n, err := writeFormat(ctx, w, r, f, path)
		if err != nil {
			errs[i] = fmt.Errorf("report %s: %s: %w", r.Name, name, err)
			break
		}
		slog.Debug("write", "file", name, "took", time.Since(start))
		wg.Go(func() {
			sum, size, err := finishFile(path)
			if err != nil {
				errs[i] = fmt.Errorf("report %s: %w", r.Name, err)
				return
			}
			outs[i] = publish.Output{Path: name, Rows: n, SHA256: sum, Bytes: size}
		})
	}
	waitStart := time.Now()
	wg.Wait()
	slog.Debug("hash and sync", "report", r.Name, "waited", time.Since(waitStart))
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return outs, nil
}

// writeCSV writes r for programs: a header of the column names, ','
// between fields, CRLF line ends, text neutralised against formulas
// (csvSelectList).
func writeCSV(ctx context.Context, w *transform.Warehouse, r reports.Report, path string) (int64, error) {
	cols, err := csvSelectList(ctx, w, r)
	if err != nil {
		return 0, err
	}
	return copyTo(ctx, w, r, cols, path, "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n'")
}

// writePeopleCSV writes r as the CSV for people (reports.CSVPeople).
func writePeopleCSV(ctx context.Context, w *transform.Warehouse, r reports.Report, path string) (int64, error) {
	cols, err := peopleSelectList(ctx, w, r)
	if err != nil {
		return 0, err
	}
	return copyPeople(ctx, w, cols, path)
}

// writeParquet writes r as Parquet, zstd-compressed. Columns of many
// distinct values (ids, names, amounts) are written plain: DuckDB's
// attempt at a dictionary for them cost a quarter of the time, and zstd
// alone packs them smaller. Text goes in raw, unlike CSV's
// (csvSelectList): Parquet is read by programs, and no spreadsheet opens
// it by double-click.
func writeParquet(ctx context.Context, w *transform.Warehouse, r reports.Report, path string) (int64, error) {
	return copyTo(ctx, w, r, selectList(r), path, "FORMAT parquet, COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 4096")
}

// selectList is the report's columns, in order, from its mart.
func selectList(r reports.Report) string {
	cols := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		cols[i] = transform.QuoteIdent(c.Name)
	}
	return strings.Join(cols, ", ")
}

// csvSelectList is selectList with every text (VARCHAR) column neutralised
// against formula injection: finance opens the CSV files in Excel, which
// takes a cell starting with =, +, -, @, tab or CR for a formula (a product
// named =HYPERLINK(...) becomes a link; DDE payloads run commands). As OWASP
// recommends, such a cell gets a leading single quote, which makes a
// spreadsheet take it as text. Numbers, dates and booleans are not VARCHAR and stay as they are, so
// -5.25 is still a number. The mart's types decide, not the declaration:
// only a string can start with a formula, and a column declared Text need
// not be one.
func csvSelectList(ctx context.Context, w *transform.Warehouse, r reports.Report) (string, error) {
	types, err := martTypes(ctx, w, r)
	if err != nil {
		return "", err
	}
	cols := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		col := transform.QuoteIdent(c.Name)
		cols[i] = col
		if types[i] == "VARCHAR" {
			cols[i] = neutralised(col) + " AS " + col
		}
	}
	return strings.Join(cols, ", "), nil
}

// neutralised is the text expression e with a leading single quote when
// a spreadsheet would take it for a formula (see csvSelectList).
func neutralised(e string) string {
	// ord is the first code point (0 for ''; 9 tab, 13 CR). On 10 million
	// strings it added 0.2 s to the COPY, against 1 s for left(col, 1)
	// IN (...) or a regular expression. list_contains, not IN: DuckDB
	// plans a constant IN list as a hash join, whose output is not in the
	// table's order, and COPY wrote the rows in blocks of 2,048 shuffled
	// differently at each run (TestWriteReportKeepsMartOrder).
	return fmt.Sprintf("CASE WHEN list_contains([61, 43, 45, 64, 9, 13], ord(%[1]s)) THEN '''' || %[1]s ELSE %[1]s END", e)
}

// martTypes are the DuckDB types of r's columns in its mart.
func martTypes(ctx context.Context, w *transform.Warehouse, r reports.Report) ([]string, error) {
	rows, err := w.Conn.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s LIMIT 0", selectList(r), transform.QuoteIdent(r.Model)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	types := make([]string, len(cts))
	for i, ct := range cts {
		types[i] = ct.DatabaseTypeName()
	}
	return types, rows.Err()
}

// utf8BOM opens the CSV for people: without it Excel reads UTF-8 as
// Windows-1252 and "Ação" shows as "AÃ§Ã£o".
const utf8BOM = "\uFEFF"

// peopleSelectList is the SELECT list (and FROM) of r's CSV for people
// (reports.CSVPeople): a subquery renders each column of r's mart as
// people read it (peopleExpr) under its own name; the outer list
// neutralises text against formulas after its labels (a label is text
// too) and names the columns by their titles, the header, the first
// prefixed by the BOM, which COPY has no option to write.
func peopleSelectList(ctx context.Context, w *transform.Warehouse, r reports.Report) (string, error) {
	types, err := martTypes(ctx, w, r)
	if err != nil {
		return "", err
	}
	inner := make([]string, len(r.Columns))
	outer := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		col := transform.QuoteIdent(c.Name)
		e, text := peopleExpr(r, c, types[i])
		inner[i] = e + " AS " + col
		outer[i] = col
		if text {
			outer[i] = neutralised(col)
		}
		title := c.Title
		if i == 0 {
			title = utf8BOM + title
		}
		outer[i] += " AS " + transform.QuoteIdent(title)
	}
	return fmt.Sprintf("%s FROM (SELECT %s FROM %s) p", strings.Join(outer, ", "), strings.Join(inner, ", "), transform.QuoteIdent(r.Model)), nil
}

// peopleDecimals is how many decimals a DOUBLE column of each type keeps
// in the CSV for people; DECIMAL columns keep their own scale.
var peopleDecimals = map[reports.Type]int{reports.Money: 2, reports.MoneyBRL: 2, reports.Percent: 2, reports.Rate: 4, reports.Quantity: 6}

// peopleExpr renders column c of r (of mart type typ) as the CSV for
// people shows it (reports.Sheet), and says whether the result is text a
// spreadsheet could take for a formula. Numbers keep their digits (DECIMAL
// as text, never through a float) with a decimal comma: a count held as
// DECIMAL (8.000000) must not reach Excel pt-BR with its point, it would
// read eight million.
func peopleExpr(r reports.Report, c reports.Column, typ string) (string, bool) {
	e := r.ValueSQL(c)
	switch c.Type {
	case reports.Money, reports.MoneyBRL, reports.Percent, reports.Rate, reports.Quantity:
		if typ == "DOUBLE" || typ == "FLOAT" {
			e = fmt.Sprintf("round(%s, %d)::DECIMAL(38, %[2]d)", e, peopleDecimals[c.Type])
		}
	case reports.Integer:
		if typ == "VARCHAR" {
			return e, true
		}
	}
	return r.ShowSQL(c, e, reports.Sheet), c.Type == reports.Text
}

// copyPeople writes the CSV for people (cols as peopleSelectList makes
// it) to path: ';' between fields (Excel pt-BR's list separator, as the
// decimal comma takes ','), quotes only where a field holds ';', a quote
// or a line break, CRLF line ends as Excel writes them. It returns the
// rows written.
func copyPeople(ctx context.Context, w *transform.Warehouse, cols, path string) (int64, error) {
	q := fmt.Sprintf(`COPY (SELECT %s) TO %s (FORMAT csv, HEADER true, DELIMITER ';', QUOTE '"', ESCAPE '"', NEW_LINE '\r\n')`, cols, transform.QuoteString(path))
	return copyRows(ctx, w, q)
}

// copyTo writes cols (a SELECT list) of r's mart to path with DuckDB's COPY
// and returns the rows written.
func copyTo(ctx context.Context, w *transform.Warehouse, r reports.Report, cols, path, options string) (int64, error) {
	// Tables scan in insertion order, and marts are built ORDER BY their key:
	// the files come out in a stable order without sorting again.
	q := fmt.Sprintf("COPY (SELECT %s FROM %s) TO %s (%s)", cols, transform.QuoteIdent(r.Model), transform.QuoteString(path), options)
	return copyRows(ctx, w, q)
}

// copyRows runs the COPY statement q: DuckDB counts the rows it wrote as
// the statement's rows affected.
func copyRows(ctx context.Context, w *transform.Warehouse, q string) (int64, error) {
	res, err := w.Conn.ExecContext(ctx, q)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// finishFile is finishOutput; tests replace it.
var finishFile = finishOutput

// finishOutput hashes a written output file and flushes it to disk, so
// Publish has nothing left to flush.
func finishOutput(path string) (string, int64, error) {
	// Opened for writing: Windows refuses to flush a read-only handle.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	if err := f.Sync(); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
