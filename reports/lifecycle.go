package reports

import "slices"

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
	Labels: map[string][]Label{"bucket": renewalBuckets, "erp_status": contractStatuses, "price_period": periodLabel, "missing": slices.Concat(unpricedReasons, floorNotes),
		"draft_note": draftNotes},
	// A value now and at renewal compare over the same contracts: those
	// whose every line has a price (an incomplete one's renewal value
	// covers part of it); the others are counted in renewals_by_month.
	Totals:      sumIf("is_complete", "previous_value_brl", "renewal_value_brl"),
	TotalsLabel: "Total dos contratos com preço completo",
	Keys:        3,
	Highlights: []Highlight{{If: "bucket", Value: "overdue", Alert: true, Why: "vencido sem sucessor"},
		{If: "is_complete", Value: "false", Mark: []string{"renewal_value_brl", "is_complete", "missing"}, Why: "item sem preço atual: valor de renovação incompleto"}},
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Gerente de contas"},
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
		{"is_below_min_margin", Bool, "Abaixo da margem mínima"},
		{"decision", Text, "Decisão"},
		{"approver", Text, "Decidido por"},
		{"decided_on", Date, "Decidido em"},
		{"draft_proposal", Text, "Proposta de renovação"},
		{"draft_note", Text, "Observação da proposta"},
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
		"previous_value_note": previousValueNotes, "price_term": terms, "price_billing_plan": billingPlans},
	Keys:       4,
	Highlights: []Highlight{{If: "unpriced_reason", Op: "<>", Value: "", Why: "sem preço atual"}},
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"line_no", Integer, "Item"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"vendor", Text, "Fabricante"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (ID)"},
		{"description", Text, "Descrição"},
		{"quantity", Quantity, "Quantidade"},
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
	Labels:  map[string][]Label{"event": eventKinds, "status": eventStatuses, "month": periodLabel, "event_key": eventKeys},
	Keys:    4,
	Highlights: []Highlight{{If: "status", Value: "overdue", Alert: true, Why: "vencido"},
		{If: "status", Value: "due_0_30", Why: "vence em até 30 dias"}},
	Columns: []Column{
		{"event_key", Text, "Evento (ID)"},
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Gerente de contas"},
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

// T36NextDays is what each account manager must act on: the T-36 events
// overdue (since lifecycle.track_from) or due within 90 days, grouped by
// manager.
var T36NextDays = Report{
	Name:    "t36_next_90_days",
	Title:   "T-36: próximos 90 dias",
	Model:   "t36_next_90_days",
	Formats: ForPeople,
	Sheet:   "Próximos 90 dias",
	Labels:  map[string][]Label{"event": eventKinds, "status": eventStatuses, "event_key": eventKeys},
	Display: map[string]string{"account_manager": "coalesce(account_manager, '(sem gerente de contas)')"},
	Empty:   "Nenhum evento do T-36 vencido nem a vencer nos próximos 90 dias.",
	Keys:    2,
	Highlights: []Highlight{{If: "status", Value: "overdue", Alert: true, Why: "vencido"},
		{If: "status", Value: "due_0_30", Why: "vence em até 30 dias"}},
	Columns: []Column{
		{"account_manager", Text, "Gerente de contas"},
		{"due_date", Date, "Vencimento"},
		{"days_to_due", Integer, "Dias até o vencimento"},
		{"status", Text, "Situação"},
		{"event", Text, "Evento"},
		{"summary", Text, "Resumo"},
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"vendor", Text, "Fabricante"},
		{"program", Text, "Programa"},
		{"agreement_number", Text, "Acordo"},
		{"opens_date", Date, "Janela abre"},
		{"event_key", Text, "Evento (ID)"},
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
	Keys:   3,
	Highlights: []Highlight{{If: "status", Value: "overdue", Alert: true, Why: "true-up vencido"},
		{If: "add_quantity", Op: ">", Value: "0", Mark: []string{"add_quantity", "add_value_brl"}, Why: "licenças a adicionar"}},
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Gerente de contas"},
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
		{"licensed_quantity", Quantity, "Qtde contratada"},
		{"earlier_true_up_quantity", Quantity, "Qtde de true-ups anteriores"},
		{"entitled_quantity", Quantity, "Qtde com direito"},
		{"count_rule", Text, "Contagem usada"},
		{"counts_in_year", Integer, "Contagens no ano"},
		{"deployed_quantity", Quantity, "Qtde implantada"},
		{"count_date", Date, "Data da contagem"},
		{"add_quantity", Quantity, "Qtde a adicionar"},
		{"surplus_quantity", Quantity, "Qtde excedente"},
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
	Keys:    3,
	Highlights: []Highlight{{If: "status", Value: "overdue", Alert: true, Why: "true-up vencido"},
		{If: "next_step", Value: "incomplete", Why: "faltam dados para o true-up"}},
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Gerente de contas"},
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
		{"skus_priced_from_table", Integer, "SKUs sem tabela de preços do contrato"},
		{"add_quantity", Quantity, "Qtde a adicionar"},
		{"surplus_quantity", Quantity, "Qtde excedente"},
		{"add_value_brl", MoneyBRL, "Valor das adições (R$)"},
		{"is_complete", Bool, "Completo"},
		{"next_step", Text, "Próximo passo"},
		{"evidence", Text, "Evidência"},
	},
}

// UpdateStatements lists every open update statement: each true-up year
// not done that adds nothing, with its window.
var UpdateStatements = Report{
	Name:       "update_statements",
	Title:      "Update statements",
	Model:      "update_statements",
	Formats:    ForPeople,
	Sheet:      "Update statements",
	Labels:     map[string][]Label{"status": eventStatuses},
	Empty:      "Nenhum ano de true-up em aberto sem adições a declarar.",
	Keys:       3,
	Highlights: []Highlight{{If: "status", Value: "overdue", Alert: true, Why: "update statement vencido"}},
	Columns: []Column{
		{"contract_id", Text, "Contrato"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"account_manager", Text, "Gerente de contas"},
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
		{"surplus_quantity", Quantity, "Qtde excedente"},
	},
}

// lifecycleRejectReasons label the lifecycle's rejects: its inputs' and
// the decisions on renewal drafts that decide nothing.
var lifecycleRejectReasons = slices.Concat(approvalReasons, rejectReasons)

// LifecycleDataQuality lists what the lifecycle's documents depend on and
// the inputs get wrong: contract lines that name another product than
// their SKU's in the price list.
var LifecycleDataQuality = Report{
	Name:    "data_quality",
	Dataset: "lifecycle_data_quality",
	Title:   "Qualidade de dados",
	Model:   "lifecycle_data_quality",
	Formats: ForPeople,
	Sheet:   "Qualidade de dados",
	Labels:  map[string][]Label{"check_name": dqChecks, "entity": dqEntities, "detail": dqDetails},
	Empty:   "Nenhum item de contrato com nome de outro produto.",
	Keys:    3,
	Columns: DataQuality.Columns,
}

// LifecycleRejects lists every input row that failed validation.
var LifecycleRejects = Report{
	Name:    "rejects",
	Title:   "Rejeições",
	Labels:  map[string][]Label{"reason": lifecycleRejectReasons},
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
	Keys:   2,
	Columns: []Column{
		{"section", Text, "Seção"},
		{"item", Text, "Item"},
		{"contracts", Integer, "Contratos"},
		{"events", Integer, "Eventos"},
		{"incomplete", Integer, "Incompletos (sem preço)"},
		{"previous_value_brl", MoneyBRL, "Valor anual atual dos com preço (R$)"},
		{"amount_brl", MoneyBRL, "Valor (R$): renovação dos com preço, adições do true-up"},
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
	Totals:  sumOf("contracts", "overdue", "priced", "previous_value_brl", "renewal_value_brl", "unpriced", "unpriced_previous_value_brl"),
	Empty:   "Nenhum contrato a renovar no horizonte nem vencido sem sucessor.",
	Keys:    1,
	Charts: []Chart{{Title: "Renovações por mês de término, contratos com preço: valor anual atual e na renovação (R$)", Category: "month",
		Values: []string{"previous_value_brl", "renewal_value_brl"}}},
	Highlights: []Highlight{{If: "unpriced", Op: ">", Value: "0", Mark: []string{"unpriced", "unpriced_contracts"}, Why: "contratos sem preço atual: fora da comparação"}},
	Columns: []Column{
		{"month", Text, "Mês de término"},
		{"contracts", Integer, "Contratos"},
		{"overdue", Integer, "Vencidos sem sucessor"},
		{"priced", Integer, "Com preço"},
		{"previous_value_brl", MoneyBRL, "Valor anual atual dos com preço (R$)"},
		{"renewal_value_brl", MoneyBRL, "Valor anual na renovação dos com preço (R$)"},
		{"unpriced", Integer, "Sem preço"},
		{"unpriced_previous_value_brl", MoneyBRL, "Valor anual atual dos sem preço (R$)"},
		{"unpriced_contracts", Text, "Contratos sem preço"},
	},
}

// LifecycleWorkbook is lifecycle.xlsx: the overview, renewals by month
// (with its chart), one sheet per report, then the rejects.
var LifecycleWorkbook = Workbook{File: "lifecycle.xlsx", Title: "Ciclo de vida dos contratos",
	Sheets: []Report{LifecycleOverview, RenewalsByMonth, Renewals, RenewalLines, T36NextDays, T36Calendar, TrueUpSummary, TrueUp,
		UpdateStatements, LifecycleDataQuality, rejectsSheet(LifecycleRejects)},
	Rejects: RejectsSheet}

// T36ICS is t36.ics, "T-36 — <company>": one all-day event per T-36
// event due on or after as-of, on its due date, for an SME to subscribe to
// in Outlook or Google Calendar; and t36-<manager>.ics, the events of one
// account manager, beside it.
var T36ICS = Calendar{
	File:        "t36.ics",
	Name:        "T-36",
	Model:       "t36_ics",
	UID:         "uid",
	Date:        "due_date",
	Summary:     "summary",
	Description: "description",
	Status:      "status",
	Sequence:    "sequence",
	Alarm:       "has_alarm",
	GroupBy:     "account_manager",
	GroupFile:   "t36-",
}

// The customer dossier (salesops customer): what an SME checks before a
// call, printed in the terminal or written as a workbook (--xlsx), one
// section per report, read from transform/models/dossier/<Model>.sql.
var (
	DossierCustomer = Report{Name: "customer", Model: "dossier_customer", Sheet: "Cadastro",
		Display: map[string]string{"value": dossierValue}, Columns: []Column{
			{"field", Text, "Campo"},
			{"value", Text, "Valor"},
		}}
	DossierContracts = Report{Name: "contracts", Model: "dossier_contracts", Sheet: "Contratos",
		Labels: map[string][]Label{"billing_frequency": billingPlans}, Columns: []Column{
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
	DossierOrders = Report{Name: "orders", Model: "dossier_orders", Sheet: "Pedidos",
		Labels: map[string][]Label{"order_type": orderTypes, "status": orderStatuses}, Columns: []Column{
			{"so_number", Text, "Pedido"},
			{"order_line", Integer, "Item"},
			{"contract_id", Text, "Contrato"},
			{"order_date", Date, "Data"},
			{"order_type", Text, "Tipo"},
			{"product_id", Text, "Produto (ID)"},
			{"sku_id", Text, "SKU (ID)"},
			{"quantity", Quantity, "Qtde"},
			{"order_value_brl", MoneyBRL, "Valor (R$)"},
			{"period_start", Date, "Período início"},
			{"period_end", Date, "Período fim"},
			{"status", Text, "Situação"},
		}}
	DossierEvents = Report{Name: "events", Model: "dossier_events", Sheet: "T-36",
		Labels: map[string][]Label{"event": eventKinds, "status": eventStatuses}, Columns: []Column{
			{"due_date", Date, "Vencimento"},
			{"contract_id", Text, "Contrato"},
			{"event", Text, "Evento"},
			{"summary", Text, "Resumo"},
			{"status", Text, "Situação"},
			{"opens_date", Date, "Janela abre"},
		}}
	DossierExceptions = Report{Name: "exceptions", Model: "dossier_exceptions", Sheet: "Conciliação",
		Labels: map[string][]Label{"period": periodLabel, "class": classes, "other_issues": classes}, Columns: []Column{
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

// dossierValue is a row of the dossier's master data as people read it: a
// data-quality finding with its check and detail labelled, the customer's
// status in Portuguese.
var dossierValue = `CASE WHEN check_name IS NOT NULL THEN ` + LabelSQL("check_name", dqChecks) +
	` || ': ' || coalesce(check_value || ' — ', '') || ` + LabelSQL("detail", dqDetails) +
	` WHEN field = 'Situação' THEN ` + LabelSQL("value", customerStatuses) + ` ELSE value END`

// Dossier is the dossier's sections, in the order they are shown.
var Dossier = []Report{DossierCustomer, DossierContracts, DossierInvoices, DossierCredit, DossierOrders, DossierEvents, DossierExceptions}
