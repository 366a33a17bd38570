package pipelines

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// The example inbox (its quotes/ requests) plus quotes/extra.csv, run at
// period 2025-12, as-of 10/01/2026: the price list first, so requests are
// priced from the 2025-12 table, and the reconciliation (whose published
// set the quotes do not read: they build the credit exposure from the
// inbox). Exposure at as-of = open receivables + orders open at as-of +
// the committed months still owed Microsoft (11 months of each P1Y
// subscription billed monthly, December's charges):
// C001 5.425,00 + 300,00 (SO-1007, its invoice cancelled) + 300,00
// (SO-0904, October's order, never invoiced) + 11 × (1.955,50 + 152,04 +
// 81,48 + 108,61) = 31.298,93 of R$ 50.000,00;
// C002 4.300,00 + 600,00 + 566,40 + 11 × (586,65 + 434,40 + 152,08) =
// 18.370,83 of R$ 4.000,00; C003 4.028,00 (NFS-e 203 980,00 + NF 5008
// 480,00 + NF 4950 1.500,00 + NFS-e 204 1.068,00: 201 and 202 are
// cancelled by their events) + 1.050,00 + 11 × 391,10 = 9.380,10 of
// R$ 5.000,00. The inbox has no rules/taxes.csv: the cents are before
// taxes (TestQuoteTaxes has them).
//
// Microsoft is priced at its own monthly rate (fx.vendors.microsoft:
// vendor_rate, USD 5,4321 for 2025-12). Prices of the table used
// (sell_price_brl / net_cost_brl / cost_brl; markup 12 % on cost less the
// 3 % CSP incentive):
// Teams Rooms Pro CFQ7TTC0QW7C: 528 × 0,97 × 1,12 = 573,6192 USD × 5,4321
// = 3.115,96 / 512,16 × 5,4321 = 2.782,10 / 528 × 5,4321 = 2.868,15 (rule
// line 3, floor 8 %); Exchange Online CFQ7TTC0LH16: 52,1472 × 5,4321 =
// 283,27 / 46,56 × 5,4321 = 252,92 / 260,74; Windows 365 CFQ7TTC0HHS9:
// 537,11616 × 5,4321 = 2.917,67 / 479,568 × 5,4321 = 2.605,06 / 2.685,63.
const quotesExtra = `request_id;requested_on;seller;customer;vendor;product_id;sku_id;segment;term;billing_plan;currency;quantity;discount_pct;notes
Q-201;10/12/2025;Ana Paula;C001;Microsoft;CFQ7TTC0QW7C;;;;;;1;50;half a cent
Q-202;10/12/2025;Bruno;C003;Microsoft;CFQ7TTC0LH16;;;;;;0;0;
Q-202;10/12/2025;Bruno;C003;Microsoft;CFQ7TTC0LH16;;;;;;1;120;
`

func quotesRun(t *testing.T) (Config, string) {
	t.Helper()
	inbox := untaxedInbox(t)
	if err := os.WriteFile(filepath.Join(inbox, "quotes", "extra.csv"), []byte(quotesExtra), 0o644); err != nil {
		t.Fatal(err)
	}
	// A seller's workbook: numbers and the date as Excel stores them.
	wb := excelize.NewFile()
	for i, row := range [][]any{
		{"request_id", "requested_on", "seller", "customer", "product_id", "sku_id", "term", "billing_plan", "quantity", "discount_pct"},
		{"Q-301", 46001, "Carla", "C001", "CFQ7TTC0LH16", "0001", "P1Y", "Annual", 3, 2.5},
	} {
		if err := wb.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.SaveAs(filepath.Join(inbox, "quotes", "pedido_carla.xlsx")); err != nil {
		t.Fatal(err)
	}
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation, Quotes}); err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(cfg.Out, "quotes", "2025-12")
}

func TestQuotes(t *testing.T) {
	cfg, dir := quotesRun(t)
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	checkSome(t, "quote_lines", byKey(read("quote_lines"), "proposal_number", "product_id"), []struct {
		key  string
		want want
	}{
		// 3.115,96 × 10; incentive (2.868,15 − 2.782,10) × 10 = 860,50;
		// margin (3.115,96 − 2.782,10) / 3.115,96 = 10,71 %.
		{"Q-101-r1|CFQ7TTC0QW7C", want{"unit_net_brl": "3115.96", "total_brl": "31159.60", "margin_pct": "10.71",
			"incentive_brl": "860.50", "incentive_program": "CSP Core Incentive", "is_below_min_margin": "false"}},
		// 283,27 × 0,98 = 277,6046 → 277,60; × 50 = 13.880,00; margin
		// 24,68 / 277,60 = 8,89 % (floor 8); incentive 7,82 × 50 = 391,00.
		{"Q-101-r1|CFQ7TTC0LH16", want{"unit_price_brl": "283.27", "unit_net_brl": "277.60", "total_brl": "13880.00",
			"margin_pct": "8.89", "min_margin_pct": "8.0000", "incentive_brl": "391.00", "is_below_min_margin": "false",
			"proration": "", "unit_prorated_brl": ""}},
		// The revision asks 12 rooms: 37.391,52.
		{"Q-101-r2|CFQ7TTC0QW7C", want{"total_brl": "37391.52", "incentive_brl": "1032.60"}},
		// 2.917,67 × 0,95 = 2.771,7865 → 2.771,79; × 5 = 13.858,95; margin
		// 166,73 / 2.771,79 = 6,02 % < 8 %; incentive 80,57 × 5 = 402,85.
		{"Q-102-r1|CFQ7TTC0HHS9", want{"unit_net_brl": "2771.79", "total_brl": "13858.95", "margin_pct": "6.02",
			"incentive_brl": "402.85", "is_below_min_margin": "true"}},
		// 3.115,96 × 0,5 = 1.557,98; margin (1.557,98 − 2.782,10) /
		// 1.557,98 = −78,57 %.
		{"Q-201-r1|CFQ7TTC0QW7C", want{"unit_net_brl": "1557.98", "total_brl": "1557.98", "margin_pct": "-78.57", "is_below_min_margin": "true"}},
		// The table's price at the rule's floor is never "below" it, though
		// its cents show 9,99 % (28,32 over a net cost of 25,49).
		// From the workbook: 283,27 × 0,975 = 276,18825 → 276,19; × 3 = 828,57.
		{"Q-301-r1|CFQ7TTC0LH16", want{"unit_net_brl": "276.19", "total_brl": "828.57", "requested_on": "2025-12-10", "discount_pct": "2.5000"}},
		{"Q-103-r1|CFQ7TTC0LH18", want{"margin_pct": "9.99", "is_below_min_margin": "false"}},
		{"Q-104-r1|XYZ-999", want{"is_priced": "false", "reject_reason": "unknown product XYZ-999 in the price table"}},
		{"Q-104-r1|CFQ7TTC0LFLX", want{"is_priced": "false", "reject_reason": "ambiguous: 3 rows match CFQ7TTC0LFLX (0001 Commercial P1M Monthly USD; 0001 Commercial P1Y Annual USD; 0001 Commercial P1Y Monthly USD): give the SKU, segment, term, billing plan or currency"}},
		// Co-termed to 01/05/2026 from 10/12/2025: 22 + 31 + 28 + 31 + 30 +
		// 1 = 143 days of the term 02/05/2025–01/05/2026 (365 days):
		// 283,27 × 143 / 365 = 110,9797 → 110,98; × 10 = 1.109,80; net cost
		// 252,92 × 10 × 143 / 365 = 990,89; incentive 7,82 × 10 × 143 / 365
		// = 30,64; margin the unit's, 10,71 %.
		{"Q-121-r1|CFQ7TTC0LH16", want{"coterm_end": "2026-05-01", "proration": "coterm_end", "period_start": "2025-12-10",
			"period_end": "2026-05-01", "prorated_days": "143", "term_days": "365", "unit_net_brl": "283.27",
			"unit_prorated_brl": "110.98", "total_brl": "1109.80", "total_net_cost_brl": "990.89", "incentive_brl": "30.64",
			"margin_pct": "10.71"}},
		// C004's VIP contract K013 started 01/04/2025: Adobe lines end the
		// day before its anniversary, 31/03/2026: 10/12/2025–31/03/2026 =
		// 22 + 31 + 28 + 31 = 112 of 365 days; 6.317,69 × 112 / 365 =
		// 1.938,5788 → 1.938,58; × 2 = 3.877,16.
		{"Q-120-r1|65304522CA01A12", want{"proration": "vip_anniversary", "period_start": "2025-12-10", "period_end": "2026-03-31",
			"prorated_days": "112", "term_days": "365", "unit_prorated_brl": "1938.58", "total_brl": "3877.16"}},
		// C003 has no VIP contract: a whole term.
		{"Q-105-r1|65304479CA01A12", want{"proration": "", "prorated_days": ""}},
	})

	checkSome(t, "quotes", byKey(read("quotes"), "proposal_number"), []struct {
		key  string
		want want
	}{
		// 45.039,60 + 31.298,93 = 76.338,53 > 50.000,00: a draft (the
		// examples' approval of revision 1 is a reject: superseded).
		{"Q-101-r1", want{"status": "credit_review", "total_brl": "45039.60", "incentive_brl": "1251.50", "lowest_margin_pct": "8.89",
			"exposure_brl": "31298.93", "is_po_required": "true", "is_latest": "false", "valid_until": "2025-12-31",
			"proposal": "proposals/rascunhos/Q-101-r1", "decision": ""}},
		// 51.271,52 + 31.298,93 = 82.570,45 > 50.000,00: a draft until decided.
		{"Q-101-r2", want{"status": "credit_review", "total_brl": "51271.52", "is_latest": "true", "is_credit_review": "true",
			"proposal": "proposals/rascunhos/Q-101-r2", "decision": ""}},
		// Found by its CNPJ: 13.858,95 + 31.298,93 = 45.157,88, within the
		// limit; below the floor, approved in approvals/.
		{"Q-102-r1", want{"status": "issued", "customer_id": "C001", "is_needs_approval": "true", "is_credit_review": "false",
			"decision": "aprovado", "approver": "Roberto Lima", "decided_on": "2025-12-09", "proposal": "proposals/Q-102-r1"}},
		{"Q-103-r1", want{"status": "credit_review", "total_brl": "283.20", "exposure_brl": "18370.83", "proposal": "proposals/rascunhos/Q-103-r1"}},
		{"Q-104-r1", want{"status": "rejected", "rejected_lines": "2", "total_brl": "", "proposal": ""}},
		// The alphanumeric CNPJ, bare; over the limit (9.380,10 exposure),
		// refused in approvals/.
		{"Q-105-r1", want{"customer_id": "C003", "status": "refused", "exposure_brl": "9380.10", "decision": "recusado", "approver": "Fernanda Reis", "proposal": ""}},
		{"Q-106-r1", want{"status": "rejected", "reason": "customer 99.999.999/0001-00: invalid CNPJ (check digits)"}},
		{"Q-108-r1", want{"status": "rejected", "reason": "customer 12.345.678/0001-95: CNPJ matches several customers: C002, C004"}},
		{"Q-109-r1", want{"status": "rejected"}},
		// 1.109,80 + 31.298,93 = 32.408,73, within R$ 50.000,00.
		{"Q-121-r1", want{"status": "issued", "total_brl": "1109.80"}},
		{"Q-201-r1", want{"status": "needs_approval", "lowest_margin_pct": "-78.57"}},
		{"Q-202-r1", want{"status": "rejected", "rejected_lines": "2"}},
	})

	rejects := byKey(read("rejects"), "file", "line", "column")
	for _, k := range []string{"quotes/extra.csv|3|quantity", "quotes/extra.csv|4|discount_pct", "quotes/solicitacoes_2025-12-01.csv|8|product_id",
		"quotes/solicitacoes_2025-12-01.csv|13|customer", "approvals/aprovacoes_2025-12.csv|4|revision"} {
		if _, ok := rejects[k]; !ok {
			t.Errorf("rejects: no %s", k)
		}
	}

	// The customer's proposal, a draft waiting for credit review: marked
	// as such, accents, our block, the seller's e-mail and phone (the
	// config's), the prices, the PO note, the acceptance block; never
	// cost, margin or incentive.
	pdf := pdfText(t, filepath.Join(dir, "proposals", "rascunhos", "Q-101-r2.pdf"))
	for _, s := range []string{"RASCUNHO — aguardando aprovação", "Licenças Minas Software Ltda", "Construtora Ação Ltda", "Proposta comercial nº Q-101-r2",
		"Válida até:", "31/12/2025", "ana.paula@licencasminas.com.br", "(31) 3333-4401",
		"R$ 3.115,96", "R$ 37.391,52", "R$ 277,60", "R$ 51.271,52", "30 dias da emissão da nota fiscal", "PO obrigatório", "Aceite do cliente"} {
		if !strings.Contains(pdf, s) {
			t.Errorf("Q-101-r2.pdf: no %q in\n%s", s, pdf)
		}
	}
	xlsx := xlsxText(t, filepath.Join(dir, "proposals", "rascunhos", "Q-101-r2.xlsx"))
	for _, s := range []string{"RASCUNHO — aguardando aprovação", "Construtora Ação Ltda", "Q-101-r2", "37391.52", "51271.52", "PO obrigatório"} {
		if !strings.Contains(xlsx, s) {
			t.Errorf("Q-101-r2.xlsx: no %q", s)
		}
	}
	// Cost, net cost, incentive and margin of its lines, as text or number.
	secret := []string{"custo", "cost", "margem", "margin", "incentiv", "2.782,10", "2782.1", "252,92", "252.92", "33.385,20", "33385.2",
		"1.032,60", "1032.6", "391,00", "10,71", "10.71", "8,89", "8.89", "CSP Core"}
	for name, text := range map[string]string{"pdf": pdf, "xlsx": xlsx} {
		for _, s := range secret {
			if strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				t.Errorf("the proposal's %s shows %q", name, s)
			}
		}
	}
	// No document for a rejected request nor a refused one; none outside
	// the drafts' folder for one waiting.
	for _, p := range []string{"Q-104-r1.pdf", "rascunhos/Q-104-r1.pdf", "Q-105-r1.pdf", "rascunhos/Q-105-r1.pdf", "Q-101-r2.pdf", "Q-103-r1.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, "proposals", p)); !os.IsNotExist(err) {
			t.Errorf("proposals/%s exists: %v", p, err)
		}
	}

	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, note := range []string{"requests priced from the price list published for 2025-12", "credit exposure from the inbox's ERP exports at 10/01/2026"} {
		if !bytes.Contains(b, []byte(note)) {
			t.Errorf("manifest.json: no note %q", note)
		}
	}

	// A re-run gives the same proposals, byte for byte.
	before := readFiles(t, filepath.Join(dir, "proposals"))
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Quotes}); err != nil {
		t.Fatal(err)
	}
	after := readFiles(t, filepath.Join(dir, "proposals"))
	// Issued: Q-102-r1, Q-121-r1, Q-301-r1; drafts: Q-101-r1, Q-101-r2,
	// Q-103-r1, Q-107-r1, Q-120-r1, Q-201-r1.
	if len(before) != 18 || len(after) != len(before) {
		t.Fatalf("proposals: %d files (%v), then %d; want 18 (9 proposals)", len(before), slices.Sorted(maps.Keys(before)), len(after))
	}
	// The co-termed line says the period it covers, in the PDF and the XLSX.
	const period = "10/12/2025 a 01/05/2026, 143 de 365 dias"
	if pdf := pdfText(t, filepath.Join(dir, "proposals", "Q-121-r1.pdf")); !strings.Contains(pdf, "Item 1: valor proporcional ao período de "+period) ||
		!strings.Contains(pdf, "R$ 110,98") || !strings.Contains(pdf, "R$ 1.109,80") {
		t.Errorf("Q-121-r1.pdf does not show the prorated period and price:\n%s", pdf)
	}
	if xlsx := xlsxText(t, filepath.Join(dir, "proposals", "Q-121-r1.xlsx")); !strings.Contains(xlsx, period) {
		t.Errorf("Q-121-r1.xlsx does not show the prorated period %q", period)
	}
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("%s differs after a re-run", name)
		}
	}
}

// pdfText is the text a PDF shows: its streams inflated, the strings of
// their text operators decoded from Windows-1252, one per line.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	dec := charmap.Windows1252.NewDecoder()
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(b, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		content, err := io.ReadAll(r)
		if err != nil {
			continue
		}
		for _, s := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) ?Tj`).FindAllSubmatch(content, -1) {
			txt := regexp.MustCompile(`\\(.)`).ReplaceAll(s[1], []byte("$1"))
			u, err := dec.Bytes(txt)
			if err != nil {
				t.Fatal(err)
			}
			out.Write(u)
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// checkSome checks the named rows of a report (not its row count).
func checkSome(t *testing.T, report string, got map[string]map[string]string, tests []struct {
	key  string
	want want
}) {
	t.Helper()
	for _, tt := range tests {
		row, ok := got[tt.key]
		if !ok {
			t.Errorf("%s: no row %q", report, tt.key)
			continue
		}
		for col, v := range tt.want {
			if row[col] != v {
				t.Errorf("%s %s: %s = %q, want %q", report, tt.key, col, row[col], v)
			}
		}
	}
}

// xlsxText is the text and number cells of a workbook's sheets, one per
// line.
func xlsxText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out strings.Builder
	cell := regexp.MustCompile(`<(?:t|v)(?: [^>]*)?>([^<]*)</(?:t|v)>`)
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") && f.Name != "xl/sharedStrings.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range cell.FindAllSubmatch(b, -1) {
			out.Write(m[1])
			out.WriteByte('\n')
		}
	}
	return out.String()
}

func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Without a published price list quotes publish nothing and say which run
// is missing; no published reconciliation and no vendor bill are needed:
// an inbox with ERP exports and no bill quotes, with an exposure of open
// receivables and open orders only (C001 5.425,00 + 300,00 (SO-1007) +
// 300,00 (SO-0904, October's, never invoiced) = 6.025,00).
func TestQuotesNeedsPublished(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	_, err := RunAll(context.Background(), cfg, []*Pipeline{Quotes})
	const missing = "quotes: price list: none published for a period up to 2025-12 (run pricelist first): nothing was published"
	if err == nil || err.Error() != missing {
		t.Errorf("err = %v, want %s", err, missing)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "quotes", "2025-12")); !os.IsNotExist(err) {
		t.Errorf("quotes published: %v", err)
	}

	if err := os.RemoveAll(filepath.Join(inbox, "vendor_billing")); err != nil {
		t.Fatal(err)
	}
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Quotes}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "reconciliation")); !os.IsNotExist(err) {
		t.Errorf("a reconciliation was published: %v", err)
	}
	checkSome(t, "quotes", byKey(readCSV(t, filepath.Join(cfg.Out, "quotes", "2025-12", "quotes.csv")), "proposal_number"), []struct {
		key  string
		want want
	}{
		// 45.039,60 + 6.025,00 = 51.064,60 > 50.000,00.
		{"Q-101-r1", want{"exposure_brl": "6025.00", "status": "credit_review"}},
		{"Q-121-r1", want{"exposure_brl": "6025.00", "status": "issued", "proposal": "proposals/Q-121-r1"}},
		// C002 4.300,00 + 600,00 + 566,40 = 5.466,40.
		{"Q-103-r1", want{"exposure_brl": "5466.40"}},
	})
}

// The lifecycle drafts a renewal proposal for each contract due within 90
// days whose lines all have a current price: K012 renews 5 × LFLX at the
// table's R$ 2.600,89 (USD 478,80 × 5,4321, Microsoft's rate) = R$ 13.004,45.
func TestRenewalDrafts(t *testing.T) {
	inbox := untaxedInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	dir := runLifecycle(t, cfg)
	checkSome(t, "renewals", byKey(readCSV(t, filepath.Join(dir, "renewals.csv")), "contract_id"), []struct {
		key  string
		want want
	}{
		{"K012", want{"bucket": "0-30", "draft_proposal": "proposals/RN-K012", "draft_note": ""}},
		{"K013", want{"bucket": "61-90", "draft_proposal": "proposals/RN-K013"}},
		{"K014", want{"bucket": "91-120", "draft_proposal": "", "draft_note": "drafts only for renewals due within 90 days"}},
		{"K001", want{"bucket": "overdue", "draft_proposal": ""}},
	})
	pdf := pdfText(t, filepath.Join(dir, "proposals", "RN-K012.pdf"))
	for _, s := range []string{"Proposta de renovação nº RN-K012", "Tecnologia Alfa Numérica Ltda", "10/01/2026", "R$ 2.600,89", "R$ 13.004,45"} {
		if !strings.Contains(pdf, s) {
			t.Errorf("RN-K012.pdf: no %q in\n%s", s, pdf)
		}
	}
	for _, s := range []string{"custo", "margem", "incentiv", "rascunho"} {
		if strings.Contains(strings.ToLower(pdf), s) {
			t.Errorf("RN-K012.pdf shows %q", s)
		}
	}

	// Without Adobe's list, K013's line has no current price: no draft.
	if err := os.RemoveAll(filepath.Join(inbox, "pricelists", "adobe")); err != nil {
		t.Fatal(err)
	}
	cfg.AcceptShrink = true
	dir = runLifecycle(t, cfg)
	checkSome(t, "renewals", byKey(readCSV(t, filepath.Join(dir, "renewals.csv")), "contract_id"), []struct {
		key  string
		want want
	}{
		{"K013", want{"draft_proposal": "", "draft_note": "no draft: 1 line(s) without a current price"}},
	})
	if _, err := os.Stat(filepath.Join(dir, "proposals", "RN-K013.pdf")); !os.IsNotExist(err) {
		t.Errorf("RN-K013.pdf published for an unpriced contract: %v", err)
	}
}

// A renewal priced below the floor its pricing rule has now follows the
// quotes' approval rule. The price list is published with rule line 5
// (Microsoft 365*, list discount, floor 10 %), which prices K011's LH18
// and K012's LFLX at exactly 10,00 %; then the floor goes to 12 %. K011
// waits for approval, a draft; K012 is approved (RN-K012, revision 1), so
// a proposal; K013 (Adobe, rule 6, 15,25 % over 10 %) is unaffected. A
// decision on a contract not up for renewal, or on revision 2, is a reject.
func TestRenewalDraftsBelowFloor(t *testing.T) {
	inbox := exampleInbox(t)
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist}); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(inbox, "rules", "pricing.csv")
	b, err := os.ReadFile(rules)
	if err != nil {
		t.Fatal(err)
	}
	raised := strings.Replace(string(b), "Microsoft;*;Microsoft 365*;list_discount;5;10", "Microsoft;*;Microsoft 365*;list_discount;5;12", 1)
	if raised == string(b) {
		t.Fatal("rules/pricing.csv: no line 5 as expected")
	}
	approvals := "request_id;revision;decision;approver;decided_on;note\n" +
		"RN-K012;1;aprovado;Fernanda Reis;09/01/2026;reajuste negociado\n" +
		"RN-K999;1;aprovado;Fernanda Reis;09/01/2026;\n" +
		"RN-K011;2;aprovado;Fernanda Reis;09/01/2026;\n"
	for path, body := range map[string]string{rules: raised, filepath.Join(inbox, "approvals", "renovacao.csv"): approvals} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Lifecycle}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "lifecycle", "2025-12")
	checkSome(t, "renewals", byKey(readCSV(t, filepath.Join(dir, "renewals.csv")), "contract_id"), []struct {
		key  string
		want want
	}{
		{"K011", want{"is_below_min_margin": "true", "decision": "", "draft_proposal": "proposals/rascunhos/RN-K011",
			"draft_note": "draft waits for approval: below the floor of its pricing rule",
			"missing":    "CFQ7TTC0LH18/0001: margin 10.00 below the floor 12.00 of pricing rule rules/pricing.csv:5"}},
		{"K012", want{"is_below_min_margin": "true", "decision": "aprovado", "approver": "Fernanda Reis", "decided_on": "2026-01-09",
			"draft_proposal": "proposals/RN-K012", "draft_note": ""}},
		{"K013", want{"is_below_min_margin": "false", "draft_proposal": "proposals/RN-K013"}},
	})
	files := readFiles(t, filepath.Join(dir, "proposals"))
	for name, want := range map[string]bool{"rascunhos/RN-K011.pdf": true, "RN-K011.pdf": false, "RN-K012.pdf": true, "RN-K013.pdf": true} {
		if _, ok := files[name]; ok != want {
			t.Errorf("proposals/%s: exists %v, want %v", name, ok, want)
		}
	}
	if pdf := pdfText(t, filepath.Join(dir, "proposals", "rascunhos", "RN-K011.pdf")); !strings.Contains(pdf, "RASCUNHO — aguardando aprovação") {
		t.Errorf("RN-K011.pdf is not marked as a draft:\n%s", pdf)
	}
	if pdf := pdfText(t, filepath.Join(dir, "proposals", "RN-K012.pdf")); strings.Contains(pdf, "RASCUNHO") {
		t.Error("RN-K012.pdf, approved, is marked as a draft")
	}
	got := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(dir, "rejects.csv")) {
		if r["file"] == "approvals/renovacao.csv" {
			got[r["line"]] = r["reason"]
		}
	}
	if want := map[string]string{"3": "unknown renewal: RN-K999 names no contract up for renewal", "4": "a renewal draft has revision 1 only"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("approvals/renovacao.csv rejects %v, want %v", got, want)
	}
}

// approvalsExtra, beside the examples' approvals/: a credit review
// approved; an approval the same day as the examples' refusal of
// Q-105 (10/12/2025): they contradict each other, neither holds, both are
// rejects and Q-105 waits; an approval overturned by a later refusal
// (Q-101 r2: refused, not a reject); decisions on an unknown request, an
// unknown revision, and one neither aprovado nor recusado (rejects); a
// renewal draft's (RN-…: the lifecycle's, not a reject here).
const approvalsExtra = `request_id;revision;decision;approver;decided_on;note
Q-103;1;aprovado;Fernanda Reis;11/12/2025;garantia recebida
Q-105;1;aprovado;Roberto Lima;10/12/2025;
Q-101;2;aprovado;Fernanda Reis;10/12/2025;
Q-101;2;RECUSADO;Fernanda Reis;12/12/2025;limite revisto
Q-999;1;aprovado;Fernanda Reis;11/12/2025;
Q-103;3;aprovado;Fernanda Reis;11/12/2025;
Q-103;1;talvez;Fernanda Reis;11/12/2025;
RN-K011;1;aprovado;Fernanda Reis;11/12/2025;
`

func TestQuoteApprovals(t *testing.T) {
	inbox := exampleInbox(t)
	if err := os.WriteFile(filepath.Join(inbox, "approvals", "extra.csv"), []byte(approvalsExtra), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation, Quotes}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "quotes", "2025-12")
	checkSome(t, "quotes", byKey(readCSV(t, filepath.Join(dir, "quotes.csv")), "proposal_number"), []struct {
		key  string
		want want
	}{
		{"Q-103-r1", want{"status": "issued", "decision": "aprovado", "approver": "Fernanda Reis", "decided_on": "2025-12-11",
			"decision_note": "garantia recebida", "proposal": "proposals/Q-103-r1"}},
		{"Q-105-r1", want{"status": "credit_review", "decision": "", "proposal": "proposals/rascunhos/Q-105-r1"}},
		{"Q-101-r2", want{"status": "refused", "decision": "recusado", "decided_on": "2025-12-12", "proposal": ""}},
		{"Q-102-r1", want{"status": "issued", "decision": "aprovado"}},
	})
	files := readFiles(t, filepath.Join(dir, "proposals"))
	for name, want := range map[string]bool{"Q-103-r1.pdf": true, "rascunhos/Q-103-r1.pdf": false, "rascunhos/Q-105-r1.pdf": true,
		"rascunhos/Q-101-r2.pdf": false, "Q-101-r2.pdf": false} {
		if _, ok := files[name]; ok != want {
			t.Errorf("proposals/%s: exists %v, want %v", name, ok, want)
		}
	}
	got := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(dir, "rejects.csv")) {
		if r["file"] == "approvals/extra.csv" {
			got[r["line"]] = r["column"] + ": " + r["reason"]
		}
	}
	want := map[string]string{
		"3": "revision: contradicts another decision on the same revision the same day",
		"6": "revision: unknown request: no quote request Q-999 in quotes/",
		"7": "revision: unknown revision: request Q-103 has revisions 1 to 1",
		"8": "decision: must be aprovado or recusado",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("approvals/extra.csv rejects:\n%v\nwant\n%v", got, want)
	}
}
