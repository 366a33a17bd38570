package write

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/salesops/salesops/filename"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// CSVBy writes r's CSV for programs once per value of its mart's column
// by, each file holding that value's rows only: sub/<value>.csv in dir,
// the values in order. A value is a name from data, made a file name by
// filename.SafeSet (the mart gives it as safe_name makes it; SafeSet also
// tells apart two that differ only by case). No rows, no files.
func CSVBy(ctx context.Context, w *transform.Warehouse, dir, sub string, r reports.Report, by string) ([]publish.Output, error) {
	values, err := distinctValues(ctx, w, r.Model, by)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", r.Name, err)
	}
	if len(values) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
		return nil, err
	}
	cols, err := csvSelectList(ctx, w, r)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", r.Name, err)
	}
	var outs []publish.Output
	for i, name := range filename.SafeSet(values) {
		rel := sub + "/" + name + ".csv"
		path := filepath.Join(dir, filepath.FromSlash(rel))
		q := fmt.Sprintf("COPY (SELECT %s FROM %s WHERE %s = %s) TO %s (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n')",
			cols, transform.QuoteIdent(r.Model), transform.QuoteIdent(by), transform.QuoteString(values[i]), transform.QuoteString(path))
		n, err := copyRows(ctx, w, q)
		if err != nil {
			return nil, fmt.Errorf("report %s: %s: %w", r.Name, rel, err)
		}
		sum, size, err := finishFile(path)
		if err != nil {
			return nil, fmt.Errorf("report %s: %w", r.Name, err)
		}
		outs = append(outs, publish.Output{Path: rel, Rows: n, SHA256: sum, Bytes: size})
	}
	return outs, nil
}

// distinctValues lists the values of column col of model, in order.
func distinctValues(ctx context.Context, w *transform.Warehouse, model, col string) ([]string, error) {
	rows, err := w.Conn.QueryContext(ctx, fmt.Sprintf("SELECT DISTINCT %[1]s FROM %[2]s WHERE %[1]s IS NOT NULL ORDER BY 1", transform.QuoteIdent(col), transform.QuoteIdent(model)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
