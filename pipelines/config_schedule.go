package pipelines

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/salesops/salesops/calendar"
)

// ScheduleConfig is what "salesops schedule" runs and when.
type ScheduleConfig struct {
	// Timezone of the jobs' times (default America/Sao_Paulo).
	Timezone string `yaml:"timezone"`
	// Holidays are local holidays, MM-DD, on top of the national ones.
	// They count in the reports' business days too: one calendar.
	Holidays []string `yaml:"holidays"`
	// Jobs are what the daemon runs, each on a cron expression or a
	// business-day rule.
	Jobs []ScheduleJob `yaml:"jobs"`
	// Retries: how many more times a pipeline whose run failed for a
	// transient reason (the warehouse busy, a network error) is tried
	// (default 2; 0 turns retries off). Bad inputs are not retried: the
	// same files fail the same way.
	Retries *int `yaml:"retries"`
	// RetryDelay is the wait before the first retry, doubled for each
	// next one (default 5m).
	RetryDelay time.Duration `yaml:"retry_delay"`
	// Grace: on SIGTERM/SIGINT the running pipeline has this long to
	// finish before it is aborted, publishing nothing (default 5m).
	Grace time.Duration `yaml:"grace"`
	// OnFailure is a shell command run when a scheduled pipeline fails for
	// good, with SALESOPS_RUN_ID, SALESOPS_JOB, SALESOPS_PIPELINE,
	// SALESOPS_PERIOD and SALESOPS_ERROR in its environment.
	OnFailure string `yaml:"on_failure"`

	location *time.Location
	calendar *calendar.Calendar
}

// ScheduleJob is one scheduled job.
type ScheduleJob struct {
	// Name names the job in logs, the ledger's hook and --next.
	Name string `yaml:"name"`
	// Pipelines run in this order ("all" for every one).
	Pipelines []string `yaml:"pipelines"`
	// Period each run publishes: previous_month or current_month (default)
	// of the run's day. As-of is the run's day.
	Period string `yaml:"period"`
	// BusinessDay with At: the n-th business day of every month, at HH:MM.
	BusinessDay int    `yaml:"business_day"`
	At          string `yaml:"at"`
	// Cron: a standard 5-field cron expression, in Timezone.
	Cron string `yaml:"cron"`
}

// Period names for ScheduleJob.Period.
const (
	PreviousMonth = "previous_month"
	CurrentMonth  = "current_month"
)

// LogConfig sets the structured logs (log/slog) on stderr.
type LogConfig struct {
	Format string `yaml:"format"` // text (default) or json
	Level  string `yaml:"level"`  // debug, info (default), warn, error
}

// Location is the schedule's time zone (after Resolve).
func (s ScheduleConfig) Location() *time.Location {
	if s.location == nil {
		return time.UTC
	}
	return s.location
}

// Calendar is the business-day calendar with the local holidays (after
// Resolve).
func (s ScheduleConfig) Calendar() *calendar.Calendar {
	if s.calendar == nil {
		return calendar.National
	}
	return s.calendar
}

// PeriodFor is the period a job run on day publishes.
func (j ScheduleJob) PeriodFor(day time.Time) string {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	if j.Period == PreviousMonth {
		first = first.AddDate(0, -1, 0)
	}
	return first.Format("2006-01")
}

// AtTime is the job's HH:MM (business-day rules).
func (j ScheduleJob) AtTime() (hour, minute int) {
	t, _ := time.Parse("15:04", j.At)
	return t.Hour(), t.Minute()
}

var jobNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// resolveDaemon fills the defaults of the schedule, the warehouse lock and
// the logs, and validates them (cron syntax is checked by the daemon).
func (c *Config) resolveDaemon() error {
	if c.LockWait == 0 {
		c.LockWait = 2 * time.Minute
	}
	if c.LockWait < 0 {
		return fmt.Errorf("lock_wait %s: must be positive", c.LockWait)
	}
	switch c.Log.Format {
	case "":
		c.Log.Format = "text"
	case "text", "json":
	default:
		return fmt.Errorf("log.format %q: want text or json", c.Log.Format)
	}
	switch c.Log.Level {
	case "":
		c.Log.Level = "info"
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level %q: want debug, info, warn or error", c.Log.Level)
	}
	s := &c.Schedule
	if s.Timezone == "" {
		s.Timezone = "America/Sao_Paulo"
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return fmt.Errorf("schedule.timezone %q: unknown time zone", s.Timezone)
	}
	s.location = loc
	if s.calendar, err = calendar.New(s.Holidays); err != nil {
		return fmt.Errorf("schedule.holidays: %w", err)
	}
	if s.Retries == nil {
		two := 2
		s.Retries = &two
	}
	if *s.Retries < 0 || *s.Retries > 10 {
		return fmt.Errorf("schedule.retries %d: want 0 to 10", *s.Retries)
	}
	if s.RetryDelay == 0 {
		s.RetryDelay = 5 * time.Minute
	}
	if s.Grace == 0 {
		s.Grace = 5 * time.Minute
	}
	if s.RetryDelay < 0 || s.Grace < 0 {
		return errors.New("schedule.retry_delay and schedule.grace must be positive")
	}
	seen := map[string]bool{}
	for i := range s.Jobs {
		j := &s.Jobs[i]
		where := fmt.Sprintf("schedule.jobs[%d]", i)
		if j.Name != "" {
			where = fmt.Sprintf("schedule job %q", j.Name)
		}
		if !jobNameRE.MatchString(j.Name) {
			return fmt.Errorf("%s: name: want letters, digits, '_', '.' or '-'", where)
		}
		if seen[j.Name] {
			return fmt.Errorf("%s: a second job of that name", where)
		}
		seen[j.Name] = true
		if len(j.Pipelines) == 0 {
			return fmt.Errorf("%s: pipelines: name at least one (%s, all)", where, strings.Join(Names(), ", "))
		}
		if _, err := Lookup(j.Pipelines); err != nil {
			return fmt.Errorf("%s: %w", where, errors.Unwrap(err))
		}
		switch j.Period {
		case "":
			j.Period = CurrentMonth
		case PreviousMonth, CurrentMonth:
		default:
			return fmt.Errorf("%s: period %q: want previous_month or current_month", where, j.Period)
		}
		switch {
		case j.Cron != "" && (j.BusinessDay != 0 || j.At != ""):
			return fmt.Errorf("%s: set cron, or business_day and at, not both", where)
		case j.Cron != "":
		case j.BusinessDay == 0:
			return fmt.Errorf("%s: set cron, or business_day and at", where)
		case j.BusinessDay < 1 || j.BusinessDay > 23:
			// No month has more than 23 business days.
			return fmt.Errorf("%s: business_day %d: want 1 to 23", where, j.BusinessDay)
		default:
			if _, err := time.Parse("15:04", j.At); err != nil || len(j.At) != 5 {
				return fmt.Errorf("%s: at %q: want HH:MM, e.g. 08:00", where, j.At)
			}
		}
	}
	return nil
}

// trigger is what the ledger records as having started the run.
func (c Config) trigger() string {
	if c.Trigger == "" {
		return "cli"
	}
	return c.Trigger
}
