package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/synth"
)

// GenOptions are the gen verb's flags.
type GenOptions struct {
	Out       string
	Customers int
	Months    int
	BillLines int
	Seed      int64
	End       string
	PriceRows int
}

// AddFlags declares the flags.
func (o *GenOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Out, "out", "", "inbox `folder` to write (required)")
	f.IntVar(&o.Customers, "customers", 50, "customers in the master")
	f.IntVar(&o.Months, "months", 3, "months of bills, orders and invoices, ending with --end")
	f.IntVar(&o.BillLines, "bill-lines", 20000, "Microsoft bill lines over all months")
	f.Int64Var(&o.Seed, "seed", 1, "same seed and sizes, same bytes")
	f.StringVar(&o.End, "end", synth.DefaultEndPeriod, "latest period, YYYY-MM")
	f.IntVar(&o.PriceRows, "price-rows", 0, fmt.Sprintf("rows of the Microsoft price list, at most %d (0: ten per product the bills use, one product per 100 bill lines)", synth.MaxPriceRows))
}

func newGenCommand() *cobra.Command {
	var opts GenOptions
	cmd := &cobra.Command{
		Use:   "gen --out DIR [--customers N] [--months M] [--bill-lines L] [--seed S] [--end YYYY-MM] [--price-rows N]",
		Short: "Generate a complete inbox of any size, in the real formats, for benchmarks and tests",
		Long: `gen writes a complete inbox into DIR: Microsoft price list and reconciliation
files, the Adobe list, PTAX, rules, ERP exports (Windows-1252 and UTF-8),
NF-e and NFS-e XML, SAM counts and quote requests, with consistent keys, so
that every pipeline publishes from it with no config file:

  salesops gen --out /tmp/inbox --customers 50 --months 3 --bill-lines 20000
  salesops run all --inbox /tmp/inbox --out /tmp/out --period 2025-12 --as-of 2026-01-10

Most bill lines match their order and invoice; about 9 % fall in the other
reconciliation classes; a few customers are large (Zipf-like). The same
flags give the same bytes. It prints the periods generated, the latest last,
the as-of the contracts are laid out around, and the rows of each file kind.

EXIT STATUS
  0    the inbox was written
  1    it could not be written
  2    usage error`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("config") {
				return &pipelines.UsageError{Err: errors.New("gen: --config: gen reads no config file, its flags say what to write")}
			}
			return runGen(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	opts.AddFlags(cmd.Flags())
	// gen's --out is the inbox it writes, shadowing the global --out; and
	// it reads no config: a hidden --config shadows the global one, so its
	// help does not offer it and using it is a usage error (exit 2), as
	// an unknown flag is.
	cmd.Flags().String("config", "", "")
	cmd.Flags().MarkHidden("config")
	return cmd
}

func runGen(ctx context.Context, stdout io.Writer, opts GenOptions) error {
	if opts.Out == "" {
		return &pipelines.UsageError{Err: fmt.Errorf("gen: --out is required")}
	}
	if opts.Customers < 1 || opts.Months < 1 || opts.BillLines < 1 {
		return &pipelines.UsageError{Err: fmt.Errorf("gen: --customers, --months and --bill-lines must be positive")}
	}
	if opts.PriceRows < 0 || opts.PriceRows > synth.MaxPriceRows {
		return &pipelines.UsageError{Err: fmt.Errorf("gen: --price-rows must be between 0 and %d", synth.MaxPriceRows)}
	}
	if _, err := time.Parse("2006-01", opts.End); err != nil {
		return &pipelines.UsageError{Err: fmt.Errorf("gen: end period %q: want YYYY-MM", opts.End)}
	}
	sum, err := synth.Generate(ctx, opts.Out, synth.Options{Customers: opts.Customers, Months: opts.Months, BillLines: opts.BillLines, Seed: opts.Seed, EndPeriod: opts.End, PriceRows: opts.PriceRows})
	if errors.Is(err, synth.ErrNotEmpty) {
		return &pipelines.UsageError{Err: err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "periods:")
	for _, p := range sum.Periods {
		fmt.Fprintln(stdout, p)
	}
	fmt.Fprintf(stdout, "as-of: %s\n", sum.AsOf)
	fmt.Fprintln(stdout, "rows by kind:")
	// In the order of extract.Kinds, then anything else.
	seen := map[string]bool{}
	for _, k := range extract.Kinds {
		if n, ok := sum.Rows[k.Name]; ok {
			fmt.Fprintf(stdout, "%-20s %12d rows %6d files\n", k.Name, n, sum.Files[k.Name])
			seen[k.Name] = true
		}
	}
	var rest []string
	for k := range sum.Rows {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		fmt.Fprintf(stdout, "%-20s %12d rows %6d files\n", k, sum.Rows[k], sum.Files[k])
	}
	return nil
}
