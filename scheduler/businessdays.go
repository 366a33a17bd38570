// Package scheduler holds the calendar salesops schedules by: Brazilian
// national holidays and business days.
package scheduler

import (
	"sort"
	"time"
)

// Holiday is one national holiday.
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

// IsBusinessDay reports whether d (its calendar date) is Monday to Friday
// and not a national holiday.
func IsBusinessDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for _, h := range Holidays(d.Year()) {
		if h.Date.Equal(day) {
			return false
		}
	}
	return true
}

// AddBusinessDays returns the n-th business day after d (n ≥ 0; n = 0
// returns d itself).
func AddBusinessDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsBusinessDay(d) {
			n--
		}
	}
	return d
}
