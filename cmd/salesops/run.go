package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/site"
)

// RunOptions are the flags of "salesops run" besides the global ones;
// each overrides the config file.
type RunOptions struct {
	Inbox string
	// Publish is an s3://bucket/prefix receiving a copy of each
	// publication (config: publish).
	Publish string
	Period  string
	AsOf    string
	// AcceptShrink publishes a set whose main report shrank by more than
	// max_shrink_pct against the published one, or that lost a part (a
	// vendor, the period's orders; pipelines.Part).
	AcceptShrink bool
	// Force rebuilds and publishes even when the published set is up to
	// date.
	Force bool
}

// AddFlags registers the options' flags.
func (o *RunOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Inbox, "inbox", "", "inbox `folder` or s3://bucket/prefix (default ./inbox)")
	f.StringVar(&o.Publish, "publish", "", "also publish each set to `s3://bucket/prefix`/<pipeline>/<period>/ (manifest.json last)")
	f.StringVar(&o.Period, "period", "", "month to publish, `YYYY-MM` (default: the month of --as-of)")
	addAsOfFlag(f, &o.AsOf)
	f.BoolVar(&o.AcceptShrink, "accept-shrink", false, "publish even if the main report shrank by more than max_shrink_pct (default 50 %) against the published set, or a vendor or the period's orders, invoices or bills are gone")
	f.BoolVar(&o.Force, "force", false, "build and publish even when the published set is up to date (same inputs, settings, code, period and as-of)")
}

func newRunCommand(gopts *GlobalOptions) *cobra.Command {
	var opts RunOptions
	cmd := &cobra.Command{
		Use:   "run <pipeline>... [flags]",
		Short: "Run pipelines and publish their reports",
		Long: `Run one or more pipelines ("all" runs every one) and publish their reports
under <out>/<pipeline>/<period>/. A publication replaces the previous one of
the same period atomically: readers see the old complete set or the new one.

Pipelines:
` + pipelineList() + `
Each inbox file is loaded once by content: unchanged files are not read
again, a changed file replaces what it loaded before, a removed one stops
counting. The warehouse is <out>/warehouse.duckdb unless the config says
otherwise.

A run with nothing new does nothing: when the inputs (by content), the
settings that shape the outputs, the salesops executable, the period and
the as-of are those of the published set, and that set is intact, it prints
"<pipeline> <period>: up to date (<dir>)" and builds, writes and uploads
nothing (--force builds anyway).

EXIT STATUS
  0    every pipeline published, or was up to date
  1    a pipeline failed; nothing of it was published (one line per failure)
  2    usage error
  130  interrupted`,
		Example: `  salesops run all --inbox examples/inbox --out out --period 2025-12
  salesops run pricelist --config salesops.yaml --as-of 2025-12-01`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &pipelines.UsageError{Err: fmt.Errorf("run: name a pipeline (%s) or all", strings.Join(pipelines.Names(), ", "))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd.Context(), cmd.OutOrStdout(), *gopts, opts, args)
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func pipelineList() string {
	var b strings.Builder
	for _, p := range pipelines.All {
		fmt.Fprintf(&b, "  %-16s %s\n", p.Name, p.Summary)
	}
	return b.String()
}

func runRun(ctx context.Context, stdout io.Writer, gopts GlobalOptions, opts RunOptions, names []string) error {
	ps, err := pipelines.Lookup(names)
	if err != nil {
		return err
	}
	cfg, err := gopts.load(time.Now(), configFlags{Inbox: opts.Inbox, Publish: opts.Publish, Period: opts.Period, AsOf: opts.AsOf})
	if err != nil {
		return err
	}
	cfg.AcceptShrink = opts.AcceptShrink
	cfg.Force = opts.Force
	results, err := pipelines.RunAll(ctx, cfg, ps)
	for _, r := range results {
		m := r.Manifest
		if r.UpToDate {
			fmt.Fprintf(stdout, "%s %s: up to date (%s)\n", r.Pipeline, m.Period, r.Dir)
			continue
		}
		main := "no outputs"
		if r.Main.Path != "" {
			main = fmt.Sprintf("%d rows in %s", r.Main.Rows, r.Main.Path)
		}
		fmt.Fprintf(stdout, "%s %s: published %s (%s, %d rejects)\n", r.Pipeline, m.Period, r.Dir, main, m.Rejects)
		// Where to look: the rejected lines, each with its file, line,
		// column and reason.
		if m.Rejects > 0 {
			fmt.Fprintf(stdout, "  rejects: %s\n", filepath.Join(r.Dir, "rejects.csv"))
		}
		if rv := m.Review; rv != nil {
			fmt.Fprintf(stdout, "  review: %s\n", rv.Text)
			if rv.Refused != "" {
				fmt.Fprintf(stdout, "  %s (see rejects.csv)\n", rv.Refused)
			}
		}
		// Never in silence: what the inbox held and was not read.
		for _, s := range m.Skipped {
			fmt.Fprintf(stdout, "  skipped %s: %s\n", s.Path, s.Reason)
		}
	}
	// The report site every run rebuilds: where to open it.
	if index := filepath.Join(cfg.Out, site.Dir, "index.html"); len(results) > 0 {
		if _, serr := os.Stat(index); serr == nil {
			fmt.Fprintf(stdout, "site: %s\n", index)
		}
	}
	return err
}
