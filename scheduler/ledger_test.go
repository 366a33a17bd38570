package scheduler

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/transform"
)

// A scheduled job runs the real pipeline on the example inbox: January
// 2026's 6th business day is Friday 9 (1/1 a holiday: 2, 5, 6, 7, 8, 9),
// the period the month before, and the ledger says the schedule ran it.
func TestScheduledRunPublishes(t *testing.T) {
	inbox, _ := filepath.Abs(filepath.Join("..", "examples", "inbox"))
	b, err := os.ReadFile(filepath.Join("..", "examples", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	// Each line must be there: a silently unchanged example config would
	// run the example's fixed period instead of the schedule's.
	yaml := string(b)
	for _, r := range [][2]string{
		{"inbox: inbox", "inbox: " + inbox},
		{"out: ../out", "out: " + out},
		{`period: "2025-12"`, ""},
		{`as_of: "2026-01-10"`, ""},
	} {
		if !strings.Contains(yaml, r[0]) {
			t.Fatalf("examples/salesops.yaml has no %q", r[0])
		}
		yaml = strings.Replace(yaml, r[0], r[1], 1)
	}
	// The examples' own schedule block gives way to the test's job.
	yaml = withoutBlock(yaml, "schedule")
	yaml += `
schedule:
  jobs:
    - name: precos
      pipelines: [pricelist]
      period: previous_month
      business_day: 6
      at: "08:00"
`
	cfg := testConfig(t, yaml)
	clock := clockwork.NewFakeClockAt(at("2026-01-08 12:00"))
	finished := make(chan error, 1)
	d, err := New(Options{
		Config: cfg,
		Clock:  clock,
		Run: func(ctx context.Context, cfg pipelines.Config, ps []*pipelines.Pipeline) ([]pipelines.Result, error) {
			res, err := pipelines.RunAll(ctx, cfg, ps)
			finished <- err
			return res, err
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if err := clock.BlockUntilContext(wctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(at("2026-01-09 08:00").Sub(clock.Now()))
	select {
	case err := <-finished:
		if err != nil {
			t.Fatalf("scheduled run: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the scheduled run did not happen")
	}
	cancel()
	<-done

	if _, err := os.Stat(filepath.Join(out, "pricelist", "2025-12", "manifest.json")); err != nil {
		t.Errorf("not published: %v", err)
	}
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var trigger, period, asOf, status string
	if err := w.Conn.QueryRowContext(context.Background(), `SELECT "trigger", period, strftime(as_of, '%Y-%m-%d'), status FROM runs`).Scan(&trigger, &period, &asOf, &status); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join([]string{trigger, period, asOf, status}, " "); got != "schedule 2025-12 2026-01-09 succeeded" {
		t.Errorf("ledger: %s, want schedule 2025-12 2026-01-09 succeeded", got)
	}
}

// withoutBlock removes the top-level key's block (its line and the
// indented or blank lines under it) from a YAML text.
func withoutBlock(yaml, key string) string {
	var out []string
	in := false
	for _, line := range strings.SplitAfter(yaml, "\n") {
		switch {
		case strings.HasPrefix(line, key+":"):
			in = true
		case in && (strings.HasPrefix(line, " ") || strings.TrimSpace(line) == ""):
		default:
			in = false
		}
		if !in {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}
