package reports

// Reconciliation publication: <out>/reconciliation/<period>/. Each report is
// written as CSV and Parquet, and as a CSV for people; the workbook reconciliation.xlsx gathers them
// all (see ReconciliationSheets), so no report has its own XLSX.

// Reconciliation classifies every vendor bill line, order line and invoice
// of the period in exactly one class.
var Reconciliation = Report{
	Name:    "reconciliation",
	Title:   "Conciliação",
	Model:   "reconciliation",
	Formats: ForPeople,
	Sheet:   "Conciliação",
	Labels: map[string][]Label{"class": classes, "line_type": lineTypes, "order_type": orderTypes, "other_issues": classes,
		"period": periodLabel, "nce_action": nceActions, "fx_rule": fxRules},
	Display: map[string]string{"customer_name": customerDisplay},
	// Invoiced and variance are per order, repeated on its lines: their
	// totals count each order once (as the overview does), values a
	// filter does not change; the line amounts are sums that follow it.
	Totals: with(with(sumOf("ordered_brl", "vendor_cost_brl", "taxes_brl"), "invoiced_brl", invoicedOnce),
		"variance_brl", "("+invoicedOnce+") - coalesce(sum(ordered_brl), 0)"),
	Keys: 3,
	// The exception's id, for the review (the Revisão sheet prints it),
	// comes after the source columns: none printed on the Conciliação.
	Internal:   []string{"exception_id"},
	Highlights: []Highlight{{If: "class", Op: "<>", Value: "matched", Why: "exceção: a linha não concilia"}},
	// A month of a million matched lines still shows its exceptions.
	Oversize: &Filter{Where: `"class" <> 'matched'`, Kept: "only the exceptions (class ≠ matched)"},
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
		{"ordered_quantity", Quantity, "Qtde pedida"},
		{"billed_quantity", Quantity, "Qtde faturada pelo fabricante"},
		{"unit_price_brl", MoneyBRL, "Preço unitário (R$)"},
		{"ordered_brl", MoneyBRL, "Valor do item (R$)"},
		{"vendor_cost_brl", MoneyBRL, "Custo do fabricante (R$)"},
		{"so_value_brl", MoneyBRL, "Valor do pedido (R$)"},
		{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
		{"variance_brl", MoneyBRL, "Diferença (R$)"},
		{"taxes_brl", MoneyBRL, "Impostos inclusos (R$)"},
		{"margin_net_pct", Percent, "Margem líquida de impostos %"},
		{"nf_numbers", Text, "Notas autorizadas"},
		{"cancelled_nf_numbers", Text, "Notas canceladas"},
		{"vendor_invoices", Text, "Faturas do fabricante"},
		{"other_issues", Text, "Outras ocorrências"},
		{"nce_charge_start", Date, "Início da cobrança (NCE)"},
		{"nce_window_closes", Date, "Janela de cancelamento fecha"},
		{"is_nce_window_open", Bool, "Janela aberta"},
		{"nce_action", Text, "Ação (NCE)"},
		{"bill_fx_rate", Rate, "Câmbio da fatura"},
		{"table_fx_rate", Rate, "Câmbio da tabela"},
		{"fx_effect_brl", MoneyBRL, "Efeito cambial (R$)"},
		{"fx_rule", Text, "Regra de câmbio do contrato"},
		{"indexed_fx_rate", Rate, "PTAX do contrato"},
		{"indexed_fx_date", Date, "Data da PTAX do contrato"},
		{"indexed_value_brl", MoneyBRL, "Valor indexado (R$)"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha no arquivo"},
		{"exception_id", Text, "Exceção (ID)"},
	},
}

// invoicedOnce totals invoiced_brl, which repeats on every line of an
// order, counting each order once, plus the invoices of no known order.
const invoicedOnce = `coalesce(sum(invoiced_brl) filter (where line_type = 'invoice'), 0) + ` +
	`coalesce(list_sum(list_transform(list_distinct(list({'o': so_number, 'v': invoiced_brl}) filter (where line_type = 'order_line' and invoiced_brl is not null)), x -> x.v)), 0)`

// ReconciliationSummary totals the period per customer.
var ReconciliationSummary = Report{
	Name:    "reconciliation_summary",
	Title:   "Resumo por cliente",
	Model:   "reconciliation_summary",
	Formats: ForPeople,
	Sheet:   "Resumo por cliente",
	Labels:  map[string][]Label{"period": periodLabel},
	Display: map[string]string{"customer_id": "coalesce(customer_id, '—')", "customer_name": customerDisplay},
	// The margins over the customers whose cost is known.
	Totals: with(with(sumOf("vendor_cost_brl", "ordered_brl", "invoiced_brl", "variance_brl", "taxes_brl", "lines", "exceptions", "written_off_brl"),
		"margin_pct", "div_round((sum(ordered_brl) filter (where margin_pct is not null) - sum(vendor_cost_brl) filter (where margin_pct is not null)) * 100, "+
			"nullif(sum(ordered_brl) filter (where margin_pct is not null), 0))"),
		"margin_net_pct", "div_round((sum(invoiced_brl) filter (where margin_net_pct is not null) - coalesce(sum(taxes_brl) filter (where margin_net_pct is not null), 0) "+
			"- sum(vendor_cost_brl) filter (where margin_net_pct is not null)) * 100, nullif(sum(invoiced_brl) filter (where margin_net_pct is not null), 0))"),
	Keys:       3,
	Highlights: []Highlight{{If: "variance_brl", Op: "<>", Value: "0", Mark: []string{"variance_brl"}, Why: "faturado difere do pedido"}},
	Charts: []Chart{{Title: "Pedido, faturado e custo por cliente (R$)", Category: "customer_name",
		Values: []string{"ordered_brl", "invoiced_brl", "vendor_cost_brl"}, Horizontal: true}},
	Columns: []Column{
		{"period", Text, "Período"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"vendor_cost_brl", MoneyBRL, "Custo do fabricante (R$)"},
		{"ordered_brl", MoneyBRL, "Pedido (R$)"},
		{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
		{"variance_brl", MoneyBRL, "Diferença (R$)"},
		{"margin_pct", Percent, "Margem %"},
		{"taxes_brl", MoneyBRL, "Impostos inclusos (R$)"},
		{"margin_net_pct", Percent, "Margem líquida de impostos %"},
		{"lines", Integer, "Linhas"},
		{"exceptions", Integer, "Exceções"},
		{"written_off_brl", MoneyBRL, "Diferenças aceitas (R$)"},
	},
}

// CreditRebill proposes the credit and rebill of every wrongly invoiced order.
var CreditRebill = Report{
	Name:    "credit_rebill",
	Title:   "Crédito e refaturamento",
	Model:   "credit_rebill",
	Formats: ForPeople,
	Sheet:   "Crédito e refaturamento",
	Labels: map[string][]Label{"class": classes, "reason": creditReasons, "instrument": instruments, "status": correctionStatus,
		"nce_action": nceActions},
	Display: map[string]string{"reason": creditReasonDisplay},
	Totals:  sumOf("credit_brl", "rebill_brl", "net_effect_brl"),
	Keys:    3,
	Empty:   "Nenhuma nota a creditar ou refaturar neste período.",
	Columns: []Column{
		{"class", Text, "Classe"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"so_number", Text, "Pedido"},
		{"credit_nf", Text, "Nota a cancelar/creditar"},
		{"credit_issue_date", Date, "Emissão da nota"},
		{"credit_brl", MoneyBRL, "Crédito (R$)"},
		{"rebill_brl", MoneyBRL, "Refaturamento (R$)"},
		{"net_effect_brl", MoneyBRL, "Efeito líquido (R$)"},
		{"instrument", Text, "Instrumento"},
		{"deadline", Date, "Prazo"},
		{"days_left", Integer, "Dias restantes"},
		{"status", Text, "Situação"},
		{"reason", Text, "Motivo"},
		{"nce_charge_start", Date, "Início da cobrança (NCE)"},
		{"nce_window_closes", Date, "Janela de cancelamento fecha"},
		{"is_nce_window_open", Bool, "Janela aberta"},
		{"nce_action", Text, "Ação (NCE)"},
	},
}

// FiscalEvents lists every fiscal event read from the XML (cancellations,
// cartas de correção, substitutions) with the invoice it names and whether
// it was registered.
var FiscalEvents = Report{
	Name:    "fiscal_events",
	Title:   "Eventos fiscais",
	Model:   "fiscal_events_report",
	Formats: ForPeople,
	Sheet:   "Eventos fiscais",
	Labels:  map[string][]Label{"event_kind": fiscalEventKinds, "invoice_status": invoiceStatus},
	Empty:   "Nenhum evento fiscal (cancelamento, carta de correção, substituição) nos XML lidos.",
	Columns: []Column{
		{"nf_label", Text, "Nota"},
		{"event_kind", Text, "Evento"},
		{"event_type", Text, "Código do evento"},
		{"event_date", Date, "Data do evento"},
		{"is_registered", Bool, "Registrado"},
		{"status_code", Text, "cStat"},
		{"protocol", Text, "Protocolo"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"is_known_invoice", Bool, "Nota conhecida"},
		{"invoice_status", Text, "Situação da nota"},
		{"substitute_nf", Text, "Nota substituta"},
		{"reason", Text, "Justificativa ou correção"},
		{"access_key", Text, "Chave de acesso"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha"},
	},
}

// CutoffPortal lists invoices issued after the customer's cutoff day and
// invoices not posted on the customer's portal in time.
var CutoffPortal = Report{
	Name:    "cutoff_portal",
	Title:   "Corte e portal",
	Model:   "cutoff_portal",
	Formats: ForPeople,
	Sheet:   "Corte e portal",
	Labels:  map[string][]Label{"issue": cutoffIssues, "detail": cutoffDetails},
	Empty:   "Nenhuma nota emitida após o corte ou fora do prazo do portal.",
	Keys:    3,
	Highlights: []Highlight{{If: "issue", Value: "portal_not_posted", Alert: true, Why: "não lançada no portal do cliente: o cliente não paga"},
		{If: "issue", Value: "portal_late", Why: "lançada no portal com atraso"}},
	Columns: []Column{
		{"issue", Text, "Ocorrência"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"invoice", Text, "Nota"},
		{"issue_date", Date, "Emissão"},
		{"billing_cutoff_day", Integer, "Dia de corte"},
		{"portal", Text, "Portal"},
		{"portal_deadline_date", Date, "Prazo no portal"},
		{"portal_posted_date", Date, "Lançada no portal"},
		{"business_days_late", Integer, "Dias úteis de atraso"},
		{"detail", Text, "Detalhe"},
	},
}

// ARAging is open receivables per customer by days past due at as-of.
var ARAging = Report{
	Name:    "ar_aging",
	Title:   "Aging",
	Model:   "ar_aging",
	Formats: ForPeople,
	Sheet:   "Aging",
	Totals: sumOf("current_brl", "days_1_30_brl", "days_31_60_brl", "days_61_90_brl", "days_over_90_brl",
		"total_open_brl", "open_invoices"),
	Empty: "Nenhuma conta a receber em aberto na data de posição.",
	Keys:  3,
	// Overdue: past 60 days needs a call, 31 to 60 a look.
	Highlights: []Highlight{
		{If: "days_over_90_brl", Op: ">", Value: "0", Mark: []string{"days_over_90_brl"}, Alert: true, Why: "vencido há mais de 90 dias"},
		{If: "days_61_90_brl", Op: ">", Value: "0", Mark: []string{"days_61_90_brl"}, Alert: true, Why: "vencido há 61–90 dias"},
		{If: "days_31_60_brl", Op: ">", Value: "0", Mark: []string{"days_31_60_brl"}, Why: "vencido há 31–60 dias"},
	},
	Charts: []Chart{{Title: "Contas a receber por faixa de atraso (R$)", Category: "customer_name",
		Values: []string{"current_brl", "days_1_30_brl", "days_31_60_brl", "days_61_90_brl", "days_over_90_brl"}, Horizontal: true}},
	Columns: []Column{
		{"as_of_date", Date, "Posição em"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"current_brl", MoneyBRL, "A vencer (R$)"},
		{"days_1_30_brl", MoneyBRL, "1–30 dias (R$)"},
		{"days_31_60_brl", MoneyBRL, "31–60 dias (R$)"},
		{"days_61_90_brl", MoneyBRL, "61–90 dias (R$)"},
		{"days_over_90_brl", MoneyBRL, "Mais de 90 dias (R$)"},
		{"total_open_brl", MoneyBRL, "Total em aberto (R$)"},
		{"open_invoices", Integer, "Notas em aberto"},
	},
}

// CreditExposure compares each customer's exposure with its credit limit.
var CreditExposure = Report{
	Name:    "credit_exposure",
	Title:   "Exposição de crédito",
	Model:   "credit_exposure",
	Formats: ForPeople,
	Sheet:   "Exposição de crédito",
	Totals:  sumOf("credit_limit_brl", "open_receivables_brl", "ordered_not_invoiced_brl", "committed_remaining_brl", "exposure_brl"),
	Keys:    2,
	Highlights: []Highlight{{If: "is_over_limit", Value: "true", Alert: true, Why: "acima do limite de crédito"},
		{If: "limit_used_pct", Op: ">=", Value: "80", Mark: []string{"limit_used_pct"}, Why: "80 % ou mais do limite usado"}},
	Columns: []Column{
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"credit_limit_brl", MoneyBRL, "Limite de crédito (R$)"},
		{"open_receivables_brl", MoneyBRL, "Contas a receber (R$)"},
		{"ordered_not_invoiced_brl", MoneyBRL, "Pedido não faturado (R$)"},
		{"committed_remaining_brl", MoneyBRL, "Compromisso restante com o fabricante (R$)"},
		{"exposure_brl", MoneyBRL, "Exposição (R$)"},
		{"headroom_brl", MoneyBRL, "Saldo do limite (R$)"},
		{"limit_used_pct", Percent, "Limite usado %"},
		{"is_over_limit", Bool, "Acima do limite"},
		{"conflicting_sources", Text, "Conflitos entre arquivos"},
	},
}

// DataQuality lists master-data and input problems.
var DataQuality = Report{
	Name:    "data_quality",
	Title:   "Qualidade de dados",
	Model:   "data_quality",
	Formats: ForPeople,
	Sheet:   "Qualidade de dados",
	Labels:  map[string][]Label{"check_name": dqChecks, "entity": dqEntities, "detail": dqDetails},
	Empty:   "Nenhum problema de cadastro ou de entrada encontrado.",
	Keys:    3,
	Columns: []Column{
		{"check_name", Text, "Verificação"},
		{"entity", Text, "Entidade"},
		{"entity_key", Text, "Chave"},
		{"value", Text, "Valor"},
		{"detail", Text, "Detalhe"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha"},
	},
}

// ReconciliationOverview is the workbook's summary sheet: lines and
// amounts per class. It is only published inside reconciliation.xlsx (and
// on the report site).
var ReconciliationOverview = Report{
	Name:   "reconciliation_overview",
	Model:  "reconciliation_overview",
	Sheet:  "Resumo",
	Labels: map[string][]Label{"class": classes, "period": periodLabel},
	Totals: sumOf("lines", "ordered_brl", "invoiced_brl", "vendor_cost_brl", "variance_brl"),
	Keys:   2,
	Charts: []Chart{{Title: "Diferença faturado − pedido por classe (R$)", Category: "class", Values: []string{"variance_brl"}, Horizontal: true},
		{Title: "Custo do fabricante por classe (R$)", Category: "class", Values: []string{"vendor_cost_brl"}, Horizontal: true}},
	Columns: []Column{
		{"period", Text, "Período"},
		{"class", Text, "Classe"},
		{"lines", Integer, "Linhas"},
		{"ordered_brl", MoneyBRL, "Pedido (R$)"},
		{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
		{"vendor_cost_brl", MoneyBRL, "Custo do fabricante (R$)"},
		{"variance_brl", MoneyBRL, "Diferença faturado − pedido (R$)"},
	},
}

// ReconciliationSheets are the sheets of reconciliation.xlsx, in order
// (after the cover): the overview, then one per report, then the rejects.
var ReconciliationSheets = []Report{ReconciliationOverview, ReconciliationSummary, Reconciliation, CreditRebill,
	FiscalEvents, CutoffPortal, ARAging, CreditExposure, DataQuality,
	OpenExceptions, ReviewAging, ReviewTrend, VendorDisputes,
	rejectsSheet(ReconciliationRejects)}

// ReconciliationWorkbook is reconciliation.xlsx.
var ReconciliationWorkbook = Workbook{File: "reconciliation.xlsx", Title: "Conciliação de faturamento",
	Sheets: ReconciliationSheets, Rejects: RejectsSheet}
