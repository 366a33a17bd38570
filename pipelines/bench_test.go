package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/synth"
	"github.com/salesops/salesops/transform"
)

// BenchmarkPricelist1M: go test ./pipelines -run XXX -bench Pricelist1M -benchtime 1x
//
// It reports DuckDB's plain load of the file into a database file
// (baseline_s, the median of three loads; baseline_mem_s into memory, for
// reference), the pipeline up
// to the CSV and Parquet outputs (pipeline_s, rows/s, x_baseline: the ratio
// to baseline_s) and then the XLSX writing on its own (xlsx_rows/s).
func BenchmarkPricelist1M(b *testing.B) {
	const rows = 1_000_000
	if os.Getenv("SALESOPS_LOG") == "debug" {
		slog.SetLogLoggerLevel(slog.LevelDebug)
	}
	ctx := context.Background()
	// The generator's inbox (salesops gen --price-rows 1000000): a 1M-row
	// Microsoft list beside its Adobe list, PTAX and rules; the pipeline
	// reads only those.
	inbox := filepath.Join(b.TempDir(), "inbox")
	sum, err := synth.Generate(ctx, inbox, synth.Options{Customers: 5, Months: 1, BillLines: 1000, Seed: 1, PriceRows: rows})
	if err != nil {
		b.Fatal(err)
	}
	csvPath := filepath.Join(inbox, "pricelists", "microsoft", "nce_licensebased_pricelist_"+strings.ReplaceAll(sum.Periods[0], "-", "")+".csv")
	info, err := os.Stat(csvPath)
	if err != nil {
		b.Fatal(err)
	}

	// CSV and Parquet only: XLSX is measured on its own below.
	machine := *Pricelist
	machine.Reports = nil
	for _, r := range Pricelist.Reports {
		r.Formats = without(r.Formats, reports.XLSX)
		machine.Reports = append(machine.Reports, r)
	}

	for i := 0; i < b.N; i++ {
		b.StopTimer()
		out := filepath.Join(b.TempDir(), "out")
		base := filepath.Join(b.TempDir(), "baseline.duckdb")
		b.StartTimer()

		// The baseline, into a database file like the warehouse (and, for
		// reference, into memory).
		ctas := func(dsn string) time.Duration {
			t0 := time.Now()
			db, err := sql.Open("duckdb", dsn)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "CREATE TABLE t AS SELECT * FROM read_csv("+transform.QuoteString(csvPath)+")"); err != nil {
				b.Fatal(err)
			}
			db.Close()
			return time.Since(t0)
		}
		// The median of three, as one load varies by ±20 % on a shared VM.
		var loads []time.Duration
		for j := range 3 {
			loads = append(loads, ctas(fmt.Sprintf("%s.%d", base, j)))
		}
		slices.Sort(loads)
		baseline := loads[1]
		inMemory := ctas("")

		cfg := Config{Inbox: inbox, Out: out, Period: sum.Periods[0], AsOf: sum.AsOf}
		if err := cfg.Resolve(time.Now()); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		res, err := RunAll(ctx, cfg, []*Pipeline{&machine})
		if err != nil {
			b.Fatal(err)
		}
		pipeline := time.Since(t1)
		// Every Microsoft row is in force and priced; the Adobe rows add to them.
		if got := res[0].Manifest.Outputs[0].Rows; got < rows {
			b.Fatalf("quote_prices has %d rows, want at least %d", got, rows)
		}

		// XLSX of the same run's quote prices, from the warehouse.
		w, err := transform.Open(ctx, cfg.Warehouse, transform.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w.SetVars(ctx, map[string]any{"period": cfg.Period, "period_start": cfg.PeriodStart(), "as_of": cfg.AsOfDate(), "fx_max_age_days": 10})
		// quote_prices is per run: build it again (not timed).
		if err := w.Build(ctx, "quote_prices"); err != nil {
			b.Fatal(err)
		}
		xl := reports.QuotePrices
		xl.Formats = []reports.Format{reports.XLSX}
		t2 := time.Now()
		outs, err := write.Report(ctx, w, b.TempDir(), xl)
		if err != nil {
			b.Fatal(err)
		}
		xlsx := time.Since(t2)
		w.Close()

		b.ReportMetric(float64(info.Size())/1e6, "input_MB")
		b.ReportMetric(baseline.Seconds(), "baseline_s")
		b.ReportMetric(inMemory.Seconds(), "baseline_mem_s")
		b.ReportMetric(pipeline.Seconds(), "pipeline_s")
		b.ReportMetric(float64(rows)/pipeline.Seconds(), "pipeline_rows/s")
		b.ReportMetric(pipeline.Seconds()/baseline.Seconds(), "x_baseline")
		b.ReportMetric(float64(outs[0].Rows)/xlsx.Seconds(), "xlsx_rows/s")
	}
}

func without(fs []reports.Format, f reports.Format) []reports.Format {
	var out []reports.Format
	for _, g := range fs {
		if g != f {
			out = append(out, g)
		}
	}
	return out
}
