package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/salesops/salesops/reports"
)

// testPipelines are the three publications in testdata/out, as the CLI
// declares them.
var testPipelines = []Pipeline{
	{Name: "pricelist", Title: PipelineTitle("pricelist"), Reports: []reports.Report{reports.QuotePrices, reports.PriceChanges, reports.PricelistRejects}},
	{Name: "reconciliation", Title: PipelineTitle("reconciliation"), Reports: []reports.Report{reports.Reconciliation, reports.ReconciliationSummary,
		reports.CreditRebill, reports.CutoffPortal, reports.ARAging, reports.CreditExposure, reports.DataQuality, reports.ReconciliationRejects}},
	{Name: "lifecycle", Title: PipelineTitle("lifecycle"), Reports: []reports.Report{reports.Renewals, reports.RenewalLines, reports.T36Calendar,
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
			`href="pricelist/2025-12/quote_prices.html">Preços para cotação</a>`, `<td class="n" data-v="4">4</td>`}},
		// Ordered: 2300 + 125 + 300 + 600 + 400 + 1000 + 1000 + 480 + 150 =
		// 6355.00; vendor cost: 1955.50 + 152.04 + 81.48 + 108.61 + 586.65 +
		// 434.40 + 152.08 + 391.10 + 133.04 = 3994.90. 13 lines, 2 matched.
		{"reconciliation/2025-12/reconciliation.html", []string{
			`<div class="k">Linhas</div><div class="v">13</div>`, `<div class="k">Exceções</div><div class="v">11</div>`,
			`<div class="v">R$ 6.355,00</div>`, `<div class="v">R$ 3.994,90</div>`,
			`<td>Valor divergente</td>`, `<td class="n neg" data-v="-600.00">-R$ 600,00</td>`, `<td>(cliente não identificado)</td>`,
			`href="../../../reconciliation/2025-12/reconciliation.csv"`, `src="../../assets/echarts.min.js"`}},
		// Per customer, all rows shown, so a totals row: invoiced 2425 +
		// 1700 + 2480 + 0 + 0 = 8605.00, variance −300 − 300 + 1000 − 150 + 0 = 250.00.
		{"reconciliation/2025-12/reconciliation_summary.html", []string{
			`<tr class="total"><td>Total</td>`, `<td class="n">R$ 6.605,00</td>`, `<td class="n">R$ 250,00</td>`, `<td>(fora do cadastro)</td>`}},
		{"reconciliation/2025-12/credit_rebill.html", []string{`<td>nota difere do valor do pedido em R$ 50,00</td>`, `<td data-v="2025-12-08">08/12/2025</td>`}},
		{"pricelist/2025-12/quote_prices.html", []string{`<td>Kaspersky</td>`, `<td class="n" data-v="5.321600">5,3216</td>`, `<td class="n" data-v="15.25">15,25 %</td>`}},
		{"pricelist/2025-12/rejects.html", []string{`<td>-180.00</td>`, `<td>preço negativo</td>`}},
		// The lifecycle run of the examples (as-of 10/01/2026): previous
		// values 27.600 + 12.600 + 13.800 + 17.400 + 13.000 = 84.400,00;
		// renewal values (K001 has none) 12.739,90 + 15.549,55 +
		// 18.953,07 + 14.028,40 = 61.270,92.
		{"lifecycle/2025-12/renewals.html", []string{`<div class="k">Linhas</div><div class="v">5</div>`,
			`<div class="v">R$ 84.400,00</div>`, `<div class="v">R$ 61.270,92</div>`, `<td>Vencido sem sucessor</td>`, `<td>31–60 dias</td>`}},
		{"lifecycle/2025-12/t36_calendar.html", []string{`<div class="k">Linhas</div><div class="v">156</div>`,
			`<td>Pedido anual</td>`, `<td>Vence em 61–90 dias</td>`, `<td>01/2026</td>`}},
		// Additions: 20.000,00 (K022) + 62.100,00 (K010) + 566,48 (K011) = 82.666,48.
		{"lifecycle/2025-12/true_up.html", []string{`<div class="v">R$ 82.666,48</div>`, `<td>excedente de 2,00: não creditado</td>`,
			`<td>tabela de preços de 12/2025</td>`, `<td>sem contagem SAM até 10/01/2026</td>`}},
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

func TestMoneyBR(t *testing.T) {
	for in, want := range map[string]string{
		"0": "R$ 0,00", "1234.56": "R$ 1.234,56", "-50": "-R$ 50,00", "1234567.891": "R$ 1.234.567,89",
		"0.125": "R$ 0,12", "0.135": "R$ 0,14", "-0.005": "R$ 0,00", "999.995": "R$ 1.000,00",
	} {
		if got := MoneyBR(decimal.RequireFromString(in)); got != want {
			t.Errorf("MoneyBR(%s) = %q, want %q", in, got, want)
		}
	}
}
