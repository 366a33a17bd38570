// Package scheduler is the daemon behind "salesops schedule": a gocron
// scheduler running the config's jobs, on cron expressions or business-day
// rules, one run at a time, with bounded retries, an on_failure hook and a
// graceful stop.
package scheduler

import (
	"fmt"
	"sort"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/salesops/salesops/calendar"
	"github.com/salesops/salesops/pipelines"
)

// businessDay is a gocron.Cron that fires on the n-th business day of
// every month at hour:minute: gocron's own monthly jobs take fixed days of
// the month, and this rule moves with weekends and holidays.
type businessDay struct {
	cal          *calendar.Calendar
	n            int
	hour, minute int
	loc          *time.Location
}

var _ gocron.Cron = (*businessDay)(nil)

// IsValid takes the scheduler's location; the rule itself was checked
// when the config was resolved.
func (b *businessDay) IsValid(_ string, loc *time.Location, _ time.Time) error {
	b.loc = loc
	return nil
}

// Next is the first run strictly after last.
func (b *businessDay) Next(last time.Time) time.Time {
	t := last.In(b.loc)
	y, m := t.Year(), t.Month()
	// Every month has at least 18 business days and n ≤ 23, so a run is
	// never more than a couple of months away; the bound only guards
	// against a calendar with holidays on every day.
	for range 24 {
		if d, ok := b.cal.NthBusinessDay(y, m, b.n, b.loc); ok {
			at := time.Date(d.Year(), d.Month(), d.Day(), b.hour, b.minute, 0, 0, b.loc)
			if at.After(last) {
				return at
			}
		}
		if m++; m > time.December {
			m, y = time.January, y+1
		}
	}
	return time.Time{}
}

// rule is a job's "when": its gocron definition and options, and the same
// Cron that gocron will call, for --next.
type rule struct {
	def  gocron.JobDefinition
	opts []gocron.JobOption
	cron gocron.Cron
}

func jobRule(s pipelines.ScheduleConfig, j pipelines.ScheduleJob, now time.Time) (rule, error) {
	if j.Cron != "" {
		c := gocron.NewDefaultCron(false)
		if err := c.IsValid(j.Cron, s.Location(), now); err != nil {
			return rule{}, &pipelines.UsageError{Err: fmt.Errorf("schedule job %q: cron %q: not a 5-field cron expression (minute hour day-of-month month day-of-week)", j.Name, j.Cron)}
		}
		return rule{def: gocron.CronJob(j.Cron, false), cron: c}, nil
	}
	h, m := j.AtTime()
	b := &businessDay{cal: s.Calendar(), n: j.BusinessDay, hour: h, minute: m, loc: s.Location()}
	// The crontab text is only a label: WithCronImplementation replaces
	// the parser.
	return rule{
		def:  gocron.CronJob(fmt.Sprintf("business_day %d at %s", j.BusinessDay, j.At), false),
		opts: []gocron.JobOption{gocron.WithCronImplementation(b)},
		cron: b,
	}, nil
}

// Planned is one future run of a job.
type Planned struct {
	At     time.Time // in the schedule's time zone
	Job    pipelines.ScheduleJob
	Period string
}

// NextRuns lists the next n runs of every job after from, in time order
// (jobs in config order at the same minute), from the same rules the
// daemon schedules by.
func NextRuns(s pipelines.ScheduleConfig, from time.Time, n int) ([]Planned, error) {
	var out []Planned
	for i, j := range s.Jobs {
		r, err := jobRule(s, j, from)
		if err != nil {
			return nil, err
		}
		t := from
		for range n {
			if t = r.cron.Next(t); t.IsZero() {
				break
			}
			t = t.In(s.Location())
			out = append(out, Planned{At: t, Job: s.Jobs[i], Period: j.PeriodFor(t)})
		}
	}
	order := map[string]int{}
	for i, j := range s.Jobs {
		order[j.Name] = i
	}
	sort.SliceStable(out, func(a, b int) bool {
		if !out[a].At.Equal(out[b].At) {
			return out[a].At.Before(out[b].At)
		}
		return order[out[a].Job.Name] < order[out[b].Job.Name]
	})
	return out, nil
}
