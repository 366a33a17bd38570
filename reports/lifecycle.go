package reports

// Contract lifecycle publication: <out>/lifecycle/<period>/. Each report is
// written as CSV and Parquet, and as a CSV for people; lifecycle.xlsx gathers them behind an
// overview (LifecycleWorkbook) and t36.ics holds the T-36 calendar.

// Renewals lists the contracts to renew: ending within the horizon, or
// ended with no successor.
var Renewals = Report{
	Name:    "renewals",
	Title:   "Renovações",
	Model:   "renewals",
	Formats: ForPeople,
	Sheet:   "Renovações",
	Labels: map[string][]Label{"bucket": renewalBuckets, "price_period": periodLabel, "missing": unpricedReasons,
		"draft_note": draftNotes},
	Totals: sumOf("previous_value_brl", "renewal_value_brl"),
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Account manager"},
		{"vendor", Text, "Fabricante"},
		{"program", Text, "Programa"},
		{"agreement_number", Text, "Acordo"},
		{"start_date", Date, "Início"},
		{"end_date", Date, "Término"},
		{"days_left", Integer, "Dias restantes"},
		{"bucket", Text, "Faixa"},
		{"erp_status", Text, "Situação no ERP"},
		{"successor_contract_id", Text, "Contrato sucessor"},
		{"lines", Integer, "Itens"},
		{"priced_lines", Integer, "Itens com preço"},
		{"previous_value_brl", MoneyBRL, "Valor anual atual (R$)"},
		{"renewal_value_brl", MoneyBRL, "Valor anual na renovação (R$)"},
		{"uplift_pct", Percent, "Reajuste %"},
		{"lowest_margin_pct", Percent, "Menor margem líquida %"},
		{"is_complete", Bool, "Completo"},
		{"price_period", Text, "Tabela de preços"},
		{"missing", Text, "Pendências"},
		{"draft_proposal", Text, "Rascunho de proposta"},
		{"draft_note", Text, "Sem rascunho porque"},
	},
}

// RenewalLines values each line of the contracts to renew, and says why a
// line has no current price.
var RenewalLines = Report{
	Name:    "renewal_lines",
	Title:   "Itens da renovação",
	Model:   "renewal_lines",
	Formats: ForPeople,
	Sheet:   "Itens da renovação",
	Labels: map[string][]Label{"price_period": periodLabel, "unpriced_reason": unpricedReasons,
		"previous_value_note": previousValueNotes},
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"line_no", Integer, "Item"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"vendor", Text, "Fabricante"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"description", Text, "Descrição"},
		{"quantity", Money, "Quantidade"},
		{"currency", Text, "Moeda"},
		{"unit_price", Money, "Preço unitário do contrato"},
		{"annual_price", Money, "Preço anual do contrato"},
		{"fx_rate", Rate, "PTAX venda"},
		{"previous_value_brl", MoneyBRL, "Valor anual atual (R$)"},
		{"price_period", Text, "Tabela de preços"},
		{"price_term", Text, "Prazo na tabela"},
		{"price_billing_plan", Text, "Faturamento na tabela"},
		{"current_sell_price_brl", MoneyBRL, "Preço de venda atual (R$)"},
		{"renewal_value_brl", MoneyBRL, "Valor anual na renovação (R$)"},
		{"uplift_pct", Percent, "Reajuste %"},
		{"tax_pct", Percent, "Impostos no preço %"},
		{"margin_pct", Percent, "Margem líquida de impostos %"},
		{"min_margin_pct", Percent, "Margem mínima %"},
		{"is_below_min_margin", Bool, "Abaixo da margem mínima"},
		{"unpriced_reason", Text, "Sem preço porque"},
		{"previous_value_note", Text, "Observação"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha"},
	},
}

// T36Calendar lists every event of the active contracts' 36-month life.
var T36Calendar = Report{
	Name:    "t36_calendar",
	Title:   "Calendário T-36",
	Model:   "t36_calendar",
	Formats: ForPeople,
	Sheet:   "Calendário T-36",
	Labels:  map[string][]Label{"event": eventKinds, "status": eventStatuses, "month": periodLabel},
	Columns: []Column{
		{"event_key", Text, "Evento (ID)"},
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Account manager"},
		{"vendor", Text, "Fabricante"},
		{"program", Text, "Programa"},
		{"agreement_number", Text, "Acordo"},
		{"event", Text, "Evento"},
		{"agreement_year", Integer, "Ano do acordo"},
		{"month", Text, "Mês"},
		{"opens_date", Date, "Janela abre"},
		{"due_date", Date, "Vencimento"},
		{"days_to_due", Integer, "Dias até o vencimento"},
		{"status", Text, "Situação"},
		{"evidence", Text, "Evidência"},
		{"evidence_date", Date, "Data da evidência"},
		{"summary", Text, "Resumo"},
	},
}

// TrueUp lists, per contract, agreement year and SKU, what is deployed
// (counted by the enrollment's rule for the product's class), what is
// entitled, what to add and its price (the price sheet, or the current
// table, flagged): every year whose window opened, and the next.
var TrueUp = Report{
	Name:    "true_up",
	Title:   "True-up",
	Model:   "true_up_additions",
	Formats: ForPeople,
	Sheet:   "True-up",
	Labels: map[string][]Label{"status": eventStatuses, "product_class": productClasses, "count_rule": countRules,
		"price_source": priceSources, "price_period": periodLabel, "note": trueUpNotes},
	Totals: sumOf("add_value_brl"),
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Account manager"},
		{"vendor", Text, "Fabricante"},
		{"true_up_program", Text, "Programa de true-up"},
		{"agreement_year", Integer, "Ano do acordo"},
		{"year_start", Date, "Ano começa"},
		{"year_end", Date, "Ano termina"},
		{"opens_date", Date, "Janela abre"},
		{"due_date", Date, "Vencimento"},
		{"status", Text, "Situação"},
		{"evidence", Text, "Evidência"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"description", Text, "Descrição"},
		{"product_class", Text, "Classe do produto"},
		{"licensed_quantity", Money, "Qtde contratada"},
		{"earlier_true_up_quantity", Money, "Qtde de true-ups anteriores"},
		{"entitled_quantity", Money, "Qtde com direito"},
		{"count_rule", Text, "Contagem usada"},
		{"counts_in_year", Integer, "Contagens no ano"},
		{"deployed_quantity", Money, "Qtde implantada"},
		{"count_date", Date, "Data da contagem"},
		{"add_quantity", Money, "Qtde a adicionar"},
		{"surplus_quantity", Money, "Qtde excedente"},
		{"currency", Text, "Moeda"},
		{"fx_rate", Rate, "PTAX venda"},
		{"license_price_brl", MoneyBRL, "Preço da licença (R$)"},
		{"sa_price_brl", MoneyBRL, "Preço anual do SA (R$)"},
		{"price_source", Text, "Origem do preço"},
		{"price_period", Text, "Tabela de preços"},
		{"license_factor", Rate, "Fator da licença"},
		{"remaining_years", Integer, "Anos restantes"},
		{"addition_year_factor", Rate, "Fator do ano da adição"},
		{"add_value_brl", MoneyBRL, "Valor da adição (R$)"},
		{"note", Text, "Observação"},
	},
}

// TrueUpSummary totals the true-up per contract and agreement year and
// proposes the step.
var TrueUpSummary = Report{
	Name:    "true_up_summary",
	Title:   "Resumo do true-up",
	Model:   "true_up_summary",
	Formats: ForPeople,
	Sheet:   "Resumo do true-up",
	Labels:  map[string][]Label{"status": eventStatuses, "next_step": nextSteps},
	Totals:  sumOf("add_value_brl"),
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Account manager"},
		{"vendor", Text, "Fabricante"},
		{"true_up_program", Text, "Programa de true-up"},
		{"agreement_year", Integer, "Ano do acordo"},
		{"year_start", Date, "Ano começa"},
		{"year_end", Date, "Ano termina"},
		{"opens_date", Date, "Janela abre"},
		{"due_date", Date, "Vencimento"},
		{"status", Text, "Situação"},
		{"skus", Integer, "SKUs"},
		{"skus_without_count", Integer, "SKUs sem contagem"},
		{"skus_to_add", Integer, "SKUs a adicionar"},
		{"skus_in_surplus", Integer, "SKUs com excedente"},
		{"skus_priced_from_table", Integer, "SKUs sem price sheet"},
		{"add_quantity", Money, "Qtde a adicionar"},
		{"surplus_quantity", Money, "Qtde excedente"},
		{"add_value_brl", MoneyBRL, "Valor das adições (R$)"},
		{"is_complete", Bool, "Completo"},
		{"next_step", Text, "Próximo passo"},
		{"evidence", Text, "Evidência"},
	},
}

// UpdateStatements lists every open update statement: each true-up year
// not done that adds nothing, with its window.
var UpdateStatements = Report{
	Name:    "update_statements",
	Title:   "Update statements",
	Model:   "update_statements",
	Formats: ForPeople,
	Sheet:   "Update statements",
	Labels:  map[string][]Label{"status": eventStatuses},
	Empty:   "Nenhum ano de true-up em aberto sem adições a declarar.",
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Account manager"},
		{"vendor", Text, "Fabricante"},
		{"true_up_program", Text, "Programa de true-up"},
		{"agreement_year", Integer, "Ano do acordo"},
		{"year_start", Date, "Ano começa"},
		{"year_end", Date, "Ano termina"},
		{"opens_date", Date, "Janela abre"},
		{"due_date", Date, "Vencimento"},
		{"status", Text, "Situação"},
		{"skus", Integer, "SKUs"},
		{"skus_in_surplus", Integer, "SKUs com excedente"},
		{"surplus_quantity", Money, "Qtde excedente"},
	},
}

// LifecycleRejects lists every input row that failed validation.
var LifecycleRejects = Report{
	Name:    "rejects",
	Title:   "Rejeições",
	Labels:  map[string][]Label{"reason": rejectReasons},
	Model:   "lifecycle_rejects",
	Formats: CSVOnly,
	Columns: RejectColumns,
}

// LifecycleOverview is the workbook's first sheet: renewals by bucket,
// events by status, true-ups by step. Only published in lifecycle.xlsx.
var LifecycleOverview = Report{
	Name:   "lifecycle_overview",
	Model:  "lifecycle_overview",
	Sheet:  "Resumo",
	Labels: map[string][]Label{"item": overviewItems},
	Columns: []Column{
		{"section", Text, "Seção"},
		{"item", Text, "Item"},
		{"contracts", Integer, "Contratos"},
		{"events", Integer, "Eventos"},
		{"incomplete", Integer, "Incompletos"},
		{"previous_value_brl", MoneyBRL, "Valor anual atual (R$)"},
		{"amount_brl", MoneyBRL, "Valor (R$)"},
	},
}

// RenewalsByMonth is the contracts to renew by the month they end, with
// the workbook's chart; also published as CSV and Parquet, which the
// report site reads for the same chart.
var RenewalsByMonth = Report{
	Name:    "renewals_by_month",
	Title:   "Renovações por mês",
	Model:   "renewals_by_month",
	Formats: ForPrograms,
	Sheet:   "Renovações por mês",
	Labels:  map[string][]Label{"month": periodLabel},
	Totals:  sumOf("contracts", "overdue", "incomplete", "previous_value_brl", "renewal_value_brl"),
	Empty:   "Nenhum contrato a renovar no horizonte nem vencido sem sucessor.",
	Charts: []Chart{{Title: "Renovações por mês de término: valor anual atual e na renovação (R$)", Category: "month",
		Values: []string{"previous_value_brl", "renewal_value_brl"}}},
	Columns: []Column{
		{"month", Text, "Mês de término"},
		{"contracts", Integer, "Contratos"},
		{"overdue", Integer, "Vencidos sem sucessor"},
		{"incomplete", Integer, "Incompletos"},
		{"previous_value_brl", MoneyBRL, "Valor anual atual (R$)"},
		{"renewal_value_brl", MoneyBRL, "Valor anual na renovação (R$)"},
	},
}

// LifecycleWorkbook is lifecycle.xlsx: the overview, renewals by month
// (with its chart), one sheet per report, then the rejects.
var LifecycleWorkbook = Workbook{File: "lifecycle.xlsx", Title: "Ciclo de vida dos contratos",
	Sheets: []Report{LifecycleOverview, RenewalsByMonth, Renewals, RenewalLines, T36Calendar, TrueUpSummary, TrueUp,
		UpdateStatements, rejectsSheet(LifecycleRejects)},
	Rejects: RejectsSheet}

// T36ICS is t36.ics: one all-day event per T-36 event, on its due date, for
// an SME to subscribe to in Outlook or Google Calendar.
var T36ICS = Calendar{
	File:        "t36.ics",
	Model:       "t36_ics",
	UID:         "uid",
	Date:        "due_date",
	Summary:     "summary",
	Description: "description",
}

// The customer dossier (salesops customer): what an SME checks before a
// call, printed in the terminal or written as a workbook (--xlsx), one
// section per report, read from transform/models/dossier/<Model>.sql.
var (
	DossierCustomer = Report{Name: "customer", Model: "dossier_customer", Sheet: "Cadastro", Columns: []Column{
		{"field", Text, "Campo"},
		{"value", Text, "Valor"},
	}}
	DossierContracts = Report{Name: "contracts", Model: "dossier_contracts", Sheet: "Contratos", Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"vendor", Text, "Fabricante"},
		{"program", Text, "Programa"},
		{"agreement_number", Text, "Acordo"},
		{"start_date", Date, "Início"},
		{"end_date", Date, "Término"},
		{"billing_frequency", Text, "Faturamento"},
		{"situation", Text, "Situação"},
		{"days_left", Integer, "Dias restantes"},
	}}
	DossierInvoices = Report{Name: "invoices", Model: "dossier_invoices", Sheet: "Notas (12 meses)", Columns: []Column{
		{"invoice", Text, "Nota"},
		{"issue_date", Date, "Emissão"},
		{"so_number", Text, "Pedido"},
		{"status", Text, "Situação"},
		{"billed_brl", MoneyBRL, "Valor (R$)"},
		{"net_brl", MoneyBRL, "Líquido (R$)"},
		{"due_date", Date, "Vencimento"},
		{"paid_date", Date, "Pagamento"},
		{"paid_amount_brl", MoneyBRL, "Pago (R$)"},
		{"open_brl", MoneyBRL, "Em aberto (R$)"},
	}}
	DossierCredit = Report{Name: "credit", Model: "dossier_credit", Sheet: "Crédito", Columns: []Column{
		{"credit_limit_brl", MoneyBRL, "Limite (R$)"},
		{"open_receivables_brl", MoneyBRL, "A receber (R$)"},
		{"overdue_brl", MoneyBRL, "Vencido (R$)"},
		{"ordered_not_invoiced_brl", MoneyBRL, "Pedido não faturado (R$)"},
		{"committed_remaining_brl", MoneyBRL, "Compromisso restante (R$)"},
		{"exposure_brl", MoneyBRL, "Exposição (R$)"},
		{"headroom_brl", MoneyBRL, "Saldo do limite (R$)"},
	}}
	DossierOrders = Report{Name: "orders", Model: "dossier_orders", Sheet: "Pedidos", Columns: []Column{
		{"so_number", Text, "Pedido"},
		{"order_line", Integer, "Item"},
		{"contract_id", Text, "Contrato"},
		{"order_date", Date, "Data"},
		{"order_type", Text, "Tipo"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"quantity", Money, "Qtde"},
		{"order_value_brl", MoneyBRL, "Valor (R$)"},
		{"period_start", Date, "Período início"},
		{"period_end", Date, "Período fim"},
		{"status", Text, "Situação"},
	}}
	DossierEvents = Report{Name: "events", Model: "dossier_events", Sheet: "T-36", Columns: []Column{
		{"due_date", Date, "Vencimento"},
		{"contract_id", Text, "Contrato"},
		{"event", Text, "Evento"},
		{"summary", Text, "Resumo"},
		{"status", Text, "Situação"},
		{"opens_date", Date, "Janela abre"},
	}}
	DossierExceptions = Report{Name: "exceptions", Model: "dossier_exceptions", Sheet: "Conciliação",
		Labels: map[string][]Label{"period": periodLabel}, Columns: []Column{
			{"period", Text, "Período"},
			{"class", Text, "Classe"},
			{"line_key", Text, "Linha"},
			{"so_number", Text, "Pedido"},
			{"product_id", Text, "Produto (ID)"},
			{"ordered_brl", MoneyBRL, "Pedido (R$)"},
			{"invoiced_brl", MoneyBRL, "Faturado (R$)"},
			{"variance_brl", MoneyBRL, "Diferença (R$)"},
			{"other_issues", Text, "Outras ocorrências"},
		}}
)

// Dossier is the dossier's sections, in the order they are shown.
var Dossier = []Report{DossierCustomer, DossierContracts, DossierInvoices, DossierCredit, DossierOrders, DossierEvents, DossierExceptions}
