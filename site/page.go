package site

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// A page reads its report's published CSV through DuckDB, typed by the
// report's declaration, so that what people see comes from the same
// declaration the workbook reads: Display expressions, Labels, Totals
// aggregates and the Oversize filter (the exceptions) are the report's SQL,
// evaluated here as load evaluates them on the mart. Nothing per report is
// written in Go.

type pageData struct {
	Pub        *Publication
	Report     reports.Report
	Root, Data string
	Files      []fileLink // the report's full files, then the publication's workbooks
	Rejects    string     // the publication's rejects page, if it has one
	Total      int64      // rows in the report
	Exceptions int64      // rows the table lists (before the cap)
	Filtered   bool       // the table lists the exceptions only (the report's Oversize filter)
	Cap        bool
	Headers    []reports.Column
	Rows       []row
	Totals     []cell
	Legend     []legend // what the highlighted rows mean
	Figures    []figure
	Charts     []chartSpec
	Problems   []string // what is wrong with the published file, shown first
}

type fileLink struct{ Name, Href string }

type cell struct {
	Text, Sort string
	Num, Neg   bool
	Bad        bool   // a number or date that does not parse, shown as written
	Mark       string // a highlight's class (hl-alert, hl-warn)
	// A totals cell that is a sum: site.js sums the rows a filter leaves
	// shown (those whose column SumIf, if not -1, shows SumIfText) and
	// formats it as Kind says (brl, int, qty, num).
	Sum       bool
	SumIf     int
	SumIfText string
	Kind      string
}

type row struct {
	Mark  string // a highlight's class for the whole row
	Cells []cell
}

type legend struct{ Mark, Why string }

// highlightClass is the class of a highlight: red for an alert, yellow.
func highlightClass(h reports.Highlight) string {
	if h.Alert {
		return "hl-alert"
	}
	return "hl-warn"
}

// totalKinds say how site.js writes a sum of each type.
var totalKinds = map[reports.Type]string{reports.MoneyBRL: "brl", reports.Integer: "int", reports.Quantity: "qty"}

type figure struct {
	Label, Value string
	Neg          bool
}

type chartSpec struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Categories []string `json:"categories"`
	Series     []series `json:"series"`
	Horizontal bool     `json:"horizontal"`
	Money      bool     `json:"money"`
}

type series struct {
	Name string    `json:"name"`
	Data []float64 `json:"data"`
}

// ColumnError says which declared columns a published CSV lacks.
type ColumnError struct {
	File    string
	Report  string
	Missing []string
}

func (e *ColumnError) Error() string {
	return fmt.Sprintf("%s: lacks column(s) %s declared by report %s", e.File, strings.Join(e.Missing, ", "), e.Report)
}

// ValueError counts the values of a column that are not what the
// declaration says (a number, a date): the page shows them as written and
// leaves them out of totals and charts.
type ValueError struct {
	File, Column, Type string
	Count              int64
	First              string // the first such value, as written
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s: column %s: %d value(s) not a %s (first %q), shown as written and left out of totals and charts",
		e.File, e.Column, e.Count, e.Type, e.First)
}

// OnlyPageProblems tells whether err, as BuildContext returns it, holds
// only what the pages themselves show (*ColumnError, *ValueError): the site
// was written in full. A run then warns rather than fails: its own set is
// published and right, and an older publication's CSV (say, one from
// before a column was declared) must not fail every run after it.
func OnlyPageProblems(err error) bool {
	if err == nil {
		return false
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var ce *ColumnError
		var ve *ValueError
		if !errors.As(e, &ce) && !errors.As(e, &ve) {
			return false
		}
	}
	return true
}

var typeNames = map[reports.Type]string{
	reports.Integer: "whole number", reports.Money: "number", reports.MoneyBRL: "number",
	reports.Percent: "number", reports.Rate: "number", reports.Date: "date (aaaa-mm-dd)", reports.Bool: "boolean",
	reports.Quantity: "number",
}

// sqlTypes are the types a CSV's text is cast to, per declared type.
var sqlTypes = map[reports.Type]string{
	reports.Integer: "BIGINT", reports.Money: wideDecimal, reports.MoneyBRL: wideDecimal,
	reports.Percent: wideDecimal, reports.Rate: wideDecimal, reports.Date: "DATE", reports.Bool: "BOOLEAN",
	reports.Quantity: wideDecimal,
}

// wideDecimal holds any number a report publishes, exactly.
const wideDecimal = "DECIMAL(38,10)"

// fastDecimal is TRY_CAST(raw AS wideDecimal), the same values, fast:
// DuckDB 1.5 casts text to a DECIMAL wider than 18 digits far slower than
// to DECIMAL(18,6) (measured in docs/bench/2026-11-30-pricelist-1m-rows.md).
// A plain number of at most 12 digits and 6 decimals (nearly every
// published value) is exact in DECIMAL(18,6) and widened; anything else
// takes the wide cast.
func fastDecimal(raw string) string {
	return fmt.Sprintf(`CASE WHEN regexp_full_match(%[1]s, '-?\d{1,12}(\.\d{1,6})?') THEN %[1]s::DECIMAL(18,6)::%[2]s ELSE TRY_CAST(%[1]s AS %[2]s) END`, raw, wideDecimal)
}

// readHeader returns the CSV's column names.
func readHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head, err := csv.NewReader(f).Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	return head, nil
}

// missingColumns are r's columns that head lacks.
func missingColumns(r reports.Report, head []string) []string {
	has := map[string]bool{}
	for _, h := range head {
		has[h] = true
	}
	var out []string
	for _, c := range r.Columns {
		if !has[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// source is a CTE named typed over the CSV at path: each declared column
// cast to its type (text undoes the CSV's formula guard, a leading ' before
// =, +, -, @, tab or CR), its text as written in "__raw<i>", and the row's
// place in the file in "__row".
//
// limit, if not 0, reads only the file's first limit rows: the table of a
// report with no filter shows the first rows, and typing a million rows to
// show 2,000 took most of a big page's time.
func source(path string, r reports.Report, limit int) string {
	return typedCSV(path, r, limit, true)
}

// unnumbered is source without "__row": numbering the rows is a streaming
// window, which DuckDB runs on one thread, and a pass that needs no order
// (counts, totals) then reads the file on every core.
func unnumbered(path string, r reports.Report) string {
	return typedCSV(path, r, 0, false)
}

func typedCSV(path string, r reports.Report, limit int, numbered bool) string {
	var cols []string
	for i, c := range r.Columns {
		raw := transform.QuoteIdent(c.Name)
		var e string
		if t, ok := sqlTypes[c.Type]; ok {
			e = "TRY_CAST(" + raw + " AS " + t + ")"
			if t == wideDecimal {
				e = fastDecimal(raw)
			}
		} else {
			e = "CASE WHEN regexp_matches(" + raw + ", '^''[=+\\-@\\t\\r]') THEN substr(" + raw + ", 2) ELSE " + raw + " END"
		}
		cols = append(cols, e+" AS "+raw, fmt.Sprintf("%s AS __raw%d", raw, i))
	}
	if numbered {
		cols = append(cols, "row_number() OVER () AS __row")
	}
	from := "read_csv(" + transform.QuoteString(path) + ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
	if limit > 0 {
		// A scan keeps the file's order (as row_number() OVER () relies on).
		from = fmt.Sprintf("(SELECT * FROM %s LIMIT %d)", from, limit)
	}
	return "WITH typed AS (SELECT " + strings.Join(cols, ", ") + " FROM " + from + ")"
}

// displayExpr is column c as the workbook shows it (reports.Values): its
// Display expression if declared, text labelled; numbers and dates stay
// machine text for Go to format the pt-BR way (formatCell).
func displayExpr(r reports.Report, c reports.Column) string {
	return r.ShowSQL(c, r.ValueSQL(c), reports.Values)
}

// badExpr is true where column i's text is not of its declared type.
func badExpr(i int, c reports.Column) string {
	return fmt.Sprintf("(__raw%d IS NOT NULL AND trim(__raw%d) <> '' AND %s IS NULL)", i, i, transform.QuoteIdent(c.Name))
}

// buildPage reads the report's CSV at path (file names it for messages).
// A CSV that lacks a declared column gives a page saying so, and a
// *ColumnError; values that do not parse are shown as written and counted
// in *ValueErrors. Either way the page is written and the error returned.
func buildPage(ctx context.Context, db *sql.Conn, path, file string, r reports.Report) (*pageData, []error, error) {
	p := &pageData{Report: r, Headers: r.Columns}
	head, err := readHeader(path)
	if err != nil {
		return nil, nil, err
	}
	if miss := missingColumns(r, head); len(miss) > 0 {
		e := &ColumnError{File: file, Report: r.Name, Missing: miss}
		p.Problems = append(p.Problems, fmt.Sprintf("O arquivo %s não tem a(s) coluna(s) %s que o relatório declara: esta página não mostra seus números. "+
			"Publique o período de novo (salesops run) ou veja o arquivo.", file, strings.Join(miss, ", ")))
		return p, []error{e}, nil
	}
	src := source(path, r, 0)
	where := "true"
	tableSrc := source(path, r, MaxTableRows)
	if r.Oversize != nil {
		where, p.Filtered = r.Oversize.Where, true
		tableSrc = src
	}

	// Counts, totals (the declaration's aggregates, over every row) and
	// the values that do not parse, in one pass.
	counted := "true"
	if r.Counted != nil {
		counted = r.Counted.Where
	}
	var nCounted int64
	sel := []string{"count(*)", "count(*) FILTER (WHERE " + where + ")", "count(*) FILTER (WHERE " + counted + ")"}
	var totalCols []int
	for i, c := range r.Columns {
		if agg, ok := r.Totals[c.Name]; ok {
			sel = append(sel, "("+agg+")::VARCHAR")
			totalCols = append(totalCols, i)
		}
	}
	var checked []int
	for i, c := range r.Columns {
		if c.Type != reports.Text {
			sel = append(sel, "count(*) FILTER (WHERE "+badExpr(i, c)+")")
			checked = append(checked, i)
		}
	}
	scan := make([]any, 0, len(sel))
	scan = append(scan, &p.Total, &p.Exceptions, &nCounted)
	totals := make([]sql.NullString, len(totalCols))
	for i := range totals {
		scan = append(scan, &totals[i])
	}
	bad := make([]int64, len(checked))
	for i := range checked {
		scan = append(scan, &bad[i])
	}
	if err := db.QueryRowContext(ctx, unnumbered(path, r)+" SELECT "+strings.Join(sel, ", ")+" FROM typed").Scan(scan...); err != nil {
		return nil, nil, err
	}
	// The first value that does not parse, in the file's order, only
	// for the columns that have one.
	firstBad := make([]sql.NullString, len(checked))
	sel, scan = sel[:0], scan[:0]
	for k, i := range checked {
		if bad[k] > 0 {
			sel = append(sel, fmt.Sprintf("first(__raw%d ORDER BY __row) FILTER (WHERE %s)", i, badExpr(i, r.Columns[i])))
			scan = append(scan, &firstBad[k])
		}
	}
	if len(sel) > 0 {
		if err := db.QueryRowContext(ctx, src+" SELECT "+strings.Join(sel, ", ")+" FROM typed").Scan(scan...); err != nil {
			return nil, nil, err
		}
	}
	var errs []error
	for k, i := range checked {
		if bad[k] == 0 {
			continue
		}
		c := r.Columns[i]
		errs = append(errs, &ValueError{File: file, Column: c.Name, Type: typeNames[c.Type], Count: bad[k], First: firstBad[k].String})
		p.Problems = append(p.Problems, fmt.Sprintf("%s valor(es) da coluna “%s” de %s não são %s (o primeiro: “%s”): aparecem como estão no arquivo, "+
			"marcados em vermelho, e ficam fora dos totais e dos gráficos.", ptbr.Int(bad[k]), c.Title, file, typeNamesBR[c.Type], firstBad[k].String))
	}

	// Key figures: rows (or those the report counts), exceptions, and the
	// money and percent totals, saying what they cover.
	if r.Counted != nil {
		p.Figures = append(p.Figures, figure{Label: r.Counted.Kept, Value: ptbr.Int(nCounted)})
	} else {
		p.Figures = append(p.Figures, figure{Label: "Linhas", Value: ptbr.Int(p.Total)})
	}
	if p.Filtered {
		p.Figures = append(p.Figures, figure{Label: "Exceções", Value: ptbr.Int(p.Exceptions)})
	}
	if len(totalCols) > 0 {
		row := make([]cell, len(r.Columns))
		labelled := false
		label := r.TotalsLabel
		if label == "" {
			label = "Total"
		}
		k := 0
		for i, c := range r.Columns {
			if k < len(totalCols) && totalCols[k] == i {
				row[i] = formatCell(c.Type, totals[k].String)
				if col, flag, ok := r.Sum(r.Totals[c.Name]); ok && col == c.Name {
					row[i].Sum, row[i].SumIf, row[i].Kind = true, -1, totalKinds[c.Type]
					if flag != "" {
						row[i].SumIf, row[i].SumIfText = columnIndex(r, flag), ptbr.Bool(true)
					}
				}
				if row[i].Text != "" && (c.Type == reports.MoneyBRL || c.Type == reports.Percent) {
					fl := c.Title
					if r.TotalsLabel != "" {
						fl += " · " + strings.ToLower(r.TotalsLabel[:1]) + r.TotalsLabel[1:]
					}
					p.Figures = append(p.Figures, figure{Label: fl, Value: row[i].Text, Neg: row[i].Neg})
				}
				k++
				continue
			}
			if !labelled && c.Type == reports.Text {
				row[i], labelled = cell{Text: label}, true
			}
		}
		// A totals row under part of the rows would not add up.
		if p.Exceptions == p.Total && p.Total <= MaxTableRows && p.Total > 0 {
			p.Totals = row
		}
	}

	// The table: the exceptions (or every row), in the file's order.
	sel = sel[:0]
	for i, c := range r.Columns {
		sel = append(sel, displayExpr(r, c), fmt.Sprintf("__raw%d", i))
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf("%s SELECT %s FROM typed WHERE %s ORDER BY __row LIMIT %d", tableSrc, strings.Join(sel, ", "), where, MaxTableRows))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	vals := make([]sql.NullString, 2*len(r.Columns))
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		cells := make([]cell, len(r.Columns))
		row := row{Cells: cells}
		for i, c := range r.Columns {
			shown, raw := vals[2*i], vals[2*i+1]
			switch {
			case c.Type == reports.Text:
				v := shown.String
				if c.Name == r.SheetBy && v != "" {
					v = reports.SheetName(v) // as the workbook names its sheet
				}
				cells[i] = cell{Text: v}
			case !shown.Valid && strings.TrimSpace(raw.String) != "":
				cells[i] = cell{Text: raw.String, Bad: true}
			default:
				cells[i] = formatCell(c.Type, shown.String)
				if cells[i].Sort != "" {
					cells[i].Sort = raw.String
				}
			}
		}
		// The declaration's highlights, on the values as published; the
		// first that marks the row or a cell wins.
		for _, h := range r.Highlights {
			i := columnIndex(r, h.If)
			if i < 0 || !h.Holds(r.Columns[i].Type, strings.TrimSpace(vals[2*i+1].String)) {
				continue
			}
			if len(h.Mark) == 0 && row.Mark == "" {
				row.Mark = highlightClass(h)
			}
			for _, m := range h.Mark {
				if j := columnIndex(r, m); j >= 0 && cells[j].Mark == "" {
					cells[j].Mark = highlightClass(h)
				}
			}
		}
		p.Rows = append(p.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	p.Cap = p.Exceptions > int64(len(p.Rows))
	for _, h := range r.Highlights {
		if h.Why != "" {
			p.Legend = append(p.Legend, legend{Mark: highlightClass(h), Why: h.Why})
		}
	}

	charts, err := pageCharts(ctx, db, src, r)
	if err != nil {
		return nil, nil, fmt.Errorf("charts: %w", err)
	}
	p.Charts = charts
	return p, errs, nil
}

func columnIndex(r reports.Report, name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

var typeNamesBR = map[reports.Type]string{
	reports.Integer: "números inteiros", reports.Money: "números", reports.MoneyBRL: "valores em reais",
	reports.Percent: "percentuais", reports.Rate: "taxas", reports.Date: "datas", reports.Bool: "sim/não",
	reports.Quantity: "quantidades",
}

// pageCharts draws r's declared charts; a report without any gets a count
// of its rows per code column, and the amounts it totals by the same code.
// Categories come in the order they first appear in the file.
func pageCharts(ctx context.Context, db *sql.Conn, src string, r reports.Report) ([]chartSpec, error) {
	var out []chartSpec
	for k, ch := range chartsOf(r) {
		cat, ok := r.Column(ch.Category)
		if !ok {
			return nil, fmt.Errorf("chart %q: no column %s", ch.Title, ch.Category)
		}
		spec := chartSpec{ID: fmt.Sprintf("chart-%d", k), Title: ch.Title, Horizontal: ch.Horizontal}
		sel := []string{"coalesce(" + displayExpr(r, cat) + ", '')"}
		for _, v := range ch.Values {
			if v == "" {
				sel = append(sel, "count(*)::DOUBLE")
				spec.Series = append(spec.Series, series{Name: "Linhas"})
				continue
			}
			col, ok := r.Column(v)
			if !ok {
				return nil, fmt.Errorf("chart %q: no column %s", ch.Title, v)
			}
			// A value the totals sum over some rows (sumIf) is charted
			// over the same rows.
			filter := ""
			if _, flag, ok := r.Sum(r.Totals[v]); ok && flag != "" {
				filter = " FILTER (WHERE " + transform.QuoteIdent(flag) + ")"
			}
			sel = append(sel, "coalesce(sum("+transform.QuoteIdent(v)+")"+filter+", 0)::DOUBLE")
			spec.Series = append(spec.Series, series{Name: col.Title})
			spec.Money = spec.Money || col.Type == reports.MoneyBRL
		}
		rows, err := db.QueryContext(ctx, fmt.Sprintf("%s SELECT %s FROM typed GROUP BY 1 ORDER BY min(__row)", src, strings.Join(sel, ", ")))
		if err != nil {
			return nil, fmt.Errorf("chart %q: %w", ch.Title, err)
		}
		vals := make([]float64, len(ch.Values))
		dest := make([]any, 1+len(vals))
		var name string
		dest[0] = &name
		for i := range vals {
			dest[i+1] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, err
			}
			if ch.Category == r.SheetBy || name == "" {
				name = reports.SheetName(name)
			}
			spec.Categories = append(spec.Categories, name)
			for i, v := range vals {
				spec.Series[i].Data = append(spec.Series[i].Data, v)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		spec.Horizontal = spec.Horizontal || len(spec.Categories) > 6
		if len(spec.Categories) > 0 {
			out = append(out, spec)
		}
	}
	return out, nil
}

// codeLabel is a label of a whole code: reports.Codes writes \bcode\b,
// the lifecycle's labels ^code$.
var codeLabel = regexp.MustCompile(`^(?:\\b[\w-]+\\b|\^[\w-]+\$)$`)

// codeColumn is r's first text column whose labels all name whole codes
// (class, bucket, status...): the column its rows are counted by.
func codeColumn(r reports.Report) (reports.Column, bool) {
	for _, c := range r.Columns {
		ls := r.Labels[c.Name]
		if c.Type != reports.Text || len(ls) == 0 {
			continue
		}
		all := true
		for _, l := range ls {
			all = all && codeLabel.MatchString(l.Pattern)
		}
		if all {
			return c, true
		}
	}
	return reports.Column{}, false
}

// chartsOf are r's declared charts, or a count of its rows per code
// column and, by the same code, the amounts it totals.
func chartsOf(r reports.Report) []reports.Chart {
	if len(r.Charts) > 0 {
		return r.Charts
	}
	col, ok := codeColumn(r)
	if !ok {
		return nil
	}
	out := []reports.Chart{{Title: "Linhas por " + strings.ToLower(col.Title), Category: col.Name, Values: []string{""}, Horizontal: true}}
	var money []string
	for _, m := range r.Columns {
		if c, _, ok := r.Sum(r.Totals[m.Name]); ok && c == m.Name && m.Type == reports.MoneyBRL {
			money = append(money, m.Name)
		}
	}
	if len(money) > 0 {
		title := "Valores por " + strings.ToLower(col.Title) + " (R$)"
		if r.TotalsLabel != "" {
			title += " — " + strings.ToLower(r.TotalsLabel[:1]) + r.TotalsLabel[1:]
		}
		out = append(out, reports.Chart{Title: title, Category: col.Name, Values: money, Horizontal: true})
	}
	return out
}

// formatCell formats a machine value (CSV: '.' decimals, ISO dates) the
// pt-BR way (reports.Type.Format), keeping the value to sort by.
func formatCell(t reports.Type, v string) cell {
	if v == "" {
		return cell{Num: t != reports.Text && t != reports.Date && t != reports.Bool}
	}
	switch t {
	case reports.Date:
		return cell{Text: t.Format(v), Sort: v}
	case reports.Bool:
		return cell{Text: t.Format(v)}
	case reports.Integer, reports.Money, reports.MoneyBRL, reports.Percent, reports.Rate, reports.Quantity:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return cell{Text: v, Bad: true}
		}
		return cell{Text: t.Format(v), Sort: v, Num: true, Neg: d.IsNegative()}
	}
	return cell{Text: v}
}
