package write

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// XLSX for people: a report's mart streamed through the XLSX writer, with
// its labels, totals, charts and a line on an empty sheet.

var xlsxKinds = map[reports.Type]CellKind{
	reports.Text:     CellText,
	reports.Integer:  CellInteger,
	reports.Money:    CellDecimal,
	reports.MoneyBRL: CellMoneyBRL,
	reports.Percent:  CellPercent,
	reports.Rate:     CellRate,
	reports.Date:     CellDate,
	reports.Bool:     CellText,
	reports.Quantity: CellQuantity,
}

// xlsxExpr renders a column as the text the XLSX writer expects
// (reports.Cells): numbers in plain decimal notation straight from DECIMAL
// (never through a float), dates as ISO, booleans as sim/não, text with its
// display expression and Portuguese labels.
func xlsxExpr(r reports.Report, c reports.Column) string {
	return r.ShowSQL(c, r.ValueSQL(c), reports.Cells)
}

func writeXLSX(ctx context.Context, w *transform.Warehouse, r reports.Report, path string) (int64, error) {
	return createXLSX(path, func(x *XLSXWriter) error { return writeSheets(ctx, w, x, r, "", true) })
}

// createXLSX writes the workbook fill makes to path and returns its rows.
func createXLSX(path string, fill func(x *XLSXWriter) error) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := bufio.NewWriterSize(f, 1<<20)
	x := NewXLSXWriter(buf)
	if err := fill(x); err != nil {
		x.Close() // stops the deflate goroutines
		return 0, err
	}
	if err := x.Close(); err != nil {
		return 0, err
	}
	if err := buf.Flush(); err != nil {
		return 0, err
	}
	return x.Rows(), f.Close()
}

// defaultEmpty is the line of an empty sheet whose report says nothing.
const defaultEmpty = "Nenhuma linha neste período."

// writeSheets streams r's mart into x: one sheet named r.Sheet (or r.Name),
// or one per value of r.SheetBy. where, if not empty, is a SQL condition
// that keeps only some rows. An empty report still gets its header sheet,
// with a line saying why it is empty; a report with Totals ends with a
// totals row. main: the workbook opens on r's (first) sheet.
func writeSheets(ctx context.Context, w *transform.Warehouse, x *XLSXWriter, r reports.Report, where string, main bool) error {
	cols := make([]XLSXColumn, len(r.Columns))
	exprs := make([]string, 0, len(r.Columns)+1)
	for i, c := range r.Columns {
		cols[i] = XLSXColumn{Title: c.Title, Kind: xlsxKinds[c.Type]}
		exprs = append(exprs, xlsxExpr(r, c))
	}
	// A table scans in insertion order (the mart's ORDER BY), as for COPY;
	// only sheets per value need a sort, with rowid keeping that order
	// inside each sheet. A view has no rowid: its rows must come grouped by
	// SheetBy (checked below).
	sheetExpr, order := "NULL::VARCHAR", ""
	if r.SheetBy != "" {
		sheetExpr = transform.QuoteIdent(r.SheetBy) + "::VARCHAR"
		var tables int
		if err := w.Conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", r.Model).Scan(&tables); err != nil {
			return err
		}
		if tables > 0 {
			order = " ORDER BY " + sheetExpr + ", rowid"
		}
	}
	if where != "" {
		where = " WHERE " + where
	}
	q := fmt.Sprintf("SELECT %s, %s FROM %s%s%s", sheetExpr, strings.Join(exprs, ", "), transform.QuoteIdent(r.Model), where, order)

	sheetName := r.Sheet
	if sheetName == "" {
		sheetName = r.Name
	}
	opts, err := sheetOptions(r)
	if err != nil {
		return err
	}
	addSheet := func(name string) error {
		opts.Main = main
		main = false
		if err := x.AddSheetWith(name, cols, opts); err != nil {
			return err
		}
		if err := addChoices(x, r); err != nil {
			return err
		}
		return addCharts(x, r)
	}
	started, current := false, ""
	done := map[string]bool{} // sheets already written
	// StreamText, not a query: a query's rows are all held before the first
	// is read.
	err = w.StreamText(ctx, q, func(row []string) error {
		if r.SheetBy != "" && (!started || row[0] != current) {
			if done[row[0]] {
				return fmt.Errorf("%s is not ordered by %s: sheet %q would be split", r.Model, r.SheetBy, row[0])
			}
			if started {
				done[current] = true
			}
			current = row[0]
			if err := addSheet(reports.SheetName(current)); err != nil {
				return err
			}
			started = true
		} else if !started {
			if err := addSheet(sheetName); err != nil {
				return err
			}
			started = true
		}
		return x.WriteRow(row[1:])
	})
	if err != nil {
		return err
	}
	if !started {
		// An empty report still shows its header, and says why.
		if err := addSheet(sheetName); err != nil {
			return err
		}
		note := r.Empty
		if note == "" {
			note = defaultEmpty
		}
		return x.WriteNote(note)
	}
	if len(r.Totals) > 0 {
		return writeTotals(ctx, w, x, r, where)
	}
	return nil
}

// addChoices makes each column of r with Choices a drop-down list on the
// sheet just started.
func addChoices(x *XLSXWriter, r reports.Report) error {
	for i, c := range r.Columns {
		if values, ok := r.Choices[c.Name]; ok {
			if err := x.AddListValidation(i, values); err != nil {
				return err
			}
		}
	}
	return nil
}

// addCharts declares r's charts on the sheet just started.
func addCharts(x *XLSXWriter, r reports.Report) error {
	index := func(name string) int {
		for i, c := range r.Columns {
			if c.Name == name {
				return i
			}
		}
		return -1
	}
	for _, c := range r.Charts {
		xc := XLSXChart{Title: c.Title, Category: index(c.Category), Horizontal: c.Horizontal}
		for _, v := range c.Values {
			xc.Values = append(xc.Values, index(v))
		}
		if err := x.AddChart(xc); err != nil {
			return err
		}
	}
	return nil
}

// writeTotals adds r's totals row: each Totals aggregate over the rows the
// sheet shows, TotalsLabel ("Total") in the first text column without one.
// A sum is also a formula over the sheet's rows that leaves out those a
// filter hides (SUBTOTAL 109), its value cached.
func writeTotals(ctx context.Context, w *transform.Warehouse, x *XLSXWriter, r reports.Report, where string) error {
	exprs := make([]string, len(r.Columns))
	cells := make([]XLSXTotal, len(r.Columns))
	label := r.TotalsLabel
	if label == "" {
		label = "Total"
	}
	labelled := false
	for i, c := range r.Columns {
		agg, ok := r.Totals[c.Name]
		switch {
		case ok:
			exprs[i] = "(" + agg + ")::VARCHAR"
			if col, flag, sum := r.Sum(agg); sum && col == c.Name {
				cells[i].Sum = true
				if flag != "" {
					cells[i].IfCol, cells[i].IfValue = columnIndex(r, flag), ptbr.Bool(true)
				}
			}
		case !labelled && c.Type == reports.Text:
			exprs[i], labelled = "'"+strings.ReplaceAll(label, "'", "''")+"'", true
		default:
			exprs[i] = "NULL::VARCHAR"
		}
	}
	scan := make([]sql.NullString, len(exprs))
	dest := make([]any, len(scan))
	for i := range scan {
		dest[i] = &scan[i]
	}
	q := fmt.Sprintf("SELECT %s FROM %s%s", strings.Join(exprs, ", "), transform.QuoteIdent(r.Model), where)
	if err := w.Conn.QueryRowContext(ctx, q).Scan(dest...); err != nil {
		return fmt.Errorf("totals: %w", err)
	}
	for i, s := range scan {
		cells[i].Value = s.String
	}
	return x.WriteTotalRow(cells)
}

func columnIndex(r reports.Report, name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// sheetOptions lay r's sheets out from its declaration: its key columns
// frozen, its internal ones not printed, its highlights as conditional
// formats comparing what the cells show (labels, sim / não).
func sheetOptions(r reports.Report) (SheetOptions, error) {
	o := SheetOptions{FreezeCols: r.Keys, PrintCols: r.PrintColumns()}
	for _, h := range r.Highlights {
		c, ok := r.Column(h.If)
		if !ok {
			return o, fmt.Errorf("highlight: no column %s", h.If)
		}
		xh := XLSXHighlight{Col: columnIndex(r, h.If), Op: h.Op, Value: h.Value, Alert: h.Alert}
		if xh.Op == "" {
			xh.Op = "="
		}
		switch c.Type {
		case reports.Text:
			xh.Value = r.Labelled(c.Name, h.Value)
		case reports.Bool:
			xh.Value = ptbr.Bool(h.Value == "true")
		}
		for _, m := range h.Mark {
			i := columnIndex(r, m)
			if i < 0 {
				return o, fmt.Errorf("highlight: no column %s", m)
			}
			xh.Mark = append(xh.Mark, i)
		}
		o.Highlights = append(o.Highlights, xh)
	}
	return o, nil
}
