package pipelines

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/salesops/salesops/load"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// writeMSPriceList writes a Microsoft NCE price list of n rows (about 240
// bytes each): n/10 products, each in 10 market/currency/segment/term/plan
// combinations, all in force in December 2025.
func writeMSPriceList(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("\ufeffProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment\r\n")
	type combo struct{ term, plan, market, currency, segment string }
	combos := []combo{
		{"P1Y", "Annual", "BR", "USD", "Commercial"}, {"P1Y", "Monthly", "BR", "USD", "Commercial"},
		{"P1M", "Monthly", "BR", "USD", "Commercial"}, {"P1Y", "Annual", "BR", "BRL", "Commercial"},
		{"P1M", "Monthly", "BR", "BRL", "Commercial"}, {"P1Y", "Annual", "US", "USD", "Commercial"},
		{"P1M", "Monthly", "US", "USD", "Commercial"}, {"P1Y", "Annual", "BR", "USD", "Education"},
		{"P1Y", "Annual", "BR", "BRL", "Education"}, {"P1Y", "Annual", "US", "USD", "Government"},
	}
	families := []string{"Microsoft 365 E3", "Microsoft 365 Business Premium", "Dynamics 365 Sales", "Power BI Pro", "Windows 365 Enterprise"}
	for r := 0; r < n; r++ {
		p, c := r/len(combos), combos[r%len(combos)]
		fam := families[p%len(families)]
		cents := 1000 + (p*7919)%500000
		fmt.Fprintf(w, "\"%s %d\",\"CFQ7TTC%05d\",\"%04d\",\"%s %d plan\",\"Microsoft Corporation\",\"%s, licence %d, per user\",\"1 User\",\"%s\",\"%s\",\"%s\",\"%s\",\"%d.%02d\",\"0\",\"\",\"1/1/2025 12:00:00 AM\",\"12/31/9999 11:59:59 PM\",\"License\",\"%d.%02d\",\"%s\"\r\n",
			fam, p%1000, p, p%7, fam, p%1000, fam, p, c.term, c.plan, c.market, c.currency, cents/100, cents%100, cents*6/500, cents*6/5%100, c.segment)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	// On disk before timing starts: the kernel writing the file back in
	// the background would slow whatever runs first.
	return f.Sync()
}

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
	inbox := filepath.Join(b.TempDir(), "inbox")
	msDir := filepath.Join(inbox, "pricelists", "microsoft")
	for _, d := range []string{msDir, filepath.Join(inbox, "fx"), filepath.Join(inbox, "rules")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	csvPath := filepath.Join(msDir, "nce_1m.csv")
	if err := writeMSPriceList(csvPath, rows); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(inbox, "fx", "ptax.csv"), []byte("28112025;220;A;USD;5,3210;5,3216;1,0000;1,0000\n"), 0o644)
	os.WriteFile(filepath.Join(inbox, "rules", "pricing.csv"), []byte("vendor;segment;product_family;method;pct;min_margin_pct\n*;*;*;markup;15;8\nMicrosoft;*;Microsoft 365*;list_discount;5;10\nMicrosoft;Education;*;markup;8;5\n"), 0o644)
	os.WriteFile(filepath.Join(inbox, "rules", "incentives.csv"), []byte("vendor;program;sku_pattern;pct;valid_from;valid_to\nMicrosoft;Core;CFQ7TTC*;3;;\nMicrosoft;Promo;CFQ7TTC0001*;5;;\n"), 0o644)
	info, _ := os.Stat(csvPath)

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

		cfg := Config{Inbox: inbox, Out: out, Period: "2025-12", AsOf: "2025-12-01"}
		if err := cfg.Resolve(time.Now()); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		res, err := RunAll(ctx, cfg, []*Pipeline{&machine})
		if err != nil {
			b.Fatal(err)
		}
		pipeline := time.Since(t1)
		if got := res[0].Manifest.Outputs[0].Rows; got != rows {
			b.Fatalf("quote_prices has %d rows, want %d", got, rows)
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
		outs, err := load.WriteReport(ctx, w, b.TempDir(), xl)
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
