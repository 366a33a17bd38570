package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salesops/salesops/pipelines"
)

// The issue's schedule block, verbatim.
const issueSchedule = `
schedule:
  timezone: America/Sao_Paulo
  holidays: ["08-15", "12-08"]      # local holidays (MM-DD) on top of the national ones
  jobs:
    - name: fechamento
      pipelines: [reconciliation]
      period: previous_month         # previous_month | current_month
      business_day: 6                # the 6th business day of the month …
      at: "08:00"                    # … at 08:00
    - name: precos
      pipelines: [pricelist]
      period: current_month
      cron: "0 7 * * 1-5"            # or a cron expression
`

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "salesops.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// --next from Friday 29 January 2027: February's 6th business day is
// Wednesday 10 (Carnival on 8 and 9), March's Monday 8 (1-5, 8).
func TestScheduleNext(t *testing.T) {
	cfg := writeConfig(t, issueSchedule)
	var out strings.Builder
	err := runSchedule(context.Background(), &out, &out, GlobalOptions{Config: cfg}, ScheduleOptions{Next: 2, From: "2027-01-29"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := `2027-01-29 07:00 precos pipelines=pricelist period=2027-01 as_of=2027-01-29
2027-02-01 07:00 precos pipelines=pricelist period=2027-02 as_of=2027-02-01
2027-02-10 08:00 fechamento pipelines=reconciliation period=2027-01 as_of=2027-02-10
2027-03-08 08:00 fechamento pipelines=reconciliation period=2027-02 as_of=2027-03-08
`
	if out.String() != want {
		t.Errorf("--next 2:\n%s\nwant:\n%s", out.String(), want)
	}

	// Without --from, from now (a fixed now here), in the schedule's zone:
	// 2027-01-04 10:00 in São Paulo is past that day's 07:00.
	out.Reset()
	now := time.Date(2027, 1, 4, 13, 0, 0, 0, time.UTC)
	if err := runSchedule(context.Background(), &out, &out, GlobalOptions{Config: cfg}, ScheduleOptions{Next: 1}, now); err != nil {
		t.Fatal(err)
	}
	want = `2027-01-05 07:00 precos pipelines=pricelist period=2027-01 as_of=2027-01-05
2027-01-11 08:00 fechamento pipelines=reconciliation period=2026-12 as_of=2027-01-11
`
	if out.String() != want {
		t.Errorf("--next 1 at %s:\n%s\nwant:\n%s", now, out.String(), want)
	}
}

func TestScheduleUsage(t *testing.T) {
	good := writeConfig(t, issueSchedule)
	tests := []struct {
		name string
		yaml string
		opts ScheduleOptions
		want string
	}{
		{"from without next", "", ScheduleOptions{From: "2027-01-01"}, "--from goes with --next"},
		{"bad from", "", ScheduleOptions{Next: 1, From: "01/02/2027"}, `--from "01/02/2027": want YYYY-MM-DD`},
		{"no jobs", "out: x\n", ScheduleOptions{}, "schedule: no jobs (add schedule.jobs to the config file)"},
		{"bad cron", "schedule:\n  jobs:\n    - {name: x, pipelines: [pricelist], cron: \"0 7 * *\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": cron "0 7 * *": not a 5-field cron expression (minute hour day-of-month month day-of-week)`},
		{"cron and business day", "schedule:\n  jobs:\n    - {name: x, pipelines: [pricelist], cron: \"0 7 * * *\", business_day: 2, at: \"08:00\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": set cron, or business_day and at, not both`},
		{"bad at", "schedule:\n  jobs:\n    - {name: x, pipelines: [pricelist], business_day: 2, at: \"8h\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": at "8h": want HH:MM, e.g. 08:00`},
		{"business day 24", "schedule:\n  jobs:\n    - {name: x, pipelines: [pricelist], business_day: 24, at: \"08:00\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": business_day 24: want 1 to 23`},
		{"bad period", "schedule:\n  jobs:\n    - {name: x, pipelines: [pricelist], period: last_month, cron: \"0 7 * * *\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": period "last_month": want previous_month or current_month`},
		{"unknown pipeline", "schedule:\n  jobs:\n    - {name: x, pipelines: [prices], cron: \"0 7 * * *\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": unknown pipeline "prices" (known: ` + strings.Join(pipelines.Names(), ", ") + `, all)`},
		{"duplicate job", "schedule:\n  jobs:\n    - {name: x, pipelines: [pricelist], cron: \"0 7 * * *\"}\n    - {name: x, pipelines: [pricelist], cron: \"0 8 * * *\"}\n", ScheduleOptions{Next: 1},
			`schedule job "x": a second job of that name`},
		{"bad holiday", "schedule:\n  holidays: [\"15/08\"]\n", ScheduleOptions{Next: 1}, `schedule.holidays: holiday "15/08": want MM-DD, e.g. 08-15`},
		{"bad zone", "schedule:\n  timezone: America/Belo_Horizonte\n", ScheduleOptions{Next: 1}, `schedule.timezone "America/Belo_Horizonte": unknown time zone`},
		{"bad log format", "log:\n  format: xml\n", ScheduleOptions{Next: 1}, `log.format "xml": want text or json`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gopts := GlobalOptions{Config: good}
			if tt.yaml != "" {
				gopts.Config = writeConfig(t, tt.yaml)
			}
			err := runSchedule(context.Background(), os.Stdout, os.Stdout, gopts, tt.opts, time.Now())
			var usage *pipelines.UsageError
			if !errors.As(err, &usage) || err.Error() != tt.want {
				t.Errorf("error %v (%T), want usage error %q", err, err, tt.want)
			}
		})
	}
}

// The examples' config has a schedule: --next works on it as the README
// shows, and its Belo Horizonte holidays count. From Friday 5 December
// 2025: December's 6th business day is Tuesday 9 (1-5, then 08/12,
// Imaculada Conceição, a holiday in BH); the price list runs on the
// first business day of January, Friday 2 (1 January a national
// holiday); quotes hourly from 9:00 on business days.
func TestScheduleExamples(t *testing.T) {
	var out strings.Builder
	err := runSchedule(context.Background(), &out, &out, GlobalOptions{Config: filepath.Join("..", "..", "examples", "salesops.yaml")},
		ScheduleOptions{Next: 2, From: "2025-12-05"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := `2025-12-05 09:00 cotacoes pipelines=quotes period=2025-12 as_of=2025-12-05
2025-12-05 10:00 cotacoes pipelines=quotes period=2025-12 as_of=2025-12-05
2025-12-09 08:00 fechamento pipelines=reconciliation,lifecycle period=2025-11 as_of=2025-12-09
2026-01-02 07:00 precos pipelines=pricelist period=2026-01 as_of=2026-01-02
2026-01-09 08:00 fechamento pipelines=reconciliation,lifecycle period=2025-12 as_of=2026-01-09
2026-02-02 07:00 precos pipelines=pricelist period=2026-02 as_of=2026-02-02
`
	if out.String() != want {
		t.Errorf("--next 2 on the examples:\n%s\nwant:\n%s", out.String(), want)
	}
}
