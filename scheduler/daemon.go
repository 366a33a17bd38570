package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/transform"
)

// RunFunc runs pipelines for one period, as pipelines.RunAll does.
type RunFunc func(ctx context.Context, cfg pipelines.Config, ps []*pipelines.Pipeline) ([]pipelines.Result, error)

// HookFunc runs the on_failure command with the failure in env
// (SALESOPS_* variables).
type HookFunc func(ctx context.Context, command string, env []string) ([]byte, error)

// Options configure a Daemon; the zero values of all but Config are the
// real ones.
type Options struct {
	// Config is the resolved config: where the inbox, the outputs and the
	// warehouse are, and the schedule. Each run gets its own period and
	// as-of.
	Config pipelines.Config
	Clock  clockwork.Clock
	Run    RunFunc
	Hook   HookFunc
	Logger *slog.Logger
}

// Daemon runs the config's jobs until its context is cancelled.
type Daemon struct {
	cfg   pipelines.Config
	sched pipelines.ScheduleConfig
	clock clockwork.Clock
	run   RunFunc
	hook  HookFunc
	log   *slog.Logger
	s     gocron.Scheduler

	// runCtx is what runs see: cancelled only when the grace period is
	// over, not when the stop begins.
	runCtx     context.Context
	cancelRuns context.CancelFunc

	// one is held by the job running: jobs due together wait their turn
	// here rather than on the warehouse lock, which keeps other processes
	// out. (gocron's WithLimitConcurrentJobs in wait mode would also queue
	// a job behind itself, which WithSingletonMode is there to prevent.)
	one sync.Mutex
	// lastDue is the minute each job last started for (under one): a job
	// runs once per due time even if the scheduler fires it twice (seen
	// once on a fake clock: two timers for one instant after a fast
	// failure), since a second run would publish the same set again.
	lastDue map[string]time.Time

	mu       sync.Mutex
	stopping bool
	stopCh   chan struct{} // closed when the stop begins
	running  sync.WaitGroup
}

// New sets the jobs up; nothing runs before Run.
func New(opts Options) (*Daemon, error) {
	d := &Daemon{cfg: opts.Config, sched: opts.Config.Schedule, clock: opts.Clock, run: opts.Run, hook: opts.Hook, log: opts.Logger, stopCh: make(chan struct{})}
	if d.clock == nil {
		d.clock = clockwork.NewRealClock()
	}
	if d.run == nil {
		d.run = pipelines.RunAll
	}
	if d.hook == nil {
		d.hook = runHook
	}
	if d.log == nil {
		d.log = slog.Default()
	}
	if len(d.sched.Jobs) == 0 {
		return nil, &pipelines.UsageError{Err: errors.New("schedule: no jobs in the config (schedule.jobs)")}
	}
	d.runCtx, d.cancelRuns = context.WithCancel(context.Background())
	s, err := gocron.NewScheduler(
		gocron.WithClock(d.clock),
		gocron.WithLocation(d.sched.Location()),
		gocron.WithLogger(d.log.With("component", "gocron")),
	)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	d.s = s
	for _, j := range d.sched.Jobs {
		r, err := jobRule(d.sched, j, d.clock.Now())
		if err != nil {
			s.Shutdown()
			return nil, err
		}
		opts := append([]gocron.JobOption{
			gocron.WithName(j.Name),
			// A job still running when it is due again skips that turn
			// rather than queueing a second copy behind itself.
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
		}, r.opts...)
		if _, err := s.NewJob(r.def, gocron.NewTask(d.runJob, j), opts...); err != nil {
			s.Shutdown()
			return nil, fmt.Errorf("schedule job %q: %w", j.Name, err)
		}
	}
	return d, nil
}

// Run starts the scheduler and blocks until ctx is cancelled; then it
// takes no new runs, gives the running one the grace period to finish,
// aborts it past that (an aborted run publishes nothing), and returns nil.
func (d *Daemon) Run(ctx context.Context) error {
	d.s.Start()
	for _, j := range d.s.Jobs() {
		next, _ := j.NextRun()
		d.log.Info("job scheduled", "job", j.Name(), "next_run", next.In(d.sched.Location()).Format(time.DateTime))
	}
	d.log.Info("schedule started", "jobs", len(d.sched.Jobs), "timezone", d.sched.Location().String(), "warehouse", d.cfg.Warehouse)
	<-ctx.Done()

	d.mu.Lock()
	d.stopping = true
	close(d.stopCh)
	d.mu.Unlock()
	d.log.Info("stopping: no new runs", "grace", d.sched.Grace.String())
	done := make(chan struct{})
	go func() { d.running.Wait(); close(done) }()
	// The grace period is wall time (the service manager's stop timeout is
	// too), not the scheduler's clock.
	grace := time.NewTimer(d.sched.Grace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		d.log.Warn("grace period over: aborting the running pipeline; it publishes nothing")
		d.cancelRuns()
		<-done
	}
	d.cancelRuns()
	if err := d.s.Shutdown(); err != nil {
		d.log.Warn("scheduler shutdown", "error", err)
	}
	d.log.Info("schedule stopped")
	return nil
}

// begin registers a run unless the stop has begun.
func (d *Daemon) begin() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return false
	}
	d.running.Add(1)
	return true
}

func (d *Daemon) isStopping() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stopping
}

// runJob is the task of every job: its pipelines one after the other, for
// the period of the day it runs.
func (d *Daemon) runJob(j pipelines.ScheduleJob) {
	if !d.begin() {
		d.log.Info("job not started: stopping", "job", j.Name)
		return
	}
	defer d.running.Done()
	// The period and as-of are those of the day the job fell due, even if
	// it waits past midnight for another job.
	now := d.clock.Now().In(d.sched.Location())
	d.one.Lock()
	defer d.one.Unlock()
	if d.isStopping() {
		d.log.Info("job not started: stopping", "job", j.Name)
		return
	}
	due := now.Truncate(time.Minute)
	if last, ok := d.lastDue[j.Name]; ok && last.Equal(due) {
		d.log.Warn("job not started: it already ran for this time", "job", j.Name, "due", due.Format(time.DateTime))
		return
	}
	if d.lastDue == nil {
		d.lastDue = map[string]time.Time{}
	}
	d.lastDue[j.Name] = due
	cfg := d.cfg
	cfg.Period = j.PeriodFor(now)
	cfg.AsOf = now.Format("2006-01-02")
	cfg.Trigger = "schedule"
	ps, err := pipelines.Lookup(j.Pipelines)
	if err != nil { // checked when the config was resolved
		d.log.Error("job", "job", j.Name, "error", err)
		return
	}
	for _, p := range ps {
		if d.isStopping() {
			d.log.Info("pipeline not started: stopping", "job", j.Name, "pipeline", p.Name)
			return
		}
		d.runPipeline(j, cfg, p)
	}
}

// runPipeline runs one pipeline, retrying transient failures up to
// schedule.retries times with a doubling delay, and calls the hook when it
// fails for good.
func (d *Daemon) runPipeline(j pipelines.ScheduleJob, cfg pipelines.Config, p *pipelines.Pipeline) {
	log := d.log.With("job", j.Name, "pipeline", p.Name, "period", cfg.Period, "as_of", cfg.AsOf)
	delay := d.sched.RetryDelay
	for attempt := 1; ; attempt++ {
		start := d.clock.Now()
		log.Info("run started", "attempt", attempt)
		res, err := d.run(d.runCtx, cfg, []*pipelines.Pipeline{p})
		took := d.clock.Since(start).Round(time.Millisecond).String()
		if err == nil {
			args := []any{"took", took}
			if len(res) > 0 && res[0].UpToDate {
				log.Info("run up to date", "took", took, "run_id", res[0].RunID, "dir", res[0].Dir, "published_run_id", res[0].Manifest.RunID)
				return
			}
			if len(res) > 0 {
				m := res[0].Manifest
				args = append(args, "run_id", m.RunID, "dir", res[0].Dir, "rejects", m.Rejects)
				if res[0].Main.Path != "" {
					args = append(args, "rows_out", res[0].Main.Rows)
				}
			}
			log.Info("run succeeded", args...)
			return
		}
		var runErr *pipelines.RunError
		runID := ""
		if errors.As(err, &runErr) {
			runID = runErr.RunID
		}
		if attempt <= *d.sched.Retries && transient(err) && d.runCtx.Err() == nil {
			log.Warn("run failed; will retry", "attempt", attempt, "run_id", runID, "error", err.Error(), "retry_in", delay.String())
			select {
			case <-d.clock.After(delay):
				delay *= 2
				continue
			case <-d.stopCh:
				log.Warn("retry not started: stopping")
			}
		}
		log.Error("run failed", "attempt", attempt, "run_id", runID, "error", err.Error(), "took", took)
		d.onFailure(log, j, cfg, p, runID, err)
		return
	}
}

// transient says whether a later attempt may succeed: the warehouse was
// busy, or an error says it is temporary or a timeout (network, S3).
// Everything else — a bad input, a failed check — would fail the same way.
func transient(err error) bool {
	if errors.Is(err, transform.ErrBusy) {
		return true
	}
	var temp interface{ Temporary() bool }
	if errors.As(err, &temp) && temp.Temporary() {
		return true
	}
	var timeout interface{ Timeout() bool }
	return errors.As(err, &timeout) && timeout.Timeout()
}

// hookTimeout bounds the on_failure command: a hung notifier must not
// hold the daemon.
const hookTimeout = time.Minute

func (d *Daemon) onFailure(log *slog.Logger, j pipelines.ScheduleJob, cfg pipelines.Config, p *pipelines.Pipeline, runID string, err error) {
	if d.sched.OnFailure == "" {
		return
	}
	env := []string{
		"SALESOPS_RUN_ID=" + runID,
		"SALESOPS_JOB=" + j.Name,
		"SALESOPS_PIPELINE=" + p.Name,
		"SALESOPS_PERIOD=" + cfg.Period,
		"SALESOPS_AS_OF=" + cfg.AsOf,
		"SALESOPS_ERROR=" + err.Error(),
	}
	// Not the run's context: a run aborted by the stop is reported too.
	ctx, cancel := context.WithTimeout(context.Background(), hookTimeout)
	defer cancel()
	out, herr := d.hook(ctx, d.sched.OnFailure, env)
	if herr != nil {
		log.Error("on_failure hook failed", "run_id", runID, "error", herr.Error(), "output", string(out))
		return
	}
	log.Info("on_failure hook ran", "run_id", runID, "output", string(out))
}
