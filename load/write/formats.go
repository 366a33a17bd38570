package write

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// format is one row of the table of formats: what a report's file of a
// reports.Format is served as, and what writes it.
type format struct {
	name        reports.Format // the file is <report>.<name>
	contentType string         // its media type on upload (publish.Upload)
	// write writes r's mart to path and returns how many rows the file holds.
	write func(ctx context.Context, w *transform.Warehouse, r reports.Report, path string) (int64, error)
}

// formats is every format a report can be written in. A new format is a
// row here, its writer (a file of its own unless a COPY option or two
// make it), and its name in reports/formats.go; TestFormatsRegistered
// fails for a format a report declares without a row.
var formats = []format{
	{reports.CSV, "text/csv; charset=utf-8", writeCSV},
	{reports.Parquet, "application/vnd.apache.parquet", writeParquet},
	{reports.XLSX, xlsxType, writeXLSX},
	{reports.CSVPeople, "text/csv; charset=utf-8", writePeopleCSV},
}

// xlsxType is the media type of every XLSX file: a report's own, a
// workbook, a proposal.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// otherTypes are the media types of a set's files that are no report's
// format, by extension: calendars, JSON and the proposals' PDF (served as
// application/pdf, a browser opening it from an S3 website shows it instead
// of downloading an unknown file). Workbooks and proposals end in .xlsx,
// the XLSX format's.
var otherTypes = map[string]string{
	".ics":  "text/calendar; charset=utf-8",
	".json": "application/json",
	".pdf":  "application/pdf",
}

// Registered reports whether f has a row in the table of formats.
func Registered(f reports.Format) bool {
	_, ok := lookup(f)
	return ok
}

func lookup(f reports.Format) (format, bool) {
	for _, row := range formats {
		if row.name == f {
			return row, true
		}
	}
	return format{}, false
}

// writeFormat writes r's mart to path in format f, by its row's writer.
func writeFormat(ctx context.Context, w *transform.Warehouse, r reports.Report, f reports.Format, path string) (int64, error) {
	row, ok := lookup(f)
	if !ok {
		return 0, fmt.Errorf("unknown format %q", f)
	}
	return row.write(ctx, w, r, path)
}

// ContentType is the media type a file of a set (a slash-separated path) is
// uploaded with, by the end of its name, case aside: that of the longest
// format it ends in ("." + the format's name), else its extension's in
// otherTypes, else application/octet-stream.
func ContentType(name string) string {
	name = strings.ToLower(name)
	best, typ := 0, ""
	for _, row := range formats {
		ext := "." + strings.ToLower(string(row.name))
		if strings.HasSuffix(name, ext) && len(ext) > best {
			best, typ = len(ext), row.contentType
		}
	}
	if typ != "" {
		return typ
	}
	if t, ok := otherTypes[path.Ext(name)]; ok {
		return t
	}
	return "application/octet-stream"
}
