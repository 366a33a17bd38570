// Command salesops-bench measures salesops on a generated inbox against
// DuckDB's plain load of the same files (issue 10), and writes the table
// into BENCHMARKS.md:
//
//	go run ./cmd/salesops-bench --bill-lines 1000000 --customers 5000 --months 36 --seed 1 --reps 3 --out /tmp/bench
//
// It builds salesops once, generates the inbox with "salesops gen", and for
// each case runs, as child processes measured from outside (wall time, and
// peak RSS from the child's own rusage), DuckDB's plain
// CREATE TABLE AS SELECT * FROM read_csv(…) of the CSV files the run reads
// and the run itself, alternately: baseline, run, baseline, run… so a change
// of load on a shared machine hits both. It reports medians, their ratio,
// peak RSS and rows/s, and whether each case meets the target (by
// how much it misses, and the slowest steps of the median run, from its
// debug log). The baseline is the same binary re-executed with the hidden
// subcommand "baseline", so its rusage is its own.
//
// The generated inbox has one month more than --months: its first --months
// months are the history the cold runs read, and the last is the month
// added in "+1 month to 36". "+1 month to 12" adds the 13th month to a
// warehouse that holds the first 12.
//
// It is a program, not a test: it takes minutes (1M bill lines) to hours
// (10M), and go test ./... does not run it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Options are the flags.
type Options struct {
	BillLines int
	Customers int
	Months    int
	Seed      int64
	Reps      int
	Out       string // work folder: binary, inbox, warehouses, logs
	MD        string // BENCHMARKS.md to write the table into ("" for none)
	Config    string // salesops config for every run (memory_limit, threads…)
	Cases     string // comma-separated case names to run (default all)
	// Inbox and Period bench an existing inbox instead of a generated
	// one (the cold cases and the no-op re-run only).
	Inbox  string
	Period string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "baseline" {
		os.Exit(runBaseline(os.Args[2:]))
	}
	var o Options
	flag.IntVar(&o.BillLines, "bill-lines", 1_000_000, "Microsoft bill lines over the --months months of history")
	flag.IntVar(&o.Customers, "customers", 5000, "customers")
	flag.IntVar(&o.Months, "months", 36, "months of history (one more is generated: the month added)")
	flag.Int64Var(&o.Seed, "seed", 1, "generator seed")
	flag.IntVar(&o.Reps, "reps", 3, "pairs (baseline, run) per case; medians are taken over them")
	flag.StringVar(&o.Out, "out", "", "work `folder` (required; its previous contents are replaced)")
	flag.StringVar(&o.MD, "md", "BENCHMARKS.md", "markdown `file` whose table for this size is replaced (\"\" writes none)")
	flag.StringVar(&o.Config, "config", "", "salesops config `file` for every run (it must not set inbox, out or warehouse)")
	flag.StringVar(&o.Cases, "cases", "", "comma-separated `cases` to run (default: all)")
	flag.StringVar(&o.Inbox, "inbox", "", "bench this inbox `folder` instead of generating one (needs --period; no new-month cases)")
	flag.StringVar(&o.Period, "period", "", "with --inbox: the period to run, `YYYY-MM`")
	flag.Parse()
	if o.Out == "" || o.Reps < 1 || (o.Inbox != "") != (o.Period != "") || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: salesops-bench --out DIR [--bill-lines N --customers N --months N --seed S] [--reps N] [--md FILE]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runBench(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "salesops-bench:", err)
		os.Exit(1)
	}
}
