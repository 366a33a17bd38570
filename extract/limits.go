package extract

import (
	"fmt"
	"math"

	"github.com/salesops/salesops/extract/nfxml"
	"github.com/salesops/salesops/transform"
)

// Limits bound what one inbox file may expand to, so a small hostile or
// broken file (a zip bomb, a 2 GiB shared string, a line with no end)
// fails with a clear error naming the file and the limit instead of
// exhausting memory. Zero means the default. Config key: limits.
type Limits struct {
	// MaxLineBytes bounds one CSV line (and so one field), and the text of
	// one XLSX row, cells summed: a row of 16,384 cells each naming the same
	// long shared string costs a few bytes per cell to write. Default 1 MiB.
	MaxLineBytes int64 `yaml:"max_line_bytes"`
	// MaxCellBytes bounds one XLSX cell or shared string, in UTF-8 bytes,
	// default 32767 (Excel's own limit is 32767 characters; a cell of
	// accented text may hold more bytes, and then needs a higher limit).
	// An XML token of a workbook part (a tag, a run of text) may take six
	// times as many bytes, the most escaping (&quot;) can add.
	MaxCellBytes int64 `yaml:"max_cell_bytes"`
	// MaxUnzippedBytes bounds the bytes actually inflated from an XLSX's
	// parts read (the workbook, its relationships, the shared strings and
	// the one sheet loaded), counted as they are read, whatever the zip's
	// headers claim. The shared strings are held in memory, so this also
	// bounds what a workbook may make us allocate (as does memory_limit:
	// the shared strings may hold the 25 % DuckDB does not get, see
	// readerBudget). Default 1 GiB: a sheet of Excel's 1,048,576 rows
	// by 25 numeric columns.
	MaxUnzippedBytes int64 `yaml:"max_unzipped_bytes"`
	// MaxXMLBytes bounds one NF-e/NFS-e document in an XML file (a batch
	// file may hold many) and any one token outside them, default 16 MiB.
	MaxXMLBytes int64 `yaml:"max_xml_bytes"`
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxLineBytes, 1<<20)
	def(&l.MaxCellBytes, 32767)
	def(&l.MaxUnzippedBytes, 1<<30)
	def(&l.MaxXMLBytes, nfxml.DefaultMaxBytes)
	return l
}

// LimitError is input over one of the Limits, such as "a cell longer than
// 32767 bytes (limits.max_cell_bytes)". Callers put the file and position
// around it.
type LimitError struct {
	What  string // what was too long: "a cell", "a row", "an XML token"
	Limit int64  // in bytes
	Key   string // the setting under limits: in the config file
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s longer than %d bytes (limits.%s)", e.What, e.Limit, e.Key)
}

// memoryBudget is what a reader may hold in memory for one file (today the
// shared strings of a workbook, the one thing a reader keeps whole).
type memoryBudget struct {
	bytes   int64  // 0: no bound but the Limits
	setting string // memory_limit as the config file spells it, for messages
	pct     int    // bytes as a share of memory_limit, for messages
}

// readerBudget is the part of the run's memory_limit that DuckDB's own
// limit leaves (transform.DuckDBShare), where the Go side and what DuckDB
// allocates past its limit must fit; no bound without memory_limit (the
// config file checked its spelling).
func readerBudget(memoryLimit string) memoryBudget {
	if memoryLimit == "" {
		return memoryBudget{}
	}
	n, err := transform.ParseSize(memoryLimit)
	if err != nil || n <= 0 {
		return memoryBudget{}
	}
	left := 1 - float64(transform.DuckDBShare)
	return memoryBudget{bytes: int64(float64(n) * left), setting: memoryLimit, pct: int(math.Round(left * 100))}
}
