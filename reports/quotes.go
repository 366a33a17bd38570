package reports

import (
	"slices"

	"github.com/salesops/salesops/ptbr"
)

// Quotes publication: <out>/quotes/<period>/. quote_lines and quotes as CSV
// and Parquet; quotes.xlsx (internal: cost, margin, incentive) gathers
// them behind an overview; proposals/<request_id>-r<revision>.pdf|.xlsx are
// the customers' proposals, written by load/write from the proposals and
// proposal_lines marts, which hold no cost, margin or incentive.

// quoteRevisionColumns open both the lines and the requests: which request
// revision a row belongs to, as the seller sent it.
var quoteRevisionColumns = []Column{
	{"request_id", Text, "Solicitação"},
	{"revision", Integer, "Revisão"},
	{"proposal_number", Text, "Proposta"},
	{"is_latest", Bool, "Última revisão"},
	{"requested_on", Date, "Data"},
	{"seller", Text, "Vendedor"},
	{"customer_text", Text, "Cliente (pedido)"},
}

// QuoteLines prices every requested line, or says why it cannot be.
var QuoteLines = Report{
	Name:    "quote_lines",
	Title:   "Itens",
	Model:   "quote_lines",
	Formats: ForPrograms,
	Sheet:   "Itens",
	Columns: slices.Concat(quoteRevisionColumns, []Column{
		{"vendor", Text, "Fabricante (pedido)"},
		{"product_id", Text, "Produto (ID)"},
		{"sku_id", Text, "SKU (pedido)"},
		{"segment", Text, "Segmento (pedido)"},
		{"term", Text, "Prazo (pedido)"},
		{"billing_plan", Text, "Faturamento (pedido)"},
		{"currency", Text, "Moeda (pedido)"},
		{"notes", Text, "Observações"},
		{"price_period", Text, "Tabela de preços"},
		{"product", Text, "Produto"},
		{"price_sku_id", Text, "SKU"},
		{"price_segment", Text, "Segmento"},
		{"price_term", Text, "Prazo"},
		{"price_billing_plan", Text, "Faturamento"},
		{"price_currency", Text, "Moeda da tabela"},
		{"quantity", Quantity, "Quantidade"},
		{"discount_pct", Percent, "Desconto %"},
		{"unit_price_brl", MoneyBRL, "Preço de venda (R$)"},
		{"unit_net_brl", MoneyBRL, "Preço unitário com desconto (R$)"},
		{"coterm_end", Date, "Co-termo até (pedido)"},
		{"proration", Text, "Proporcional a"},
		{"period_start", Date, "Período de"},
		{"period_end", Date, "Período até"},
		{"prorated_days", Integer, "Dias cobrados"},
		{"term_days", Integer, "Dias do prazo"},
		{"unit_prorated_brl", MoneyBRL, "Preço unitário proporcional (R$)"},
		{"total_brl", MoneyBRL, "Total (R$)"},
		{"net_cost_brl", MoneyBRL, "Custo líquido unitário (R$)"},
		{"total_net_cost_brl", MoneyBRL, "Custo líquido total (R$)"},
		{"tax_pct", Percent, "Impostos no preço %"},
		{"taxes_brl", MoneyBRL, "Impostos inclusos (R$)"},
		{"taxes_added_brl", MoneyBRL, "Impostos destacados (R$)"},
		{"margin_pct", Percent, "Margem líquida de impostos %"},
		{"min_margin_pct", Percent, "Margem mínima %"},
		{"is_below_min_margin", Bool, "Abaixo da margem mínima"},
		{"pricing_rule", Text, "Regra de preço"},
		{"incentive_program", Text, "Programa de incentivo"},
		{"incentive_brl", MoneyBRL, "Incentivo (R$)"},
		{"is_priced", Bool, "Precificado"},
		{"reject_reason", Text, "Motivo da rejeição"},
		{"source_file", Text, "Arquivo de origem"},
		{"source_line", Integer, "Linha"},
	}),
	Labels: map[string][]Label{"reject_reason": quoteReasonLabels, "segment": segments, "term": terms, "billing_plan": billingPlans,
		"price_segment": segments, "price_term": terms, "price_billing_plan": billingPlans, "proration": prorations},
	// A request's revisions repeat its lines: the totals are the latest's.
	Totals:      sumIf("is_latest", "total_brl", "total_net_cost_brl", "incentive_brl"),
	TotalsLabel: "Total das últimas revisões",
	Keys:        3,
	Highlights: []Highlight{{If: "is_below_min_margin", Value: "true", Alert: true, Why: "margem abaixo da mínima da regra de preço"},
		{If: "is_priced", Value: "false", Why: "item sem preço: a solicitação é rejeitada"}},
}

// Quotes is one row per request revision: totals, lowest margin, flags,
// validity and status.
var Quotes = Report{
	Name:    "quotes",
	Title:   "Solicitações",
	Model:   "quotes",
	Formats: ForPrograms,
	Sheet:   "Solicitações",
	Columns: slices.Concat(quoteRevisionColumns, []Column{
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"customer_cnpj", Text, "CNPJ"},
		{"price_period", Text, "Tabela de preços"},
		{"lines", Integer, "Itens"},
		{"rejected_lines", Integer, "Itens rejeitados"},
		{"total_brl", MoneyBRL, "Total (R$)"},
		{"total_net_cost_brl", MoneyBRL, "Custo líquido (R$)"},
		{"taxes_brl", MoneyBRL, "Impostos inclusos (R$)"},
		{"taxes_added_brl", MoneyBRL, "Impostos destacados (R$)"},
		{"incentive_brl", MoneyBRL, "Incentivo (R$)"},
		{"lowest_margin_pct", Percent, "Menor margem líquida %"},
		{"exposure_brl", MoneyBRL, "Exposição de crédito (R$)"},
		{"credit_limit_brl", MoneyBRL, "Limite de crédito (R$)"},
		{"is_needs_approval", Bool, "Requer aprovação"},
		{"is_credit_review", Bool, "Análise de crédito"},
		{"is_po_required", Bool, "Exige pedido de compra"},
		{"payment_terms_days", Integer, "Prazo de pagamento (dias)"},
		{"valid_until", Date, "Válida até"},
		{"status", Text, "Situação"},
		{"reason", Text, "Motivo"},
		{"revision_note", Text, "Observação da revisão"},
		{"decision", Text, "Decisão"},
		{"approver", Text, "Decidido por"},
		{"decided_on", Date, "Decidido em"},
		{"decision_note", Text, "Observação da decisão"},
		{"proposal", Text, "Arquivo da proposta"},
		{"source_file", Text, "Arquivo de origem"},
	}),
	Labels: map[string][]Label{"status": Codes(quoteStatusLabels), "reason": quoteReasonLabels,
		"revision_note": {{`^received after revision (\d+)$`, "recebida depois da revisão ${1}"}}},
	Display: map[string]string{"reason": quoteReasonDisplay},
	// A request's revisions each have a row: the totals, and the site's
	// count, are the latest's.
	Totals:      sumIf("is_latest", "total_brl", "total_net_cost_brl", "incentive_brl"),
	TotalsLabel: "Total das últimas revisões",
	Counted:     &Filter{Where: "is_latest", Kept: "Solicitações (última revisão)"},
	Keys:        3,
	Highlights: []Highlight{{If: "is_credit_review", Value: "true", Alert: true, Why: "total + exposição acima do limite de crédito: análise de crédito"},
		{If: "is_needs_approval", Value: "true", Alert: true, Why: "margem abaixo da mínima: requer aprovação"},
		{If: "is_latest", Value: "false", Why: "revisão substituída por outra mais recente"}},
}

// quoteReasonLabels put the reasons the quote marts write in Portuguese
// for people; CSV and Parquet keep them as written.
var quoteReasonLabels = []Label{
	{`^total \+ exposure (.+) above the credit limit (.+)$`, "total + exposição ${1} acima do limite de crédito ${2}"},
	{`^no credit limit in the customer master$`, "sem limite de crédito no cadastro"},
	{`^(\d+) line\(s\) below the pricing rule's minimum margin$`, "${1} item(ns) abaixo da margem mínima da regra de preço"},
	{`^(\d+) of (\d+) lines rejected: `, "${1} de ${2} itens rejeitados: "},
	{`^customer (.*): unknown customer \(not a customer_id or CNPJ in the customer master\)$`, "cliente ${1}: não é código nem CNPJ do cadastro"},
	{`^customer (\S+): `, "cliente ${1}: "},
	{`lines name different customers: `, "itens de clientes diferentes: "},
	{`customer (\S+) has conflicting rows in the customer master \(`, "o cliente ${1} tem linhas conflitantes no cadastro ("},
	{`customer (\S+) has conflicting sources in the ERP exports \(`, "o cliente ${1} tem dados conflitantes nas exportações do ERP ("},
	{`has an invalid CNPJ in the master`, "tem CNPJ inválido no cadastro"},
	{`invalid CNPJ \(check digits\)`, "CNPJ inválido (dígitos verificadores)"},
	{`CNPJ matches several customers: `, "CNPJ de mais de um cliente: "},
	{`unknown product (\S+) in the price table`, "produto ${1} desconhecido na tabela de preços"},
	{`^cannot prorate to (\S+): the price table's term (.*) is no number of months$`, "não há como calcular o proporcional até ${1}: o prazo ${2} da tabela não é um número de meses"},
	{`^coterm_end (\S+) is more than a (.*) term after (\S+)$`, "co-termo ${1} a mais de um prazo ${2} depois de ${3}"},
	{`ambiguous: (\d+) rows match (\S+) \((.*)\): give the SKU, segment, term, billing plan or currency`,
		"ambíguo: ${1} linhas da tabela servem para ${2} (${3}): informe SKU, segmento, prazo, faturamento ou moeda"},
}

// quoteReasonDisplay writes the amounts of a credit reason ("total +
// exposure 55653.84 above the credit limit 50000.00") as money, R$
// 55.653,84, for quoteReasonLabels to translate the words.
var quoteReasonDisplay = `CASE WHEN regexp_full_match(reason, 'total \+ exposure -?\d+(\.\d+)? above the credit limit -?\d+(\.\d+)?')
	THEN 'total + exposure ' || ` + ptbr.MoneySQL(`regexp_extract(reason, 'exposure (-?\d+(\.\d+)?)', 1)`) +
	` || ' above the credit limit ' || ` + ptbr.MoneySQL(`regexp_extract(reason, 'limit (-?\d+(\.\d+)?)$', 1)`) + ` ELSE reason END`

// quoteRejectReasons label the reasons of the quotes' rejects: a request
// line's own (as the quote marts write them, without the "customer X: "
// the quote's reason adds) or its file's (rejectReasons).
var quoteRejectReasons = append(append(append([]Label{
	{`^unknown customer \(not a customer_id or CNPJ in the customer master\)$`, "cliente desconhecido: não é código nem CNPJ do cadastro"},
}, quoteReasonLabels...), approvalReasons...), rejectReasons...)

// approvalReasons label why a line of approvals/ decides nothing.
var approvalReasons = []Label{
	{`^unknown request: no quote request (.*) in quotes/$`, "solicitação desconhecida: nenhuma solicitação ${1} em quotes/"},
	{`^unknown revision: request (.*) has revisions 1 to (\d+)$`, "revisão desconhecida: a solicitação ${1} tem as revisões 1 a ${2}"},
	{`^revision (\d+) superseded by revision (\d+)$`, "revisão ${1} substituída pela revisão ${2}"},
	{`^contradicts another decision on the same revision the same day$`, "contradiz outra decisão sobre a mesma revisão no mesmo dia"},
	{`^unknown renewal: (.*) names no contract up for renewal$`, "renovação desconhecida: ${1} não é um contrato a renovar"},
	{`^a renewal draft has revision 1 only$`, "um rascunho de renovação tem só a revisão 1"},
}

var quoteStatusLabels = map[string]string{
	"issued":         "emitida",
	"needs_approval": "requer aprovação",
	"credit_review":  "análise de crédito",
	"refused":        "recusada",
	"rejected":       "rejeitada",
}

// QuotesRejects lists every request line that failed validation or could
// not be priced, and each request whose customer is unusable.
var QuotesRejects = Report{
	Name:    "rejects",
	Title:   "Rejeições",
	Model:   "quotes_rejects",
	Formats: CSVOnly,
	Labels:  map[string][]Label{"reason": quoteRejectReasons},
	Columns: RejectColumns,
}

// QuotesOverview is quotes.xlsx's first sheet: revisions by status.
var QuotesOverview = Report{
	Name:  "quotes_overview",
	Model: "quotes_overview",
	Sheet: "Resumo",
	Columns: []Column{
		{"status", Text, "Situação"},
		{"requests", Integer, "Solicitações (revisões)"},
		{"latest_revisions", Integer, "Últimas revisões"},
		{"lines", Integer, "Itens"},
		{"total_brl", MoneyBRL, "Total (R$)"},
		{"total_net_cost_brl", MoneyBRL, "Custo líquido (R$)"},
		{"incentive_brl", MoneyBRL, "Incentivo (R$)"},
		{"lowest_margin_pct", Percent, "Menor margem %"},
	},
	Labels: map[string][]Label{"status": Codes(quoteStatusLabels)},
	Keys:   1,
}

// QuotesWorkbook is quotes.xlsx, for the sales-ops team only: the
// overview, every request, every line with cost, margin and incentive,
// then the rejects.
var QuotesWorkbook = Workbook{
	File:    "quotes.xlsx",
	Title:   "Cotações",
	Sheets:  []Report{QuotesOverview, Quotes, QuoteLines, rejectsSheet(QuotesRejects)},
	Rejects: RejectsSheet,
}

// Proposal and ProposalLines are what a customer's proposal shows (package
// load writes them as PDF and XLSX): never cost, margin or incentive.
var (
	Proposal = Report{Name: "proposals", Model: "customer_proposals", Columns: []Column{
		{"proposal_number", Text, "Proposta"},
		{"title", Text, "Título"},
		{"is_draft", Bool, "Rascunho aguardando aprovação"},
		{"request_id", Text, "Solicitação"},
		{"revision", Integer, "Revisão"},
		{"proposal_date", Date, "Data"},
		{"valid_until", Date, "Válida até"},
		{"seller", Text, "Vendedor"},
		{"customer_id", Text, "Cliente (ID)"},
		{"customer_name", Text, "Cliente"},
		{"customer_cnpj", Text, "CNPJ"},
		{"payment_terms_days", Integer, "Prazo de pagamento (dias)"},
		{"is_po_required", Bool, "Exige pedido de compra"},
		{"total_brl", MoneyBRL, "Total (R$)"},
		{"proposal", Text, "Arquivo"},
	}}
	ProposalLines = Report{Name: "proposal_lines", Model: "customer_proposal_lines", Columns: []Column{
		{"proposal_number", Text, "Proposta"},
		{"item", Integer, "Item"},
		{"vendor", Text, "Fabricante"},
		{"product", Text, "Produto"},
		{"product_id", Text, "Código"},
		{"sku_id", Text, "SKU"},
		{"term", Text, "Prazo"},
		{"billing_plan", Text, "Faturamento"},
		{"quantity", Quantity, "Quantidade"},
		{"unit_price_brl", MoneyBRL, "Preço unitário (R$)"},
		{"total_brl", MoneyBRL, "Total (R$)"},
		{"period_start", Date, "Período proporcional de"},
		{"period_end", Date, "Período proporcional até"},
		{"prorated_days", Integer, "Dias cobrados"},
		{"term_days", Integer, "Dias do prazo"},
	}}
)

// RenewalProposal and RenewalProposalLines are the lifecycle's draft
// renewal proposals, in the layout of Proposal and ProposalLines (the
// same columns, title "Proposta de renovação (rascunho)").
var (
	RenewalProposal      = Report{Name: "renewal_proposals", Model: "renewal_proposals", Columns: Proposal.Columns}
	RenewalProposalLines = Report{Name: "renewal_proposal_lines", Model: "renewal_proposal_lines", Columns: ProposalLines.Columns}
)
