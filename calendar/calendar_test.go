package calendar

import (
	"testing"
	"time"
)

// Dates counted by hand on the 2027 calendar: Carnival is Mon 8 and Tue 9
// February; 1 January 2027 is a Friday; 8 December 2027 (a Belo Horizonte
// holiday) is a Wednesday.
func TestNthBusinessDay(t *testing.T) {
	bh, err := New([]string{"08-15", "12-08"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		cal   *Calendar
		month string
		n     int
		want  string
	}{
		{"Feb 2027 5th, before Carnival", National, "2027-02", 5, "2027-02-05"},
		{"Feb 2027 6th, after Carnival", National, "2027-02", 6, "2027-02-10"},
		{"Jan 2027 1st, the 1st a holiday", National, "2027-01", 1, "2027-01-04"},
		{"Jan 2027 6th", National, "2027-01", 6, "2027-01-11"},
		{"May 2026 1st, the 1st a Friday holiday", National, "2026-05", 1, "2026-05-04"},
		{"Dec 2027 6th national", National, "2027-12", 6, "2027-12-08"},
		{"Dec 2027 6th with Belo Horizonte's 08/12", bh, "2027-12", 6, "2027-12-09"},
		{"Nov 2025 14th: Proclamação and Consciência Negra", National, "2025-11", 14, "2025-11-21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := time.Parse("2006-01", tt.month)
			got, ok := tt.cal.NthBusinessDay(m.Year(), m.Month(), tt.n, time.UTC)
			if !ok || got.Format("2006-01-02") != tt.want {
				t.Errorf("NthBusinessDay(%s, %d) = %s, %v; want %s", tt.month, tt.n, got.Format("2006-01-02"), ok, tt.want)
			}
		})
	}
	if d, ok := National.NthBusinessDay(2027, time.February, 19, time.UTC); ok {
		t.Errorf("Feb 2027 has 18 business days, got a 19th: %s", d)
	}
	if _, ok := National.NthBusinessDay(2027, time.February, 18, time.UTC); !ok {
		t.Error("Feb 2027 has 18 business days, got no 18th")
	}
}

func TestNewLocalHolidays(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"08-15", ""},
		{"02-29", ""},
		{"8-15", `holiday "8-15": want MM-DD, e.g. 08-15`},
		{"15/08", `holiday "15/08": want MM-DD, e.g. 08-15`},
		{"13-01", `holiday "13-01": want MM-DD, e.g. 08-15`},
		{"04-31", `holiday "04-31": want MM-DD, e.g. 08-15`},
		{"00-10", `holiday "00-10": want MM-DD, e.g. 08-15`},
	}
	for _, tt := range tests {
		_, err := New([]string{tt.in})
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.wantErr {
			t.Errorf("New(%q) error = %q, want %q", tt.in, got, tt.wantErr)
		}
	}
}

func TestDays(t *testing.T) {
	bh, _ := New([]string{"12-08"})
	days := bh.Days(time.Date(2027, 12, 6, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 12, 0, 0, 0, 0, time.UTC))
	want := []Day{
		{time.Date(2027, 12, 6, 0, 0, 0, 0, time.UTC), true, ""},
		{time.Date(2027, 12, 7, 0, 0, 0, 0, time.UTC), true, ""},
		{time.Date(2027, 12, 8, 0, 0, 0, 0, time.UTC), false, "Feriado local"},
		{time.Date(2027, 12, 9, 0, 0, 0, 0, time.UTC), true, ""},
		{time.Date(2027, 12, 10, 0, 0, 0, 0, time.UTC), true, ""},
		{time.Date(2027, 12, 11, 0, 0, 0, 0, time.UTC), false, ""},
		{time.Date(2027, 12, 12, 0, 0, 0, 0, time.UTC), false, ""},
	}
	if len(days) != len(want) {
		t.Fatalf("got %d days, want %d", len(days), len(want))
	}
	for i := range want {
		if !days[i].Date.Equal(want[i].Date) || days[i].IsBusinessDay != want[i].IsBusinessDay || days[i].Holiday != want[i].Holiday {
			t.Errorf("day %d = %+v, want %+v", i, days[i], want[i])
		}
	}
	// A national holiday is named by the law's name.
	if d := National.Days(time.Date(2027, 2, 9, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 9, 0, 0, 0, 0, time.UTC)); d[0].Holiday != "Carnaval (terça-feira)" || d[0].IsBusinessDay {
		t.Errorf("2027-02-09 = %+v, want Carnival, not a business day", d[0])
	}
}
