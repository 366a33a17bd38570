package calendar

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMovableHolidays(t *testing.T) {
	tests := []struct {
		year                                    int
		easter, carnivalMon, carnivalTue, goodF string
		corpus                                  string
	}{
		{2024, "2024-03-31", "2024-02-12", "2024-02-13", "2024-03-29", "2024-05-30"},
		{2025, "2025-04-20", "2025-03-03", "2025-03-04", "2025-04-18", "2025-06-19"},
		{2026, "2026-04-05", "2026-02-16", "2026-02-17", "2026-04-03", "2026-06-04"},
		{2027, "2027-03-28", "2027-02-08", "2027-02-09", "2027-03-26", "2027-05-27"},
	}
	for _, tt := range tests {
		t.Run(date(tt.easter).Format("2006"), func(t *testing.T) {
			if got := Easter(tt.year).Format("2006-01-02"); got != tt.easter {
				t.Errorf("Easter(%d) = %s, want %s", tt.year, got, tt.easter)
			}
			byName := map[string]string{}
			for _, h := range Holidays(tt.year) {
				byName[h.Name] = h.Date.Format("2006-01-02")
			}
			for name, want := range map[string]string{
				"Carnaval (segunda-feira)": tt.carnivalMon,
				"Carnaval (terça-feira)":   tt.carnivalTue,
				"Sexta-feira Santa":        tt.goodF,
				"Corpus Christi":           tt.corpus,
			} {
				if byName[name] != want {
					t.Errorf("%s %d = %s, want %s", name, tt.year, byName[name], want)
				}
			}
		})
	}
}

func TestHolidayCount(t *testing.T) {
	tests := []struct {
		year, want int
	}{
		{2023, 12}, // before Consciência Negra became national
		{2024, 13},
		{2025, 13},
	}
	for _, tt := range tests {
		if got := len(Holidays(tt.year)); got != tt.want {
			t.Errorf("len(Holidays(%d)) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"plain week", "2025-12-02", 2, "2025-12-04"},
		{"over a weekend", "2025-12-04", 2, "2025-12-08"},
		{"over Christmas", "2025-12-24", 2, "2025-12-29"},
		{"over Carnival 2026", "2026-02-13", 1, "2026-02-18"},
		{"over Good Friday, the weekend and Tiradentes 2025", "2025-04-17", 1, "2025-04-22"},
		{"from a Saturday", "2025-12-06", 1, "2025-12-08"},
		{"over Proclamação and Consciência Negra", "2025-11-14", 3, "2025-11-19"},
		{"zero days", "2025-12-06", 0, "2025-12-06"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddBusinessDays(date(tt.from), tt.n).Format("2006-01-02"); got != tt.want {
				t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}
