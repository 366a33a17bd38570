package reports

// Reconciliation publication: <out>/reconciliation/<period>/. Each report is
// written as CSV and Parquet; the workbook reconciliation.xlsx gathers them
// all (see ReconciliationSheets), so no report has its own XLSX.

// Reconciliation classifies every vendor bill line, order line and invoice
// of the period in exactly one class.
var Reconciliation = Report{
	Name:    "reconciliation",
	Model:   "reconciliation",
	Formats: []Format{CSV, Parquet},
	Sheet:   "Conciliação",
	Columns: []Column{
		{"class", Text, "Classe"},
		{"line_type", Text, "Tipo de linha"},
		{"line_key", Text, "Linha"},
		{"period", Text, "Período"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"so_number", Text, "Pedido"},
		{"order_line", Integer, "Item do pedido"},
		{"order_type", Text, "Tipo de pedido"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"subscription_id", Text, "Assinatura"},
		{"ordered_quantity", Money, "Qtde pedida"},
		{"billed_quantity", Money, "Qtde faturada pelo fabricante"},
		{"unit_price_brl", MoneyBRL, "Preço unitário (R$)"},
		{"ordered_brl", MoneyBRL, "Valor do item (R$)"},
		{"vendor_cost_brl", MoneyBRL, "Custo do fabricante (R$)"},
		{"so_value_brl", MoneyBRL, "Valor do pedido (R$)"},
		{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
		{"variance_brl", MoneyBRL, "Diferença (R$)"},
		{"nf_numbers", Text, "Notas autorizadas"},
		{"cancelled_nf_numbers", Text, "Notas canceladas"},
		{"vendor_invoices", Text, "Faturas do fabricante"},
		{"other_issues", Text, "Outras ocorrências"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha no arquivo"},
	},
}

// ReconciliationSummary totals the period per customer.
var ReconciliationSummary = Report{
	Name:    "reconciliation_summary",
	Model:   "reconciliation_summary",
	Formats: []Format{CSV, Parquet},
	Sheet:   "Resumo por cliente",
	Columns: []Column{
		{"period", Text, "Período"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"vendor_cost_brl", MoneyBRL, "Custo do fabricante (R$)"},
		{"ordered_brl", MoneyBRL, "Pedido (R$)"},
		{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
		{"variance_brl", MoneyBRL, "Diferença (R$)"},
		{"margin_pct", Percent, "Margem %"},
		{"lines", Integer, "Linhas"},
		{"exceptions", Integer, "Exceções"},
	},
}

// ReconciliationRejects lists every input row that failed validation.
var ReconciliationRejects = Report{
	Name:    "rejects",
	Model:   "reconciliation_rejects",
	Formats: []Format{CSV},
	Columns: RejectColumns,
}
