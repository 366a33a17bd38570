package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/transform"
)

var saoPaulo = mustLoc("America/Sao_Paulo")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at is a wall time in São Paulo, "2006-01-02 15:04".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, saoPaulo)
	if err != nil {
		panic(err)
	}
	return t
}

// testConfig resolves a config file holding yaml.
func testConfig(t *testing.T, yaml string) pipelines.Config {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "salesops.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipelines.LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Resolve(time.Now()); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// call is one pipeline run the fake runner saw.
type call struct {
	at                     time.Time
	pipeline, period, asOf string
	trigger                string
	release                chan error // the run returns what is sent here
	ctx                    context.Context
}

// fakeRunner stands for pipelines.RunAll: each run is announced on calls
// and returns what the test sends on its release channel.
type fakeRunner struct {
	clock              clockwork.Clock
	calls              chan *call
	mu                 sync.Mutex
	running, maxActive int
}

func newFakeRunner(clock clockwork.Clock) *fakeRunner {
	return &fakeRunner{clock: clock, calls: make(chan *call, 16)}
}

func (f *fakeRunner) run(ctx context.Context, cfg pipelines.Config, ps []*pipelines.Pipeline) ([]pipelines.Result, error) {
	f.mu.Lock()
	f.running++
	f.maxActive = max(f.maxActive, f.running)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.running--
		f.mu.Unlock()
	}()
	c := &call{at: f.clock.Now(), pipeline: ps[0].Name, period: cfg.Period, asOf: cfg.AsOf, trigger: cfg.Trigger, release: make(chan error, 1), ctx: ctx}
	f.calls <- c
	if err := <-c.release; err != nil {
		return nil, err
	}
	return []pipelines.Result{{Pipeline: ps[0].Name}}, nil
}

// next waits for the next run.
func (f *fakeRunner) next(t *testing.T) *call {
	t.Helper()
	select {
	case c := <-f.calls:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no run started")
		return nil
	}
}

// none checks that no run starts for a moment.
func (f *fakeRunner) none(t *testing.T, why string) {
	t.Helper()
	select {
	case c := <-f.calls:
		t.Fatalf("%s: a run of %s started at %s", why, c.pipeline, c.at.In(saoPaulo).Format(time.DateTime))
	case <-time.After(150 * time.Millisecond):
	}
}

type hookCall struct {
	command string
	env     []string
}

type daemonTest struct {
	t      *testing.T
	clock  *clockwork.FakeClock
	runner *fakeRunner
	hooks  chan hookCall
	d      *Daemon
	cancel context.CancelFunc
	done   chan error
}

// startDaemon runs a daemon on yaml's schedule from start, on a fake clock.
func startDaemon(t *testing.T, yaml string, start time.Time) *daemonTest {
	t.Helper()
	dt := &daemonTest{t: t, clock: clockwork.NewFakeClockAt(start), hooks: make(chan hookCall, 8), done: make(chan error, 1)}
	dt.runner = newFakeRunner(dt.clock)
	d, err := New(Options{
		Config: testConfig(t, yaml),
		Clock:  dt.clock,
		Run:    dt.runner.run,
		Hook: func(_ context.Context, command string, env []string) ([]byte, error) {
			dt.hooks <- hookCall{command, env}
			return nil, nil
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	dt.d = d
	ctx, cancel := context.WithCancel(context.Background())
	dt.cancel = cancel
	go func() { dt.done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-dt.done:
		case <-time.After(10 * time.Second):
			t.Error("daemon did not stop")
		}
	})
	return dt
}

// advanceTo moves the fake clock to when, once the scheduler (and any
// retry) has set its n timers.
func (dt *daemonTest) advanceTo(when time.Time, n int) {
	dt.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := dt.clock.BlockUntilContext(ctx, n); err != nil {
		dt.t.Fatalf("waiting for %d timers: %v", n, err)
	}
	dt.clock.Advance(when.Sub(dt.clock.Now()))
}

// The business-day rule through gocron on the fake clock: January 2027
// opens on a holiday (Friday 1/1), February 2027 has Carnival on Monday 8
// and Tuesday 9. Counted by hand: Jan 1st business day = Mon 4, 6th = Mon
// 11; Feb 1st = Mon 1, 6th = Wed 10 (1, 2, 3, 4, 5, then 10); Mar 1st =
// Mon 1, 6th = Mon 8.
func TestBusinessDayJobs(t *testing.T) {
	dt := startDaemon(t, `
schedule:
  jobs:
    - name: fechamento
      pipelines: [reconciliation]
      period: previous_month
      business_day: 6
      at: "08:00"
    - name: precos
      pipelines: [pricelist]
      period: current_month
      business_day: 1
      at: "07:30"
`, at("2026-12-31 12:00"))
	want := []struct{ at, pipeline, period string }{
		{"2027-01-04 07:30", "pricelist", "2027-01"},
		{"2027-01-11 08:00", "reconciliation", "2026-12"},
		{"2027-02-01 07:30", "pricelist", "2027-02"},
		{"2027-02-10 08:00", "reconciliation", "2027-01"},
		{"2027-03-01 07:30", "pricelist", "2027-03"},
		{"2027-03-08 08:00", "reconciliation", "2027-02"},
	}
	for _, w := range want {
		when := at(w.at)
		dt.advanceTo(when.Add(-time.Minute), 2)
		dt.runner.none(t, "a minute before "+w.at)
		dt.advanceTo(when, 2)
		c := dt.runner.next(t)
		if !c.at.Equal(when) || c.pipeline != w.pipeline || c.period != w.period || c.asOf != when.Format("2006-01-02") || c.trigger != "schedule" {
			t.Errorf("run %s %s period %s as-of %s trigger %s; want %s %s period %s as-of %s trigger schedule",
				c.at.In(saoPaulo).Format("2006-01-02 15:04"), c.pipeline, c.period, c.asOf, c.trigger, w.at, w.pipeline, w.period, when.Format("2006-01-02"))
		}
		c.release <- nil
	}
}

// Two jobs due at the same minute run one after the other, and a job
// still running when it is due again does not start a second copy.
func TestNoOverlap(t *testing.T) {
	dt := startDaemon(t, `
schedule:
  jobs:
    - name: a
      pipelines: [pricelist]
      cron: "0 8 * * *"
    - name: b
      pipelines: [reconciliation]
      cron: "0 8 * * *"
    - name: every-minute
      pipelines: [lifecycle]
      cron: "* * * * *"
`, at("2027-03-01 07:58"))
	dt.advanceTo(at("2027-03-01 07:59"), 3)
	long := dt.runner.next(t)
	if long.pipeline != "lifecycle" {
		t.Fatalf("first run %s, want lifecycle", long.pipeline)
	}
	// 08:00 and 08:01 come while lifecycle runs: nothing else starts,
	// neither the two 08:00 jobs nor a second lifecycle.
	dt.advanceTo(at("2027-03-01 08:00"), 1)
	dt.runner.none(t, "lifecycle still running at 08:00")
	dt.clock.Advance(time.Minute)
	dt.runner.none(t, "lifecycle still running at 08:01")
	long.release <- nil

	seen := map[string]int{}
	for range 2 {
		c := dt.runner.next(t)
		seen[c.pipeline]++
		dt.runner.none(t, c.pipeline+" running")
		c.release <- nil
	}
	if seen["pricelist"] != 1 || seen["reconciliation"] != 1 {
		t.Errorf("after lifecycle: runs %v, want pricelist and reconciliation once each", seen)
	}
	dt.runner.mu.Lock()
	defer dt.runner.mu.Unlock()
	if dt.runner.maxActive != 1 {
		t.Errorf("%d runs at once, want 1", dt.runner.maxActive)
	}
}

// A transient failure (the warehouse busy) is retried after retry_delay,
// then twice that; a bad input is not retried; a failure for good calls
// on_failure with the run in its environment.
func TestRetryAndHook(t *testing.T) {
	dt := startDaemon(t, `
schedule:
  retries: 2
  retry_delay: 10m
  on_failure: notify-finance
  jobs:
    - name: precos
      pipelines: [pricelist]
      cron: "0 8 * * *"
`, at("2027-03-01 07:00"))
	busy := fmt.Errorf("open: %w", &transform.BusyError{Path: "w.duckdb", Waited: time.Minute})

	// Day 1: busy, busy, then it succeeds at 08:30.
	dt.advanceTo(at("2027-03-01 08:00"), 1)
	c := dt.runner.next(t)
	c.release <- busy
	dt.advanceTo(at("2027-03-01 08:10"), 2) // the next day's run and the retry
	if c = dt.runner.next(t); !c.at.Equal(at("2027-03-01 08:10")) {
		t.Errorf("first retry at %s, want 08:10", c.at.In(saoPaulo).Format(time.DateTime))
	}
	c.release <- busy
	dt.advanceTo(at("2027-03-01 08:29"), 2)
	dt.runner.none(t, "the second retry waits 20 minutes")
	dt.advanceTo(at("2027-03-01 08:30"), 2)
	c = dt.runner.next(t)
	c.release <- nil
	select {
	case h := <-dt.hooks:
		t.Fatalf("hook called after a retry succeeded: %v", h)
	case <-time.After(100 * time.Millisecond):
	}

	// Day 2: a bad input fails once, for good.
	dt.advanceTo(at("2027-03-02 08:00"), 1)
	c = dt.runner.next(t)
	c.release <- &pipelines.RunError{RunID: "run-42", Err: errors.New(`pricelists/microsoft/x.csv: missing column "UnitPrice"`)}
	h := <-dt.hooks
	env := strings.Join(h.env, "\n")
	wantEnv := "SALESOPS_RUN_ID=run-42\nSALESOPS_JOB=precos\nSALESOPS_PIPELINE=pricelist\nSALESOPS_PERIOD=2027-03\nSALESOPS_AS_OF=2027-03-02\n" +
		`SALESOPS_ERROR=pricelists/microsoft/x.csv: missing column "UnitPrice"`
	if h.command != "notify-finance" || env != wantEnv {
		t.Errorf("hook %q with\n%s\nwant notify-finance with\n%s", h.command, env, wantEnv)
	}
	dt.runner.none(t, "a bad input is not retried")

	// Day 3: busy three times: two retries, then the hook.
	dt.advanceTo(at("2027-03-03 08:00"), 1)
	for i, when := range []string{"08:00", "08:10", "08:30"} {
		if i > 0 {
			dt.advanceTo(at("2027-03-03 "+when), 2)
		}
		c = dt.runner.next(t)
		c.release <- busy
	}
	h = <-dt.hooks
	if !strings.Contains(strings.Join(h.env, "\n"), "SALESOPS_ERROR=open: warehouse w.duckdb is in use by another salesops run") {
		t.Errorf("hook env %q, want the busy error", h.env)
	}
	dt.runner.none(t, "retries are bounded")
}

// On stop the running pipeline may finish within the grace period, the
// job's next pipeline and jobs falling due are not started, and Run
// returns nil.
func TestGracefulStop(t *testing.T) {
	dt := startDaemon(t, `
schedule:
  grace: 10s
  jobs:
    - name: mes
      pipelines: [reconciliation, lifecycle]
      cron: "0 8 * * *"
    - name: precos
      pipelines: [pricelist]
      cron: "5 8 * * *"
`, at("2027-03-01 07:00"))
	dt.advanceTo(at("2027-03-01 08:00"), 2)
	c := dt.runner.next(t)
	dt.cancel()
	time.Sleep(100 * time.Millisecond)
	dt.clock.Advance(10 * time.Minute) // precos falls due while stopping
	dt.runner.none(t, "stopping")
	if c.ctx.Err() != nil {
		t.Fatal("the running pipeline was aborted within the grace period")
	}
	c.release <- nil
	select {
	case err := <-dt.done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("daemon did not stop after the run finished")
	}
	dt.runner.none(t, "stopped: lifecycle is not started")
	dt.done <- nil // for the cleanup
}

// Past the grace period the running pipeline's context is cancelled (the
// pipeline then publishes nothing), the failure goes to the hook, and Run
// returns nil.
func TestGraceOver(t *testing.T) {
	dt := startDaemon(t, `
schedule:
  grace: 300ms
  on_failure: notify
  jobs:
    - name: mes
      pipelines: [reconciliation]
      cron: "0 8 * * *"
`, at("2027-03-01 07:00"))
	dt.advanceTo(at("2027-03-01 08:00"), 1)
	c := dt.runner.next(t)
	stopAt := time.Now()
	dt.cancel()
	select {
	case <-c.ctx.Done():
		if d := time.Since(stopAt); d < 300*time.Millisecond {
			t.Errorf("aborted after %s, before the 300ms grace", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the run was not aborted after the grace period")
	}
	c.release <- fmt.Errorf("reconciliation: %w", c.ctx.Err())
	if err := <-dt.done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	h := <-dt.hooks
	if !strings.Contains(strings.Join(h.env, "\n"), "SALESOPS_ERROR=reconciliation: context canceled") {
		t.Errorf("hook env %q, want the abort", h.env)
	}
	dt.done <- nil
}

// TestOncePerDueTime: a job the scheduler fires twice for the same time
// runs once (a second run would publish the same set again).
func TestOncePerDueTime(t *testing.T) {
	dt := startDaemon(t, `
schedule:
  jobs:
    - name: precos
      pipelines: [pricelist]
      cron: "0 8 * * *"
`, at("2027-03-01 08:00"))
	j := dt.d.sched.Jobs[0]
	go dt.d.runJob(j)
	c := dt.runner.next(t)
	c.release <- nil
	done := make(chan struct{})
	go func() { dt.d.runJob(j); close(done) }()
	dt.runner.none(t, "the second firing for 08:00")
	<-done
}
