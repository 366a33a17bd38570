package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The headers of the example inbox's ERP exports and quote requests.
const (
	contractsHeader = "contract_id;customer_id;vendor;program;agreement_number;start_date;end_date;billing_frequency;currency;status"
	ordersHeader    = "so_number;po_number;customer_id;contract_id;order_date;order_type;line;product_id;sku_id;quantity;unit_price_brl;period_start;period_end;vendor_subscription_id;status"
	customersHeader = "customer_id;name;cnpj;segment;billing_cutoff_day;payment_terms_days;credit_limit;restrictions;portal;account_manager;status"
	quotesHeader    = "request_id;requested_on;seller;customer;vendor;product_id;sku_id;segment;term;billing_plan;currency;quantity;discount_pct;notes"
)

// writeInbox writes files (inbox path → content) into inbox.
func writeInbox(t *testing.T, inbox string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		path := filepath.Join(inbox, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runWith runs ps on the example inbox plus files, and returns the config.
func runWith(t *testing.T, files map[string]string, ps ...*Pipeline) Config {
	t.Helper()
	inbox := untaxedInbox(t)
	writeInbox(t, inbox, files)
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, ps); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// editInbox replaces old by new in an inbox file, which must hold it.
func editInbox(t *testing.T, inbox, path, old, new string) {
	t.Helper()
	p := filepath.Join(inbox, filepath.FromSlash(path))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s holds no %q", path, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestConflictingSources: the example inbox plus a second contracts file
// that gives K022 (C005's, 01/02/2024–31/01/2027 in contratos_ciclo.csv
// line 13) to C002 for 01/02/2025–31/01/2026, a second orders file with
// SO-2030/1 (C003, quantity 5 in pedidos_ciclo.csv line 3) at quantity 7,
// and copies with the same values of customer C004 and of K013's line (no
// finding: one delivery). No file wins a conflict: each version is a
// finding naming the other, and the customers concerned (C002 and C005 for
// K022, C003 for the order) get no renewal draft and no proposal.
func TestConflictingSources(t *testing.T) {
	cfg := runWith(t, map[string]string{
		"erp/contracts/contratos_extra.csv": contractsHeader + ";onboarding_date;true_up_program\n" +
			"K022;C002;Microsoft;Enterprise Agreement;AG-2024-022;01/02/2025;31/01/2026;annual;BRL;active;;EA\n",
		"erp/orders/pedidos_reenvio.csv": ordersHeader + "\n" +
			"SO-2030;;C003;K012;20/12/2025;recurrence;1;CFQ7TTC0LFLX;0001;7;210,00;01/01/2026;31/01/2026;;open\n",
		"erp/customers/clientes_copia.csv": customersHeader + "\n" +
			"C004;Duplicada Comércio Eireli;12345678000195;SMB;35;30;1.000,00;;;João Simões;active\n",
		"erp/contract_lines/itens_copia.csv": "contract_id;product_id;sku_id;description;quantity;unit_price;license_price;annual_price;currency\n" +
			"K013;65304522CA01A12;;Acrobat Pro;3;5.800,00;;;BRL\n",
	}, Pricelist, Reconciliation, Lifecycle, Quotes)
	read := func(pipeline, name string) []map[string]string {
		return readCSV(t, filepath.Join(cfg.Out, pipeline, "2025-12", name+".csv"))
	}

	var conflicts []map[string]string
	for _, r := range read("reconciliation", "data_quality") {
		if r["check_name"] == "conflicting_source" {
			conflicts = append(conflicts, r)
		}
	}
	checkRows(t, "data_quality", byKey(conflicts, "entity", "entity_key", "source_file"), []struct {
		key  string
		want want
	}{
		{"contract|K022|erp/contracts/contratos_ciclo.csv", want{"source_line": "13",
			"value":  "customer_id C005; start_date 2024-02-01; end_date 2027-01-31",
			"detail": "differs from erp/contracts/contratos_extra.csv:2 (customer_id C002; start_date 2025-02-01; end_date 2026-01-31)"}},
		{"contract|K022|erp/contracts/contratos_extra.csv", want{"source_line": "2",
			"value":  "customer_id C002; start_date 2025-02-01; end_date 2026-01-31",
			"detail": "differs from erp/contracts/contratos_ciclo.csv:13 (customer_id C005; start_date 2024-02-01; end_date 2027-01-31)"}},
		{"order_line|SO-2030/1|erp/orders/pedidos_ciclo.csv", want{"source_line": "3",
			"value": "quantity 5", "detail": "differs from erp/orders/pedidos_reenvio.csv:2 (quantity 7)"}},
		{"order_line|SO-2030/1|erp/orders/pedidos_reenvio.csv", want{"source_line": "2",
			"value": "quantity 7", "detail": "differs from erp/orders/pedidos_ciclo.csv:3 (quantity 5)"}},
	})

	// The quotes read the exposure's conflicts.
	checkSome(t, "credit_exposure", byKey(read("reconciliation", "credit_exposure"), "customer_id"), []struct {
		key  string
		want want
	}{
		{"C001", want{"conflicting_sources": ""}},
		{"C002", want{"conflicting_sources": "contract K022"}},
		{"C003", want{"conflicting_sources": "order_line SO-2030/1"}},
		{"C004", want{"conflicting_sources": ""}},
		{"C005", want{"conflicting_sources": "contract K022"}},
	})

	checkSome(t, "renewals", byKey(read("lifecycle", "renewals"), "contract_id"), []struct {
		key  string
		want want
	}{
		{"K011", want{"draft_proposal": "", "draft_note": "no draft: customer C002 has conflicting sources (contract K022)"}},
		{"K012", want{"draft_proposal": "", "draft_note": "no draft: customer C003 has conflicting sources (order_line SO-2030/1)"}},
		// K013's line delivered twice alike is one line: 3 × 5.800,00.
		{"K013", want{"draft_proposal": "proposals/RN-K013", "lines": "1", "previous_value_brl": "17400.00"}},
		{"K022", want{"customer_id": "C002", "draft_proposal": ""}},
	})
	for _, name := range []string{"RN-K011.pdf", "RN-K012.pdf", "RN-K022.pdf"} {
		if _, err := os.Stat(filepath.Join(cfg.Out, "lifecycle", "2025-12", "proposals", name)); err == nil {
			t.Errorf("%s was written for a customer with conflicting sources", name)
		}
	}

	var lifecycleConflicts int
	for _, r := range read("lifecycle", "rejects") {
		if strings.HasPrefix(r["reason"], "conflicting source: differs from ") {
			lifecycleConflicts++
		}
	}
	if lifecycleConflicts != 4 {
		t.Errorf("lifecycle rejects: %d conflicting sources, want 4 (two versions of K022, two of SO-2030/1)", lifecycleConflicts)
	}

	checkSome(t, "quotes", byKey(read("quotes", "quotes"), "proposal_number"), []struct {
		key  string
		want want
	}{
		// 45.039,60 + C001's exposure 31.298,93 (SO-0904 included) passes its limit.
		{"Q-101-r1", want{"status": "credit_review", "total_brl": "45039.60"}},
		{"Q-103-r1", want{"status": "rejected", "proposal": "",
			"reason": "customer C002: customer C002 has conflicting sources in the ERP exports (contract K022)"}},
		{"Q-107-r1", want{"status": "rejected", "proposal": "",
			"reason": "customer C003: customer C003 has conflicting sources in the ERP exports (order_line SO-2030/1)"}},
	})
}

// TestCustomerConflictInQuotes: C001 in a second customers file with a
// credit limit of 90.000,00 (50.000,00 in clientes.csv line 2) is two
// versions in the quotes' rejects, and C001's requests are rejected; a
// request whose lines name C003 and C002 is rejected whole.
func TestCustomerConflictInQuotes(t *testing.T) {
	cfg := runWith(t, map[string]string{
		"erp/customers/clientes_limite.csv": customersHeader + "\n" +
			"C001;Construtora Ação Ltda;11.444.777/0001-61;Corporate;20;30;90.000,00;po_required|portal;Ariba;João Simões;active\n",
		"quotes/solicitacoes_2025-12-09.csv": quotesHeader + "\n" +
			"Q-110;09/12/2025;Carla;C003;kaspersky;KL4863KAFS;;;;;;1;0;\n" +
			"Q-110;09/12/2025;Carla;12.345.678/0001-95;kaspersky;KL4863KAFS;;;;;;2;0;\n" +
			"Q-111;09/12/2025;Carla;C003;kaspersky;KL4863KAFS;;;;;;1;0;\n" +
			"Q-111;09/12/2025;Carla;12ABC34501DE35;kaspersky;KL4863KAFS;;;;;;1;0;\n",
	}, Pricelist, Reconciliation, Quotes)
	dir := filepath.Join(cfg.Out, "quotes", "2025-12")
	rejects := byKey(readCSV(t, filepath.Join(dir, "rejects.csv")), "file", "line")
	checkSome(t, "rejects", rejects, []struct {
		key  string
		want want
	}{
		{"erp/customers/clientes.csv|2", want{"column": "credit_limit", "value": "credit_limit 50000",
			"reason": "conflicting source: differs from erp/customers/clientes_limite.csv:2 (credit_limit 90000)"}},
		{"erp/customers/clientes_limite.csv|2", want{"column": "credit_limit", "value": "credit_limit 90000",
			"reason": "conflicting source: differs from erp/customers/clientes.csv:2 (credit_limit 50000)"}},
		// 12.345.678/0001-95 is C002's and C004's CNPJ: not C003.
		{"quotes/solicitacoes_2025-12-09.csv|2", want{"column": "customer",
			"reason": "lines name different customers: 12.345.678/0001-95, C003"}},
	})
	checkSome(t, "quotes", byKey(readCSV(t, filepath.Join(dir, "quotes.csv")), "proposal_number"), []struct {
		key  string
		want want
	}{
		{"Q-101-r1", want{"status": "rejected", "reason": "customer C001: customer C001 has conflicting rows in the customer master " +
			"(erp/customers/clientes.csv:2, erp/customers/clientes_limite.csv:2)"}},
		{"Q-110-r1", want{"status": "rejected", "customer_id": "C003", "proposal": ""}},
		// C003 by its id and by its bare CNPJ: one customer. Two lines
		// of 1.402,84 (Q-107's price) = 2.805,68; + exposure 9.380,10
		// (quotes_test.go; NFS-e 201 and 202 cancelled by their events) =
		// 12.185,78 above 5.000,00.
		{"Q-111-r1", want{"customer_id": "C003", "status": "credit_review", "total_brl": "2805.68",
			"reason": "total + exposure 12185.78 above the credit limit 5000.00"}},
	})
}

// TestDomainRanges: impossible values are rejects with their reason, once,
// in staging. K011's Business Premium licences at -50 (itens_ciclo.csv line
// 5) would draft "Qtde -50"; the line is rejected and K011 gets no draft.
// Recurrence order SO-2030 at -3 (pedidos_ciclo.csv line 3) is rejected;
// a credit line at -3 is a return and stays; a quantity of 0, a negative
// price, a year 0202 and a 65-character contract_id are rejects too.
func TestDomainRanges(t *testing.T) {
	inbox := untaxedInbox(t)
	editInbox(t, inbox, "erp/contract_lines/itens_ciclo.csv",
		"K011;CFQ7TTC0LH18;0001;Microsoft 365 Business Premium;50;", "K011;CFQ7TTC0LH18;0001;Microsoft 365 Business Premium;-50;")
	editInbox(t, inbox, "erp/orders/pedidos_ciclo.csv",
		"SO-2030;;C003;K012;20/12/2025;recurrence;1;CFQ7TTC0LFLX;0001;5;", "SO-2030;;C003;K012;20/12/2025;recurrence;1;CFQ7TTC0LFLX;0001;-3;")
	long := "K" + strings.Repeat("9", 64)
	writeInbox(t, inbox, map[string]string{
		"erp/orders/pedidos_extra.csv": ordersHeader + "\n" +
			"SO-3001;;C003;K012;20/12/2025;credit;1;CFQ7TTC0LFLX;0001;-3;210,00;01/01/2026;31/01/2026;;open\n" +
			"SO-3002;;C003;K012;20/12/2025;new;1;CFQ7TTC0LFLX;0001;0;210,00;01/01/2026;31/01/2026;;open\n" +
			"SO-3003;;C003;K012;20/12/2025;new;1;CFQ7TTC0LFLX;0001;1;-210,00;01/01/2026;31/01/2026;;open\n" +
			"SO-3004;;C003;K012;20/12/2025;new;1;CFQ7TTC0LFLX;0001;12.345.678.901.234;210,00;01/01/2026;31/01/2026;;open\n" +
			"SO-3005;;C003;K012;20/12/2025;new;1;CFQ7TTC0LFLX;0001;dez;210,00;01/01/2026;31/01/2026;;open\n",
		"erp/contracts/contratos_extra.csv": contractsHeader + "\n" +
			"K030;C003;Microsoft;CSP NCE;AG-2026-030;01/02/0202;31/01/2027;monthly;BRL;active\n" +
			long + ";C003;Microsoft;CSP NCE;AG-2026-031;01/02/2026;31/01/2027;monthly;BRL;active\n",
	})
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation, Lifecycle}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "lifecycle", "2025-12")
	rejects := byKey(readCSV(t, filepath.Join(dir, "rejects.csv")), "file", "line", "column")
	// rejects.csv writes a value starting with - as '- (not a formula).
	checkSome(t, "rejects", rejects, []struct {
		key  string
		want want
	}{
		{"erp/contract_lines/itens_ciclo.csv|5|quantity", want{"value": "'-50", "reason": "negative quantity"}},
		{"erp/orders/pedidos_ciclo.csv|3|quantity", want{"value": "'-3", "reason": "negative quantity"}},
		{"erp/orders/pedidos_extra.csv|3|quantity", want{"value": "0", "reason": "zero quantity"}},
		{"erp/orders/pedidos_extra.csv|4|unit_price_brl", want{"value": "'-210,00", "reason": "negative price"}},
		// 14 digits do not fit DECIMAL(18,6): out of range, not "not a number".
		{"erp/orders/pedidos_extra.csv|5|quantity", want{"value": "12.345.678.901.234", "reason": "out of range: more than 12 digits before the decimal separator"}},
		{"erp/orders/pedidos_extra.csv|6|quantity", want{"value": "dez", "reason": "not a number with a decimal comma (1.234,56)"}},
		{"erp/contracts/contratos_extra.csv|2|start_date", want{"value": "01/02/0202", "reason": "outside 2000–2099"}},
		{"erp/contracts/contratos_extra.csv|3|contract_id", want{"value": long, "reason": "longer than 64 characters"}},
	})
	if _, ok := rejects["erp/orders/pedidos_extra.csv|2|quantity"]; ok {
		t.Errorf("a credit line's negative quantity (a return) is rejected")
	}
	if recon := readCSV(t, filepath.Join(cfg.Out, "reconciliation", "2025-12", "rejects.csv")); len(recon) != 3+8 {
		t.Errorf("reconciliation rejects: %d, want the examples' 3 + the eight above", len(recon))
	}
	checkSome(t, "renewals", byKey(readCSV(t, filepath.Join(dir, "renewals.csv")), "contract_id"), []struct {
		key  string
		want want
	}{
		{"K011", want{"draft_proposal": "", "draft_note": "no draft: 1 contract line(s) rejected"}},
		{"K012", want{"draft_proposal": "proposals/RN-K012"}},
	})
	if _, err := os.Stat(filepath.Join(dir, "proposals", "RN-K011.pdf")); err == nil {
		t.Errorf("RN-K011.pdf was written from a contract with a rejected line")
	}
}

// TestRevisionNumbersKept: a request's number, once published, keeps its
// file. The examples publish Q-101-r1 (01/12/2025: 44.123,70) and r2
// (08/12: 50.228,84). A Q-101 file dated 28/11 arriving later is r3 (900 ×
// 277,51 = 249.759,00), "received after revision 2", not r1; with 01/12's
// and 28/11's files gone, a file of 15/12 is r4: r3 stays taken.
func TestRevisionNumbersKept(t *testing.T) {
	inbox := untaxedInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	ctx := context.Background()
	if _, err := RunAll(ctx, cfg, []*Pipeline{Pricelist, Reconciliation, Quotes}); err != nil {
		t.Fatal(err)
	}
	writeInbox(t, inbox, map[string]string{
		"quotes/solicitacoes_2025-11-28.csv": quotesHeader + "\nQ-101;28/11/2025;Ana Paula;C001;Microsoft;CFQ7TTC0LH16;;;;;;900;0;\n",
	})
	dir := filepath.Join(cfg.Out, "quotes", "2025-12")
	quotes := func() map[string]map[string]string {
		if _, err := RunAll(ctx, cfg, []*Pipeline{Quotes}); err != nil {
			t.Fatal(err)
		}
		return byKey(readCSV(t, filepath.Join(dir, "quotes.csv")), "proposal_number")
	}
	checkSome(t, "quotes", quotes(), []struct {
		key  string
		want want
	}{
		{"Q-101-r1", want{"requested_on": "2025-12-01", "total_brl": "45039.60", "is_latest": "false", "revision_note": ""}},
		{"Q-101-r2", want{"requested_on": "2025-12-08", "total_brl": "51271.52", "is_latest": "false", "revision_note": ""}},
		// 900 × 283,27 = 254.943,00.
		{"Q-101-r3", want{"requested_on": "2025-11-28", "total_brl": "254943.00", "is_latest": "true",
			"revision_note": "received after revision 2", "source_file": "quotes/solicitacoes_2025-11-28.csv"}},
	})
	first, err := os.ReadFile(filepath.Join(dir, "quotes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Force = true
	quotes()
	if again, err := os.ReadFile(filepath.Join(dir, "quotes.csv")); err != nil || string(again) != string(first) {
		t.Errorf("the same inputs numbered again gave other bytes (%v)", err)
	}

	for _, f := range []string{"solicitacoes_2025-12-01.csv", "solicitacoes_2025-11-28.csv"} {
		if err := os.Remove(filepath.Join(inbox, "quotes", f)); err != nil {
			t.Fatal(err)
		}
	}
	writeInbox(t, inbox, map[string]string{
		"quotes/solicitacoes_2025-12-15.csv": quotesHeader + "\nQ-101;15/12/2025;Ana Paula;C001;Microsoft;CFQ7TTC0LH16;;;;;;1;0;\n",
	})
	cfg.AcceptShrink = true
	got := quotes()
	checkSome(t, "quotes", got, []struct {
		key  string
		want want
	}{
		{"Q-101-r2", want{"total_brl": "51271.52", "is_latest": "false"}},
		{"Q-101-r4", want{"requested_on": "2025-12-15", "total_brl": "283.27", "is_latest": "true", "revision_note": ""}},
	})
	for _, n := range []string{"Q-101-r1", "Q-101-r3"} {
		if _, ok := got[n]; ok {
			t.Errorf("%s, whose file left the inbox, is still listed", n)
		}
	}
}

// TestLaterExportUpdatesState: what happens to a document after it is made
// is not a conflict. A later invoice register marks NF 4801 (C002's
// R$ 3.000,00, due 12/09/2025, over 90 days at as-of 10/01/2026) paid on
// 05/01/2026, and a later orders export marks SO-1001/1 invoiced: no
// finding, and the later file's state is what the reports use — C002's
// over-90 bucket falls from 3.000,00 to 0,00 and its open total from
// 4.300,00 to 1.300,00 (2 invoices).
func TestLaterExportUpdatesState(t *testing.T) {
	cfg := runWith(t, map[string]string{
		"erp/invoices/notas_2026.csv": "nf_number;series;kind;issue_date;customer_cnpj;so_number;gross;discount;taxes_withheld;net;status;due_date;paid_date;paid_amount;portal_posted_date;replaces_nf\n" +
			"4801;1;NFE;15/08/2025;12.345.678/0001-95;SO-0801;3.000,00;0,00;0,00;3.000,00;autorizada;12/09/2025;05/01/2026;3.000,00;;\n",
		"erp/orders/pedidos_2025-12_reenvio.csv": ordersHeader + "\n" +
			"SO-1001;PO-81;C001;K001;28/11/2025;recurrence;1;CFQ7TTC0LF8R;0001;10;230,00;01/12/2025;31/12/2025;11111111-0000-4000-8000-000000000001;invoiced\n",
	}, Reconciliation)
	read := func(name string) []map[string]string {
		return readCSV(t, filepath.Join(cfg.Out, "reconciliation", "2025-12", name+".csv"))
	}
	for _, r := range read("data_quality") {
		if r["check_name"] == "conflicting_source" {
			t.Errorf("a state update taken for a conflict: %v", r)
		}
	}
	checkSome(t, "ar_aging", byKey(read("ar_aging"), "customer_id"), []struct {
		key  string
		want want
	}{
		{"C002", want{"days_over_90_brl": "0.00", "total_open_brl": "1300.00", "open_invoices": "2"}},
	})
	if got := queryString(t, cfg, "SELECT status FROM orders WHERE so_number = 'SO-1001' AND order_line = 1"); got != "invoiced" {
		t.Errorf("SO-1001/1 status %q, want the later export's invoiced", got)
	}
}
