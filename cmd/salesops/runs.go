package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/salesops/salesops/pipelines"
)

// RunsOptions are the flags of "salesops runs" besides the global ones.
type RunsOptions struct {
	Pipeline string
	Last     int
}

// AddFlags registers the options' flags.
func (o *RunsOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Pipeline, "pipeline", "", "only the runs of this `pipeline`")
	f.IntVar(&o.Last, "last", 20, "print the last `N` runs")
}

func newRunsCommand(gopts *GlobalOptions) *cobra.Command {
	var opts RunsOptions
	cmd := &cobra.Command{
		Use:   "runs [flags]",
		Short: "Print the run ledger",
		Long: `Print the last runs recorded in the warehouse, oldest first: run id,
pipeline, period, as-of, trigger (cli or schedule), start and end (in the
schedule's time zone), status (running, succeeded, up_to_date, failed, interrupted), rows read from
the inbox, rows of the main report, rejects, and the error of a failed run.
While a run holds the warehouse this waits for it, up to lock_wait.

EXIT STATUS
  0    printed
  1    no warehouse yet, or it cannot be read (or a run held it longer
       than lock_wait)
  2    usage error
  130  interrupted`,
		Example: `  salesops runs --config salesops.yaml --last 5
  salesops runs --out out --pipeline reconciliation`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRuns(cmd.Context(), cmd.OutOrStdout(), *gopts, opts)
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runRuns(ctx context.Context, stdout io.Writer, gopts GlobalOptions, opts RunsOptions) error {
	if opts.Last < 1 {
		return &pipelines.UsageError{Err: fmt.Errorf("--last %d: want a positive number", opts.Last)}
	}
	if opts.Pipeline != "" {
		if _, err := pipelines.Lookup([]string{opts.Pipeline}); err != nil || opts.Pipeline == "all" {
			return &pipelines.UsageError{Err: fmt.Errorf("--pipeline %q: want one of %s", opts.Pipeline, strings.Join(pipelines.Names(), ", "))}
		}
	}
	cfg, err := gopts.load(time.Now(), configFlags{})
	if err != nil {
		return err
	}
	w, err := openWarehouse(ctx, cfg, "no run recorded yet")
	if err != nil {
		return err
	}
	defer w.Close()
	q := `SELECT run_id, pipeline, period, strftime(as_of, '%Y-%m-%d'), coalesce("trigger", '-'), started_at, finished_at,
		status, rows_in, rows_out, rejects, coalesce(error, '')
		FROM runs WHERE ? = '' OR pipeline = ? ORDER BY started_at DESC, run_id DESC LIMIT ?`
	rows, err := w.Conn.QueryContext(ctx, q, opts.Pipeline, opts.Pipeline, opts.Last)
	if err != nil {
		return fmt.Errorf("runs: %w", err)
	}
	defer rows.Close()
	loc := cfg.Schedule.Location()
	var lines [][]string
	for rows.Next() {
		var id, pipeline, period, asOf, trigger, status, errText string
		var started time.Time
		var finished sql.NullTime
		var in, out, rejects sql.NullInt64
		if err := rows.Scan(&id, &pipeline, &period, &asOf, &trigger, &started, &finished, &status, &in, &out, &rejects, &errText); err != nil {
			return fmt.Errorf("runs: %w", err)
		}
		end := "-"
		if finished.Valid {
			end = stamp(finished.Time, loc)
		}
		lines = append(lines, []string{id, pipeline, period, asOf, trigger, stamp(started, loc), end, status,
			count(in), count(out), count(rejects), strings.Join(strings.Fields(errText), " ")})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("runs: %w", err)
	}
	if len(lines) == 0 {
		fmt.Fprintln(stdout, "no runs recorded")
		return nil
	}
	slices.Reverse(lines)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN ID\tPIPELINE\tPERIOD\tAS-OF\tTRIGGER\tSTART\tEND\tSTATUS\tROWS IN\tROWS OUT\tREJECTS\tERROR")
	for _, l := range lines {
		fmt.Fprintln(tw, strings.Join(l, "\t"))
	}
	return tw.Flush()
}

// stamp shows a ledger time (stored in UTC) in the schedule's zone.
func stamp(t time.Time, loc *time.Location) string {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC).In(loc).Format("2006-01-02 15:04:05")
}

func count(n sql.NullInt64) string {
	if !n.Valid {
		return "-"
	}
	return fmt.Sprint(n.Int64)
}
