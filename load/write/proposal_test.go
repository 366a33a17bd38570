package write

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestWriteProposalDocuments writes a proposal waiting for approval and
// one issued, and reads them as a customer would: the draft lies under
// proposals/rascunhos/ and says so on every page of its PDF (two pages
// here) and on its sheet, printed header included; the issued one does
// not; a long product name wraps whole, never cut; the seller's e-mail
// and phone, the taxes statement and the acceptance block are there; the
// workbook's date is a date and its total a formula over the lines.
func TestWriteProposalDocuments(t *testing.T) {
	ctx := context.Background()
	w := testWarehouse(t)
	long := "Kaspersky Endpoint Security for Business Advanced — Team Level 1 1 - 9, licença por dispositivo com console na nuvem"
	for _, q := range []string{
		`CREATE TABLE heads AS SELECT * FROM (VALUES
			('Q-1-r2', true, 'proposals/rascunhos/Q-1-r2', 'Ana Paula', 'Preços com ISS, PIS e COFINS inclusos.'),
			('Q-2-r1', false, 'proposals/Q-2-r1', 'Bruno', NULL)) t(proposal_number, is_draft, proposal, seller, taxes_note)`,
		// 40 lines of 2 × R$ 10,00: R$ 800,00, on two pages.
		`CREATE TABLE lines AS SELECT p.proposal_number, i AS item, 'kaspersky' AS vendor,
			CASE WHEN i = 1 THEN '` + long + `' ELSE 'Produto ' || i END AS product, 'KL' || i AS product_id, NULL::VARCHAR AS sku_id,
			'12 MONTHS' AS term, NULL::VARCHAR AS billing_plan, 2.000000 AS quantity, 10.00 AS unit_price_brl, 20.00 AS total_brl,
			NULL::DATE AS period_start, NULL::DATE AS period_end, NULL::INTEGER AS prorated_days, NULL::INTEGER AS term_days
			FROM heads p, range(1, 41) r(i)`,
		`CREATE VIEW heads_v AS SELECT proposal_number, 'Proposta comercial' AS title, is_draft, DATE '2025-12-08' AS proposal_date,
			DATE '2025-12-31' AS valid_until, seller, 'Construtora Ação Ltda' AS customer_name, '11.444.777/0001-61' AS customer_cnpj,
			800.00 AS total_brl, proposal, 30 AS payment_terms_days, true AS is_po_required, taxes_note FROM heads`,
	} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	co := Company{Name: "Licenças Minas Software Ltda", CNPJ: "11.222.333/0001-81",
		Sellers: []Seller{{Name: "ana  PAULA", Email: "ana.paula@licencasminas.com.br", Phone: "(31) 3333-4401"}}}
	outs, err := Proposals(ctx, w, dir, "heads_v", "lines", co, time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, o := range outs {
		paths = append(paths, o.Path)
	}
	if want := "proposals/rascunhos/Q-1-r2.pdf proposals/rascunhos/Q-1-r2.xlsx proposals/Q-2-r1.pdf proposals/Q-2-r1.xlsx"; strings.Join(paths, " ") != want {
		t.Errorf("outputs %q, want %s", paths, want)
	}

	if _, err := exec.LookPath("pdftotext"); err == nil {
		pages := func(p string) []string {
			t.Helper()
			b, err := exec.Command("pdftotext", "-raw", filepath.Join(dir, p), "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			return strings.Split(strings.TrimRight(string(b), "\f"), "\f")
		}
		draft := pages("proposals/rascunhos/Q-1-r2.pdf")
		if len(draft) != 2 {
			t.Errorf("draft: %d pages, want 2 (40 lines)", len(draft))
		}
		for i, pg := range draft {
			if !strings.Contains(pg, DraftBanner) {
				t.Errorf("draft page %d lacks %q", i+1, DraftBanner)
			}
		}
		all := strings.Join(strings.Fields(strings.Join(draft, " ")), " ")
		for _, want := range []string{long, "ana.paula@licencasminas.com.br", "(31) 3333-4401", "Preços com ISS, PIS e COFINS inclusos.",
			"Aceite do cliente", "Assinatura:", "R$ 800,00"} {
			if !strings.Contains(all, want) {
				t.Errorf("draft PDF lacks %q", want)
			}
		}
		if strings.Contains(all, "...") {
			t.Error("draft PDF cuts a text (...)")
		}
		for i, pg := range pages("proposals/Q-2-r1.pdf") {
			if strings.Contains(pg, "RASCUNHO") {
				t.Errorf("issued proposal's page %d says RASCUNHO", i+1)
			}
		}
	} else {
		t.Log("pdftotext not installed: the PDFs' text is not read")
	}

	f, err := excelize.OpenFile(filepath.Join(dir, "proposals", "rascunhos", "Q-1-r2.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Proposta (RASCUNHO)" {
		t.Errorf("draft workbook's sheets %q, want [Proposta (RASCUNHO)]", got)
	}
	rows, err := f.GetRows("Proposta (RASCUNHO)", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || len(rows[1]) == 0 || rows[1][0] != DraftBanner {
		t.Errorf("draft workbook's second row %q, want %q", rows[1], DraftBanner)
	}
	find := func(label string) (int, []string) {
		for i, r := range rows {
			if len(r) > 0 && r[0] == label {
				return i + 1, r
			}
		}
		t.Fatalf("no row %q", label)
		return 0, nil
	}
	// 08/12/2025 is Excel's day 45999: 01/01/2025 is 45658, and 08/12
	// is 341 days later (334 to the end of November, 7 more).
	if _, r := find("Data"); len(r) < 2 || r[1] != "45999" {
		t.Errorf("Data row %q, want the date as day 45999", r)
	}
	n, _ := find("Total da proposta")
	formula, err := f.GetCellFormula("Proposta (RASCUNHO)", "G"+strconv.Itoa(n))
	if err != nil || !regexp.MustCompile(`^SUM\(G\d+:G\d+\)$`).MatchString(formula) {
		t.Errorf("total formula %q (%v), want SUM over the lines", formula, err)
	}
	if v, _ := f.GetCellValue("Proposta (RASCUNHO)", "G"+strconv.Itoa(n), excelize.Options{RawCellValue: true}); v != "800.00" {
		t.Errorf("total's cached value %q, want 800.00", v)
	}
	sheet, err := os.ReadFile(filepath.Join(dir, "proposals", "rascunhos", "Q-1-r2.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if s := zipEntry(t, sheet, "xl/worksheets/sheet1.xml"); !strings.Contains(s, "<oddHeader>") || strings.Contains(s, "<autoFilter") {
		t.Error("draft sheet: no banner in the printed header, or an AutoFilter")
	}
}
