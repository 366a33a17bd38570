package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	// The daemon may run where the OS has no zoneinfo (a scratch
	// container, Windows): the schedule's time zone must still load.
	_ "time/tzdata"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/scheduler"
)

// ScheduleOptions are the flags of "salesops schedule" besides the
// global ones (--config names the file with the schedule: block).
type ScheduleOptions struct {
	// Next > 0 prints the next runs of every job instead of running them.
	Next int
	// From is the day --next counts from, YYYY-MM-DD (default: now).
	From string
}

// AddFlags registers the options' flags.
func (o *ScheduleOptions) AddFlags(f *pflag.FlagSet) {
	f.IntVar(&o.Next, "next", 0, "print the next `N` runs of every job and run nothing")
	f.StringVar(&o.From, "from", "", "with --next: count from the start of this `day` YYYY-MM-DD (default: now)")
}

func newScheduleCommand(gopts *GlobalOptions) *cobra.Command {
	var opts ScheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule [flags]",
		Short: "Run the config's scheduled jobs until stopped",
		Long: `Run the jobs of the config's schedule: block until SIGTERM or SIGINT. A job
runs its pipelines for a period (previous_month or current_month of the day
it runs; as-of is that day) on a cron expression or on the n-th business day
of the month (national holidays, Carnival, Good Friday and Corpus Christi,
and the schedule's local holidays) at a time, in the schedule's time zone
(default America/Sao_Paulo).

One run at a time: the warehouse lock is shared with "salesops run", which
waits for a scheduled run (and the other way round) up to lock_wait.
A run that fails for a transient reason (warehouse busy, network) is
retried; one that fails for good runs the on_failure command. On SIGTERM or
SIGINT no new run starts; the running one has the grace period to finish,
then is aborted with nothing published; the exit status is 0.

Logs (log/slog) go to stderr, as text or JSON (log.format in the config).

EXIT STATUS
  0    stopped by a signal, or --next printed
  1    the schedule could not start
  2    usage error (bad config, flag or job)`,
		Example: `  salesops schedule --config /etc/salesops/salesops.yaml
  salesops schedule --config salesops.yaml --next 5 --from 2027-02-01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSchedule(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), *gopts, opts, time.Now())
		},
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runSchedule(ctx context.Context, stdout, stderr io.Writer, gopts GlobalOptions, opts ScheduleOptions, now time.Time) error {
	if opts.Next < 0 {
		return &pipelines.UsageError{Err: fmt.Errorf("--next %d: want a positive number", opts.Next)}
	}
	if opts.From != "" && opts.Next == 0 {
		return &pipelines.UsageError{Err: fmt.Errorf("--from goes with --next")}
	}
	cfg, err := gopts.load(now, configFlags{})
	if err != nil {
		return err
	}
	if len(cfg.Schedule.Jobs) == 0 {
		return &pipelines.UsageError{Err: fmt.Errorf("schedule: no jobs (add schedule.jobs to the config file)")}
	}
	if opts.Next > 0 {
		return printNext(stdout, cfg, opts, now)
	}
	log := setupLogging(cfg.Log, stderr)
	d, err := scheduler.New(scheduler.Options{Config: cfg, Logger: log})
	if err != nil {
		return err
	}
	log.Info("salesops schedule", "pid", os.Getpid(), "config", gopts.Config)
	return d.Run(ctx)
}

// printNext prints, one per line in time order, "YYYY-MM-DD HH:MM job
// pipelines=a,b period=YYYY-MM as_of=YYYY-MM-DD".
func printNext(w io.Writer, cfg pipelines.Config, opts ScheduleOptions, now time.Time) error {
	loc := cfg.Schedule.Location()
	from := now.In(loc)
	if opts.From != "" {
		day, err := time.ParseInLocation("2006-01-02", opts.From, loc)
		if err != nil {
			return &pipelines.UsageError{Err: fmt.Errorf("--from %q: want YYYY-MM-DD", opts.From)}
		}
		from = day
	}
	plans, err := scheduler.NextRuns(cfg.Schedule, from, opts.Next)
	if err != nil {
		return err
	}
	for _, p := range plans {
		fmt.Fprintf(w, "%s %s pipelines=%s period=%s as_of=%s\n", p.At.Format("2006-01-02 15:04"), p.Job.Name,
			strings.Join(p.Job.Pipelines, ","), p.Period, p.At.Format("2006-01-02"))
	}
	return nil
}
