package write

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Workbook writes one XLSX named file into dir with a sheet (or the
// SheetBy sheets) per report, in order: the first is meant to be a summary.
// A report with more rows than a sheet holds keeps only the rows its
// declaration's Oversize filter keeps, if it has one; what still does not
// fit continues on "<sheet> (2)"... as in any XLSX report. notes says
// which sheets were cut, for the manifest.
func Workbook(ctx context.Context, w *transform.Warehouse, dir, file string, reps []reports.Report) (out publish.Output, notes []string, err error) {
	path := filepath.Join(dir, file)
	rows, err := createXLSX(path, func(x *XLSXWriter) error {
		var err error
		notes, err = writeWorkbookSheets(ctx, w, x, file, reps, "")
		return err
	})
	if err != nil {
		return out, nil, fmt.Errorf("workbook %s: %w", file, err)
	}
	sum, size, err := finishFile(path)
	if err != nil {
		return out, nil, fmt.Errorf("workbook %s: %w", file, err)
	}
	return publish.Output{Path: file, Rows: rows, SHA256: sum, Bytes: size}, notes, nil
}

// writeWorkbookSheets writes reps into x, one after another; the workbook
// opens on the sheet named main (default: the first of reps).
func writeWorkbookSheets(ctx context.Context, w *transform.Warehouse, x *XLSXWriter, file string, reps []reports.Report, main string) (notes []string, err error) {
	if main == "" && len(reps) > 0 {
		main = sheetTitle(reps[0])
	}
	for _, r := range reps {
		where, err := sheetFilter(ctx, w, r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
		if where != "" {
			notes = append(notes, fmt.Sprintf("%s: sheet %q lists %s: the full report passes Excel's %d-row limit; see %s.csv / %s.parquet",
				file, sheetTitle(r), r.Oversize.Kept, maxSheetRows-1, r.Name, r.Name))
		}
		if err := writeSheets(ctx, w, x, r, where, sheetTitle(r) == main); err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	return notes, nil
}

// sheetFilter returns r's Oversize condition when r has one and its rows
// would not fit one sheet, else "". The condition is r's: load only
// applies it.
func sheetFilter(ctx context.Context, w *transform.Warehouse, r reports.Report) (string, error) {
	if r.Oversize == nil || r.SheetBy != "" {
		return "", nil
	}
	var n int64
	if err := w.Conn.QueryRowContext(ctx, "SELECT count(*) FROM "+transform.QuoteIdent(r.Model)).Scan(&n); err != nil {
		return "", err
	}
	if n+1 > int64(maxSheetRows) {
		return r.Oversize.Where, nil
	}
	return "", nil
}

func sheetTitle(r reports.Report) string {
	if r.Sheet != "" {
		return r.Sheet
	}
	return r.Name
}
