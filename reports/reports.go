// Package reports declares every published report once: its name, the mart
// it reads, its columns with their types and titles, and its formats. The
// CLI, the pipelines and the writers in package load all read these
// declarations; the SQL lives in transform/models/marts/<model>.sql.
package reports

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
)

// Column is one output column: Name as in the mart and the machine files,
// Title for people (XLSX header).
type Column struct {
	Name  string
	Type  Type
	Title string
}

// Format is an output file type.
type Format string

const (
	CSV     Format = "csv"
	Parquet Format = "parquet"
	XLSX    Format = "xlsx"
)

// Report is one published table.
type Report struct {
	Name    string   // output file base name
	Model   string   // mart it reads (transform/models/marts/<Model>.sql)
	Columns []Column // in output order
	Formats []Format
	// XLSX layout: one sheet per distinct value of SheetBy (in row order),
	// or a single sheet named Sheet.
	SheetBy string
	Sheet   string
}

// Workbook is one XLSX file gathering several reports, a sheet (or the
// SheetBy sheets) each, in order: the first is meant to be a summary.
// Its reports need no XLSX format of their own.
type Workbook struct {
	File   string
	Sheets []Report
}

// Calendar publishes a mart's rows as an iCalendar (RFC 5545) file, one
// all-day event per row; the fields name the mart's columns that hold
// each event's part.
type Calendar struct {
	File        string // e.g. t36.ics
	Model       string
	UID         string // stable across runs: the same event keeps its UID
	Date        string // a DATE column: the event's day
	Summary     string
	Description string
}
