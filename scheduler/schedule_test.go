package scheduler

import (
	"strings"
	"testing"
)

func TestNextRuns(t *testing.T) {
	cfg := testConfig(t, `
schedule:
  holidays: ["08-15", "12-08"]
  jobs:
    - name: fechamento
      pipelines: [reconciliation]
      period: previous_month
      business_day: 6
      at: "08:00"
    - name: precos
      pipelines: [pricelist]
      cron: "0 7 * * 1-5"
`)
	// From 6 December 2027: Wednesday 8 is Belo Horizonte's holiday, so
	// the 6th business day is Thursday 9 (1, 2, 3, 6, 7, 9); in January
	// 2028 (1/1 a Saturday): 3, 4, 5, 6, 7, 10.
	got, err := NextRuns(cfg.Schedule, at("2027-12-06 00:00"), 4)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range got {
		lines = append(lines, p.At.Format("2006-01-02 15:04 ")+p.Job.Name+" "+p.Period)
	}
	want := []string{
		"2027-12-06 07:00 precos 2027-12",
		"2027-12-07 07:00 precos 2027-12",
		"2027-12-08 07:00 precos 2027-12", // a cron expression is plain cron: holidays too
		"2027-12-09 07:00 precos 2027-12",
		"2027-12-09 08:00 fechamento 2027-11",
		"2028-01-10 08:00 fechamento 2027-12",
		"2028-02-08 08:00 fechamento 2028-01",
		"2028-03-08 08:00 fechamento 2028-02",
	}
	if g, w := strings.Join(lines, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("next runs:\n%s\nwant:\n%s", g, w)
	}
	if got[0].At.Location().String() != "America/Sao_Paulo" {
		t.Errorf("times in %s, want America/Sao_Paulo", got[0].At.Location())
	}
}
