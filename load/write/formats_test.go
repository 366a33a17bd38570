package write_test

import (
	"testing"

	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/reports"
)

// TestFormatsRegistered: every format a published report declares, and
// every named set, has a row in the table of formats, so a missing one
// fails here rather than in a run.
func TestFormatsRegistered(t *testing.T) {
	sets := map[string][]reports.Format{"ForPeople": reports.ForPeople, "ForPrograms": reports.ForPrograms,
		"WithXLSX": reports.WithXLSX, "CSVOnly": reports.CSVOnly}
	for _, p := range pipelines.All {
		for _, r := range p.Reports {
			sets[p.Name+"/"+r.Name] = r.Formats
		}
	}
	for name, fs := range sets {
		for _, f := range fs {
			if !write.Registered(f) {
				t.Errorf("%s: format %q has no row in load/write/formats.go", name, f)
			}
		}
	}
	if write.Registered("nosuchformat") {
		t.Error(`Registered("nosuchformat") = true`)
	}
}

// TestContentType: the media type each kind of file of a set is uploaded
// with, as load/publish/upload.go gave it before the table of formats.
func TestContentType(t *testing.T) {
	const (
		csv  = "text/csv; charset=utf-8"
		xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		pq   = "application/vnd.apache.parquet"
		bin  = "application/octet-stream"
	)
	for name, want := range map[string]string{
		"reconciliation.csv":                       csv,
		"reconciliation.pt-BR.csv":                 csv,
		"REJECTS.CSV":                              csv,
		"quote_prices.parquet":                     pq,
		"datasets/quotes/period=2025-12/q.parquet": pq,
		"quote_prices.xlsx":                        xlsx, // a report's own
		"lifecycle.xlsx":                           xlsx, // a workbook
		"proposals/Q-101-r1.xlsx":                  xlsx, // a proposal
		"proposals/Q-101-r1.pdf":                   "application/pdf",
		"t36.ics":                                  "text/calendar; charset=utf-8",
		"manifest.json":                            "application/json",
		"notes":                                    bin,
		"a.csv/notes":                              bin, // a folder's name is no extension
		"x.nosuchformat":                           bin,
	} {
		if got := write.ContentType(name); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", name, got, want)
		}
	}
}
