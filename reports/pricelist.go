package reports

// Price-list publication: <out>/pricelist/<period>/.

// QuotePrices is the ready-to-quote price table.
var QuotePrices = Report{
	Name:    "quote_prices",
	Title:   "Preços para cotação",
	Model:   "quote_prices",
	Formats: WithXLSX,
	SheetBy: "vendor",
	Sheet:   "Preços",
	Keys:    3,
	Labels:  map[string][]Label{"segment": segments, "term": terms, "billing_plan": billingPlans, "goods": goodsLabels, "fx_source": fxSources},
	Columns: []Column{
		{"vendor", Text, "Fabricante"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"product", Text, "Produto"},
		{"sku_title", Text, "SKU"},
		{"product_family", Text, "Família"},
		{"segment", Text, "Segmento"},
		{"market", Text, "Mercado"},
		{"term", Text, "Prazo"},
		{"billing_plan", Text, "Faturamento"},
		{"currency", Text, "Moeda"},
		{"cost", Money, "Custo"},
		{"list_price", Money, "Preço de lista"},
		{"incentive_program", Text, "Programa de incentivo"},
		{"incentive_pct", Percent, "Incentivo %"},
		{"net_cost", Money, "Custo líquido"},
		{"pricing_rule", Text, "Regra de preço"},
		{"min_margin_applied", Bool, "Margem mínima aplicada"},
		{"sell_price", Money, "Preço de venda"},
		{"margin_pct", Percent, "Margem líquida de impostos %"},
		{"fx_rate", Rate, "Câmbio"},
		{"fx_date", Date, "Data do câmbio"},
		{"fx_source", Text, "Origem do câmbio"},
		{"cost_brl", MoneyBRL, "Custo (R$)"},
		{"list_price_brl", MoneyBRL, "Preço de lista (R$)"},
		{"net_cost_brl", MoneyBRL, "Custo líquido (R$)"},
		{"sell_price_brl", MoneyBRL, "Preço de venda (R$)"},
		{"goods", Text, "Tipo de venda"},
		{"tax_pct", Percent, "Impostos no preço %"},
		{"taxes_included", Text, "Impostos inclusos"},
		{"taxes_brl", MoneyBRL, "Impostos inclusos (R$)"},
		{"taxes_added", Text, "Impostos destacados na nota"},
		{"taxes_added_brl", MoneyBRL, "Impostos destacados (R$)"},
		{"effective_from", Date, "Vigência início"},
		{"effective_to", Date, "Vigência fim"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha"},
	},
}

// PriceChanges lists SKUs new, removed or repriced since the previous period.
var PriceChanges = Report{
	Name:    "price_changes",
	Title:   "Alterações de preço",
	Model:   "price_changes",
	Formats: WithXLSX,
	SheetBy: "vendor",
	Sheet:   "Alterações de preço",
	Labels: map[string][]Label{"change": priceChanges, "changed_on": changedOn, "previous_period": periodLabel,
		"segment": segments, "term": terms, "billing_plan": billingPlans},
	Keys: 4,
	Highlights: []Highlight{{If: "change", Value: "removed", Alert: true, Why: "SKU saiu da tabela"},
		{If: "change_pct", Op: ">=", Value: "10", Mark: []string{"change_pct"}, Why: "aumento de 10 % ou mais"}},
	Empty: "Sem alterações de preço a mostrar: nenhum SKU mudou desde o período anterior publicado, " +
		"ou este é o primeiro período publicado e não há tabela anterior para comparar (o manifest.json diz qual).",
	Columns: []Column{
		{"change", Text, "Alteração"},
		{"changed_on", Text, "Alterado em"},
		{"vendor", Text, "Fabricante"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"product", Text, "Produto"},
		{"sku_title", Text, "SKU"},
		{"segment", Text, "Segmento"},
		{"market", Text, "Mercado"},
		{"term", Text, "Prazo"},
		{"billing_plan", Text, "Faturamento"},
		{"currency", Text, "Moeda"},
		{"old_cost", Money, "Custo anterior"},
		{"new_cost", Money, "Custo novo"},
		{"old_sell_price", Money, "Venda anterior"},
		{"new_sell_price", Money, "Venda nova"},
		{"old_cost_brl", MoneyBRL, "Custo anterior (R$)"},
		{"new_cost_brl", MoneyBRL, "Custo novo (R$)"},
		{"old_sell_price_brl", MoneyBRL, "Venda anterior (R$)"},
		{"new_sell_price_brl", MoneyBRL, "Venda nova (R$)"},
		{"change_pct", Percent, "Variação %"},
		{"old_tax_pct", Percent, "Impostos anteriores %"},
		{"new_tax_pct", Percent, "Impostos novos %"},
		{"taxes_note", Text, "Impostos: de → para"},
		{"previous_period", Text, "Período anterior"},
	},
}

// PricelistRejects lists every input row that failed validation.
var PricelistRejects = Report{
	Name:    "rejects",
	Title:   "Rejeições",
	Labels:  map[string][]Label{"reason": rejectReasons},
	Model:   "pricelist_rejects",
	Formats: CSVOnly,
	Columns: RejectColumns,
}

// PricelistOverview is the price-list workbook's summary: per vendor.
var PricelistOverview = Report{
	Name:    "pricelist_overview",
	Model:   "pricelist_overview",
	Sheet:   "Resumo por fabricante",
	Display: map[string]string{"vendor": vendorDisplay},
	Totals:  sumOf("skus", "min_margin_skus"),
	Keys:    1,
	Charts:  []Chart{{Title: "SKUs cotáveis por fabricante", Category: "vendor", Values: []string{"skus", "min_margin_skus"}}},
	Columns: []Column{
		{"vendor", Text, "Fabricante"},
		{"skus", Integer, "SKUs"},
		{"min_margin_skus", Integer, "Com margem mínima aplicada"},
		{"avg_margin_pct", Percent, "Margem média %"},
		{"min_sell_price_brl", MoneyBRL, "Menor preço de venda (R$)"},
		{"max_sell_price_brl", MoneyBRL, "Maior preço de venda (R$)"},
	},
}

// PriceChangesOverview counts the price changes per vendor and direction.
var PriceChangesOverview = Report{
	Name:    "price_changes_overview",
	Model:   "price_changes_overview",
	Sheet:   "Alterações por fabricante",
	Labels:  map[string][]Label{"change": priceChanges},
	Totals:  sumOf("skus"),
	Keys:    1,
	Empty:   PriceChanges.Empty,
	Charts:  []Chart{{Title: "Alterações de preço por fabricante e sentido (SKUs)", Category: "label", Values: []string{"skus"}, Horizontal: true}},
	Display: map[string]string{"vendor": vendorDisplay, "label": "(" + vendorDisplay + ") || ' · ' || " + LabelSQL(`"change"`, priceChanges)},
	Columns: []Column{
		{"vendor", Text, "Fabricante"},
		{"change", Text, "Alteração"},
		{"label", Text, "Fabricante · alteração"},
		{"skus", Integer, "SKUs"},
		{"avg_change_pct", Percent, "Variação média %"},
	},
}

// PricelistWorkbook is pricelist.xlsx: what the run read and rejected,
// and the month's prices and changes at a glance. The prices themselves
// are in quote_prices.xlsx.
var PricelistWorkbook = Workbook{File: "pricelist.xlsx", Title: "Tabela de preços: resumo",
	Sheets:  []Report{PricelistOverview, PriceChangesOverview, rejectsSheet(PricelistRejects)},
	Rejects: RejectsSheet}
