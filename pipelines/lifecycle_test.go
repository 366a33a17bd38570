package pipelines

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/ptbr"
)

// The testdata inbox (testdata/lifecycle/inbox: the example price lists,
// PTAX and Microsoft's monthly rates, rules, ERP customers, contracts,
// lines, orders, statements and SAM counts) is run at period 2025-12,
// as-of 10/01/2026: the price list first, so the lifecycle prices from its
// 2025-12 table, Microsoft at its own rate (fx.vendors.microsoft:
// vendor_rate, USD 5,4321): LH18 P1Y Annual R$ 283,24 (BRL), LH16 P1Y
// Annual USD 52,1472 × 5,4321 = R$ 283,27, LFLX P1Y Monthly USD 478,80 →
// R$ 2.600,89, LFLX P1Y Annual USD 501,60 → R$ 2.724,74; Adobe at the
// PTAX (5,3216): Acrobat Pro USD 1.187,18 → R$ 6.317,69; Kaspersky
// KL4863KAFS R$ 1.402,84. No reconciliation runs here, so no month's
// reconciliation event is done.

func runLifecycle(t *testing.T, cfg Config) string {
	t.Helper()
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Lifecycle}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(cfg.Out, "lifecycle", "2025-12")
}

func TestLifecycle(t *testing.T) {
	cfg := exampleConfig(t, copyInbox(t, "lifecycle"), t.TempDir())
	// Every event tracked, so every kind shows every status (the examples'
	// track_from makes the older ones history: TestT36Actionable).
	cfg.Lifecycle.TrackFrom = ""
	dir := runLifecycle(t, cfg)
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	checkRows(t, "renewals", byKey(read("renewals"), "contract_id"), []struct {
		key  string
		want want
	}{
		// Ended 31/12/2025, no successor; CFQ7TTC0LF8R is in no price list:
		// 10 × 230,00 × 12 months = 27.600,00 and no renewal value.
		{"K001", want{"bucket": "overdue", "days_left": "-10", "previous_value_brl": "27600.00", "renewal_value_brl": "",
			"uplift_pct": "", "is_complete": "false", "priced_lines": "0", "erp_status": "active"}},
		// Ended 30/11/2025 without a successor, "encerrado" in the ERP: a
		// lost renewal stays listed for 90 days. 5 × 1.250 = 6.250,00;
		// 5 × 1.402,84 = 7.014,20; +12,23 %.
		{"K026", want{"bucket": "overdue", "days_left": "-41", "erp_status": "encerrado", "previous_value_brl": "6250.00",
			"renewal_value_brl": "7014.20", "uplift_pct": "12.23", "draft_proposal": ""}},
		// Monthly, 5 × 210,00 × 12 = 12.600,00; 5 × 2.600,89 = 13.004,45; +3,21 %.
		{"K012", want{"bucket": "0-30", "days_left": "21", "previous_value_brl": "12600.00", "renewal_value_brl": "13004.45",
			"uplift_pct": "3.21", "is_complete": "true", "price_period": "2025-12"}},
		// A 3-year EA ending 31/01/2026: 20 × 2.760,00 = 55.200,00 a year;
		// the list has no 36-month E3.
		{"K025", want{"bucket": "0-30", "days_left": "21", "previous_value_brl": "55200.00", "renewal_value_brl": "", "is_complete": "false"}},
		// 50 × 250 + 5 × 260 = 13.800,00; 50 × 283,24 + 5 × 283,27 = 15.578,35; +12,89 %.
		{"K011", want{"bucket": "31-60", "days_left": "49", "previous_value_brl": "13800.00", "renewal_value_brl": "15578.35",
			"uplift_pct": "12.89", "lines": "2"}},
		// 3 × 5.800 = 17.400,00; 3 × 6.317,69 = 18.953,07; +8,93 %.
		{"K013", want{"bucket": "61-90", "days_left": "80", "renewal_value_brl": "18953.07", "uplift_pct": "8.93"}},
		// 10 × 1.300 = 13.000,00; 10 × 1.402,84 = 14.028,40; +7,91 %.
		{"K014", want{"bucket": "91-120", "days_left": "110", "renewal_value_brl": "14028.40", "uplift_pct": "7.91"}},
	})

	events := byKey(read("t36_calendar"), "event_key")
	checkEvents(t, events, []struct{ key, opens, due, status string }{
		// Started 29/02/2024: anniversaries on 28/02 in 2025, 2026 and 2027.
		// An anniversary's true-up is due between 60 and 30 days before it
		// (28/02/2025 − 60 = 30/12/2024, − 30 = 29/01/2025); the last one
		// within the 30 days before the end (29/01/2027–28/02/2027).
		{"K010/onboarding/1", "", "2024-03-30", "done"},
		{"K010/true_up/1", "2024-12-30", "2025-01-29", "done"},
		{"K010/annual_order/1", "", "2025-02-28", "overdue"},
		{"K010/true_up/2", "2025-12-30", "2026-01-29", "due_0_30"},
		{"K010/annual_order/2", "", "2026-02-28", "due_31_60"},
		{"K010/true_up/3", "2027-01-29", "2027-02-28", "later"},
		{"K010/renewal/1", "2026-10-31", "2027-02-28", "later"},
		// A 1-year agreement: its only true-up is the last, 29/01/2026 to
		// the end, 28/02/2026.
		{"K011/true_up/1", "2026-01-29", "2026-02-28", "due_31_60"},
		{"K011/renewal/1", "2025-10-31", "2026-02-28", "due_31_60"},
		{"K014/renewal/1", "2025-12-31", "2026-04-30", "done"},
		// Ends 31/05/2026: the last true-up 01/05/2026–31/05/2026 (the
		// issue's example: it was 01/04–01/05).
		{"K017/true_up/3", "2026-05-01", "2026-05-31", "later"},
		// Monthly from 20/12/2025: December's reconciliation by the 10th
		// business day of January (15/01/2026), January's by 13/02/2026
		// (before Carnival), February's by 13/03, March's by 15/04 (Good
		// Friday 03/04/2026 is no business day).
		{"K018/onboarding/1", "", "2026-01-19", "due_0_30"},
		{"K018/recurrence/2025-12", "", "2025-12-20", "overdue"},
		{"K018/recurrence/2026-02", "", "2026-02-01", "done"},
		{"K018/reconciliation/2025-12", "", "2026-01-15", "due_0_30"},
		{"K018/reconciliation/2026-01", "", "2026-02-13", "due_31_60"},
		{"K018/reconciliation/2026-02", "", "2026-03-13", "due_61_90"},
		{"K018/reconciliation/2026-03", "", "2026-04-15", "later"},
		{"K020/onboarding/1", "", "2026-03-22", "due_61_90"},
		// 3-year EA from 01/04/2025: anniversary 01/04/2026, its true-up
		// due 30 days before (02/03/2026, 51 days from as-of), the window
		// open from 31/01/2026; the annual order due on it (81 days); the
		// last true-up within the 30 days before the end (31/03/2028 →
		// 01/03/2028, a leap year), the renewal kickoff 120 days before
		// (02/12/2027).
		{"K023/onboarding/1", "", "2025-05-01", "done"},
		{"K023/true_up/1", "2026-01-31", "2026-03-02", "due_31_60"},
		{"K023/annual_order/1", "", "2026-04-01", "due_61_90"},
		{"K023/true_up/3", "2028-03-01", "2028-03-31", "later"},
		{"K023/renewal/1", "2027-12-02", "2028-03-31", "later"},
		// 3-year EA from 01/05/2025: true-up due 01/04/2026 (81 days),
		// annual order 01/05/2026 (111 days), the last true-up 31/03/2028
		// to 30/04/2028.
		{"K024/true_up/1", "2026-03-02", "2026-04-01", "due_61_90"},
		{"K024/annual_order/1", "", "2026-05-01", "later"},
		{"K024/true_up/3", "2028-03-31", "2028-04-30", "later"},
		// Years 1 and 2 closed by update statements (erp/statements); the
		// last, 01/01/2026 to 31/01/2026, open at as-of.
		{"K025/true_up/1", "2023-12-03", "2024-01-02", "done"},
		{"K025/true_up/2", "2024-12-03", "2025-01-02", "done"},
		{"K025/true_up/3", "2026-01-01", "2026-01-31", "due_0_30"},
	})
	if got := events["K025/true_up/2"]["evidence"]; got != "update statement US-K025-2025 de 12/12/2024" {
		t.Errorf("K025/true_up/2 evidence = %q", got)
	}
	// Every event kind in every status; no reconciliation runs here, so
	// no month's reconciliation is done.
	seen := map[string]bool{}
	for _, r := range events {
		seen[r["event"]+" "+r["status"]] = true
	}
	for _, kind := range []string{"onboarding", "annual_order", "true_up", "renewal", "recurrence", "reconciliation"} {
		for _, status := range []string{"done", "overdue", "due_0_30", "due_31_60", "due_61_90", "later"} {
			if !seen[kind+" "+status] && (kind != "reconciliation" || status != "done") {
				t.Errorf("t36_calendar: no %s event %s", kind, status)
			}
		}
	}
	for _, k := range []string{"K016/renewal/1", "K003/onboarding/1", "K026/renewal/1"} {
		if _, ok := events[k]; ok {
			t.Errorf("t36_calendar has %s: K016 was renewed by K014, K003 ends before it starts, K026 is closed", k)
		}
	}
	if got := events["K018/recurrence/2026-02"]["evidence"]; got != "pedido SO-2060 de 08/01/2026" {
		t.Errorf("K018/recurrence/2026-02 evidence = %q", got)
	}

	// Every year whose window opened by as-of has its rows, and the next
	// year when no window is open now.
	checkRows(t, "true_up", byKey(read("true_up"), "contract_id", "agreement_year", "product_id"), []struct {
		key  string
		want want
	}{
		// Year 2 of 3 (28/02/2025–27/02/2026): 100 licensed + 10 of SO-2010
		// (year 1) = 110; the year's latest count, 125 on 05/01/2026 (the
		// 200 of 20/01 is after as-of): 15 × 2.760,00 (the price sheet's
		// SA) × (1 remaining year + 0,5) = 62.100,00.
		{"K010|2|CFQ7TTC0LF8R", want{"status": "due_0_30", "entitled_quantity": "110.000000", "count_rule": "latest",
			"deployed_quantity": "125.000000", "count_date": "2026-01-05", "add_quantity": "15.000000", "remaining_years": "1",
			"price_source": "price_sheet", "sa_price_brl": "2760.00", "license_price_brl": "0.00", "add_value_brl": "62100.00"}},
		// No price sheet: the current table's P1Y annual E5, flagged.
		{"K010|2|CFQ7TTC0LFLX", want{"add_quantity": "0.000000", "add_value_brl": "0.00", "price_source": "current_table",
			"price_period": "2025-12", "sa_price_brl": "2724.74"}},
		// An additional product: its maximum of the year, 6; 8 licensed,
		// a surplus, never a credit.
		{"K010|2|9EM-00652", want{"product_class": "additional", "count_rule": "maximum", "add_quantity": "0.000000",
			"surplus_quantity": "2.000000", "add_value_brl": "0.00", "note": "surplus of 2.00: not credited"}},
		// Year 1 closed by SO-2010, no count in it.
		{"K010|1|CFQ7TTC0LF8R", want{"status": "done", "evidence": "pedido SO-2010 de 20/01/2025", "deployed_quantity": "",
			"note": "no SAM count in agreement year 1 (29/02/2024–27/02/2025)"}},
		{"K010|1|CFQ7TTC0LFLX", want{"status": "done"}},
		{"K010|1|9EM-00652", want{"status": "done"}},
		// A 1-year agreement, no price sheet: 4 × (0 + 283,24 × (0 + 0,5)) =
		// 566,48 from the current table, flagged.
		{"K011|1|CFQ7TTC0LH18", want{"add_quantity": "4.000000", "price_source": "current_table", "add_value_brl": "566.48"}},
		{"K011|1|CFQ7TTC0LH16", want{"deployed_quantity": "", "add_quantity": "", "add_value_brl": "",
			"note": "no SAM count in agreement year 1 (01/03/2025–28/02/2026)"}},
		// Additional: max(21 on 02/01/2026, 23 on 15/12/2025) = 23 against
		// 16 + 2 + 3 earlier true-ups = 21: 2 × (7.600,00 × 1 + 1.900,00 ×
		// (0 + 0,5)) = 17.100,00.
		{"K017|3|9EM-00652", want{"agreement_year": "3", "status": "later", "earlier_true_up_quantity": "5.000000",
			"entitled_quantity": "21.000000", "deployed_quantity": "23.000000", "count_date": "2025-12-15", "add_quantity": "2.000000",
			"add_value_brl": "17100.00"}},
		{"K017|1|9EM-00652", want{"status": "done", "evidence": "pedido SO-2051 de 20/04/2024"}},
		{"K017|2|9EM-00652", want{"status": "done", "entitled_quantity": "18.000000"}},
		// Year 1 overdue since 02/01/2025 with no count in it; year 2
		// (01/02/2025–31/01/2026) overdue since 02/01/2026 and counted on
		// 03/01/2026: 2 × 4.000,00 × (1 + 0,5) = 12.000,00; year 3 next.
		{"K022|1|CFQ7TTC0LFLX", want{"status": "overdue", "deployed_quantity": "", "add_value_brl": "",
			"note": "no SAM count in agreement year 1 (01/02/2024–31/01/2025)"}},
		{"K022|2|CFQ7TTC0LFLX", want{"status": "overdue", "due_date": "2026-01-02", "deployed_quantity": "10.000000",
			"add_quantity": "2.000000", "remaining_years": "1", "add_value_brl": "12000.00"}},
		{"K022|3|CFQ7TTC0LFLX", want{"status": "later", "deployed_quantity": ""}},
		// No SAM count yet: nothing to add is known, nothing priced.
		{"K023|1|CFQ7TTC0LF8R", want{"status": "due_31_60", "due_date": "2026-03-02", "entitled_quantity": "40.000000",
			"add_quantity": "", "add_value_brl": ""}},
		{"K024|1|9EM-00652", want{"status": "due_61_90", "due_date": "2026-04-01", "remaining_years": "2",
			"license_price_brl": "7600.00", "sa_price_brl": "1900.00", "add_quantity": "", "add_value_brl": ""}},
		// Zero growth: year 2 closed by its update statement, year 3 open.
		{"K025|1|CFQ7TTC0LF8R", want{"status": "done", "evidence": "update statement US-K025-2024 de 10/12/2023"}},
		{"K025|2|CFQ7TTC0LF8R", want{"status": "done", "deployed_quantity": "20.000000", "add_quantity": "0.000000",
			"evidence": "update statement US-K025-2025 de 12/12/2024"}},
		{"K025|3|CFQ7TTC0LF8R", want{"status": "due_0_30", "deployed_quantity": "20.000000", "add_quantity": "0.000000"}},
	})
	checkRows(t, "true_up_summary", byKey(read("true_up_summary"), "contract_id", "agreement_year"), []struct {
		key  string
		want want
	}{
		{"K010|1", want{"next_step": "done"}},
		{"K010|2", want{"next_step": "true_up_order", "add_value_brl": "62100.00", "skus_in_surplus": "1"}},
		{"K011|1", want{"next_step": "incomplete", "skus_without_count": "1", "is_complete": "false", "skus_priced_from_table": "1"}},
		{"K017|1", want{"next_step": "done"}},
		{"K017|2", want{"next_step": "done"}},
		{"K017|3", want{"next_step": "true_up_order", "due_date": "2026-05-31", "add_value_brl": "17100.00"}},
		{"K022|1", want{"next_step": "incomplete", "status": "overdue"}},
		{"K022|2", want{"next_step": "true_up_order", "add_value_brl": "12000.00", "status": "overdue"}},
		{"K022|3", want{"next_step": "incomplete", "status": "later"}},
		{"K023|1", want{"next_step": "incomplete", "skus_without_count": "1", "status": "due_31_60"}},
		{"K024|1", want{"next_step": "incomplete", "skus_without_count": "1", "status": "due_61_90"}},
		{"K025|1", want{"next_step": "done"}},
		{"K025|2", want{"next_step": "done"}},
		{"K025|3", want{"next_step": "update_statement", "opens_date": "2026-01-01", "due_date": "2026-01-31"}},
	})
	checkRows(t, "update_statements", byKey(read("update_statements"), "contract_id", "agreement_year"), []struct {
		key  string
		want want
	}{{"K025|3", want{"opens_date": "2026-01-01", "due_date": "2026-01-31", "status": "due_0_30"}}})
	checkRows(t, "rejects", byKey(read("rejects"), "file", "line"), []struct {
		key  string
		want want
	}{
		{"erp/customers/clientes.csv|4", want{"column": "credit_limit"}},
		{"erp/orders/pedidos_2025-12.csv|12", want{"column": "quantity"}},
		// 01/03/2025 is no anniversary of K010 (28/02/2025): it closes nothing.
		{"erp/statements/declaracoes.csv|4", want{"column": "anniversary", "reason": "not a true-up anniversary of contract K010"}},
		{"sam/contagens_2026-01.csv|10", want{"column": "customer_id", "reason": "contract K010 belongs to C001"}},
		{"sam/contagens_2026-01.csv|11", want{"column": "contract_id", "reason": "unknown contract"}},
		{"sam/contagens_2026-01.csv|12", want{"column": "deployed_quantity", "value": "cinco"}},
	})

	// Contract lines whose text names another product than the price list
	// gives their product and SKU; "Licença Microsoft 365 E3" (K001) is no
	// finding: LF8R is not in the list, and the word licença is noise.
	mismatch := func(value, name string) want {
		return want{"check_name": "product_name_mismatch", "value": value, "detail": "the price list names " + name}
	}
	checkRows(t, "data_quality", byKey(read("data_quality"), "entity_key"), []struct {
		key  string
		want want
	}{
		{"K010 CFQ7TTC0LFLX/0001", mismatch("Microsoft 365 E5", "CFQ7TTC0LFLX/0001 Microsoft 365 E3")},
		{"K011 CFQ7TTC0LH18/0001", mismatch("Microsoft 365 Business Premium", "CFQ7TTC0LH18/0001 Microsoft 365 Business Basic")},
		{"K011 CFQ7TTC0LH16/0001", mismatch("Microsoft 365 Business Basic", "CFQ7TTC0LH16/0001 Exchange Online (Plan 1)")},
		{"K012 CFQ7TTC0LFLX/0001", mismatch("Microsoft 365 E5", "CFQ7TTC0LFLX/0001 Microsoft 365 E3")},
		{"K013 65304522CA01A12", mismatch("Acrobat Pro", "65304522CA01A12 Creative Cloud All Apps")},
		{"K018 CFQ7TTC0LH18/0001", mismatch("Microsoft 365 Business Premium", "CFQ7TTC0LH18/0001 Microsoft 365 Business Basic")},
		{"K019 65304479CA01A12", mismatch("Photoshop", "65304479CA01A12 Acrobat Pro")},
		{"K022 CFQ7TTC0LFLX/0001", mismatch("Microsoft 365 E5", "CFQ7TTC0LFLX/0001 Microsoft 365 E3")},
	})
	// The renewal proposal names the products as the list does: K011's
	// 50 × 283,24 is Business Basic, its 5 × 283,27 Exchange Online (the
	// renewal's 15.578,35 above).
	pdf := pdfText(t, filepath.Join(dir, "proposals", "RN-K011.pdf"))
	for _, s := range []string{"Microsoft 365 Business Basic", "Microsoft Exchange Online (Plan 1)", "R$ 283,24", "R$ 283,27"} {
		if !strings.Contains(pdf, s) {
			t.Errorf("RN-K011.pdf lacks %q in\n%s", s, pdf)
		}
	}
	if strings.Contains(pdf, "Business Premium") {
		t.Error("RN-K011.pdf names the ERP's Business Premium")
	}

	ics, err := os.ReadFile(filepath.Join(dir, "t36.ics"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"BEGIN:VCALENDAR\r\n", "UID:K010/true_up/2@salesops\r\n", "DTSTAMP:20260110T000000Z\r\n",
		"DTSTART;VALUE=DATE:20260129\r\n", "DTEND;VALUE=DATE:20260130\r\n"} {
		if !bytes.Contains(ics, []byte(s)) {
			t.Errorf("t36.ics lacks %q", s)
		}
	}
	// Only the events due on or after as-of: a calendar has no past.
	future := 0
	for _, r := range events {
		if r["due_date"] >= "2026-01-10" {
			future++
		}
	}
	if n := bytes.Count(ics, []byte("BEGIN:VEVENT")); n != future || future == 0 || future == len(events) {
		t.Errorf("t36.ics has %d events, t36_calendar %d due from as-of on (of %d)", n, future, len(events))
	}
}

func checkEvents(t *testing.T, got map[string]map[string]string, tests []struct{ key, opens, due, status string }) {
	t.Helper()
	for _, tt := range tests {
		r, ok := got[tt.key]
		if !ok {
			t.Errorf("t36_calendar: no event %s", tt.key)
			continue
		}
		if r["opens_date"] != tt.opens || r["due_date"] != tt.due || r["status"] != tt.status {
			t.Errorf("%s: opens %s due %s %s, want %s %s %s", tt.key, r["opens_date"], r["due_date"], r["status"], tt.opens, tt.due, tt.status)
		}
	}
}

// A second run on the same inputs publishes the same bytes, the calendar
// and the workbook included. The manifest has the run's id and times; a
// workbook's cover sheet may name them too, and must be the same once they
// are taken out.
func TestLifecycleRerunIdentical(t *testing.T) {
	cfg := exampleConfig(t, copyInbox(t, "lifecycle"), t.TempDir())
	dir := runLifecycle(t, cfg)
	firstRun := readManifest(t, dir)
	first := map[string][]byte{}
	// Every file, the renewal drafts under proposals/ included.
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "manifest.json" {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		first[rel] = readFile(t, p)
		return nil
	})
	if err != nil || len(first) < 10 {
		t.Fatalf("published %d files (%v)", len(first), err)
	}
	cfg.Force = true // the same inputs would be up to date: build them again
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Lifecycle}); err != nil {
		t.Fatal(err)
	}
	secondRun := readManifest(t, dir)
	if firstRun.RunID == secondRun.RunID {
		t.Fatalf("both runs have id %s", firstRun.RunID)
	}
	for name, b := range first {
		again, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".xlsx") {
			compareWorkbooks(t, name, b, again, firstRun, secondRun)
			continue
		}
		if !bytes.Equal(b, again) {
			t.Errorf("%s differs after a re-run", name)
		}
	}
}

// compareWorkbooks wants workbooks a (of run m1) and b (of run m2) equal
// part by part, the cover sheet (the first) once its run's id and start
// time, if it shows them, are taken out.
func compareWorkbooks(t *testing.T, name string, a, b []byte, m1, m2 publish.Manifest) {
	t.Helper()
	parts := func(data []byte) map[string][]byte {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := map[string][]byte{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			out[f.Name], err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	pa, pb := parts(a), parts(b)
	if len(pa) != len(pb) {
		t.Errorf("%s: %d parts, then %d", name, len(pa), len(pb))
	}
	const cover = "xl/worksheets/sheet1.xml"
	for part, x := range pa {
		y := pb[part]
		if part == cover {
			x = bytes.ReplaceAll(bytes.ReplaceAll(x, []byte(m1.RunID), nil), []byte(ptbr.Time(m1.StartedAt)), nil)
			y = bytes.ReplaceAll(bytes.ReplaceAll(y, []byte(m2.RunID), nil), []byte(ptbr.Time(m2.StartedAt)), nil)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs after a re-run", name, part)
		}
	}
}

// An additional product is trued up at the maximum counted in the
// agreement year, an enterprise product at the year's latest count. K024's
// SQL Server (4 licensed, year 1 01/05/2025–30/04/2026) counted 10, 14, 12:
// as additional, 14 − 4 = 10 × (7.600,00 × 1 + 1.900,00 × (2 + 0,5)) =
// 10 × 12.350,00 = 123.500,00; as enterprise, 12 − 4 = 8 × 12.350,00 =
// 98.800,00. L × factor + S × (years left + factor) is multiplied out in
// DECIMAL(38,12) (DECIMAL(18) overflowed and failed the run).
func TestTrueUpCountByClass(t *testing.T) {
	const sam = "customer_id;contract_id;product_id;sku_id;deployed_quantity;count_date\n" +
		"C002;K024;9EM-00652;;10;01/11/2025\nC002;K024;9EM-00652;;14;01/12/2025\nC002;K024;9EM-00652;;12;05/01/2026\n"
	for _, tt := range []struct {
		class                                              string
		rule, deployed, countDate, add, value, sa, license string
	}{
		{"additional", "maximum", "14.000000", "2025-12-01", "10.000000", "123500.00", "1900.00", "7600.00"},
		{"enterprise", "latest", "12.000000", "2026-01-05", "8.000000", "98800.00", "1900.00", "7600.00"},
	} {
		t.Run(tt.class, func(t *testing.T) {
			inbox := copyInbox(t, "lifecycle")
			writeInbox(t, inbox, map[string]string{"sam/contagem_k024.csv": sam})
			if tt.class != "additional" {
				editInbox(t, inbox, "erp/contract_lines/itens_ciclo.csv", "BRL;additional;1.900,00\nK025", "BRL;"+tt.class+";1.900,00\nK025")
			}
			dir := runLifecycle(t, exampleConfig(t, inbox, t.TempDir()))
			checkSome(t, "true_up", byKey(readCSV(t, filepath.Join(dir, "true_up.csv")), "contract_id", "agreement_year", "product_id"), []struct {
				key  string
				want want
			}{{"K024|1|9EM-00652", want{"product_class": tt.class, "count_rule": tt.rule, "counts_in_year": "3",
				"deployed_quantity": tt.deployed, "count_date": tt.countDate, "add_quantity": tt.add, "license_price_brl": tt.license,
				"sa_price_brl": tt.sa, "price_source": "price_sheet", "remaining_years": "2", "add_value_brl": tt.value, "note": ""}}})
		})
	}
}

// A count belongs to the agreement year in which it was taken: K017's
// anniversary is 01/06/2025, so a count of 03/06/2025 is year 3's (to
// 31/05/2026), not year 2's, which keeps no count.
func TestTrueUpCountAfterAnniversary(t *testing.T) {
	inbox := copyInbox(t, "lifecycle")
	writeInbox(t, inbox, map[string]string{"sam/contagem_k017.csv": "customer_id;contract_id;product_id;sku_id;deployed_quantity;count_date\n" +
		"C001;K017;9EM-00652;;30;03/06/2025\n"})
	dir := runLifecycle(t, exampleConfig(t, inbox, t.TempDir()))
	// Year 3: max(30, 23, 21) = 30 against 21 entitled: 9 × (7.600,00 +
	// 1.900,00 × 0,5) = 9 × 8.550,00 = 76.950,00.
	checkSome(t, "true_up", byKey(readCSV(t, filepath.Join(dir, "true_up.csv")), "contract_id", "agreement_year", "product_id"), []struct {
		key  string
		want want
	}{
		{"K017|2|9EM-00652", want{"year_end": "2025-05-31", "counts_in_year": "0", "deployed_quantity": "", "add_value_brl": ""}},
		{"K017|3|9EM-00652", want{"year_start": "2025-06-01", "counts_in_year": "3", "deployed_quantity": "30.000000",
			"count_date": "2025-06-03", "add_quantity": "9.000000", "add_value_brl": "76950.00"}},
	})
}

// Update statements lists every open statement of a contract: K023 (from
// 01/04/2025) at as-of 10/05/2026 has year 1 overdue (due 02/03/2026) and,
// no window being open, year 2 (anniversary 01/04/2027: 31/01/2027 to
// 02/03/2027) next, both counted at 40 with 40 licensed. A statement
// recorded for the first anniversary closes year 1, which leaves the list.
func TestUpdateStatementsOpenYears(t *testing.T) {
	inbox := copyInbox(t, "lifecycle")
	writeInbox(t, inbox, map[string]string{"sam/contagem_k023.csv": "customer_id;contract_id;product_id;sku_id;deployed_quantity;count_date\n" +
		"C004;K023;CFQ7TTC0LF8R;0001;40;05/01/2026\nC004;K023;CFQ7TTC0LF8R;0001;40;05/05/2026\n"})
	cfg := exampleConfig(t, inbox, t.TempDir())
	cfg.AsOf = "2026-05-10"
	dir := runLifecycle(t, cfg)
	rows := byKey(readCSV(t, filepath.Join(dir, "update_statements.csv")), "contract_id", "agreement_year")
	checkSome(t, "update_statements", rows, []struct {
		key  string
		want want
	}{
		{"K023|1", want{"status": "overdue", "opens_date": "2026-01-31", "due_date": "2026-03-02"}},
		{"K023|2", want{"status": "later", "opens_date": "2027-01-31", "due_date": "2027-03-02"}},
	})

	writeInbox(t, inbox, map[string]string{"erp/statements/k023.csv": "contract_id;anniversary;kind;submitted_on;reference\n" +
		"K023;01/04/2026;Update Statement;20/02/2026;US-K023\n"})
	dir = runLifecycle(t, cfg)
	rows = byKey(readCSV(t, filepath.Join(dir, "update_statements.csv")), "contract_id", "agreement_year")
	if _, ok := rows["K023|1"]; ok {
		t.Error("update_statements still lists K023 year 1, closed by its statement")
	}
	summary := byKey(readCSV(t, filepath.Join(dir, "true_up_summary.csv")), "contract_id", "agreement_year")
	checkSome(t, "true_up_summary", summary, []struct {
		key  string
		want want
	}{
		{"K023|1", want{"next_step": "done", "status": "done", "evidence": "update statement US-K023 de 20/02/2026"}},
		{"K023|2", want{"next_step": "update_statement"}},
	})
}

// The windows are the config's: opens 90 and due 45 days before each
// anniversary, the last one 15 days before the end.
func TestTrueUpWindowsConfigurable(t *testing.T) {
	cfg := exampleConfig(t, copyInbox(t, "lifecycle"), t.TempDir())
	cfg.Lifecycle.TrueUpOpensDays, cfg.Lifecycle.TrueUpDueDays, cfg.Lifecycle.FinalTrueUpDays = 90, 45, 15
	dir := runLifecycle(t, cfg)
	checkEvents(t, byKey(readCSV(t, filepath.Join(dir, "t36_calendar.csv")), "event_key"), []struct{ key, opens, due, status string }{
		// 28/02/2026 − 90 = 30/11/2025, − 45 = 14/01/2026.
		{"K010/true_up/2", "2025-11-30", "2026-01-14", "due_0_30"},
		// 31/05/2026 − 15 = 16/05/2026.
		{"K017/true_up/3", "2026-05-16", "2026-05-31", "later"},
	})
}

// A contract that ended without a successor stays in the renewals for
// lifecycle.lapsed_days after its end, whatever its ERP status: K026 ended
// 41 days before as-of, listed with the default 90, gone with 40.
func TestLapsedRenewals(t *testing.T) {
	for _, tt := range []struct {
		days   int
		listed bool
	}{{0, true}, {41, true}, {40, false}} {
		cfg := exampleConfig(t, copyInbox(t, "lifecycle"), t.TempDir())
		cfg.Lifecycle.LapsedDays = tt.days
		if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
			t.Fatal(err)
		}
		dir := runLifecycle(t, cfg)
		_, ok := byKey(readCSV(t, filepath.Join(dir, "renewals.csv")), "contract_id")["K026"]
		if ok != tt.listed {
			t.Errorf("lapsed_days %d: K026 listed %v, want %v", tt.days, ok, tt.listed)
		}
	}
}

// The factors of a program come from the config; EA keeps a default.
func TestLifecycleTrueUpFactors(t *testing.T) {
	one := 1.0
	cfg := exampleConfig(t, copyInbox(t, "lifecycle"), t.TempDir())
	// Resolve merges the config's factors with the built-in ones.
	cfg.Lifecycle.TrueUp = map[string]TrueUpFactors{"ea": {AdditionYearFactor: &one}}
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	dir := runLifecycle(t, cfg)
	rows := byKey(readCSV(t, filepath.Join(dir, "true_up.csv")), "contract_id", "agreement_year", "product_id")
	// 15 × 2.760,00 × (1 + 1) = 82.800,00; license factor still 1.
	if got := rows["K010|2|CFQ7TTC0LF8R"]["add_value_brl"]; got != "82800.00" {
		t.Errorf("K010 add_value_brl = %s, want 82800.00", got)
	}
	if got := rows["K010|2|CFQ7TTC0LF8R"]["license_factor"]; got != "1.0000" {
		t.Errorf("K010 license_factor = %s, want 1.0000", got)
	}
}

// Without orders every event would show overdue: nothing is published.
func TestLifecycleNeedsOrders(t *testing.T) {
	inbox := copyInbox(t, "lifecycle")
	if err := os.RemoveAll(filepath.Join(inbox, "erp", "orders")); err != nil {
		t.Fatal(err)
	}
	cfg := exampleConfig(t, inbox, t.TempDir())
	_, err := RunAll(context.Background(), cfg, []*Pipeline{Lifecycle})
	want := "lifecycle: sales orders (erp/orders/): missing from the inbox: nothing was published"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "lifecycle", "2025-12")); !os.IsNotExist(err) {
		t.Errorf("a set was published: %v", err)
	}
}
