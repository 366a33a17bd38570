package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
)

// The examples' inbox holds three months (examples/inbox): October's and
// November's orders (erp/orders/pedidos_2025-10.csv, -11.csv), invoices
// (erp/invoices/notas_2025-10.csv, -11.csv) and Microsoft bills (BRL, a
// unit of Microsoft 365 E3 at ROUNDDOWN(36,00 × 5,4321, 2) = 195,55, of
// Exchange Online at 21,72, Visio 81,48, Power BI 76,04), December's as
// before, and December's bill carrying a credit of 2 Exchange licences for
// October. The exceptions of October, by hand:
//
//	A SO-0903/1  amount_mismatch       480,00 ordered, NF-e 4903 479,50: 0,50
//	B SO-0904/1  ordered_not_invoiced  1 × 300,00 with no invoice: 300,00
//	C SO-0902/1  ordered_not_invoiced  3 × 200,00: 600,00 (NF-e 4970 comes in November)
//	X G012345676 Exchange sub …099     5 × 21,72 billed, no order: 108,60
//	D SO-0905/1  quantity_mismatch     22 billed, 20 ordered × 20,00: 40,00
//
// and of November, N SO-0955/1 quantity_mismatch: 3 Power BI billed, 2
// ordered × 500,00: 500,00.

// idOf is the exception id of a line, computed here as docs/review.md
// says: "EX-" and the first 16 hex digits, upper case, of the SHA-256 of
// the line type and its key parts joined by U+001F.
func idOf(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return "EX-" + strings.ToUpper(hex.EncodeToString(sum[:])[:16])
}

var (
	exA = idOf("order_line", "SO-0903", "1")
	exB = idOf("order_line", "SO-0904", "1")
	exC = idOf("order_line", "SO-0902", "1")
	exD = idOf("order_line", "SO-0905", "1")
	exN = idOf("order_line", "SO-0955", "1")
	exX = idOf("vendor_bill", "Microsoft", "G012345676", "11111111-0000-4000-8000-000000000099", "CFQ7TTC0LH18", "0001",
		"cycleCharge", "2025-10-01", "2025-10-31", "1")
)

// reviewMonth publishes the reconciliation of period, measured at asOf,
// with the examples' config (review.start 2025-10, min_amount_brl 100).
func reviewMonth(t *testing.T, inbox, out, period, asOf string) string {
	t.Helper()
	cfg := exampleConfig(t, inbox, out)
	cfg.Period, cfg.AsOf = period, asOf
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatalf("%s: %v", period, err)
	}
	return filepath.Join(out, "reconciliation", period)
}

func writeReview(t *testing.T, inbox, name, body string) {
	t.Helper()
	p := filepath.Join(inbox, "reviews", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

const decisionsHeader = "exception_id;decision;owner;due;note;decided_by;decided_on\n"

// TestReviewAcrossMonths publishes October, November and December in turn,
// the files arriving as they would, and finance deciding between runs.
func TestReviewAcrossMonths(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes five reconciliations")
	}
	inbox := exampleInbox(t)
	out := t.TempDir()
	aside := t.TempDir()
	move := func(from, to string) {
		t.Helper()
		if err := os.Rename(from, to); err != nil {
			t.Fatal(err)
		}
	}
	// What has not arrived at the end of October: November's invoices,
	// December's bill (with October's credit), finance's reviews.
	novInvoices := filepath.Join(inbox, "erp", "invoices", "notas_2025-11.csv")
	decBill := filepath.Join(inbox, "vendor_billing", "microsoft", "G012345678_recon_202512.csv")
	move(novInvoices, filepath.Join(aside, "notas.csv"))
	move(decBill, filepath.Join(aside, "bill.csv"))
	if err := os.RemoveAll(filepath.Join(inbox, "reviews")); err != nil {
		t.Fatal(err)
	}

	// Month 1.
	dir := reviewMonth(t, inbox, out, "2025-10", "2025-11-07")
	open := byKey(readCSV(t, filepath.Join(dir, "open_exceptions.csv")), "exception_id")
	checkRows(t, "open_exceptions 2025-10", open, []struct {
		key  string
		want want
	}{
		{exA, want{"document": "SO-0903/1", "class": "amount_mismatch", "amount_brl": "0.50", "first_period": "2025-10", "age_months": "0"}},
		{exB, want{"document": "SO-0904/1", "class": "ordered_not_invoiced", "amount_brl": "300.00"}},
		{exC, want{"document": "SO-0902/1", "class": "ordered_not_invoiced", "amount_brl": "600.00"}},
		{exX, want{"class": "vendor_billed_not_ordered", "amount_brl": "108.60", "subscription_id": "11111111-0000-4000-8000-000000000099"}},
		{exD, want{"class": "quantity_mismatch", "amount_brl": "40.00"}},
	})
	if rv := readManifest(t, dir).Review; rv == nil || rv.Text != "Aguardando revisão: 5 exceções (R$ 1.049,10)" {
		t.Errorf("2025-10 review = %+v", rv)
	}
	// The reconciliation names its exception rows by the same ids.
	ids := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(dir, "reconciliation.csv")) {
		if r["class"] != "matched" {
			ids[r["exception_id"]] = r["class"]
		}
	}
	if len(ids) != 5 || ids[exA] != "amount_mismatch" || ids[exX] != "vendor_billed_not_ordered" {
		t.Errorf("reconciliation.csv exception ids = %v", ids)
	}

	// Finance decides on October, and October is published again.
	writeReview(t, inbox, "aceita_outubro.csv", decisionsHeader+
		exA+";aceita;;;diferença de arredondamento;Carla Mendes;30/10/2025\n")
	writeReview(t, inbox, "decisoes.csv", decisionsHeader+
		exB+";corrigir;Marina Costa (faturamento);20/12/2025;emitir a NF-e;Carla Mendes;05/11/2025\n"+
		exD+";contestar;Carla Mendes;;22 licenças cobradas, 20 pedidas;Carla Mendes;06/11/2025\n")
	dir = reviewMonth(t, inbox, out, "2025-10", "2025-11-07")
	reg := byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id")
	checkRows(t, "exception_register 2025-10", reg, []struct {
		key  string
		want want
	}{
		{exA, want{"status": "closed", "resolved_by": "aceita", "resolved_period": "2025-10", "decision": "aceita"}},
		{exB, want{"status": "open", "decision": "corrigir", "owner": "Marina Costa (faturamento)", "due_date": "2025-12-20", "is_overdue": "false"}},
		{exC, want{"status": "open"}},
		{exX, want{"status": "open"}},
		{exD, want{"status": "open", "decision": "contestar", "dispute_status": "open"}},
	})
	// The accepted 0,50 is written off in C003's summary.
	if s := byKey(readCSV(t, filepath.Join(dir, "reconciliation_summary.csv")), "customer_id"); s["C003"]["written_off_brl"] != "0.50" || s["C002"]["written_off_brl"] != "0.00" {
		t.Errorf("written off: C003 %q, C002 %q", s["C003"]["written_off_brl"], s["C002"]["written_off_brl"])
	}
	// The dispute, for Microsoft's support.
	disputes := readCSV(t, filepath.Join(dir, "disputes", "microsoft.csv"))
	if len(disputes) != 1 {
		t.Fatalf("disputes/microsoft.csv has %d rows, want 1", len(disputes))
	}
	for col, v := range map[string]string{"exception_id": exD, "status": "open", "invoice_number": "G012345676",
		"subscription_id": "11111111-0000-4000-8000-000000000004", "charge_start_date": "2025-10-01", "charge_end_date": "2025-10-31",
		"billed_quantity": "22.00", "expected_quantity": "20.00", "unit_price": "21.72", "billed_subtotal": "477.84",
		"disputed_amount": "43.44", "credited_amount": "0.00",
		"reason": "Quantity billed (22) differs from the quantity ordered (20) for subscription 11111111-0000-4000-8000-000000000004, 2025-10-01 to 2025-10-31. Please credit 43.44 BRL."} {
		if disputes[0][col] != v {
			t.Errorf("dispute %s = %q, want %q", col, disputes[0][col], v)
		}
	}

	// Month 2: November's invoices arrive (NF-e 4970 bills SO-0902); the
	// review of A has been archived: the register remembers it.
	move(filepath.Join(aside, "notas.csv"), novInvoices)
	if err := os.Remove(filepath.Join(inbox, "reviews", "aceita_outubro.csv")); err != nil {
		t.Fatal(err)
	}
	writeReview(t, inbox, "decisoes_novembro.csv", decisionsHeader+
		exN+";corrigir;Rafael Lima (vendas);15/12/2025;pedido de 1 licença a mais;Carla Mendes;03/12/2025\n")
	writeReview(t, inbox, "signoff.csv", "period;signed_by;signed_on;note\n2025-11;Carla Mendes;05/12/2025;revisão de novembro\n")
	dir = reviewMonth(t, inbox, out, "2025-11", "2025-12-05")
	reg = byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id")
	checkRows(t, "exception_register 2025-11", reg, []struct {
		key  string
		want want
	}{
		{exA, want{"status": "closed", "resolved_by": "aceita", "resolved_period": "2025-10", "amount_brl": "0.50"}},
		{exB, want{"status": "open", "first_period": "2025-10", "age_months": "1", "is_overdue": "false"}},
		{exC, want{"status": "closed", "resolved_by": "dados", "resolved_period": "2025-11", "amount_brl": "600.00", "age_months": "1"}},
		{exX, want{"status": "open", "age_months": "1"}},
		{exD, want{"status": "open", "dispute_status": "open"}},
		{exN, want{"status": "open", "class": "quantity_mismatch", "amount_brl": "500.00", "first_period": "2025-11", "age_months": "0"}},
	})
	// Refused: X (108,60 > 100,00) has no decision; D (40,00) needs none.
	refusal := "sign-off refused: 1 open exception(s) above 100.00 BRL without a decision on or before 2025-12-05: " + exX
	m := readManifest(t, dir)
	if m.Review == nil || m.Review.Status != publish.ReviewPending || m.Review.Text != "Aguardando revisão: 4 exceções (R$ 948,60)" || m.Review.Refused != refusal {
		t.Errorf("2025-11 review = %+v", m.Review)
	}
	rejects := readCSV(t, filepath.Join(dir, "rejects.csv"))
	if !slices.ContainsFunc(rejects, func(r map[string]string) bool {
		return r["file"] == "reviews/signoff.csv" && r["line"] == "2" && r["column"] == "period" && r["reason"] == refusal
	}) {
		t.Errorf("rejects.csv lacks the refused sign-off: %v", rejects)
	}

	// Finance decides on X in the workbook's Revisão sheet and saves it in
	// reviews/: first dated after the sign-off (still refused), then before.
	revisao := filepath.Join(inbox, "reviews", "revisao_novembro.xlsx")
	fillRevisao(t, filepath.Join(dir, "reconciliation.xlsx"), revisao, exX, "aceita", "cobrança sem pedido: custo nosso", time.Date(2025, 12, 6, 0, 0, 0, 0, time.UTC))
	dir = reviewMonth(t, inbox, out, "2025-11", "2025-12-05")
	if rv := readManifest(t, dir).Review; rv.Status != publish.ReviewPending {
		t.Errorf("a decision dated after the sign-off made it %+v", rv)
	}
	fillRevisao(t, revisao, revisao, exX, "aceita", "cobrança sem pedido: custo nosso", time.Date(2025, 12, 4, 0, 0, 0, 0, time.UTC))
	dir = reviewMonth(t, inbox, out, "2025-11", "2025-12-05")
	m = readManifest(t, dir)
	if m.Review == nil || m.Review.Status != publish.ReviewSignedOff || m.Review.Text != "Revisado e aprovado por Carla Mendes em 05/12/2025" || m.Review.Refused != "" {
		t.Errorf("2025-11 review after the decision = %+v", m.Review)
	}
	reg = byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id")
	if x := reg[exX]; x["decision"] != "aceita" || x["decided_on"] != "2025-12-04" || x["note"] != "cobrança sem pedido: custo nosso" || x["resolved_period"] != "2025-12" {
		t.Errorf("X read back from the Revisão sheet: %v", x)
	}
	for _, r := range readCSV(t, filepath.Join(dir, "rejects.csv")) {
		if strings.HasPrefix(r["file"], "reviews/") {
			t.Errorf("rejected %v", r)
		}
	}

	// Month 3: December's bill brings October's credit of 2 licences.
	move(filepath.Join(aside, "bill.csv"), decBill)
	dir = reviewMonth(t, inbox, out, "2025-12", "2026-01-10")
	reg = byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id")
	for _, c := range []struct {
		id   string
		want want
	}{
		{exA, want{"status": "closed", "resolved_by": "aceita"}},
		{exB, want{"status": "open", "age_months": "2", "is_overdue": "true", "owner": "Marina Costa (faturamento)"}},
		{exC, want{"status": "closed", "resolved_by": "dados"}},
		{exX, want{"status": "closed", "resolved_by": "aceita", "resolved_period": "2025-12", "age_months": "2"}},
		// Closed by the credit, with the class and amount it was disputed with.
		{exD, want{"status": "closed", "resolved_by": "credito", "resolved_period": "2025-12", "dispute_status": "credited",
			"class": "quantity_mismatch", "amount_brl": "40.00"}},
		{exN, want{"status": "open", "age_months": "1", "is_overdue": "true"}},
	} {
		for col, v := range c.want {
			if got := reg[c.id][col]; got != v {
				t.Errorf("2025-12 register %s %s = %q, want %q", c.id, col, got, v)
			}
		}
	}
	disputes = readCSV(t, filepath.Join(dir, "disputes", "microsoft.csv"))
	if len(disputes) != 1 || disputes[0]["exception_id"] != exD || disputes[0]["status"] != "credited" ||
		disputes[0]["credited_amount"] != "43.44" || disputes[0]["credit_invoices"] != "G012345678" {
		t.Errorf("disputes/microsoft.csv in December: %v", disputes)
	}
	// The trend, by hand (amounts of the register above; Dec's ten are
	// 600,00 + 300,00 + 250,00 + 150,00 + 133,04 + 108,61 + 90,00 +
	// 50,00 + 50,00 + 34,40 = 1.766,05; SO-1006 is no exception since its
	// NFS-e 201 and 202 were substituted and cancelled by their events).
	checkRows(t, "review_trend", byKey(readCSV(t, filepath.Join(dir, "review_trend.csv")), "period"), []struct {
		key  string
		want want
	}{
		{"2025-10", want{"opened": "5", "opened_brl": "1049.10", "resolved": "1", "resolved_brl": "0.50", "written_off_brl": "0.50",
			"open_at_end": "4", "open_at_end_brl": "1048.60", "median_age_months": "0.0"}},
		{"2025-11", want{"opened": "1", "opened_brl": "500.00", "resolved": "1", "resolved_brl": "600.00", "resolved_by_data": "1",
			"open_at_end": "4", "open_at_end_brl": "948.60", "median_age_months": "1.0"}},
		{"2025-12", want{"opened": "10", "opened_brl": "1766.05", "resolved": "2", "resolved_brl": "148.60", "resolved_by_data": "1",
			"written_off_brl": "108.60", "open_at_end": "12", "open_at_end_brl": "2566.05", "median_age_months": "0.0"}},
	})
	checkRows(t, "review_aging", byKey(readCSV(t, filepath.Join(dir, "review_aging.csv")), "owner"), []struct {
		key  string
		want want
	}{
		{"", want{"exceptions": "10", "overdue": "0", "months_0_1_brl": "1766.05", "total_brl": "1766.05"}},
		{"Rafael Lima (vendas)", want{"exceptions": "1", "overdue": "1", "months_0_1_brl": "500.00", "months_2_3_brl": "0.00"}},
		{"Marina Costa (faturamento)", want{"exceptions": "1", "overdue": "1", "months_0_1_brl": "0.00", "months_2_3_brl": "300.00"}},
	})
	if rv := readManifest(t, dir).Review; rv.Text != "Aguardando revisão: 12 exceções (R$ 2.566,05)" {
		t.Errorf("2025-12 review = %+v", rv)
	}

	// The register read is part of December's fingerprint: December again
	// is up to date, until November is published again with another
	// register (measured later: B is overdue on 21/12/2025).
	upToDate := func(period, asOf string) bool {
		t.Helper()
		cfg := exampleConfig(t, inbox, out)
		cfg.Period, cfg.AsOf = period, asOf
		res, err := RunAll(context.Background(), cfg, []*Pipeline{Reconciliation})
		if err != nil || len(res) != 1 {
			t.Fatalf("%s: %v", period, err)
		}
		return res[0].UpToDate
	}
	if !upToDate("2025-12", "2026-01-10") {
		t.Error("December again, nothing changed: not up to date")
	}
	if upToDate("2025-11", "2025-12-21") {
		t.Error("November at another as-of: up to date")
	}
	if upToDate("2025-12", "2026-01-10") {
		t.Error("December after November's register changed: up to date")
	}

	// October published again, November's invoice now in: C is still
	// listed, resolved by the data (in the month published: the data says
	// no more), and A's decision, whose file was archived, still applies.
	dir = reviewMonth(t, inbox, out, "2025-10", "2025-11-07")
	reg = byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id")
	if c := reg[exC]; c["status"] != "closed" || c["resolved_by"] != "dados" || c["resolved_period"] != "2025-10" || c["amount_brl"] != "600.00" {
		t.Errorf("C in October published again: %v", c)
	}
	if a := reg[exA]; a["status"] != "closed" || a["resolved_by"] != "aceita" {
		t.Errorf("A in October published again: %v", a)
	}

	// The examples' reviews/ name these exceptions by the same ids.
	ex := string(readFile(t, filepath.Join("..", "examples", "inbox", "reviews", "decisoes.csv")))
	for _, id := range []string{exA, exB, exD, exN} {
		if !strings.Contains(ex, id+";") {
			t.Errorf("examples/inbox/reviews/decisoes.csv lacks %s", id)
		}
	}
}

// fillRevisao opens the published workbook as Excel would, checks its
// Revisão sheet offers the decisions as a list, fills the row of id with
// a decision (decided_on a date cell) and saves the whole workbook to dst.
func fillRevisao(t *testing.T, src, dst, id, decision, note string, on time.Time) {
	t.Helper()
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := reports.OpenExceptions.Sheet
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i + 1
	}
	ref := func(title string, row int) string {
		c, ok := col[title]
		if !ok {
			t.Fatalf("%s has no column %q: %v", sheet, title, rows[0])
		}
		name, err := excelize.CoordinatesToCellName(c, row)
		if err != nil {
			t.Fatal(err)
		}
		return name
	}
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatal(err)
	}
	letter, _ := excelize.ColumnNumberToName(col["Decisão"])
	if len(dvs) != 1 || dvs[0].Type != "list" || dvs[0].Formula1 != `"aceita,corrigir,contestar,resolvida"` ||
		dvs[0].Sqref != letter+"2:"+letter+strconv.Itoa(len(rows)) {
		t.Errorf("%s validations: %+v", sheet, dvs)
	}
	row := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == id })
	if row < 0 {
		t.Fatalf("%s has no row for %s", sheet, id)
	}
	for title, v := range map[string]any{"Decisão": decision, "Observação": note, "Decidido por": "Carla Mendes", "Decidido em": on} {
		if err := f.SetCellValue(sheet, ref(title, row+1), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(dst); err != nil {
		t.Fatal(err)
	}
}

// TestReviewSheetTitles: the Revisão sheet's decision columns carry titles
// the reviews/ reader takes, and the reader takes that sheet by its name.
func TestReviewSheetTitles(t *testing.T) {
	if reports.OpenExceptions.Sheet != extract.ReviewSheet {
		t.Errorf("open_exceptions' sheet %q, the reader takes %q", reports.OpenExceptions.Sheet, extract.ReviewSheet)
	}
	for _, field := range []string{"exception_id", "decision", "owner", "note", "decided_by"} {
		c, ok := reports.OpenExceptions.Column(field)
		if !ok || !slices.Contains(extract.ReviewColumnNames(field), c.Title) {
			t.Errorf("column %s titled %q: the reader takes %v", field, c.Title, extract.ReviewColumnNames(field))
		}
	}
	for field, col := range map[string]string{"due": "due_date", "decided_on": "decided_on"} {
		c, ok := reports.OpenExceptions.Column(col)
		if !ok || !slices.Contains(extract.ReviewColumnNames(field), c.Title) {
			t.Errorf("column %s titled %q: the reader takes %v", col, c.Title, extract.ReviewColumnNames(field))
		}
	}
}

// TestExceptionIDsStable: two runs on the same inputs give the same ids
// (and the same bytes); the same inputs with every order, invoice and
// bill file renamed and its rows in reverse order give the same ids for
// the same exceptions.
func TestExceptionIDsStable(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes three reconciliations")
	}
	run := func(inbox string) (map[string]map[string]string, []byte) {
		t.Helper()
		dir := reviewMonth(t, inbox, t.TempDir(), "2025-12", "2026-01-10")
		return byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id"),
			readFile(t, filepath.Join(dir, "exception_register.csv"))
	}
	inbox := exampleInbox(t)
	first, firstBytes := run(inbox)
	second, secondBytes := run(inbox)
	if string(firstBytes) != string(secondBytes) {
		t.Errorf("two runs on the same inputs published different registers")
	}
	if len(first) != 15 || len(second) != len(first) {
		t.Fatalf("%d and %d exceptions, want 15", len(first), len(second))
	}

	shuffled := exampleInbox(t)
	for _, dir := range []string{"erp/orders", "erp/invoices", "vendor_billing/microsoft"} {
		entries, err := os.ReadDir(filepath.Join(shuffled, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := filepath.Join(shuffled, dir, e.Name())
			lines := strings.SplitAfter(strings.TrimRight(string(readFile(t, p)), "\n")+"\n", "\n")
			lines = lines[:len(lines)-1] // the empty string after the last "\n"
			body := lines[1:]
			slices.Reverse(body)
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			renamed := filepath.Join(shuffled, dir, "z_"+e.Name())
			if err := os.WriteFile(renamed, []byte(lines[0]+strings.Join(body, "")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, _ := run(shuffled)
	if len(got) != len(first) {
		t.Errorf("%d exceptions from the re-ordered files, want %d", len(got), len(first))
	}
	for id, w := range first {
		g, ok := got[id]
		if !ok {
			t.Errorf("%s (%s %s) has another id in the re-ordered files", id, w["class"], w["document"])
			continue
		}
		for _, col := range []string{"status", "class", "document", "amount_brl", "first_period", "decision", "resolved_by"} {
			if g[col] != w[col] {
				t.Errorf("%s %s = %q from the re-ordered files, want %q", id, col, g[col], w[col])
			}
		}
		if g["source_file"] == w["source_file"] && w["source_file"] != "" {
			t.Errorf("%s: source file %s not renamed: the test re-orders nothing", id, g["source_file"])
		}
	}
}

// TestReviewRejects: decisions for an unknown exception, with a bad date
// or an unknown word, a corrigir without owner, a dispute of what is no
// vendor charge, and a bad sign-off are rejected with their file, line and
// column; the other decisions apply, and the run publishes.
func TestReviewRejects(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes a reconciliation")
	}
	inbox := exampleInbox(t)
	// Dec's SO-1003/1 (ordered, not invoiced) and the unordered Exchange bill.
	so1003 := idOf("order_line", "SO-1003", "1")
	writeReview(t, inbox, "erros.csv", decisionsHeader+
		"EX-0000000000000000;aceita;;;;Carla;05/01/2026\n"+ // 2 unknown
		so1003+";aceita;;;;Carla;32/01/2026\n"+ // 3 bad date
		so1003+";aprovada;;;;Carla;05/01/2026\n"+ // 4 unknown word
		so1003+";corrigir;;10/02/2026;;Carla;05/01/2026\n"+ // 5 no owner
		so1003+";contestar;;;;Carla;05/01/2026\n"+ // 6 not a vendor's charge
		"EX-123;aceita;;;;Carla;05/01/2026\n"+ // 7 not an id
		so1003+";corrigir;Marina Costa;31/02/2026;;Carla;05/01/2026\n"+ // 8 bad due date
		so1003+";corrigir;Marina Costa;10/02/2026;emitir;Carla;06/01/2026\n") // 9 applies
	writeReview(t, inbox, "signoff.csv", "period;signed_by;signed_on;note\n2025-13;Carla;05/01/2026;\n")
	dir := reviewMonth(t, inbox, t.TempDir(), "2025-12", "2026-01-10")
	var got []string
	for _, r := range readCSV(t, filepath.Join(dir, "rejects.csv")) {
		if strings.HasPrefix(r["file"], "reviews/") {
			got = append(got, r["file"]+":"+r["line"]+":"+r["column"]+": "+r["value"]+": "+r["reason"])
		}
	}
	want := []string{
		"reviews/erros.csv:2:exception_id: EX-0000000000000000: unknown exception: no reconciliation published or evaluated lists it",
		"reviews/erros.csv:3:decided_on: 32/01/2026: not a date (dd/mm/aaaa)",
		"reviews/erros.csv:4:decision: aprovada: must be aceita, corrigir, contestar or resolvida",
		"reviews/erros.csv:5:owner: : required for corrigir",
		"reviews/erros.csv:6:decision: contestar: contestar: only a vendor's charge can be disputed (this exception is ordered_not_invoiced)",
		"reviews/erros.csv:7:exception_id: EX-123: not an exception id (EX- and 16 hex digits)",
		"reviews/erros.csv:8:due: 31/02/2026: not a date (dd/mm/aaaa)",
		"reviews/signoff.csv:2:period: 2025-13: not a period AAAA-MM",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rejects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	reg := byKey(readCSV(t, filepath.Join(dir, "exception_register.csv")), "exception_id")
	if r := reg[so1003]; r["decision"] != "corrigir" || r["owner"] != "Marina Costa" || r["due_date"] != "2026-02-10" || r["status"] != "open" {
		t.Errorf("SO-1003/1 after its one good decision: %v", r)
	}
}
