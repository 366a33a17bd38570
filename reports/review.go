package reports

// Finance's review loop over the reconciliation's exceptions
// (docs/review.md): published with the reconciliation, in
// <out>/reconciliation/<period>/, and as sheets of reconciliation.xlsx.

// Decisions are the words finance decides an exception with.
var Decisions = []string{"aceita", "corrigir", "contestar", "resolvida"}

var (
	reviewStatuses = Codes(map[string]string{"open": "Aberta", "closed": "Encerrada"})
	resolvedBy     = Codes(map[string]string{
		"dados": "Dados", "credito": "Crédito do fabricante", "aceita": "Aceita", "resolvida": "Resolvida",
	})
	disputeStatuses = Codes(map[string]string{
		"open": "Em aberto", "partially_credited": "Creditada em parte", "credited": "Creditada",
	})
	// the labels of the register's codes, which open_exceptions shares
	registerLabels = map[string][]Label{"class": classes, "line_type": lineTypes, "first_period": periodLabel,
		"line_period": periodLabel, "resolved_period": periodLabel, "status": reviewStatuses,
		"resolved_by": resolvedBy, "dispute_status": disputeStatuses}
	openLabels = map[string][]Label{"class": classes, "line_type": lineTypes, "first_period": periodLabel,
		"dispute_status": disputeStatuses}
	// noOwner names the owner of exceptions no decision gave one.
	noOwner = map[string]string{"owner": "coalesce(owner, '(sem responsável)')"}
)

// ExceptionRegister is every exception the review loop knows at the
// period, open or closed: the loop's memory, which the next period's run
// reads from this set (pipelines/review.go).
var ExceptionRegister = Report{
	Name:    "exception_register",
	Title:   "Registro de exceções",
	Model:   "exception_register",
	Formats: ForPeople,
	Labels:  registerLabels,
	Display: map[string]string{"customer_name": customerDisplay},
	Keys:    2,
	Highlights: []Highlight{{If: "is_overdue", Value: "true", Alert: true, Why: "prazo vencido"},
		{If: "status", Value: "open", Mark: []string{"status"}, Why: "em aberto"}},
	Empty: "Nenhuma exceção conhecida até este período.",
	Columns: []Column{
		{"exception_id", Text, "Exceção (ID)"},
		{"status", Text, "Situação"},
		{"class", Text, "Classe"},
		{"line_type", Text, "Tipo de linha"},
		{"first_period", Text, "Primeiro período"},
		{"line_period", Text, "Período da linha"},
		{"age_months", Integer, "Idade (meses)"},
		{"amount_brl", MoneyBRL, "Valor (R$)"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"document", Text, "Documento"},
		{"so_number", Text, "Pedido"},
		{"order_line", Integer, "Item do pedido"},
		{"subscription_id", Text, "Assinatura"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"vendor_invoices", Text, "Faturas do fabricante"},
		{"ordered_brl", MoneyBRL, "Pedido (R$)"},
		{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
		{"vendor_cost_brl", MoneyBRL, "Custo do fabricante (R$)"},
		{"decision", Text, "Decisão"},
		{"owner", Text, "Responsável"},
		{"due_date", Date, "Prazo"},
		{"note", Text, "Observação"},
		{"decided_by", Text, "Decidido por"},
		{"decided_on", Date, "Decidido em"},
		{"is_overdue", Bool, "Vencida"},
		{"resolved_by", Text, "Encerrada por"},
		{"resolved_period", Text, "Encerrada em"},
		{"dispute_status", Text, "Contestação"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha no arquivo"},
	},
}

// OpenExceptions is every exception open at the period, whatever period
// it comes from; in the workbook it is the Revisão sheet finance fills and
// saves into reviews/ (extract/reviews.go reads its decision columns by
// these titles).
var OpenExceptions = Report{
	Name:    "open_exceptions",
	Title:   "Exceções em aberto",
	Model:   "open_exceptions",
	Formats: ForPeople,
	Sheet:   "Revisão",
	Labels:  openLabels,
	Display: map[string]string{"customer_name": customerDisplay},
	Choices: map[string][]string{"decision": Decisions},
	// Filled in by finance: the id stays in view while the decision
	// columns (last) are typed.
	Keys: 1,
	Highlights: []Highlight{{If: "is_overdue", Value: "true", Alert: true, Why: "prazo vencido"},
		{If: "decision", Value: "", Mark: []string{"decision"}, Why: "sem decisão"}},
	Empty: "Nenhuma exceção em aberto.",
	// The register's columns, as it titles them: the decision columns
	// are what the reviews/ reader takes back.
	Columns: columnsOf(ExceptionRegister, "exception_id", "class", "line_type", "first_period", "age_months", "amount_brl",
		"customer_id", "customer_name", "document", "subscription_id", "sku_id", "vendor_invoices", "is_overdue",
		"dispute_status", "decision", "owner", "due_date", "note", "decided_by", "decided_on"),
}

// columnsOf is the named columns of r, in the order named; a name r has no
// column of panics (a declaration's mistake, at start-up).
func columnsOf(r Report, names ...string) []Column {
	out := make([]Column, len(names))
	for i, n := range names {
		c, ok := r.Column(n)
		if !ok {
			panic("reports: " + r.Name + " has no column " + n)
		}
		out[i] = c
	}
	return out
}

// ReviewTrend is the review month by month: opened, resolved and open at
// the month's end, with amounts and the median age.
var ReviewTrend = Report{
	Name:    "review_trend",
	Title:   "Tendência da revisão",
	Model:   "review_trend",
	Formats: ForPeople,
	Sheet:   "Tendência",
	Labels:  map[string][]Label{"period": periodLabel},
	Keys:    1,
	Charts: []Chart{{Title: "Exceções abertas, resolvidas e em aberto no fim do mês", Category: "period",
		Values: []string{"opened", "resolved", "open_at_end"}}},
	Columns: []Column{
		{"period", Text, "Período"},
		{"opened", Integer, "Abertas"},
		{"opened_brl", MoneyBRL, "Abertas (R$)"},
		{"resolved", Integer, "Resolvidas"},
		{"resolved_brl", MoneyBRL, "Resolvidas (R$)"},
		{"resolved_by_data", Integer, "Resolvidas pelos dados"},
		{"written_off_brl", MoneyBRL, "Baixadas (aceitas) (R$)"},
		{"open_at_end", Integer, "Em aberto no fim do mês"},
		{"open_at_end_brl", MoneyBRL, "Em aberto no fim do mês (R$)"},
		{"median_age_months", Money, "Idade mediana (meses)"},
	},
}

// ReviewAging is the site's and the workbook's Pendências: what is open,
// by owner and age.
var ReviewAging = Report{
	Name:    "review_aging",
	Title:   "Pendências",
	Model:   "review_aging",
	Formats: ForPeople,
	Sheet:   "Pendências",
	Display: noOwner,
	Keys:    1,
	Highlights: []Highlight{{If: "overdue", Op: ">", Value: "0", Alert: true, Mark: []string{"overdue"}, Why: "com prazo vencido"},
		{If: "months_over_6_brl", Op: ">", Value: "0", Mark: []string{"months_over_6_brl"}, Why: "em aberto há mais de 6 meses"}},
	Totals: sumOf("exceptions", "overdue", "months_0_1_brl", "months_2_3_brl", "months_4_6_brl",
		"months_over_6_brl", "total_brl"),
	Empty: "Nenhuma exceção em aberto.",
	Charts: []Chart{{Title: "Exceções em aberto por responsável e idade (R$)", Category: "owner",
		Values: []string{"months_0_1_brl", "months_2_3_brl", "months_4_6_brl", "months_over_6_brl"}, Horizontal: true}},
	Columns: []Column{
		{"owner", Text, "Responsável"},
		{"exceptions", Integer, "Exceções"},
		{"overdue", Integer, "Vencidas"},
		{"months_0_1_brl", MoneyBRL, "0–1 mês (R$)"},
		{"months_2_3_brl", MoneyBRL, "2–3 meses (R$)"},
		{"months_4_6_brl", MoneyBRL, "4–6 meses (R$)"},
		{"months_over_6_brl", MoneyBRL, "Mais de 6 meses (R$)"},
		{"total_brl", MoneyBRL, "Total (R$)"},
	},
}

// VendorDisputes is every disputed vendor charge (decision contestar) and
// where its credit stands; each vendor's rows are also
// disputes/<vendor>.csv, to send its support (column names as headers,
// the reason in English).
var VendorDisputes = Report{
	Name:       "vendor_disputes",
	Title:      "Contestações com fabricantes",
	Model:      "vendor_disputes",
	Formats:    ForPeople,
	Sheet:      "Contestações",
	Labels:     map[string][]Label{"status": disputeStatuses},
	Keys:       2,
	Highlights: []Highlight{{If: "status", Value: "open", Mark: []string{"status"}, Why: "sem crédito do fabricante"}},
	Empty:      "Nenhuma cobrança contestada.",
	Columns: []Column{
		{"vendor", Text, "Fabricante"},
		{"exception_id", Text, "Exceção (ID)"},
		{"status", Text, "Situação"},
		{"invoice_number", Text, "Fatura"},
		{"reconciliation_file", Text, "Arquivo de conciliação"},
		{"file_line", Integer, "Linha no arquivo"},
		{"vendor_order_id", Text, "Pedido no fabricante"},
		{"vendor_customer_id", Text, "Cliente no fabricante"},
		{"vendor_customer_name", Text, "Nome no fabricante"},
		{"subscription_id", Text, "Assinatura"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"sku_name", Text, "SKU"},
		{"charge_type", Text, "Tipo de cobrança"},
		{"charge_start_date", Date, "Início da cobrança"},
		{"charge_end_date", Date, "Fim da cobrança"},
		{"billed_quantity", Money, "Qtde faturada"},
		{"expected_quantity", Money, "Qtde esperada"},
		{"unit_price", Money, "Preço unitário"},
		{"billed_subtotal", Money, "Subtotal faturado"},
		{"disputed_amount", Money, "Valor contestado"},
		{"currency", Text, "Moeda"},
		{"credited_amount", Money, "Valor creditado"},
		{"credit_invoices", Text, "Faturas com o crédito"},
		{"reason", Text, "Motivo (para o fabricante)"},
		{"disputed_on", Date, "Contestada em"},
		{"note", Text, "Observação"},
	},
}

// ReconciliationRejects is the reconciliation's rejects.csv: its kinds'
// rejected rows, the decisions that do not apply and a refused sign-off.
var ReconciliationRejects = Report{
	Name:    "rejects",
	Title:   "Rejeições",
	Labels:  map[string][]Label{"reason": rejectReasons},
	Model:   "reconciliation_rejects",
	Formats: CSVOnly,
	Columns: RejectColumns,
}
