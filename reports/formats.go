package reports

// Format is a file type a report is written in, named by the file's
// extension: report r in format f is the file r.Name + "." + f. Each has
// a row in load/write's table of formats (load/write/formats.go: media
// type and writer); TestFormatsRegistered fails for one without.
type Format string

const (
	CSV     Format = "csv"
	Parquet Format = "parquet"
	XLSX    Format = "xlsx"
	// CSVPeople is <report>.pt-BR.csv, beside the machine CSV (never
	// instead of it), for people who open a CSV in Excel set to Brazilian
	// Portuguese: UTF-8 with a BOM (else Excel reads the accents as
	// Windows-1252), ';' between fields, column titles as headers, labels
	// instead of codes, numbers with a decimal comma and no thousands
	// separator (Excel pt-BR reads 1234,50 as the number and shows it in
	// its own format; with a '.' for thousands, "1.234" would be one
	// thousand to Excel and one point two to a program reading a decimal
	// point), dates as dd/mm/aaaa, booleans as sim/não.
	CSVPeople Format = "pt-BR.csv"
)

// The sets of formats a report declares, each named once (shared: never
// modify one in place).
var (
	// ForPeople is CSV and Parquet for programs and the CSV for Excel
	// pt-BR: a report people open as a file.
	ForPeople = []Format{CSV, Parquet, CSVPeople}
	// ForPrograms is CSV and Parquet only: people read the report as a
	// workbook's sheet.
	ForPrograms = []Format{CSV, Parquet}
	// WithXLSX is CSV and Parquet, and an XLSX of the report's own.
	WithXLSX = []Format{CSV, Parquet, XLSX}
	// CSVOnly is a CSV alone: the rejects (the workbooks show them as a
	// sheet).
	CSVOnly = []Format{CSV}
)
