package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/reports"
)

// testPipelines are the three publications in testdata/out, as the CLI
// declares them.
var testPipelines = []Pipeline{
	{Name: "pricelist", Title: "Tabela de preços", Reports: []reports.Report{reports.QuotePrices, reports.PriceChanges, reports.PricelistRejects}},
	{Name: "reconciliation", Title: "Conciliação de faturamento", Reports: []reports.Report{reports.Reconciliation, reports.ReconciliationSummary,
		reports.CreditRebill, reports.CutoffPortal, reports.ARAging, reports.CreditExposure, reports.DataQuality, reports.Rejects}},
	{Name: "lifecycle", Title: "Ciclo de vida dos contratos", Reports: []reports.Report{reports.Renewals, reports.RenewalsByMonth, reports.RenewalLines, reports.T36Calendar,
		reports.TrueUp, reports.TrueUpSummary, reports.UpdateStatements, reports.LifecycleRejects}},
}

// buildTestSite copies testdata/out (the example run's manifests and
// CSV) to a temporary folder and builds the site there.
func buildTestSite(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS("testdata/out")); err != nil {
		t.Fatal(err)
	}
	pubs, err := Build(out, testPipelines)
	if err != nil {
		t.Fatal(err)
	}
	if len(pubs) != 3 {
		t.Fatalf("%d publications, want 3", len(pubs))
	}
	return out
}

func TestBuild(t *testing.T) {
	out := buildTestSite(t)
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(out, Dir, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		page string
		want []string
	}{
		{"index.html", []string{`<td data-v="2025-12">12/2025</td>`, `href="reconciliation/2025-12/reconciliation.html">Conciliação</a>`,
			`href="pricelist/2025-12/quote_prices.html">Preços para cotação</a>`, `<td class="n" data-v="4">4</td>`,
			`href="lifecycle/2025-12/renewals_by_month.html">Renovações por mês</a>`, `<a href="../lifecycle/2025-12/lifecycle.xlsx">lifecycle.xlsx</a>`}},
		// Ordered: 2300 + 125 + 300 + 600 + 400 + 1000 + 1000 + 480 + 150 =
		// 6355.00; vendor cost: 1955.50 + 152.04 + 81.48 + 108.61 + 586.65 +
		// 434.40 + 152.08 + 391.10 + 133.04 = 3994.90. 13 lines, 2 matched.
		{"reconciliation/2025-12/reconciliation.html", []string{
			`<div class="k">Linhas</div><div class="v">13</div>`, `<div class="k">Exceções</div><div class="v">11</div>`,
			`<div class="v">R$ 6.355,00</div>`, `<div class="v">R$ 3.994,90</div>`,
			`<td>Valor divergente</td>`, `<td class="n neg" data-v="-600.00">-R$ 600,00</td>`, `<td>(cliente não identificado)</td>`,
			`href="../../../reconciliation/2025-12/reconciliation.csv"`, `href="../../../reconciliation/2025-12/reconciliation.parquet"`, `href="../../../reconciliation/2025-12/reconciliation.xlsx">reconciliation.xlsx</a>`,
			`src="../../assets/echarts.min.js"`, `A tabela lista só as exceções: 11 de 13 linhas.`, `(<a href="rejects.html">ver</a>)`}},
		// Per customer, all rows shown, so a totals row: invoiced 2425 +
		// 1700 + 2480 + 0 + 0 = 6605.00, variance −300 − 300 + 1000 − 150 + 0 = 250.00;
		// the margin is the declaration's aggregate, not a sum of margins,
		// over the customers whose cost is known (C099 has none: its
		// margin is empty, not 100 %): (2725 + 2000 + 1480 − (2297.63 +
		// 1173.13 + 391.10)) × 100 / 6205 = 2343.14 × 100 / 6205 =
		// 37.7621… → 37,76 %.
		{"reconciliation/2025-12/reconciliation_summary.html", []string{
			`<tr class="total"><td>Total</td>`, `<td class="n" data-sum="brl">R$ 6.605,00</td>`, `<td class="n" data-sum="brl">R$ 250,00</td>`, `<td>(fora do cadastro)</td>`,
			`<td class="n" data-fixed="1">37,76 %</td>`, `<div class="k">Margem %</div><div class="v">37,76 %</div>`, `<td>—</td>`,
			`<td>C099</td><td>(fora do cadastro)</td><td class="n" data-v="0.00">R$ 0,00</td><td class="n" data-v="150.00">R$ 150,00</td><td class="n" data-v="0.00">R$ 0,00</td><td class="n neg hl-warn" data-v="-150.00">-R$ 150,00</td><td class="n"></td>`}},
		{"reconciliation/2025-12/credit_rebill.html", []string{`<td>nota difere do valor do pedido em R$ 50,00</td>`, `<td data-v="2025-12-08">08/12/2025</td>`}},
		{"pricelist/2025-12/quote_prices.html", []string{`<td>Kaspersky</td>`, `>quote_prices.xlsx</a> · <a href="../../../pricelist/2025-12/pricelist.xlsx">`, `<td class="n" data-v="5.321600">5,3216</td>`, `<td class="n" data-v="15.25">15,25 %</td>`}},
		{"pricelist/2025-12/rejects.html", []string{`<td>-180.00</td>`, `<td>preço negativo</td>`}},
		// The lifecycle run of the examples (as-of 10/01/2026): values now
		// and at renewal compare the contracts priced in full, K001 (no
		// price for its only line) left out: 12.600 + 13.800 + 17.400 +
		// 13.000 = 56.800,00 now, 12.739,90 + 15.549,55 + 18.953,07 +
		// 14.028,40 = 61.270,92 at renewal; K001 overdue, in red.
		{"lifecycle/2025-12/renewals.html", []string{`<div class="k">Linhas</div><div class="v">5</div>`,
			`<div class="v">R$ 56.800,00</div>`, `<div class="v">R$ 61.270,92</div>`, `<td>Vencido sem sucessor</td>`, `<td>31–60 dias</td>`,
			`<tr class="hl-alert"><td>K001</td>`, `<td>Total dos contratos com preço completo</td>`,
			// (column 19: erp_status, issue 25, comes before is_complete)
			`<td class="n" data-sum="brl" data-if="19" data-ifv="sim">R$ 56.800,00</td>`}},
		// By month of end, as the workbook's sheet: the same totals as
		// renewals (56.800,00 and 61.270,92), one contract a month; K001,
		// ended in 12/2025, counted and listed apart with its 27.600,00.
		{"lifecycle/2025-12/renewals_by_month.html", []string{`<div class="v">R$ 56.800,00</div>`, `<div class="v">R$ 61.270,92</div>`,
			`<tr><td>12/2025</td><td class="n" data-v="1">1</td><td class="n" data-v="1">1</td><td class="n" data-v="0">0</td><td class="n" data-v="0.00">R$ 0,00</td><td class="n" data-v="0.00">R$ 0,00</td><td class="n hl-warn" data-v="1">1</td><td class="n" data-v="27600.00">R$ 27.600,00</td><td class="hl-warn">K001</td></tr>`,
			`<tr class="total"><td>Total</td><td class="n" data-sum="int">5</td><td class="n" data-sum="int">1</td><td class="n" data-sum="int">4</td><td class="n" data-sum="brl">R$ 56.800,00</td><td class="n" data-sum="brl">R$ 61.270,92</td><td class="n" data-sum="int">1</td><td class="n" data-sum="brl">R$ 27.600,00</td><td></td></tr>`,
			`"categories":["12/2025","01/2026","02/2026","03/2026","04/2026"]`, `"data":[0,12600,13800,17400,13000]`, `"data":[0,12739.9,15549.55,18953.07,14028.4]`,
			`href="../../../lifecycle/2025-12/renewals_by_month.csv"`, `href="../../../lifecycle/2025-12/lifecycle.xlsx"`}},
		{"lifecycle/2025-12/t36_calendar.html", []string{`<div class="k">Linhas</div><div class="v">156</div>`,
			`<td>Pedido anual</td>`, `<td>Vence em 61–90 dias</td>`, `<td>01/2026</td>`}},
		// Additions: 12.000,00 (K022, year 2) + 62.100,00 (K010) + 566,48
		// (K011) + 17.100,00 (K017, year 3) = 91.766,48.
		{"lifecycle/2025-12/true_up.html", []string{`<div class="v">R$ 91.766,48</div>`, `<td>excedente de 2: não creditado</td>`,
			`<td>tabela atual (sem tabela de preços do contrato)</td>`, `<td>sem contagem (ano 1 do acordo, 01/02/2024–31/01/2025)</td>`,
			`<td>máxima do ano</td>`}},
		{"lifecycle/2025-12/true_up_summary.html", []string{`<td>Pedido de true-up</td>`, `<td>Incompleto: faltam dados</td>`}},
		{"lifecycle/2025-12/rejects.html", []string{`<td>o contrato K010 é do cliente C001</td>`, `<td>contrato desconhecido</td>`}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			page := read(tt.page)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("lacks %s", w)
				}
			}
		})
	}
	for _, a := range []string{"assets/echarts.min.js", "assets/site.js", "assets/site.css", "assets/ECHARTS-LICENSE.txt"} {
		if _, err := os.Stat(filepath.Join(out, Dir, a)); err != nil {
			t.Error(err)
		}
	}
}

// formatCell shows each declared type as the workbook does, pt-BR, and
// keeps the machine value to sort by.
func TestFormatCell(t *testing.T) {
	for _, c := range []struct {
		t    reports.Type
		v    string
		want cell
	}{
		{reports.MoneyBRL, "-50.00", cell{Text: "-R$ 50,00", Sort: "-50.00", Num: true, Neg: true}},
		{reports.MoneyBRL, "1234567.891", cell{Text: "R$ 1.234.567,89", Sort: "1234567.891", Num: true}},
		{reports.MoneyBRL, "0.125", cell{Text: "R$ 0,12", Sort: "0.125", Num: true}},
		{reports.MoneyBRL, "-0.005", cell{Text: "R$ 0,00", Sort: "-0.005", Num: true, Neg: true}},
		{reports.Money, "1234.5", cell{Text: "1.234,50", Sort: "1234.5", Num: true}},
		{reports.Percent, "-12.345", cell{Text: "-12,34 %", Sort: "-12.345", Num: true, Neg: true}},
		{reports.Rate, "5.321600", cell{Text: "5,3216", Sort: "5.321600", Num: true}},
		{reports.Integer, "1048575", cell{Text: "1.048.575", Sort: "1048575", Num: true}},
		{reports.Date, "2026-01-05", cell{Text: "05/01/2026", Sort: "2026-01-05"}},
		{reports.Bool, "true", cell{Text: "sim"}},
		{reports.Bool, "false", cell{Text: "não"}},
		{reports.Text, "=1+1", cell{Text: "=1+1"}},
		{reports.MoneyBRL, "", cell{Num: true}},
		{reports.Date, "", cell{}},
		{reports.MoneyBRL, "R$ 5", cell{Text: "R$ 5", Bad: true}},
	} {
		if got := formatCell(c.t, c.v); got != c.want {
			t.Errorf("formatCell(%v, %q) = %+v, want %+v", c.t, c.v, got, c.want)
		}
	}
}

// A published CSV the site cannot read as its report declares still gets
// a page that says so, and Build fails naming the file; an empty report
// says why it is empty.
// A second build takes the pages of unchanged publications from the site it
// replaces (the same files, hard-linked) and the same index; a publication
// whose CSV changed gets its pages made again from it.
func TestBuildReusesUnchangedPages(t *testing.T) {
	out := buildTestSite(t)
	stat := func(p string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(filepath.Join(out, Dir, p))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, Dir, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const recon, prices = "reconciliation/2025-12/reconciliation.html", "pricelist/2025-12/quote_prices.html"
	reconBefore, pricesBefore, index := stat(recon), stat(prices), read("index.html")
	if _, err := Build(out, testPipelines); err != nil {
		t.Fatal(err)
	}
	// (An old page still exists while the new site is written: a new file
	// cannot take its inode.)
	reconAfter := stat(recon)
	if !os.SameFile(reconBefore, reconAfter) || !os.SameFile(pricesBefore, stat(prices)) {
		t.Error("an unchanged publication's pages were made again")
	}
	if got := read("index.html"); got != index {
		t.Error("the index changed on a build of the same publications")
	}

	csv := filepath.Join(out, "pricelist", "2025-12", "quote_prices.csv")
	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	const product = "Kaspersky Endpoint Security for Business Select"
	if !strings.Contains(string(b), product+",") {
		t.Fatalf("%s lacks %q", csv, product)
	}
	if err := os.WriteFile(csv, []byte(strings.Replace(string(b), product+",", product+" Plus,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(out, testPipelines); err != nil {
		t.Fatal(err)
	}
	if os.SameFile(pricesBefore, stat(prices)) || !strings.Contains(read(prices), "<td>"+product+" Plus</td>") {
		t.Error("the page of a changed CSV was not made again from it")
	}
	if !os.SameFile(reconAfter, stat(recon)) {
		t.Error("another publication's pages were made again")
	}
}

func TestBuildProblems(t *testing.T) {
	tests := []struct {
		dir     string
		page    string
		wantErr string
		want    []string
	}{
		{"missing", "lifecycle/2025-12/renewals.html",
			"lifecycle/2025-12/renewals.csv: lacks column(s) is_below_min_margin, decision, approver, decided_on, draft_proposal, draft_note declared by report renewals",
			[]string{`id="problems"`, `não tem a(s) coluna(s) is_below_min_margin, decision, approver, decided_on, draft_proposal, draft_note`, `href="../../../lifecycle/2025-12/renewals.csv"`}},
		// C001's ordered 2.725,00 (as a person types it) and C002's lines
		// "cinco" are left out: ordered 6355.00 − 2725.00 = 3630.00; lines
		// 13 − 5 = 8; margin over the customers with a margin (not the
		// unidentified one, whose cost alone is known): (3630.00 −
		// (2297.63 + 1173.13 + 391.10 + 0.00)) × 100 / 3630.00 =
		// −231.86 × 100 / 3630.00 = −6.3873… → −6,39 %. The sums say
		// so to site.js (data-sum), which follows a filter; the margin is
		// fixed.
		{"unparsable", "reconciliation/2025-12/reconciliation_summary.html",
			"reconciliation/2025-12/reconciliation_summary.csv: column ordered_brl: 1 value(s) not a number (first \"2.725,00\"), shown as written and left out of totals and charts\n" +
				"reconciliation/2025-12/reconciliation_summary.csv: column lines: 1 value(s) not a whole number (first \"cinco\"), shown as written and left out of totals and charts",
			[]string{`1 valor(es) da coluna “Pedido (R$)”`, `(o primeiro: “2.725,00”)`, `1 valor(es) da coluna “Linhas”`,
				`<td class="bad" title="não é do tipo da coluna: mostrado como está no arquivo">2.725,00</td>`,
				`<td class="bad" title="não é do tipo da coluna: mostrado como está no arquivo">cinco</td>`,
				`<td class="n" data-sum="brl">R$ 3.630,00</td>`, `<td class="n neg" data-fixed="1">-6,39 %</td>`, `<td class="n" data-sum="int">8</td>`}},
		{"empty", "reconciliation/2025-12/credit_rebill.html", "",
			[]string{`<div class="k">Linhas</div><div class="v">0</div>`, `<p class="note empty" id="empty">Nenhuma nota a creditar ou refaturar neste período.</p>`}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			out := t.TempDir()
			if err := os.CopyFS(out, os.DirFS(filepath.Join("testdata", "problems", tt.dir))); err != nil {
				t.Fatal(err)
			}
			pubs, err := Build(out, testPipelines)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("error = %q, want %q", got, tt.wantErr)
			}
			if len(pubs) != 1 {
				t.Fatalf("%d publications, want 1", len(pubs))
			}
			b, err := os.ReadFile(filepath.Join(out, Dir, tt.page))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("lacks %s", w)
				}
			}
			index, err := os.ReadFile(filepath.Join(out, Dir, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if warn := strings.Contains(string(index), `class="warn"`); warn != (tt.wantErr != "") {
				t.Errorf("index warns: %v, want %v", warn, tt.wantErr != "")
			}
			// Built again, the pages are reused and still report their problems.
			_, err = Build(out, testPipelines)
			if got2 := ""; err != nil || tt.wantErr != "" {
				if err != nil {
					got2 = err.Error()
				}
				if got2 != tt.wantErr {
					t.Errorf("second build: error = %q, want %q", got2, tt.wantErr)
				}
			}
			if err != nil && !OnlyPageProblems(err) {
				t.Errorf("second build: %v is not only page problems", err)
			}
			if b2, err := os.ReadFile(filepath.Join(out, Dir, tt.page)); err != nil || string(b2) != string(b) {
				t.Errorf("second build: page differs (%v)", err)
			}
		})
	}
}

// The column a page counts its rows by is the first whose labels name
// whole codes, found from the declaration alone.
func TestCodeColumn(t *testing.T) {
	for _, tt := range []struct {
		r    reports.Report
		want string
	}{
		{reports.Reconciliation, "class"}, {reports.Renewals, "bucket"}, {reports.T36Calendar, "event"},
		{reports.TrueUp, "status"}, {reports.PriceChanges, "change"}, {reports.CutoffPortal, "issue"},
		{reports.DataQuality, "check_name"}, {reports.Quotes, "status"}, {reports.Rejects, ""}, {reports.QuotePrices, "fx_source"},
	} {
		c, _ := codeColumn(tt.r)
		if c.Name != tt.want {
			t.Errorf("%s: %q, want %q", tt.r.Name, c.Name, tt.want)
		}
	}
}

// TestClearStale: what killed builds left in out goes (staging and
// scratch folders, whatever follows the dash, and the old site set aside,
// which comes back when no site took its place); nothing else does.
func TestClearStale(t *testing.T) {
	tests := []struct {
		name string
		site bool // out/site exists
		want []string
		// what out/site holds afterwards ("" none)
		wantSite string
	}{
		{"a site in place", true, []string{".site.keep", ".site.tmp-5", "pricelist", "site"}, "new"},
		{"killed between the swap's renames", false, []string{".site.keep", ".site.tmp-5", "pricelist", "site"}, "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			for _, d := range []string{".site.tmp-123/assets", ".site.tmp-x", ".site.tmp-", ".site.db-9", ".site.keep", "pricelist/2025-12", "site.old"} {
				if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			// A file with a staging folder's name is nobody's build.
			if err := os.WriteFile(filepath.Join(out, ".site.tmp-5"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "site.old", "index.html"), []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.site {
				if err := os.Mkdir(filepath.Join(out, "site"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(out, "site", "index.html"), []byte("new"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := ClearStale(out); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("out holds %q, want %q", got, tt.want)
			}
			if b, _ := os.ReadFile(filepath.Join(out, "site", "index.html")); string(b) != tt.wantSite {
				t.Errorf("site/index.html = %q, want %q", b, tt.wantSite)
			}
		})
	}
	if err := ClearStale(filepath.Join(t.TempDir(), "none")); err != nil {
		t.Errorf("ClearStale of a missing out folder: %v, want nil", err)
	}
}
