// Package calendar is the business-day calendar salesops works by: Brazilian
// national holidays, the team's local holidays and business days. The
// daemon schedules by it and the SQL models read it (the calendar_days
// table the pipelines write from it), so the rule lives here only.
package calendar

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Holiday is one holiday.
type Holiday struct {
	Date time.Time // midnight UTC
	Name string
}

// fixed are the national holidays on the same day every year (Lei 662/1949,
// 6.802/1980, 10.607/2002 and 14.759/2023).
var fixed = []struct {
	month time.Month
	day   int
	name  string
}{
	{time.January, 1, "Confraternização Universal"},
	{time.April, 21, "Tiradentes"},
	{time.May, 1, "Dia do Trabalho"},
	{time.September, 7, "Independência do Brasil"},
	{time.October, 12, "Nossa Senhora Aparecida"},
	{time.November, 2, "Finados"},
	{time.November, 15, "Proclamação da República"},
	{time.November, 20, "Dia Nacional de Zumbi e da Consciência Negra"},
	{time.December, 25, "Natal"},
}

// Holidays returns the national holidays of year in date order: the fixed
// ones and those that move with Easter — Carnival Monday and Tuesday, Good
// Friday and Corpus Christi. Carnival and Corpus Christi are "pontos
// facultativos" by law but banks and the finance calendar close on them.
// November 20 counts from 2024, the first year of Lei 14.759/2023.
func Holidays(year int) []Holiday {
	var hs []Holiday
	for _, f := range fixed {
		if f.month == time.November && f.day == 20 && year < 2024 {
			continue
		}
		hs = append(hs, Holiday{time.Date(year, f.month, f.day, 0, 0, 0, 0, time.UTC), f.name})
	}
	e := Easter(year)
	hs = append(hs,
		Holiday{e.AddDate(0, 0, -48), "Carnaval (segunda-feira)"},
		Holiday{e.AddDate(0, 0, -47), "Carnaval (terça-feira)"},
		Holiday{e.AddDate(0, 0, -2), "Sexta-feira Santa"},
		Holiday{e.AddDate(0, 0, 60), "Corpus Christi"},
	)
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// Easter returns Easter Sunday of year (Gregorian calendar, the anonymous
// algorithm of Meeus/Jones/Butcher), at midnight UTC.
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Calendar is the national holidays plus local ones (a city's, e.g. Belo
// Horizonte's 15/08 and 08/12). The zero value has the national ones only.
type Calendar struct {
	local []monthDay
}

type monthDay struct {
	month time.Month
	day   int
}

// National is the calendar of national holidays only.
var National = &Calendar{}

// New returns the calendar with the local holidays given as "MM-DD".
func New(local []string) (*Calendar, error) {
	c := &Calendar{}
	for _, s := range local {
		md, err := parseMonthDay(s)
		if err != nil {
			return nil, err
		}
		c.local = append(c.local, md)
	}
	return c, nil
}

func parseMonthDay(s string) (monthDay, error) {
	bad := fmt.Errorf("holiday %q: want MM-DD, e.g. 08-15", s)
	if len(s) != 5 || s[2] != '-' {
		return monthDay{}, bad
	}
	m, err1 := strconv.Atoi(s[:2])
	d, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 {
		return monthDay{}, bad
	}
	// 2024 is a leap year: 02-29 is a valid local holiday (kept in leap
	// years only).
	if t := time.Date(2024, time.Month(m), d, 0, 0, 0, 0, time.UTC); t.Day() != d {
		return monthDay{}, bad
	}
	return monthDay{time.Month(m), d}, nil
}

// Holiday says whether d (its calendar date) is a holiday, and its name.
func (c *Calendar) Holiday(d time.Time) (string, bool) {
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for _, h := range Holidays(d.Year()) {
		if h.Date.Equal(day) {
			return h.Name, true
		}
	}
	for _, md := range c.local {
		if md.month == d.Month() && md.day == d.Day() {
			return "Feriado local", true
		}
	}
	return "", false
}

// IsBusinessDay reports whether d (its calendar date) is Monday to Friday
// and not a holiday.
func (c *Calendar) IsBusinessDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := c.Holiday(d)
	return !holiday
}

// AddBusinessDays returns the n-th business day after d (n ≥ 0; n = 0
// returns d itself).
func (c *Calendar) AddBusinessDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsBusinessDay(d) {
			n--
		}
	}
	return d
}

// NthBusinessDay returns the n-th business day (n ≥ 1) of the month, at
// midnight in loc, and false when the month has fewer than n.
func (c *Calendar) NthBusinessDay(year int, month time.Month, n int, loc *time.Location) (time.Time, bool) {
	for d := time.Date(year, month, 1, 0, 0, 0, 0, loc); d.Month() == month; d = d.AddDate(0, 0, 1) {
		if c.IsBusinessDay(d) {
			if n--; n == 0 {
				return d, true
			}
		}
	}
	return time.Time{}, false
}

// Day is one calendar day as the SQL models read it.
type Day struct {
	Date          time.Time // midnight UTC
	IsBusinessDay bool
	Holiday       string // the holiday's name, or empty
}

// Days returns every day from from to to, both included (their calendar
// dates).
func (c *Calendar) Days(from, to time.Time) []Day {
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	var out []Day
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		name, _ := c.Holiday(d)
		out = append(out, Day{Date: d, IsBusinessDay: c.IsBusinessDay(d), Holiday: name})
	}
	return out
}

// IsBusinessDay reports whether d is a business day of the national
// calendar.
func IsBusinessDay(d time.Time) bool { return National.IsBusinessDay(d) }

// AddBusinessDays returns the n-th business day after d in the national
// calendar.
func AddBusinessDays(d time.Time, n int) time.Time { return National.AddBusinessDays(d, n) }
