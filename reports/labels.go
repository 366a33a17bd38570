package reports

import (
	"regexp"
	"strings"

	"github.com/salesops/salesops/ptbr"
)

// Portuguese labels for the codes and English phrases the marts write (the
// machine files keep them as they are).

// ClassLabels names the reconciliation classes.
var ClassLabels = map[string]string{
	"matched":                       "Conciliado",
	"cancelled_without_replacement": "Cancelada sem substituta",
	"ordered_not_invoiced":          "Pedido não faturado",
	"duplicate_invoice":             "Nota em duplicidade",
	"quantity_mismatch":             "Quantidade divergente",
	"amount_mismatch":               "Valor divergente",
	"price_below_cost":              "Preço abaixo do custo",
	"vendor_billed_not_ordered":     "Cobrado pelo fabricante sem pedido",
	"invoiced_not_ordered":          "Faturado sem pedido",
	"corrected":                     "Corrigida",
}

var (
	classes   = Codes(ClassLabels)
	lineTypes = Codes(map[string]string{
		"order_line":  "Item de pedido",
		"vendor_bill": "Cobrança do fabricante",
		"invoice":     "Nota fiscal",
	})
	orderTypes = Codes(map[string]string{
		"new": "Novo", "renewal": "Renovação", "annual": "Anual", "true_up": "True-up",
		"recurrence": "Recorrência", "credit": "Crédito", "rebill": "Refaturamento",
	})
	creditReasons = []Label{
		{`^order already billed by an earlier invoice`, "pedido já faturado por nota anterior"},
		{`^rebill at the quantity the vendor billed`, "refaturar pela quantidade cobrada pelo fabricante"},
		{`^invoice differs from the order value by `, "nota difere do valor do pedido em "},
		{`^replaced by `, "substituída pela "},
		{`^duplicate cancelled: the order stays billed by `, "duplicidade cancelada: o pedido segue faturado pela "},
		{` \(cancellation event registered on (\S+)\)`, " (evento de cancelamento registrado em ${1})"},
		{`; no XML: the window counts from the issue date$`, "; sem XML: o prazo conta da data de emissão"},
		{`; fiscal\.nfse_cancel_days is not set: .*$`, "; fiscal.nfse_cancel_days não configurado: o prazo do município decide entre cancelar e reemitir, substituir (e105102) ou pedir revisão fiscal"},
	}
	// instruments name the fiscal document that corrects an invoice.
	instruments = Codes(map[string]string{
		"cancel_reissue":    "Cancelar e reemitir",
		"complementary_nfe": "NF-e complementar",
		"return_or_debit":   "Devolução pelo cliente ou nota de débito",
		"substitution":      "Substituição da NFS-e (e105102)",
		"fiscal_review":     "Revisão fiscal no município",
		"unknown_deadline":  "Prazo municipal não configurado",
	})
	correctionStatus = Codes(map[string]string{"open": "Aberto", "expired": "Vencido", "done": "Concluído"})
	fiscalEventKinds = Codes(map[string]string{"cancellation": "Cancelamento", "substitution": "Cancelamento por substituição",
		"correction_letter": "Carta de correção", "other": "Outro"})
	invoiceStatus = Codes(map[string]string{"autorizada": "Autorizada", "cancelada": "Cancelada"})
	cutoffIssues  = Codes(map[string]string{
		"after_cutoff":      "Emitida após o corte",
		"portal_late":       "Lançada no portal com atraso",
		"portal_not_posted": "Não lançada no portal",
	})
	cutoffDetails = []Label{
		{`^issued on day (\d+), cutoff day (\d+)$`, `emitida no dia ${1}; dia de corte ${2}`},
		{`^not posted on (.*), due (\S+)$`, `não lançada no ${1}; prazo ${2}`},
		{`^posted (\d+) business day\(s\) after the deadline (\S+)$`, `lançada ${1} dia(s) útil(eis) após o prazo de ${2}`},
	}
	dqChecks = Codes(map[string]string{
		"invalid_cnpj":               "CNPJ inválido",
		"duplicate_cnpj":             "CNPJ duplicado",
		"cutoff_day_out_of_range":    "Dia de corte fora de 1–31",
		"unknown_customer_order":     "Pedido de cliente desconhecido",
		"unknown_customer_bill":      "Cobrança de cliente desconhecido",
		"contract_end_before_start":  "Contrato termina antes de começar",
		"not_an_invoice_xml":         "XML que não é NF-e/NFS-e",
		"register_xml_mismatch":      "Registro difere do XML",
		"vendor_formula_mismatch":    "Cobrança fora da fórmula da Microsoft",
		"ptax_rejected_fallback":     "PTAX rejeitada (usada a anterior)",
		"conflicting_source":         "Conflito entre arquivos",
		"product_name_mismatch":      "Nome de outro produto",
		"register_status_mismatch":   "Registro diz autorizada, evento cancelou",
		"event_not_registered":       "Evento não registrado na SEFAZ",
		"event_key_mismatch":         "Chave do evento difere da nota",
		"event_without_invoice":      "Evento de nota desconhecida",
		"licence_on_nfe":             "Licença faturada em NF-e",
		"installments_mismatch":      "Parcelas não somam o líquido",
		"receivable_without_invoice": "Título sem nota fiscal",
		"unmapped_field":             "Campo do ERP sem coluna",
	})
	dqEntities = Codes(map[string]string{
		"customer": "Cliente", "contract": "Contrato", "file": "Arquivo", "invoice": "Nota fiscal",
		"order_line": "Item de pedido", "vendor_bill": "Cobrança do fabricante", "fx_rate": "PTAX", "nf_xml": "XML de nota",
		"contract_line": "Item de contrato", "nf_document": "XML de nota (documento)", "nf_event": "Evento de nota",
		"receivable": "Título a receber", "mapping": "Mapeamento do ERP",
	})
	dqDetails = []Label{
		{`^check digits or format invalid$`, "dígitos verificadores ou formato inválidos"},
		{`^same CNPJ as `, "mesmo CNPJ que "},
		{`^billing_cutoff_day must be 1–31$`, "o dia de corte deve estar entre 1 e 31"},
		{`^end_date before start_date$`, "término antes do início"},
		{`^customer_id not in the customer master$`, "cliente fora do cadastro"},
		{`^vendor customer id not in vendor_accounts$`, "id do cliente no fabricante fora de vendor_accounts"},
		{`, not in the customer master`, ", fora do cadastro de clientes"},
		{`^mapped to `, "mapeado para "},
		{`^root element (.*): not an NF-e or NFS-e document or event$`, "elemento raiz ${1}: não é NF-e, NFS-e nem evento"},
		{`^expected `, "esperado "},
		{`; expected `, "; esperado "},
		{`\bgross `, "bruto "},
		{`\bnet `, "líquido "},
		{`\bdiscount `, "desconto "},
		// a rejected PTAX line's reason (stg_ptax), then the rate used
		{`^not a positive rate; `, "não é taxa positiva; "},
		{`^not a number with a decimal comma; `, "não é número com vírgula decimal; "},
		{`^not a date \(ddmmaaaa or dd/mm/aaaa\); `, "não é data (ddmmaaaa ou dd/mm/aaaa); "},
		{`^not a currency code; `, "não é código de moeda; "},
		{`^out of range: 100\.000 or more BRL per unit \(a decimal comma lost\?\); `, "fora da faixa: R$$ 100.000 ou mais por unidade (vírgula decimal perdida?); "},
		{`; the PTAX of (\S+) is used instead$`, "; usada a PTAX de ${1}"},
		{` is used instead`, " foi usada no lugar"},
		{`^differs from `, "difere de "},
		{`\(empty\)`, "(vazio)"},
		{`^the price list names (\S+) (.*)$`, "a tabela de preços chama ${1} de ${2}"},
		// receivables (core/receivables, core/receivable_items)
		{` installment\(s\) adding up to `, " parcela(s) que somam "},
		{`^no invoice has this number`, "nenhuma nota fiscal tem este número"},
		{`^(\d+) invoices have this number: the title's series \(prefix\) names none of them`, "${1} notas fiscais têm este número: a série (prefixo) do título não indica nenhuma"},
		{`; aged under `, "; entra no aging de "},
		{`; no customer: not aged$`, "; sem cliente: fora do aging"},
		// unmapped_field: the field, then what the reports make of it
		{`^no column or default of the mapping feeds it \(([^)]*)\): `, "nenhuma coluna nem valor padrão do mapeamento o preenche (${1}): "},
		{`invoices find their customer only by their order or customer_id$`, "as notas só encontram o cliente pelo pedido ou pelo customer_id"},
		{`credit exposure has no limit to measure$`, "a exposição de crédito não tem limite para comparar"},
		{`proposals state no payment terms, and an invoice with no due date is due on issue$`, "as propostas saem sem condição de pagamento, e uma nota sem vencimento vence na emissão"},
		{`renewals and the T-36 calendar name no account manager$`, "renovações e o calendário T-36 saem sem gerente da conta"},
		{`no invoice is checked against a billing cutoff$`, "nenhuma nota é conferida contra o dia de corte"},
		{`no customer needs a purchase order or a portal posting$`, "nenhum cliente exige pedido de compra nem lançamento em portal"},
		{`an order line with no service period falls in no period: the reconciliation leaves it out$`, "um item de pedido sem período de serviço não cai em nenhum período: a conciliação o deixa de fora"},
		{`order lines have no contract: no vendor in the reconciliation, no true-up history in the lifecycle$`, "itens de pedido sem contrato: sem fabricante na conciliação, sem histórico de true-up no ciclo de vida"},
		{`order lines meet vendor bills by customer and product only$`, "itens de pedido casam com as cobranças do fabricante só por cliente e produto"},
		{`every order line counts as new: renewals, true-ups and recurrences look alike$`, "todo item de pedido conta como novo: renovações, true-ups e recorrências se confundem"},
		{`an invoice with no XML has no status: neither billed nor cancelled$`, "uma nota sem XML fica sem situação: nem faturada nem cancelada"},
		{`an invoice with no title in erp/receivables/ is due payment_terms_days after issue$`, "uma nota sem título em erp/receivables/ vence payment_terms_days dias após a emissão"},
		{`no portal posting is known: the invoices of portal customers show as not posted$`, "nenhum lançamento em portal é conhecido: as notas de clientes de portal aparecem como não lançadas"},
		{`a title is open for its whole amount until its paid_date$`, "um título fica aberto pelo valor inteiro até a data de pagamento"},
		{`^register says autorizada; cancellation by substitution registered on (\S+) \((.*)\)$`, "o registro diz autorizada; cancelamento por substituição registrado em ${1} (${2})"},
		{`^register says autorizada; cancellation registered on (\S+) \((.*)\)$`, "o registro diz autorizada; cancelamento registrado em ${1} (${2})"},
		{`^event (\d+) \((\w+)\) not registered by SEFAZ \(cStat 135, 136 or 155\): it changes nothing$`, "evento ${1} (${2}) não registrado pela SEFAZ (cStat 135, 136 ou 155): não altera nada"},
		{`^no invoice (.*) of issuer (\S+) in the register or the XML: the event is kept$`, "nenhuma nota ${1} do emitente ${2} no registro nem nos XML: o evento fica guardado"},
		{`^event (\d+) names access key (\d+); (.*) has (\d+): one of the two records holds a wrong key$`, "o evento ${1} cita a chave de acesso ${2}; ${3} tem ${4}: um dos dois registros traz a chave errada"},
		{`^licence (\S+) invoiced on NF-e (.*): software licensing pays ISS on an NFS-e, not ICMS \((.*)\)$`, "licença ${1} faturada em NF-e ${2}: licenciamento de software paga ISS em NFS-e, não ICMS (LC 116/2003 item 1.05; STF, ADI 1945 e ADI 5659, 2021)"},
		{`\bcancellation\b`, "cancelamento"},
		{`\bcorrection_letter\b`, "carta de correção"},
		{`\bsubstitution\b`, "substituição"},
	}
	// orderStatuses label an order line's status as the ERP exports it.
	orderStatuses = Codes(map[string]string{"open": "em aberto", "invoiced": "faturado", "cancelled": "cancelado"})
	// billingPlans and terms say a vendor price list's billing plan and
	// term in Portuguese (the lists write them in English): Annual, P1Y,
	// 12 MONTHS.
	billingPlans = []Label{
		{`^(?i:annual)$`, "Anual"}, {`^(?i:monthly)$`, "Mensal"}, {`^(?i:triennial)$`, "Trienal"}, {`^(?i:none)$`, "—"},
	}
	terms = []Label{
		{`^P1Y$`, "12 meses"}, {`^P3Y$`, "36 meses"}, {`^P1M$`, "1 mês"}, {`^P(\d+)M$`, "${1} meses"}, {`^P(\d+)Y$`, "${1} anos"},
		{`^(\d+) (?i:months)$`, "${1} meses"}, {`^(\d+) (?i:years?)$`, "${1} anos"},
	}
	segments = []Label{
		{`^(?i:commercial|com)$`, "Comercial"}, {`^(?i:education|edu)$`, "Educação"}, {`^(?i:government|gov)$`, "Governo"},
		{`^(?i:charity|non-?profit)$`, "Sem fins lucrativos"},
	}
	// customerStatuses label a customer's status as the ERP exports it.
	customerStatuses = []Label{{`^active$`, "ativo"}, {`^inactive$`, "inativo"}, {`^blocked$`, "bloqueado"}}
	// contractStatuses label a contract's status as the ERP writes it (the
	// renewals' erp_status); one in Portuguese already ("encerrado") is
	// shown as written.
	contractStatuses = []Label{{`^(?i)active$`, "ativo"}, {`^(?i)inactive$`, "inativo"}, {`^(?i)expired$`, "expirado"},
		{`^(?i)(cancelled|canceled)$`, "cancelado"}, {`^(?i)ended$`, "encerrado"}}
	priceChanges = Codes(map[string]string{
		"new": "Novo", "removed": "Removido", "increased": "Aumento", "decreased": "Redução",
	})
	changedOn = Codes(map[string]string{"cost": "Custo", "sell_price": "Preço de venda", "taxes": "Impostos"})
	// goodsLabels name the kind of sale the taxes on revenue follow.
	goodsLabels = Codes(map[string]string{"licence": "Licença", "hardware": "Hardware"})
	// The licensing rules' codes (docs/licensing.md).
	nceActions = Codes(map[string]string{
		"reduce_at_vendor": "Reduzir no fabricante (janela aberta)",
		"rebill_or_absorb": "Refaturar ou absorver (janela fechada)",
		"credit_customer":  "Creditar o cliente",
	})
	fxRules    = Codes(map[string]string{"ptax_d1": "PTAX D-1", "ptax_month": "PTAX do mês"})
	fxSources  = Codes(map[string]string{"ptax": "PTAX", "vendor_rate": "Câmbio do fabricante"})
	prorations = Codes(map[string]string{"coterm_end": "Co-termo do pedido", "vip_anniversary": "Aniversário VIP (Adobe)"})
)

// customerDisplay names a row's customer when the master has none: an id
// not in the master, or a vendor bill whose customer is not mapped.
const customerDisplay = `coalesce(customer_name, CASE WHEN customer_id IS NULL THEN '(cliente não identificado)' ELSE '(fora do cadastro)' END)`

// creditReasonDisplay writes the amount of a credit reason ("invoice
// differs from the order value by -300.00") as money, -R$ 300,00, for
// creditReasons to translate the words.
var creditReasonDisplay = `CASE WHEN regexp_full_match(reason, 'invoice differs from the order value by -?\d+\.\d+')
	THEN 'invoice differs from the order value by ' || ` + ptbr.MoneySQL(`regexp_extract(reason, '-?\d+\.\d+$')`) + ` ELSE reason END`

// vendorDisplay capitalises a vendor known by its folder name
// ("kaspersky"), as SheetName does for sheets.
const vendorDisplay = `CASE WHEN vendor = lower(vendor) THEN upper(left(vendor, 1)) || substr(vendor, 2) ELSE vendor END`

// sumOf is a totals row summing the named columns.
func sumOf(cols ...string) map[string]string {
	m := make(map[string]string, len(cols))
	for _, c := range cols {
		m[c] = "sum(" + c + ")"
	}
	return m
}

// sumIf is a totals row summing the named columns over the rows whose Bool
// column flag is true (a spreadsheet follows it with SUMPRODUCT and
// SUBTOTAL: Report.Sum).
func sumIf(flag string, cols ...string) map[string]string {
	m := make(map[string]string, len(cols))
	for _, c := range cols {
		m[c] = "sum(" + c + ") filter (where " + flag + ")"
	}
	return m
}

func with(m map[string]string, k, v string) map[string]string {
	m[k] = v
	return m
}

// LabelSQL is labels applied in DuckDB SQL to the text expression e (a
// quoted column such as "class", or any VARCHAR expression): the one
// rewrite the workbooks, the CSV for people and Display expressions share.
// A value no label matches stays as written, and NULL stays NULL.
func LabelSQL(e string, labels []Label) string {
	for _, l := range labels {
		e = "regexp_replace(" + e + ", " + sqlString(l.Pattern) + ", " + sqlString(l.SQLReplace()) + ", 'g')"
	}
	return e
}

// sqlString is s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// periodLabel writes a "2025-12" period as people read it: 12/2025.
var periodLabel = []Label{{`^(\d{4})-(\d{2})$`, `${2}/${1}`}}

// Lifecycle codes and notes. Buckets and statuses are whole values, so
// they are matched whole: "0-30" is no part of "91-120".
var (
	renewalBuckets = []Label{
		{`^overdue$`, "Vencido sem sucessor"},
		{`^0-30$`, "0–30 dias"},
		{`^31-60$`, "31–60 dias"},
		{`^61-90$`, "61–90 dias"},
		{`^91-120$`, "91–120 dias"},
	}
	eventStatuses = []Label{
		{`^done$`, "Concluído"},
		{`^history$`, "Histórico (antes do acompanhamento)"},
		{`^overdue$`, "Vencido"},
		{`^due_0_30$`, "Vence em 0–30 dias"},
		{`^due_31_60$`, "Vence em 31–60 dias"},
		{`^due_61_90$`, "Vence em 61–90 dias"},
		{`^later$`, "Depois de 90 dias"},
	}
	eventKinds = []Label{
		{`^onboarding$`, "Onboarding"},
		{`^annual_order$`, "Pedido anual"},
		{`^true_up$`, "True-up"},
		{`^renewal$`, "Renovação"},
		{`^recurrence$`, "Recorrência"},
		{`^reconciliation$`, "Conciliação"},
	}
	// eventKeys label the event's kind in its key (K017/true_up/1): a
	// part of a key, not a code of its own.
	eventKeys = []Label{
		{`/annual_order/`, "/pedido-anual/"}, {`/true_up/`, "/true-up/"}, {`/renewal/`, "/renovação/"},
		{`/recurrence/`, "/recorrência/"}, {`/reconciliation/`, "/conciliação/"},
	}
	nextSteps = []Label{
		{`^done$`, "Concluído"},
		{`^true_up_order$`, "Pedido de true-up"},
		{`^update_statement$`, "Update statement"},
		{`^incomplete$`, "Incompleto: faltam dados"},
	}
	// overviewItems label the overview's items, each the code of its
	// section: a bucket, a status or a next step.
	overviewItems = append(append(append([]Label{{`^overdue$`, "Vencido"}}, renewalBuckets[1:]...), eventStatuses...), nextSteps[1:]...)
	// The true-up's price: the enrollment's price sheet, or the fallback
	// people must see as one.
	priceSources = []Label{
		{`^price_sheet$`, "tabela de preços do contrato"},
		{`^current_table$`, "tabela atual (sem tabela de preços do contrato)"},
	}
	productClasses = []Label{
		{`^enterprise$`, "Enterprise (empresarial)"},
		{`^additional$`, "Additional (adicional)"},
		{`^online_service$`, "Online service (serviço online)"},
	}
	countRules = []Label{
		{`^latest$`, "última do ano"},
		{`^maximum$`, "máxima do ano"},
	}
	unpricedReasons = []Label{
		// first the billing plan and segment the sentence names, in
		// Portuguese, then the sentence
		{` months, monthly, `, " months, mensal, "}, {` months, annual, `, " months, anual, "}, {` months, triennial, `, " months, trienal, "},
		{`, commercial in the `, ", comercial in the "}, {`, education in the `, ", educação in the "},
		{`, government in the `, ", governo in the "}, {`, charity in the `, ", sem fins lucrativos in the "},
		{`no published price table for a period up to (\d{4})-(\d{2})`, "nenhuma tabela de preços publicada até ${2}/${1}"},
		{`no (\S+) price for (\S+), (\d+) months(, [a-z_]+)?, (.+?) in the (\d{4})-(\d{2}) price table`,
			"sem preço ${1} para ${2}, ${3} meses${4}, ${5}, na tabela de ${7}/${6}"},
		{`^no contract lines$`, "contrato sem itens"},
	}
	draftNotes = []Label{
		{`^drafts only for renewals due within 90 days$`, "rascunho só para renovações que vencem em até 90 dias"},
		{`^no draft: no contract lines$`, "sem rascunho: contrato sem itens"},
		{`^no draft: (\d+) line\(s\) without a current price$`, "sem rascunho: ${1} item(ns) sem preço atual"},
		{`^no draft: (\d+) line\(s\) below the pricing rule's minimum margin net of taxes \(needs approval\)$`, "sem rascunho: ${1} item(ns) abaixo da margem mínima líquida de impostos (requer aprovação)"},
		{`^no draft: (\d+) contract line\(s\) rejected$`, "sem rascunho: ${1} item(ns) do contrato rejeitado(s)"},
		{`^no draft: customer (\S+) has conflicting sources \((.*)\)$`, "sem rascunho: o cliente ${1} tem dados conflitantes entre arquivos (${2})"},
		{`^no draft: refused by (.*) on (\S+)$`, "sem proposta: recusada por ${1} em ${2}"},
		{`^draft waits for approval: below the floor of its pricing rule$`, "rascunho aguardando aprovação: abaixo da margem mínima da regra de preço"},
	}
	// floorNotes say why a renewal line is below the floor of its
	// pricing rule, or why the floor is unknown.
	floorNotes = []Label{
		{`pricing rule (\S+) is no longer in rules/pricing\.csv`, "a regra de preço ${1} não está mais em rules/pricing.csv"},
		{`margin net of taxes (\S+) below the floor (\S+) of pricing rule (\S+)`, "margem líquida de impostos ${1} % abaixo da mínima de ${2} % da regra de preço ${3}"},
		{`margin (\S+) below the floor (\S+) of pricing rule (\S+)`, "margem ${1} % abaixo da mínima de ${2} % da regra de preço ${3}"},
	}
	previousValueNotes = []Label{{`^no unit_price or annual_price$`, "sem preço unitário nem preço anual no contrato"}}
	trueUpNotes        = []Label{
		{`^no SAM count in agreement year (\d+) \((.*)\)$`, "sem contagem (ano ${1} do acordo, ${2})"},
		{`^no true-up factors for program (.*) \(lifecycle\.true_up in the config\)$`, "sem fatores de true-up para o programa ${1} (lifecycle.true_up na configuração)"},
		{`^no price sheet on the contract line and no P1Y annual price in the current table$`, "sem tabela de preços no item do contrato nem preço anual P1Y na tabela atual"},
		{`^no PTAX for `, "sem PTAX para "},
		{`^surplus of (\d+)(?:\.0+)?: not credited$`, "excedente de ${1}: não creditado"},
		{`^surplus of (\d+)\.(\d*[1-9])0*: not credited$`, "excedente de ${1},${2}: não creditado"},
	}
)

// rejectReasons label the reasons of rejects.csv (as the staging models,
// the SAM checks, the price rules and the NF reader write them) for the
// workbooks' Rejeições sheets and the site; rejects.csv keeps them as
// they are. A reason no label knows is shown as written.
var rejectReasons = []Label{
	{`^not a number with a decimal comma \(1\.234,56\)$`, "não é número com vírgula decimal (1.234,56)"},
	{`^not a number with a decimal comma$`, "não é número com vírgula decimal"},
	{`^not a number with a decimal point \(1234\.56\)$`, "não é número com ponto decimal (1234.56)"},
	{`^not a number$`, "não é número"},
	{`^required$`, "obrigatório"},
	{`^out of range: more than 12 digits before the decimal separator$`, "fora da faixa: mais de 12 dígitos antes da vírgula"},
	{`^not a whole number$`, "não é número inteiro"},
	{`^not a positive number$`, "não é número positivo"},
	{`^not a positive rate$`, "não é taxa positiva"},
	{`^negative price$`, "preço negativo"},
	{`^negative$`, "negativo"},
	{`^negative quantity$`, "quantidade negativa"},
	{`^zero quantity$`, "quantidade zero"},
	{`^outside 2000–2099$`, "fora de 2000–2099"},
	{`^control character$`, "caractere de controle"},
	{`^longer than (\d+) characters$`, "mais de ${1} caracteres"},
	{`^conflicting source: differs from `, "conflito entre arquivos: difere de "},
	{`\(empty\)`, "(vazio)"},
	{`^not a date \(dd/mm/aaaa\)$`, "não é data (dd/mm/aaaa)"},
	{`^not a date \(ddmmaaaa or dd/mm/aaaa\)$`, "não é data (ddmmaaaa ou dd/mm/aaaa)"},
	{`^not a date \(m/d/yyyy h:mm:ss AM\)$`, "não é data no formato americano (m/d/aaaa h:mm:ss AM)"},
	{`^not a date \(m/d/yyyy\)$`, "não é data no formato americano (m/d/aaaa)"},
	{`^not a date \(([adm./-]+)\)$`, "não é data (${1})"},
	{`^not a date$`, "não é data"},
	{`^not a month YYYYMM$`, "não é mês AAAAMM"},
	{`^not a month AAAA-MM$`, "não é mês AAAA-MM"},
	{`^before requested_on$`, "antes da data do pedido"},
	{`^not a true-up anniversary of contract (\S+)$`, "não é aniversário de true-up do contrato ${1}"},
	{`^not a country code$`, "não é código de país"},
	{`^not a currency code$`, "não é código de moeda"},
	{`^not a term such as P1Y or P1M$`, "não é prazo como P1Y ou P1M"},
	{`^must be (.+) or (\S+)$`, "deve ser ${1} ou ${2}"},
	{`^ends before (\S+)$`, "termina antes de ${1}"},
	{`^out of range: 100\.000 or more BRL per unit \(a decimal comma lost\?\)$`, "fora da faixa: R$$ 100.000 ou mais por unidade (vírgula decimal perdida?)"},
	{`^unknown contract$`, "contrato desconhecido"},
	{`^contract (\S+) belongs to (\S+)$`, "o contrato ${1} é do cliente ${2}"},
	{`^no pricing rule matches \(vendor (.*), segment (.*), family (.*)\)$`, "nenhuma regra de preço se aplica (fabricante ${1}, segmento ${2}, família ${3})"},
	{`^list price required by pricing rule `, "preço de lista exigido pela regra de preço "},
	{`^root element (.*): not an NF-e or NFS-e document or event`, "elemento raiz ${1}: não é NF-e, NFS-e nem evento"},
	{` \(later documents of the file not read\)$`, " (documentos seguintes do arquivo não lidos)"},
	// ERP exports read through a mapping (extract/erpload.go), receivables
	{`^not in the value map \((.*)\): add it under (\S+)$`, "fora do mapa de valores (${1}): acrescente-o em ${2}"},
	{`^no (\S+) row with (\S+) (\S+) \((\S+)\)$`, "nenhuma linha de ${1} com ${2} ${3} (${4})"},
	{`^not an NF-e access key \(44 digits\)$`, "não é chave de acesso de NF-e (44 dígitos)"},
	{`^not above 0$`, "não é maior que 0"},
	{`^above the amount$`, "acima do valor do título"},
}

// NoteLabels put the notes a run writes in its manifest (package
// pipelines, load/write) in Portuguese where people read them: the report
// site. manifest.json keeps them as written.
var NoteLabels = []Label{
	{`^requests priced from the price list published for (\d{4})-(\d{2})$`, "solicitações precificadas pela tabela de preços publicada para ${2}/${1}"},
	{`^credit exposure from the reconciliation published for (\d{4})-(\d{2})$`, "exposição de crédito da conciliação publicada para ${2}/${1}"},
	{`^no quote requests in the inbox \(quotes/\): nothing to price$`, "nenhuma solicitação de cotação na entrada (quotes/): nada a precificar"},
	{`^(.*) has the same content as (.*): read once$`, "${1} tem o mesmo conteúdo de ${2}: lido uma vez"},
	{`^price_changes compares with (\d{4})-(\d{2})$`, "as alterações de preço comparam com ${2}/${1}"},
	{`^no earlier period in the warehouse: price_changes is empty$`, "nenhum período anterior publicado: sem alterações de preço a comparar"},
	{`^fx: (\S+) prices in (\S+) converted at the vendor's rate for (\d{4})-(\d{2}), (\S+) \(fx\.vendors\.(\S+): vendor_rate\)$`,
		"câmbio: os preços ${1} em ${2} convertidos pelo câmbio do fabricante de ${4}/${3}, ${5} (fx.vendors.${6} na configuração)"},
	{`^credit exposure from the inbox's ERP exports at (.*)$`, "exposição de crédito pelas exportações do ERP na entrada, em ${1}"},
	{`^fx: (\S+) uses the PTAX of (\S+) because (.*) was rejected: (.*)$`, "câmbio: ${1} usa a PTAX de ${2} porque ${3} foi rejeitada: ${4}"},
	{`^(\S+): sheet "(.*)" lists only the exceptions \(class ≠ matched\): the full report passes Excel's (\d+)-row limit; see (.*)$`,
		"${1}: a planilha “${2}” lista só as exceções (classe ≠ conciliado): o relatório completo passa do limite de ${3} linhas do Excel; veja ${4}"},
	{`^(\S+): sheet "(.*)" lists (.*): the full report passes Excel's (\d+)-row limit; see (.*)$`,
		"${1}: a planilha “${2}” lista ${3}: o relatório completo passa do limite de ${4} linhas do Excel; veja ${5}"},
}

// Note is a manifest's note as people read it (NoteLabels): the first
// label that matches rewrites it.
func Note(s string) string {
	for _, l := range NoteLabels {
		if re := regexp.MustCompile(l.Pattern); re.MatchString(s) {
			return re.ReplaceAllString(s, l.Replace)
		}
	}
	return s
}

// kindNames say what each kind of inbox file is (extract.Kinds), for the
// workbooks' cover sheet.
var kindNames = map[string]string{
	"ms_prices":           "tabela de preços Microsoft",
	"adobe_prices":        "tabela de preços Adobe",
	"vendor_prices":       "tabela de preços de fabricante",
	"ptax":                "PTAX",
	"pricing_rules":       "regras de preço",
	"incentive_rules":     "regras de incentivo",
	"tax_rules":           "tabela de impostos",
	"erp_customers":       "cadastro de clientes (ERP)",
	"erp_contracts":       "contratos (ERP)",
	"erp_contract_lines":  "itens de contrato (ERP)",
	"erp_orders":          "pedidos (ERP)",
	"erp_order_headers":   "cabeçalhos de pedido (ERP)",
	"erp_invoices":        "notas fiscais (ERP)",
	"erp_invoice_items":   "itens de nota fiscal (ERP)",
	"erp_receivables":     "títulos a receber (ERP)",
	"erp_vendor_accounts": "contas nos fabricantes (ERP)",
	"erp_statements":      "declarações de true-up e update statements (ERP)",
	"vendor_fx":           "câmbio dos fabricantes",
	"nf_xml":              "XML de NF-e/NFS-e",
	"ms_billing":          "cobrança Microsoft",
	"sam":                 "contagens SAM",
	"quotes":              "solicitações de cotação",
	"approvals":           "aprovações",
	"review_signoffs":     "aprovação da revisão (financeiro)",
	"review_decisions":    "decisões da revisão (financeiro)",
}

// KindName is what an inbox file of kind k is, for people (k itself when
// unknown).
func KindName(k string) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return k
}
