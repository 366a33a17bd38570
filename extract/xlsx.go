package extract

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/transform"
)

// loadXLSX loads the first sheet (or the one named sheet) of a workbook into
// table: the first non-empty row is the header, columns are matched by name
// as in CSV files, and cells are read raw (unformatted) so numbers keep their
// stored digits.
func loadXLSX(ctx context.Context, w *transform.Warehouse, s source, table, sheet string, cols []column, consts map[string]string) (int64, error) {
	f, err := excelize.OpenFile(s.Local)
	if err != nil {
		return 0, &PosError{File: s.Path, Err: fmt.Errorf("open workbook: %w", err)}
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return 0, &PosError{File: s.Path, Err: fmt.Errorf("sheet %q: %w", sheet, err)}
	}
	defer rows.Close()

	var (
		header []string
		pos    map[string]int
		line   int64
		n      int64
		keys   = sortedKeys(consts)
	)
	// The appender fills columns in table order, so build full rows. (Query
	// before appending: the appender holds the warehouse connection.)
	tcols, err := tableColumns(ctx, w, table)
	if err != nil {
		return 0, err
	}
	err = w.Append(ctx, table, func(add func(...driver.Value) error) error {
		for rows.Next() {
			line++
			if n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return &PosError{File: s.Path, Line: line, Err: err}
			}
			if isEmptyRow(cells) {
				continue
			}
			if header == nil {
				header = cells
				if len(header) > 0 {
					header[0] = strings.TrimPrefix(header[0], "\ufeff")
				}
				pos, err = mapColumns(s.Path, header, csvLayout{Header: true, Columns: cols})
				if err != nil {
					return err
				}
				continue
			}
			vals := make(map[string]string, len(pos)+len(keys))
			for field, p := range pos {
				if p < len(cells) {
					vals[field] = cells[p]
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
					row[i] = line
				default:
					if v := strings.TrimSpace(vals[c]); v != "" {
						row[i] = vals[c]
					}
				}
			}
			if err := add(row...); err != nil {
				return &PosError{File: s.Path, Line: line, Err: err}
			}
			n++
		}
		return rows.Error()
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
