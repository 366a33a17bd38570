// Command salesops runs the sales-operations pipelines: it reads vendor
// price lists, exchange rates, ERP exports, invoices and vendor bills from an
// inbox folder, normalises them in a DuckDB warehouse and publishes reports
// (XLSX for people, CSV and Parquet for machines).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/transform"
)

// Exit statuses, documented in --help.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitSignals = 130
)

func main() {
	if os.Getenv("SALESOPS_LOG") == "debug" {
		slog.SetLogLoggerLevel(slog.LevelDebug)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCommand()
	err := root.ExecuteContext(ctx)
	os.Exit(exitCode(ctx, err))
}

func exitCode(ctx context.Context, err error) int {
	var usage *pipelines.UsageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(os.Stderr, "salesops: %v\nRun 'salesops --help' for usage.\n", err)
		return exitUsage
	case ctx.Err() != nil:
		fmt.Fprintln(os.Stderr, "salesops: interrupted; nothing was published by the run in progress")
		return exitSignals
	default:
		// One line per failed pipeline, naming the input at fault.
		for _, e := range unjoin(err) {
			fmt.Fprintf(os.Stderr, "salesops: %s\n", failure(e))
		}
		return exitFailed
	}
}

// failure is one failed pipeline's line. A cause no input is at fault for
// (the disk full, DuckDB out of memory, the warehouse unreadable) is said
// as such, with what to do, after what failed: the pipeline, or the site
// (transform.Explain).
func failure(err error) string {
	plain := transform.Explain(err)
	if plain == nil {
		return err.Error()
	}
	msg := plain.Error()
	if what, _, ok := strings.Cut(err.Error(), ": "); ok && failedRE.MatchString(what) && !strings.HasPrefix(msg, what+": ") {
		msg = what + ": " + msg
	}
	return msg
}

// failedRE matches what RunAll puts before an error: a pipeline's name,
// "site".
var failedRE = regexp.MustCompile(`^[a-z]+$`)

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func newRootCommand() *cobra.Command { return newRoot(&GlobalOptions{}) }

// newRoot is the command tree, every verb reading its global flags from
// gopts (a test sets its hook).
func newRoot(gopts *GlobalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "salesops",
		Short: "Sales-operations ETL and reports for a software-licensing reseller",
		Long: `salesops reads the sales-operations inbox (vendor price lists, PTAX rates,
pricing and incentive rules, ERP exports, NF-e/NFS-e XML, vendor bills),
normalises it in a DuckDB warehouse and publishes reports under the output
folder: XLSX for people (pt-BR formats), CSV and Parquet for machines, and a
manifest.json per publication.

EXIT STATUS
  0    success
  1    a run failed (one line on stderr per failed pipeline, naming the input)
  2    usage error (unknown command, pipeline or flag, bad --period/--as-of,
       a config value outside its range)
  130  interrupted`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// An unknown command is a usage error (exit 2), as an unknown flag is;
	// cobra would report it as a plain error.
	root.Args = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return &pipelines.UsageError{Err: fmt.Errorf("unknown command %q (known: run, customer, schedule, runs, site, gen)", args[0])}
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &pipelines.UsageError{Err: err} })
	gopts.AddFlags(root.PersistentFlags())
	root.AddCommand(newRunCommand(gopts), newCustomerCommand(gopts), newScheduleCommand(gopts), newRunsCommand(gopts), newSiteCommand(gopts), newGenCommand())
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}
