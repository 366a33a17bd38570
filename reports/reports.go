// Package reports declares every published report once: its name, the mart
// it reads, its columns with their types and titles, and its formats. The
// CLI, the pipelines and the writers in load/write all read these
// declarations; the SQL lives in transform/models/marts/<model>.sql.
package reports

import (
	"math/big"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type says how a column is written: machine formats keep the SQL value,
// XLSX picks a pt-BR number or date format from it.
type Type int

const (
	Text     Type = iota
	Integer       // counts, line numbers
	Money         // in the row's own currency: 1.234,56
	MoneyBRL      // R$ 1.234,56
	Percent       // percentage points: 12.34 means 12,34 %
	Rate          // exchange rates: 5,3216
	Date          // dd/mm/aaaa
	Bool          // sim / não in XLSX
	Quantity      // licences, seats: 20 when whole (not 20,00), else its decimals: 2,5
)

// Column is one output column: Name as in the mart and the machine files,
// Title for people (XLSX header).
type Column struct {
	Name  string
	Type  Type
	Title string
}

// Report is one published table.
type Report struct {
	Name string // output file base name
	// Dataset names its Parquet's table in the dataset tree
	// (<out>/datasets/<Dataset>/period=…) when Name is another pipeline's
	// report's too (DatasetName).
	Dataset string
	// Title is its name for people: the report site's page and links.
	// Every report a pipeline publishes has one (TestDeclarations).
	Title   string
	Model   string   // mart it reads (transform/models/marts/<Model>.sql)
	Columns []Column // in output order
	Formats []Format // one of the sets of formats.go
	// XLSX layout: one sheet per distinct value of SheetBy (in row order),
	// or a single sheet named Sheet.
	SheetBy string
	Sheet   string

	// For people (XLSX, site); CSV and Parquet ignore these.
	Labels  map[string][]Label // per column, rewrites of codes and English text
	Display map[string]string  // per column, a SQL expression shown instead (e.g. for a missing name)
	Totals  map[string]string  // per column, the SQL aggregate of a totals row; the first other column says TotalsLabel
	// TotalsLabel says what the totals row covers (default "Total").
	TotalsLabel string
	// Choices are, per column, the values a person picks from in the
	// workbook's sheet (a drop-down list: data validation), for a sheet
	// people fill in (the Revisão sheet's decision).
	Choices map[string][]string
	Empty   string // the line an empty sheet shows, saying why
	Charts  []Chart
	// Keys is how many leading columns name a row (its id, its
	// customer): a workbook keeps them in view beside the header and
	// prints them on every page.
	Keys int
	// Internal names the columns for the team, not for paper: a sheet's
	// print area leaves them out when they come last. Every report's
	// source_file and source_line are internal (InternalColumns).
	Internal []string
	// Highlights mark the rows people must act on, in the workbooks (a
	// conditional format) and on the site.
	Highlights []Highlight
	// Counted, if set, is what the site's first figure counts instead of
	// every row (e.g. only the latest revision of each quote).
	Counted *Filter
	// Oversize is what a workbook sheet keeps when the whole report would
	// pass Excel's row limit: a SQL condition on the mart's rows (e.g. the
	// exceptions only), with Kept saying which rows for the manifest's
	// note. Without it the sheet continues on "<sheet> (2)"... The full
	// report stays in CSV and Parquet.
	Oversize *Filter
}

// DatasetName is the table r's Parquet is kept under in the dataset tree:
// Dataset, or its Name.
func (r Report) DatasetName() string {
	if r.Dataset != "" {
		return r.Dataset
	}
	return r.Name
}

// Highlight marks the rows people must act on: those whose column If
// compares with Value by Op. Value is as the mart holds it (a code, true,
// a number); the workbooks compare what the cell shows (its label, sim).
type Highlight struct {
	If    string
	Op    string // =, >, <, >=, <=, <> (default =)
	Value string
	// Mark are the columns coloured (default: the whole row).
	Mark []string
	// Alert is red: act now (over the credit limit, overdue, below the
	// margin floor); otherwise yellow: look.
	Alert bool
	// Why says it for people: the site's legend.
	Why string
}

// Holds says whether a row whose column h.If (of type t) holds raw, as a
// machine CSV writes it (a code, true, 12.5), is highlighted. A number
// compares as a number; an empty value is only equal, or unequal, to "".
func (h Highlight) Holds(t Type, raw string) bool {
	op := h.Op
	if op == "" {
		op = "="
	}
	cmp := strings.Compare(raw, h.Value)
	if t != Text && t != Date && t != Bool && raw != "" {
		a, ok1 := new(big.Rat).SetString(raw)
		b, ok2 := new(big.Rat).SetString(h.Value)
		if !ok1 || !ok2 {
			return false
		}
		cmp = a.Cmp(b)
	} else if raw == "" && h.Value != "" && op != "=" && op != "<>" {
		return false
	}
	switch op {
	case "=":
		return cmp == 0
	case "<>":
		return cmp != 0
	case ">":
		return cmp > 0
	case "<":
		return cmp < 0
	case ">=":
		return cmp >= 0
	case "<=":
		return cmp <= 0
	}
	return false
}

// InternalColumns are every report's columns for the team, not for
// paper: where a row came from.
var InternalColumns = []string{"source_file", "source_line"}

// PrintColumns is how many of r's leading columns a sheet prints: all but
// the internal ones (InternalColumns, r.Internal) that come last.
func (r Report) PrintColumns() int {
	n := len(r.Columns)
	for n > 0 {
		c := r.Columns[n-1].Name
		if !slices.Contains(InternalColumns, c) && !slices.Contains(r.Internal, c) {
			break
		}
		n--
	}
	return n
}

// Sum says whether a Totals aggregate is a sum a spreadsheet can follow
// a filter with: sum(col), or sum(col) filter (where flag) of a Bool
// column flag (sumOf, sumIf), and of what.
func (r Report) Sum(agg string) (col, flag string, ok bool) {
	m := sumRE.FindStringSubmatch(agg)
	if m == nil {
		return "", "", false
	}
	if _, ok := r.Column(m[1]); !ok {
		return "", "", false
	}
	if m[2] != "" {
		if c, ok := r.Column(m[2]); !ok || c.Type != Bool {
			return "", "", false
		}
	}
	return m[1], m[2], true
}

var sumRE = regexp.MustCompile(`^sum\((\w+)\)(?: filter \(where (\w+)\))?$`)

// Labelled is s as people read it in column col of r: its labels
// applied, as LabelSQL applies them in DuckDB.
func (r Report) Labelled(col, s string) string {
	for _, l := range r.Labels[col] {
		s = regexp.MustCompile(l.Pattern).ReplaceAllString(s, l.Replace)
	}
	return s
}

// Filter is a SQL condition on a mart's rows and what it keeps, for people.
type Filter struct {
	Where string
	Kept  string // e.g. "only the exceptions (class ≠ matched)"
}

// Workbook is one XLSX file gathering several reports, a sheet (or the
// SheetBy sheets) each, in order: the first is meant to be a summary.
// Its reports need no XLSX format of their own.
type Workbook struct {
	File   string
	Title  string // for people, on the cover sheet and the site
	Sheets []Report
	// Main is the sheet it opens on (default: the first of Sheets, after
	// the cover).
	Main string
	// Rejects names the sheet listing the run's rejected input rows, which
	// the cover sheet links to; "" if the workbook has none.
	Rejects string
}

// Calendar publishes a mart's rows as an iCalendar (RFC 5545) file, one
// all-day event per row; the fields name the mart's columns that hold
// each event's part.
type Calendar struct {
	File        string // e.g. t36.ics
	Name        string // the calendar's name for people (X-WR-CALNAME), before the company's
	Model       string
	UID         string // stable across runs: the same event keeps its UID
	Date        string // a DATE column: the event's day
	Summary     string
	Description string
	Status      string // RFC 5545 STATUS (TENTATIVE, CONFIRMED, CANCELLED), if set
	Sequence    string // an INTEGER column: SEQUENCE, which grows when the event changes
	Alarm       string // a BOOLEAN column: the event reminds (VALARM) before its day
	// GroupBy, if set, also writes the events of each of its values in a
	// file of their own: GroupFile + the value (a file name from data:
	// filename.Safe) + ".ics", named after the value too.
	GroupBy   string
	GroupFile string
}

// What follows is for people only (XLSX and the report site): machine
// formats keep the mart's codes and values.

// Label rewrites a column's text for people: every match of Pattern (an
// RE2 regular expression, as DuckDB's regexp_replace and Go's regexp take
// it) becomes Replace (\1 for a group). Labels apply in order.
type Label struct {
	Pattern string
	Replace string
}

// Codes labels whole codes (class, line_type...): each code, as a word of
// its own, becomes its label; a list of codes ("a, b") is labelled code by
// code. Longer codes come first, so no code is taken for part of another.
func Codes(labels map[string]string) []Label {
	codes := make([]string, 0, len(labels))
	for c := range labels {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	out := make([]Label, len(codes))
	for i, c := range codes {
		out[i] = Label{Pattern: `\b` + regexp.QuoteMeta(c) + `\b`, Replace: labels[c]}
	}
	return out
}

// Chart is a bar chart of a sheet's rows (XLSX) or a page's figures (site):
// one bar per row labelled by Category, one series per column of Values.
type Chart struct {
	Title      string
	Category   string
	Values     []string
	Horizontal bool
}

// File is the name of r's output in format f: <Name>.<f>.
func (r Report) File(f Format) string { return r.Name + "." + string(f) }

// Column returns the named column.
func (r Report) Column(name string) (Column, bool) {
	for _, c := range r.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// SheetName is what people see as the sheet of a SheetBy value: folder
// names such as "kaspersky" get a capital, as "Adobe" and "Microsoft"
// have; an empty value is "(vazio)".
func SheetName(v string) string {
	if v == "" {
		return "(vazio)"
	}
	if v == strings.ToLower(v) {
		r, n := utf8.DecodeRuneInString(v)
		return string(unicode.ToUpper(r)) + v[n:]
	}
	return v
}

// goGroup is a group reference in a Go replacement template.
var goGroup = regexp.MustCompile(`\$\{(\d+)\}|\$\$`)

// SQLReplace is Replace as DuckDB's regexp_replace takes it: groups as \1,
// and a literal $ (written $$ for Go's Expand) as itself.
func (l Label) SQLReplace() string {
	s := strings.ReplaceAll(l.Replace, `\`, `\\`)
	return goGroup.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		return `\` + m[2:len(m)-1]
	})
}
