package transform

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// StreamText runs query, whose columns are all text, and calls fn with each
// row's values in order (NULL as ""). fields is reused between calls.
//
// A query's result reaches Go only whole: the driver materialises it before
// the first row is read (duckdb-go has no streaming result), outside
// DuckDB's memory_limit; a million-row report rendered as text held 600 MB.
// So DuckDB writes the rows with COPY, which streams within the limit, into
// a CSV file in the warehouse's temp folder, and Go reads it back a row at
// a time. Every value is quoted, so the reader needs no guessing: a field is
// "…" with "" for a quote, or empty for NULL.
func (w *Warehouse) StreamText(ctx context.Context, query string, fn func(fields []string) error) error {
	if err := os.MkdirAll(w.tempDir, 0o755); err != nil {
		return fmt.Errorf("stream: %w", err)
	}
	f, err := os.CreateTemp(w.tempDir, "rows-*.csv")
	if err != nil {
		return fmt.Errorf("stream: %w", err)
	}
	name := f.Name()
	f.Close()
	defer os.Remove(name)
	copyQ := "COPY (" + query + ") TO " + QuoteString(name) +
		" (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\n', FORCE_QUOTE *)"
	if _, err := w.Conn.ExecContext(ctx, copyQ); err != nil {
		return err
	}
	f, err = os.Open(name)
	if err != nil {
		return fmt.Errorf("stream: %w", err)
	}
	defer f.Close()
	return readQuotedCSV(ctx, bufio.NewReaderSize(f, 1<<20), fn)
}

var errStreamFormat = errors.New("stream: malformed row")

// readQuotedCSV reads rows of fields that are all either quoted or empty,
// separated by commas and ended by "\n", as DuckDB's COPY writes them with
// FORCE_QUOTE *.
func readQuotedCSV(ctx context.Context, r *bufio.Reader, fn func(fields []string) error) error {
	var (
		rec    []byte // one record, lines joined while a quote is open
		fields []string
		val    []byte
		n      int64
	)
	for {
		line, err := r.ReadSlice('\n')
		rec = append(rec, line...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("stream: %w", err)
		}
		if len(rec) == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		// A record ends at a newline outside quotes: "" escapes keep the
		// count of quotes even, so an odd count means a value goes on.
		if bytes.Count(rec, []byte{'"'})%2 == 1 {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("%w: row %d ends inside a quoted value", errStreamFormat, n+1)
			}
			continue
		}
		n++
		body := bytes.TrimSuffix(rec, []byte{'\n'})
		// One string per row, its fields slices of it: a string per field
		// was a tenth of a million-row XLSX's time.
		text := string(body)
		fields = fields[:0]
		for i := 0; ; {
			switch {
			case i < len(body) && body[i] == '"':
				i++
				j := bytes.IndexByte(body[i:], '"')
				if j < 0 {
					return fmt.Errorf("%w: row %d", errStreamFormat, n)
				}
				if i+j+1 == len(body) || body[i+j+1] != '"' {
					// No "" inside: the value as it stands.
					fields = append(fields, text[i:i+j])
					i += j + 1
					break
				}
				val = val[:0]
				for {
					j := bytes.IndexByte(body[i:], '"')
					if j < 0 {
						return fmt.Errorf("%w: row %d", errStreamFormat, n)
					}
					val = append(val, body[i:i+j]...)
					i += j + 1
					if i < len(body) && body[i] == '"' {
						val = append(val, '"')
						i++
						continue
					}
					break
				}
				fields = append(fields, string(val))
			default:
				fields = append(fields, "") // NULL
			}
			if i == len(body) {
				break
			}
			if body[i] != ',' {
				return fmt.Errorf("%w: row %d", errStreamFormat, n)
			}
			i++
		}
		if err := fn(fields); err != nil {
			return err
		}
		rec = rec[:0]
		if n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}
