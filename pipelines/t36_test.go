package pipelines

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/salesops/salesops/filename"
)

// parseICS reads a published calendar with an iCalendar parser: its name
// and its events by UID.
func parseICS(t *testing.T, path string) (string, map[string]*ics.VEvent) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := ics.ParseCalendar(f)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	name := ""
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "X-WR-CALNAME" {
			name = p.Value
		}
	}
	events := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		events[e.Id()] = e
	}
	return name, events
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// The T-36 people act on, on the lifecycle's test inbox at as-of
// 10/01/2026 with the examples' lifecycle.track_from 01/12/2025 and
// reminders 7 days before: what was due before tracking began is history,
// not overdue; t36_next_90_days lists, by account manager, what is overdue
// since then or due within 90 days; t36.ics holds only the events due from
// as-of on, with STATUS, SEQUENCE and a reminder for those still to do,
// named after the company, and one feed per manager beside it; an event
// that changes gets the next SEQUENCE, one that does not keeps its own.
func TestT36Actionable(t *testing.T) {
	inbox := copyInbox(t, "lifecycle")
	cfg := exampleConfig(t, inbox, t.TempDir())
	if cfg.Lifecycle.TrackFrom != "2025-12-01" || cfg.Lifecycle.AlarmDays != 7 {
		t.Fatalf("the examples' lifecycle config: track_from %q, t36_alarm_days %d", cfg.Lifecycle.TrackFrom, cfg.Lifecycle.AlarmDays)
	}
	dir := runLifecycle(t, cfg)
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	events := byKey(read("t36_calendar"), "event_key")
	checkEvents(t, events, []struct{ key, opens, due, status string }{
		// Due before 01/12/2025, no evidence: history.
		{"K010/annual_order/1", "", "2025-02-28", "history"},
		{"K022/onboarding/1", "", "2024-03-02", "history"},
		// Evidence found: done, whenever due.
		{"K010/true_up/1", "2024-12-30", "2025-01-29", "done"},
		// Due since, no evidence: overdue.
		{"K018/recurrence/2025-12", "", "2025-12-20", "overdue"},
		{"K010/true_up/2", "2025-12-30", "2026-01-29", "due_0_30"},
	})

	// Every event overdue or due within 90 days, and no other, by manager
	// then due date.
	next := read("t36_next_90_days")
	var keys, got []string
	for k, r := range events {
		switch r["status"] {
		case "overdue", "due_0_30", "due_31_60", "due_61_90":
			keys = append(keys, k)
		}
	}
	for i, r := range next {
		got = append(got, r["event_key"])
		if i > 0 {
			p := next[i-1]
			if p["account_manager"] > r["account_manager"] || p["account_manager"] == r["account_manager"] && p["due_date"] > r["due_date"] {
				t.Errorf("t36_next_90_days row %d (%s, %s) after (%s, %s): not by manager and due date", i+2,
					r["account_manager"], r["due_date"], p["account_manager"], p["due_date"])
			}
		}
	}
	slices.Sort(keys)
	slices.Sort(got)
	if !slices.Equal(got, keys) || len(got) == 0 {
		t.Errorf("t36_next_90_days lists %q\nwant the overdue and due within 90 days %q", got, keys)
	}
	checkSome(t, "t36_next_90_days", byKey(next, "event_key"), []struct {
		key  string
		want want
	}{
		// K018 is C002's: Mariana Conceição's; K010 C001's: João Simões's.
		{"K018/recurrence/2025-12", want{"account_manager": "Mariana Conceição", "status": "overdue", "days_to_due": "-21"}},
		{"K010/true_up/2", want{"account_manager": "João Simões", "status": "due_0_30", "days_to_due": "19"}},
	})

	name, all := parseICS(t, filepath.Join(dir, "t36.ics"))
	if name != "T-36 — Licenças Minas Software Ltda" {
		t.Errorf("t36.ics X-WR-CALNAME %q", name)
	}
	future := 0
	for k, r := range events {
		_, in := all[k+"@salesops"]
		if due := r["due_date"] >= "2026-01-10"; due != in {
			t.Errorf("t36.ics has %s (due %s): %v", k, r["due_date"], in)
		} else if due {
			future++
		}
	}
	if len(all) != future {
		t.Errorf("t36.ics: %d events, want %d", len(all), future)
	}
	// Still to do: TENTATIVE, a reminder 7 days before. Done (K014's
	// renewal, by its successor): CONFIRMED, said in the summary, none.
	todo, done := all["K010/true_up/2@salesops"], all["K014/renewal/1@salesops"]
	if todo == nil || done == nil {
		t.Fatal("t36.ics lacks K010/true_up/2 or K014/renewal/1")
	}
	if s, a := prop(todo, ics.ComponentPropertyStatus), todo.Alarms(); s != "TENTATIVE" || len(a) != 1 ||
		prop(&ics.VEvent{ComponentBase: a[0].ComponentBase}, ics.ComponentPropertyTrigger) != "-P7D" {
		t.Errorf("K010/true_up/2: STATUS %s, %d alarms", s, len(a))
	}
	if s := prop(done, ics.ComponentPropertyStatus); s != "CONFIRMED" || len(done.Alarms()) != 0 ||
		!strings.HasPrefix(prop(done, ics.ComponentPropertySummary), "Concluído — Renovação") {
		t.Errorf("K014/renewal/1: STATUS %s, %d alarms, summary %q", s, len(done.Alarms()), prop(done, ics.ComponentPropertySummary))
	}
	for uid, e := range all {
		if prop(e, ics.ComponentPropertySequence) != "0" {
			t.Errorf("%s: SEQUENCE %s at the first publication", uid, prop(e, ics.ComponentPropertySequence))
		}
	}

	// One feed per manager, named after them (a name from data, through
	// SafeName), which together hold the whole calendar.
	seen := map[string]bool{}
	for _, m := range []string{"João Simões", "Mariana Conceição"} {
		name, evs := parseICS(t, filepath.Join(dir, "t36-"+filename.Safe(m)+".ics"))
		if name != "T-36 — Licenças Minas Software Ltda — "+m {
			t.Errorf("%s's feed: X-WR-CALNAME %q", m, name)
		}
		for uid, e := range evs {
			seen[uid] = true
			if !strings.Contains(prop(e, ics.ComponentPropertyDescription), "Gerente de contas: "+m) {
				t.Errorf("%s's feed has %s, of another manager", m, uid)
			}
		}
	}
	if len(seen) != len(all) {
		t.Errorf("the managers' feeds hold %d events, t36.ics %d", len(seen), len(all))
	}

	// K018 gets its onboarding date (05/01/2026): its onboarding, due
	// 19/01/2026, is done, a new version (SEQUENCE 1); the others keep 0.
	// Built again on the same inputs, the calendar is the same bytes.
	contracts := filepath.Join(inbox, "erp", "contracts", "contratos_ciclo.csv")
	b, err := os.ReadFile(contracts)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(b, []byte("K018;C002;Microsoft;CSP NCE;AG-2025-018;20/12/2025;19/12/2026;monthly;BRL;active;;"),
		[]byte("K018;C002;Microsoft;CSP NCE;AG-2025-018;20/12/2025;19/12/2026;monthly;BRL;active;05/01/2026;"), 1)
	if bytes.Equal(b, changed) {
		t.Fatal("contratos_ciclo.csv: no K018 line as expected")
	}
	if err := os.WriteFile(contracts, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		if _, err := RunAll(context.Background(), cfg, []*Pipeline{Lifecycle}); err != nil {
			t.Fatal(err)
		}
		_, all = parseICS(t, filepath.Join(dir, "t36.ics"))
		onb := all["K018/onboarding/1@salesops"]
		if onb == nil || prop(onb, ics.ComponentPropertySequence) != "1" || prop(onb, ics.ComponentPropertyStatus) != "CONFIRMED" {
			t.Errorf("run %d: K018/onboarding/1 after its evidence: %v", run, onb)
		}
		if s := prop(all["K010/true_up/2@salesops"], ics.ComponentPropertySequence); s != "0" {
			t.Errorf("run %d: K010/true_up/2, unchanged: SEQUENCE %s", run, s)
		}
		cfg.Force = true
	}
}
