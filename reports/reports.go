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
