package reports

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesops/salesops/extract"
)

// apply labels s as the site does (Go's regexp; DuckDB's regexp_replace
// takes the same RE2 patterns through SQLReplace).
func apply(labels []Label, s string) string {
	for _, l := range labels {
		s = regexp.MustCompile(l.Pattern).ReplaceAllString(s, l.Replace)
	}
	return s
}

// labelled is every report people read in a workbook: each workbook's
// sheets and the reports with an XLSX of their own.
func labelled() []Report {
	var reps []Report
	for _, wb := range []Workbook{PricelistWorkbook, ReconciliationWorkbook, LifecycleWorkbook, QuotesWorkbook} {
		reps = append(reps, wb.Sheets...)
	}
	return append(reps, QuotePrices, PriceChanges)
}

// labelCases are values the marts write and what people read, written by
// hand, per list of labels (a list serves several columns). Whole codes
// are also checked from their declarations (codeCases); these are the
// phrases, the patterns with groups, and codes whose label could be taken
// for another's.
var labelCases = []struct {
	name   string
	labels []Label
	cases  [][2]string
}{
	{"rejectReasons", rejectReasons, [][2]string{
		{"not a number with a decimal comma (1.234,56)", "não é número com vírgula decimal (1.234,56)"},
		{"not a number with a decimal comma", "não é número com vírgula decimal"},
		{"not a number", "não é número"},
		{"not a whole number", "não é número inteiro"},
		{"not a positive number", "não é número positivo"},
		{"not a positive rate", "não é taxa positiva"},
		{"negative price", "preço negativo"},
		{"negative", "negativo"},
		{"not a date (dd/mm/aaaa)", "não é data (dd/mm/aaaa)"},
		{"not a date (ddmmaaaa or dd/mm/aaaa)", "não é data (ddmmaaaa ou dd/mm/aaaa)"},
		{"not a date (m/d/yyyy h:mm:ss AM)", "não é data no formato americano (m/d/aaaa h:mm:ss AM)"},
		{"not a date (m/d/yyyy)", "não é data no formato americano (m/d/aaaa)"},
		{"not a date", "não é data"},
		{"not a month YYYYMM", "não é mês AAAAMM"},
		{"not a month AAAA-MM", "não é mês AAAA-MM"},
		{"before requested_on", "antes da data do pedido"},
		{"not a true-up anniversary of contract K010", "não é aniversário de true-up do contrato K010"},
		{"must be enterprise, additional or online_service", "deve ser enterprise, additional ou online_service"},
		{"must be ptax_d1 or ptax_month", "deve ser ptax_d1 ou ptax_month"},
		{"not a country code", "não é código de país"},
		{"not a currency code", "não é código de moeda"},
		{"not a term such as P1Y or P1M", "não é prazo como P1Y ou P1M"},
		{"must be new, renewal, annual, true_up, recurrence, credit or rebill", "deve ser new, renewal, annual, true_up, recurrence, credit ou rebill"},
		{"ends before 2025-01-01", "termina antes de 2025-01-01"},
		{"out of range: 100.000 or more BRL per unit (a decimal comma lost?)", "fora da faixa: R$ 100.000 ou mais por unidade (vírgula decimal perdida?)"},
		{"unknown contract", "contrato desconhecido"},
		{"contract K010 belongs to C001", "o contrato K010 é do cliente C001"},
		{"no pricing rule matches (vendor adobe, segment EDU, family Creative)", "nenhuma regra de preço se aplica (fabricante adobe, segmento EDU, família Creative)"},
		{"list price required by pricing rule 4", "preço de lista exigido pela regra de preço 4"},
		{"root element <cteProc>: not an NF-e or NFS-e document or event (later documents of the file not read)", "elemento raiz <cteProc>: não é NF-e, NFS-e nem evento (documentos seguintes do arquivo não lidos)"},
		{"negative quantity", "quantidade negativa"},
		{"zero quantity", "quantidade zero"},
		{"outside 2000–2099", "fora de 2000–2099"},
		{"out of range: more than 12 digits before the decimal separator", "fora da faixa: mais de 12 dígitos antes da vírgula"},
		{"control character", "caractere de controle"},
		{"longer than 64 characters", "mais de 64 caracteres"},
		{"conflicting source: differs from erp/contracts/b.csv:2 (customer_id C002; program (empty))",
			"conflito entre arquivos: difere de erp/contracts/b.csv:2 (customer_id C002; program (vazio))"},
		{"not a number with a decimal point (1234.56)", "não é número com ponto decimal (1234.56)"},
		{"not a date (aaaammdd)", "não é data (aaaammdd)"},
		{"not a date (aaaa-mm-dd)", "não é data (aaaa-mm-dd)"},
		{"not in the value map (NFS, RPS, SPED): add it under erp.values.invoices.kind", "fora do mapa de valores (NFS, RPS, SPED): acrescente-o em erp.values.invoices.kind"},
		{"no SC5 row with C5_FILIAL/C5_NUM 01/000999 (erp/protheus/SC5*.csv)", "nenhuma linha de SC5 com C5_FILIAL/C5_NUM 01/000999 (erp/protheus/SC5*.csv)"},
		{"not an NF-e access key (44 digits)", "não é chave de acesso de NF-e (44 dígitos)"},
		{"not above 0", "não é maior que 0"},
		{"above the amount", "acima do valor do título"},
		{"something new", "something new"},
	}},
	{"quoteRejectReasons", quoteRejectReasons, [][2]string{
		{"unknown customer (not a customer_id or CNPJ in the customer master)", "cliente desconhecido: não é código nem CNPJ do cadastro"},
		{"invalid CNPJ (check digits)", "CNPJ inválido (dígitos verificadores)"},
		{"CNPJ matches several customers: C002, C004", "CNPJ de mais de um cliente: C002, C004"},
		{"unknown product XYZ-999 in the price table", "produto XYZ-999 desconhecido na tabela de preços"},
		{"ambiguous: 3 rows match CFQ7TTC0LFLX (0001 Commercial P1M Monthly USD; 0001 Commercial P1Y Annual USD): give the SKU, segment, term, billing plan or currency",
			"ambíguo: 3 linhas da tabela servem para CFQ7TTC0LFLX (0001 Commercial P1M Monthly USD; 0001 Commercial P1Y Annual USD): informe SKU, segmento, prazo, faturamento ou moeda"},
		{"not a number with a decimal comma", "não é número com vírgula decimal"},
		{"not a date (dd/mm/aaaa)", "não é data (dd/mm/aaaa)"},
		{"must be COM, EDU or GOV", "deve ser COM, EDU ou GOV"},
	}},
	{"quoteReasonLabels", quoteReasonLabels, [][2]string{
		{"total + exposure 1200.00 above the credit limit 1000.00", "total + exposição 1200.00 acima do limite de crédito 1000.00"},
		{"no credit limit in the customer master", "sem limite de crédito no cadastro"},
		{"2 line(s) below the pricing rule's minimum margin", "2 item(ns) abaixo da margem mínima da regra de preço"},
		{"1 of 3 lines rejected: unknown product XYZ-999 in the price table", "1 de 3 itens rejeitados: produto XYZ-999 desconhecido na tabela de preços"},
		{"customer C999: unknown customer (not a customer_id or CNPJ in the customer master)", "cliente C999: não é código nem CNPJ do cadastro"},
		{"customer C005: has an invalid CNPJ in the master", "cliente C005: tem CNPJ inválido no cadastro"},
		{"customer 12.345.678/0001-95: CNPJ matches several customers: C002, C004", "cliente 12.345.678/0001-95: CNPJ de mais de um cliente: C002, C004"},
		{"customer 99.999.999/0001-00: invalid CNPJ (check digits)", "cliente 99.999.999/0001-00: CNPJ inválido (dígitos verificadores)"},
		{"customer C003: lines name different customers: C001, C003", "cliente C003: itens de clientes diferentes: C001, C003"},
		{"customer C002: customer C002 has conflicting rows in the customer master (erp/customers/a.csv:3, erp/customers/b.csv:2)",
			"cliente C002: o cliente C002 tem linhas conflitantes no cadastro (erp/customers/a.csv:3, erp/customers/b.csv:2)"},
		{"customer C001: customer C001 has conflicting sources in the ERP exports (order_line SO-1/1)",
			"cliente C001: o cliente C001 tem dados conflitantes nas exportações do ERP (order_line SO-1/1)"},
		{"ambiguous: 2 rows match 65322614BA01A12 (EDU; COM): give the SKU, segment, term, billing plan or currency",
			"ambíguo: 2 linhas da tabela servem para 65322614BA01A12 (EDU; COM): informe SKU, segmento, prazo, faturamento ou moeda"},
		{"cannot prorate to 31/03/2026: the price table's term 1 licença is no number of months",
			"não há como calcular o proporcional até 31/03/2026: o prazo 1 licença da tabela não é um número de meses"},
		{"coterm_end 01/05/2027 is more than a P1Y term after 10/12/2025", "co-termo 01/05/2027 a mais de um prazo P1Y depois de 10/12/2025"},
	}},
	{"revisionNote", Quotes.Labels["revision_note"], [][2]string{{"received after revision 2", "recebida depois da revisão 2"}}},
	{"quoteStatusLabels", Codes(quoteStatusLabels), [][2]string{{"needs_approval", "requer aprovação"}, {"credit_review", "análise de crédito"}}},
	// A list of codes is labelled code by code.
	{"classes", classes, [][2]string{
		{"cancelled_without_replacement", "Cancelada sem substituta"},
		{"price_below_cost, duplicate_invoice", "Preço abaixo do custo, Nota em duplicidade"},
	}},
	{"lineTypes", lineTypes, [][2]string{{"order_line", "Item de pedido"}, {"vendor_bill", "Cobrança do fabricante"}}},
	{"orderTypes", orderTypes, [][2]string{{"true_up", "True-up"}, {"new", "Novo"}}},
	{"periodLabel", periodLabel, [][2]string{{"2025-12", "12/2025"}, {"2025-12-01", "2025-12-01"}}},
	{"creditReasons", creditReasons, [][2]string{
		{"order already billed by an earlier invoice", "pedido já faturado por nota anterior"},
		{"rebill at the quantity the vendor billed", "refaturar pela quantidade cobrada pelo fabricante"},
		// The amount as creditReasonDisplay writes it.
		{"invoice differs from the order value by -R$ 300,00", "nota difere do valor do pedido em -R$ 300,00"},
		{"replaced by NFE 5008-1", "substituída pela NFE 5008-1"},
		{"duplicate cancelled: the order stays billed by NFSE 203 (cancellation event registered on 12/12/2025)",
			"duplicidade cancelada: o pedido segue faturado pela NFSE 203 (evento de cancelamento registrado em 12/12/2025)"},
		{"rebill at the quantity the vendor billed; no XML: the window counts from the issue date",
			"refaturar pela quantidade cobrada pelo fabricante; sem XML: o prazo conta da data de emissão"},
		{"order already billed by an earlier invoice; fiscal.nfse_cancel_days is not set: the municipality's deadline decides between cancel and re-issue, substitution (e105102) and fiscal review",
			"pedido já faturado por nota anterior; fiscal.nfse_cancel_days não configurado: o prazo do município decide entre cancelar e reemitir, substituir (e105102) ou pedir revisão fiscal"},
	}},
	{"instruments", instruments, [][2]string{{"complementary_nfe", "NF-e complementar"}, {"return_or_debit", "Devolução pelo cliente ou nota de débito"}}},
	{"correctionStatus", correctionStatus, [][2]string{{"done", "Concluído"}, {"expired", "Vencido"}}},
	{"fiscalEventKinds", fiscalEventKinds, [][2]string{{"correction_letter", "Carta de correção"}, {"substitution", "Cancelamento por substituição"}}},
	{"cutoffIssues", cutoffIssues, [][2]string{{"portal_not_posted", "Não lançada no portal"}}},
	{"cutoffDetails", cutoffDetails, [][2]string{
		{"issued on day 28, cutoff day 25", "emitida no dia 28; dia de corte 25"},
		{"not posted on Portal Ariba, due 2025-12-05", "não lançada no Portal Ariba; prazo 2025-12-05"},
		{"posted 3 business day(s) after the deadline 2025-12-05", "lançada 3 dia(s) útil(eis) após o prazo de 2025-12-05"},
	}},
	{"dqChecks", dqChecks, [][2]string{{"invalid_cnpj", "CNPJ inválido"}, {"unknown_customer_bill", "Cobrança de cliente desconhecido"}}},
	{"dqEntities", dqEntities, [][2]string{{"order_line", "Item de pedido"}, {"nf_xml", "XML de nota"}, {"contract_line", "Item de contrato"}}},
	{"dqDetails", dqDetails, [][2]string{
		{"check digits or format invalid", "dígitos verificadores ou formato inválidos"},
		{"same CNPJ as C001", "mesmo CNPJ que C001"},
		{"billing_cutoff_day must be 1–31", "o dia de corte deve estar entre 1 e 31"},
		{"end_date before start_date", "término antes do início"},
		{"customer_id not in the customer master", "cliente fora do cadastro"},
		{"vendor customer id not in vendor_accounts", "id do cliente no fabricante fora de vendor_accounts"},
		{"mapped to C099, not in the customer master", "mapeado para C099, fora do cadastro de clientes"},
		{"root element <x>: not an NF-e or NFS-e document or event", "elemento raiz <x>: não é NF-e, NFS-e nem evento"},
		{"differs from erp/orders/b.csv:2 (quantity 7.0; po_number (empty))", "difere de erp/orders/b.csv:2 (quantity 7.0; po_number (vazio))"},
		{"expected gross 100.00; expected net 90.00; expected discount 10.00", "esperado bruto 100.00; esperado líquido 90.00; esperado desconto 10.00"},
		{"PTAX of 2025-11-28 rejected: that of 2025-11-27 is used instead", "PTAX of 2025-11-28 rejected: that of 2025-11-27 foi usada no lugar"},
		{"not a positive rate; the PTAX of 27/11/2025 is used instead", "não é taxa positiva; usada a PTAX de 27/11/2025"},
		{"not a number with a decimal comma; the PTAX of 27/11/2025 is used instead", "não é número com vírgula decimal; usada a PTAX de 27/11/2025"},
		{"not a date (ddmmaaaa or dd/mm/aaaa); the PTAX of 27/11/2025 is used instead", "não é data (ddmmaaaa ou dd/mm/aaaa); usada a PTAX de 27/11/2025"},
		{"not a currency code; the PTAX of 27/11/2025 is used instead", "não é código de moeda; usada a PTAX de 27/11/2025"},
		{"out of range: 100.000 or more BRL per unit (a decimal comma lost?); the PTAX of 27/11/2025 is used instead",
			"fora da faixa: R$ 100.000 ou mais por unidade (vírgula decimal perdida?); usada a PTAX de 27/11/2025"},
		{"the price list names CFQ7TTC0LH18/0001 Microsoft 365 Business Basic", "a tabela de preços chama CFQ7TTC0LH18/0001 de Microsoft 365 Business Basic"},
		{"net 3000.00 ≠ 2 installment(s) adding up to 2800.00", "líquido 3000.00 ≠ 2 parcela(s) que somam 2800.00"},
		{"no invoice has this number; aged under 000004-01", "nenhuma nota fiscal tem este número; entra no aging de 000004-01"},
		{"2 invoices have this number: the title's series (prefix) names none of them; no customer: not aged",
			"2 notas fiscais têm este número: a série (prefixo) do título não indica nenhuma; sem cliente: fora do aging"},
		{"no column or default of the mapping feeds it (erp.columns.customers.cnpj): invoices find their customer only by their order or customer_id",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (erp.columns.customers.cnpj): as notas só encontram o cliente pelo pedido ou pelo customer_id"},
		{"no column or default of the mapping feeds it (erp.columns.customers.credit_limit): credit exposure has no limit to measure",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (erp.columns.customers.credit_limit): a exposição de crédito não tem limite para comparar"},
		{"no column or default of the mapping feeds it (x): proposals state no payment terms, and an invoice with no due date is due on issue",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): as propostas saem sem condição de pagamento, e uma nota sem vencimento vence na emissão"},
		{"no column or default of the mapping feeds it (x): renewals and the T-36 calendar name no account manager",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): renovações e o calendário T-36 saem sem gerente da conta"},
		{"no column or default of the mapping feeds it (x): no invoice is checked against a billing cutoff",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): nenhuma nota é conferida contra o dia de corte"},
		{"no column or default of the mapping feeds it (x): no customer needs a purchase order or a portal posting",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): nenhum cliente exige pedido de compra nem lançamento em portal"},
		{"no column or default of the mapping feeds it (erp.columns.orders.period_start): an order line with no service period falls in no period: the reconciliation leaves it out",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (erp.columns.orders.period_start): um item de pedido sem período de serviço não cai em nenhum período: a conciliação o deixa de fora"},
		{"no column or default of the mapping feeds it (x): order lines have no contract: no vendor in the reconciliation, no true-up history in the lifecycle",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): itens de pedido sem contrato: sem fabricante na conciliação, sem histórico de true-up no ciclo de vida"},
		{"no column or default of the mapping feeds it (x): order lines meet vendor bills by customer and product only",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): itens de pedido casam com as cobranças do fabricante só por cliente e produto"},
		{"no column or default of the mapping feeds it (x): every order line counts as new: renewals, true-ups and recurrences look alike",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): todo item de pedido conta como novo: renovações, true-ups e recorrências se confundem"},
		{"no column or default of the mapping feeds it (x): an invoice with no XML has no status: neither billed nor cancelled",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): uma nota sem XML fica sem situação: nem faturada nem cancelada"},
		{"no column or default of the mapping feeds it (x): an invoice with no title in erp/receivables/ is due payment_terms_days after issue",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): uma nota sem título em erp/receivables/ vence payment_terms_days dias após a emissão"},
		{"no column or default of the mapping feeds it (x): no portal posting is known: the invoices of portal customers show as not posted",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): nenhum lançamento em portal é conhecido: as notas de clientes de portal aparecem como não lançadas"},
		{"no column or default of the mapping feeds it (x): a title is open for its whole amount until its paid_date",
			"nenhuma coluna nem valor padrão do mapeamento o preenche (x): um título fica aberto pelo valor inteiro até a data de pagamento"},
		{"register says autorizada; cancellation by substitution registered on 15/12/2025 (nf/a.xml:2)",
			"o registro diz autorizada; cancelamento por substituição registrado em 15/12/2025 (nf/a.xml:2)"},
		{"register says autorizada; cancellation registered on 12/12/2025 (nf/b.xml:2)", "o registro diz autorizada; cancelamento registrado em 12/12/2025 (nf/b.xml:2)"},
		{"event 110111 (cancellation) not registered by SEFAZ (cStat 135, 136 or 155): it changes nothing",
			"evento 110111 (cancelamento) não registrado pela SEFAZ (cStat 135, 136 ou 155): não altera nada"},
		{"no invoice NFE 7777-1 of issuer 11222333000181 in the register or the XML: the event is kept",
			"nenhuma nota NFE 7777-1 do emitente 11222333000181 no registro nem nos XML: o evento fica guardado"},
		{"event 110111 names access key 31251211222333000181550010000050051000050054; NFE 5005-1 has 31251211222333000181550010000050051000050059: one of the two records holds a wrong key",
			"o evento 110111 cita a chave de acesso 31251211222333000181550010000050051000050054; NFE 5005-1 tem 31251211222333000181550010000050051000050059: um dos dois registros traz a chave errada"},
		{"licence CFQ7TTC0LF8R/0001 invoiced on NF-e NFE 5001-1: software licensing pays ISS on an NFS-e, not ICMS (LC 116/2003 item 1.05; STF, ADI 1945 and ADI 5659, 2021)",
			"licença CFQ7TTC0LF8R/0001 faturada em NF-e NFE 5001-1: licenciamento de software paga ISS em NFS-e, não ICMS (LC 116/2003 item 1.05; STF, ADI 1945 e ADI 5659, 2021)"},
	}},
	{"renewalBuckets", renewalBuckets, [][2]string{{"0-30", "0–30 dias"}, {"91-120", "91–120 dias"}, {"overdue", "Vencido sem sucessor"}}},
	{"unpricedReasons", unpricedReasons, [][2]string{
		{"no published price table for a period up to 2025-12", "nenhuma tabela de preços publicada até 12/2025"},
		{"CFQ7TTC0LF8R/0001: no Microsoft price for CFQ7TTC0LF8R/0001, 12 months, monthly, commercial in the 2025-12 price table",
			"CFQ7TTC0LF8R/0001: sem preço Microsoft para CFQ7TTC0LF8R/0001, 12 meses, mensal, comercial, na tabela de 12/2025"},
		{"no Microsoft price for X, 12 months, annual, education in the 2025-12 price table", "sem preço Microsoft para X, 12 meses, anual, educação, na tabela de 12/2025"},
		{"no Microsoft price for X, 36 months, triennial, government in the 2025-12 price table", "sem preço Microsoft para X, 36 meses, trienal, governo, na tabela de 12/2025"},
		{"no Adobe price for X, 12 months, charity in the 2025-12 price table", "sem preço Adobe para X, 12 meses, sem fins lucrativos, na tabela de 12/2025"},
		{"no contract lines", "contrato sem itens"},
	}},
	{"draftNotes", draftNotes, [][2]string{
		{"drafts only for renewals due within 90 days", "rascunho só para renovações que vencem em até 90 dias"},
		{"no draft: no contract lines", "sem rascunho: contrato sem itens"},
		{"no draft: 1 line(s) without a current price", "sem rascunho: 1 item(ns) sem preço atual"},
		{"no draft: 1 contract line(s) rejected", "sem rascunho: 1 item(ns) do contrato rejeitado(s)"},
		{"no draft: 2 line(s) below the pricing rule's minimum margin net of taxes (needs approval)",
			"sem rascunho: 2 item(ns) abaixo da margem mínima líquida de impostos (requer aprovação)"},
		{"no draft: customer C002 has conflicting sources (contract K022, order_line SO-1/1)",
			"sem rascunho: o cliente C002 tem dados conflitantes entre arquivos (contract K022, order_line SO-1/1)"},
		{"no draft: refused by Fernanda Reis on 11/12/2025", "sem proposta: recusada por Fernanda Reis em 11/12/2025"},
		{"draft waits for approval: below the floor of its pricing rule", "rascunho aguardando aprovação: abaixo da margem mínima da regra de preço"},
	}},
	// A renewal's pending items: its unpriced lines and its lines below
	// the floor.
	{"renewalMissing", Renewals.Labels["missing"], [][2]string{
		{"CFQ7TTC0LH18/0001: margin 10.00 below the floor 12.00 of pricing rule rules/pricing.csv:5",
			"CFQ7TTC0LH18/0001: margem 10.00 % abaixo da mínima de 12.00 % da regra de preço rules/pricing.csv:5"},
		{"CFQ7TTC0LTTK/0001: margin net of taxes 4.35 below the floor 10.00 of pricing rule rules/pricing.csv:4",
			"CFQ7TTC0LTTK/0001: margem líquida de impostos 4.35 % abaixo da mínima de 10.00 % da regra de preço rules/pricing.csv:4"},
		{"65304522CA01A12: pricing rule rules/pricing.csv:6 is no longer in rules/pricing.csv",
			"65304522CA01A12: a regra de preço rules/pricing.csv:6 não está mais em rules/pricing.csv"},
	}},
	{"lifecycleRejectReasons", lifecycleRejectReasons, [][2]string{{"required", "obrigatório"}}},
	{"approvalReasons", approvalReasons, [][2]string{
		{"unknown request: no quote request Q-999 in quotes/", "solicitação desconhecida: nenhuma solicitação Q-999 em quotes/"},
		{"unknown revision: request Q-103 has revisions 1 to 2", "revisão desconhecida: a solicitação Q-103 tem as revisões 1 a 2"},
		{"revision 1 superseded by revision 2", "revisão 1 substituída pela revisão 2"},
		{"contradicts another decision on the same revision the same day", "contradiz outra decisão sobre a mesma revisão no mesmo dia"},
		{"unknown renewal: RN-K999 names no contract up for renewal", "renovação desconhecida: RN-K999 não é um contrato a renovar"},
		{"a renewal draft has revision 1 only", "um rascunho de renovação tem só a revisão 1"},
	}},
	{"previousValueNotes", previousValueNotes, [][2]string{{"no unit_price or annual_price", "sem preço unitário nem preço anual no contrato"}}},
	{"eventStatuses", eventStatuses, [][2]string{{"due_61_90", "Vence em 61–90 dias"}, {"later", "Depois de 90 dias"}}},
	{"eventKinds", eventKinds, [][2]string{{"annual_order", "Pedido anual"}}},
	{"billingPlans", billingPlans, [][2]string{{"Annual", "Anual"}, {"monthly", "Mensal"}, {"Triennial", "Trienal"}, {"None", "—"},
		{"Annually", "Annually"}}},
	{"terms", terms, [][2]string{{"P1Y", "12 meses"}, {"P3Y", "36 meses"}, {"P1M", "1 mês"}, {"P6M", "6 meses"}, {"P2Y", "2 anos"},
		{"12 MONTHS", "12 meses"}, {"1 Year", "1 anos"}, {"12 meses", "12 meses"}}},
	{"segments", segments, [][2]string{{"Commercial", "Comercial"}, {"EDU", "Educação"}, {"government", "Governo"}, {"Non-profit", "Sem fins lucrativos"}}},
	{"eventKeys", eventKeys, [][2]string{{"K010/annual_order/1", "K010/pedido-anual/1"}, {"K010/true_up/2", "K010/true-up/2"},
		{"K010/renewal/1", "K010/renovação/1"}, {"K012/recurrence/2026-01", "K012/recorrência/2026-01"},
		{"K012/reconciliation/2026-01", "K012/conciliação/2026-01"}, {"K010/onboarding/1", "K010/onboarding/1"}}},
	{"priceSources", priceSources, [][2]string{{"price_sheet", "tabela de preços do contrato"}, {"current_table", "tabela atual (sem tabela de preços do contrato)"}}},
	{"productClasses", productClasses, [][2]string{{"additional", "Additional (adicional)"}, {"online_service", "Online service (serviço online)"}}},
	{"countRules", countRules, [][2]string{{"maximum", "máxima do ano"}, {"latest", "última do ano"}}},
	{"trueUpNotes", trueUpNotes, [][2]string{
		{"surplus of 2.00: not credited", "excedente de 2: não creditado"},
		{"surplus of 2.50: not credited", "excedente de 2,5: não creditado"},
		{"no SAM count in agreement year 1 (01/02/2024–31/01/2025)", "sem contagem (ano 1 do acordo, 01/02/2024–31/01/2025)"},
		{"no true-up factors for program EA (lifecycle.true_up in the config)", "sem fatores de true-up para o programa EA (lifecycle.true_up na configuração)"},
		{"no price sheet on the contract line and no P1Y annual price in the current table",
			"sem tabela de preços no item do contrato nem preço anual P1Y na tabela atual"},
		{"no PTAX for 2026-01-10", "sem PTAX para 2026-01-10"},
	}},
	{"nextSteps", nextSteps, [][2]string{{"true_up_order", "Pedido de true-up"}, {"incomplete", "Incompleto: faltam dados"}, {"done", "Concluído"}}},
	{"nceActions", nceActions, [][2]string{{"reduce_at_vendor", "Reduzir no fabricante (janela aberta)"}, {"rebill_or_absorb", "Refaturar ou absorver (janela fechada)"}}},
	{"fxRules", fxRules, [][2]string{{"ptax_d1", "PTAX D-1"}, {"ptax_month", "PTAX do mês"}}},
	{"fxSources", fxSources, [][2]string{{"vendor_rate", "Câmbio do fabricante"}, {"ptax", "PTAX"}}},
	{"contractStatuses", contractStatuses, [][2]string{{"active", "ativo"}, {"Expired", "expirado"}, {"encerrado", "encerrado"},
		{"inactive", "inativo"}, {"canceled", "cancelado"}, {"ended", "encerrado"}}},
	{"prorations", prorations, [][2]string{{"coterm_end", "Co-termo do pedido"}, {"vip_anniversary", "Aniversário VIP (Adobe)"}}},
	// "overdue" is a bucket and a status: the overview says Vencido.
	{"overviewItems", overviewItems, [][2]string{{"overdue", "Vencido"}, {"update_statement", "Update statement"}, {"due_0_30", "Vence em 0–30 dias"}, {"0-30", "0–30 dias"}}},
	{"priceChanges", priceChanges, [][2]string{{"increased", "Aumento"}, {"new", "Novo"}}},
	{"changedOn", changedOn, [][2]string{{"sell_price", "Preço de venda"}, {"taxes", "Impostos"}}},
	{"goodsLabels", goodsLabels, [][2]string{{"licence", "Licença"}, {"hardware", "Hardware"}}},
}

// labelIncludes names, for a list made of others, the lists whose cases
// it takes too.
var labelIncludes = map[string][]string{"quoteRejectReasons": {"quoteReasonLabels", "approvalReasons", "rejectReasons"},
	"renewalMissing": {"unpricedReasons"}, "lifecycleRejectReasons": {"approvalReasons", "rejectReasons"}}

// wholeCode matches a label of one code, as Codes (\bcode\b) or the
// lifecycle's lists (^code$) declare it.
var wholeCode = regexp.MustCompile(`^(?:\\b([A-Za-z0-9_]+)\\b|\^([A-Za-z0-9_-]+)\$)$`)

// codeCases are the whole codes of labels and their labels, taken from
// the declaration: the SQL must give each code its own label, untouched
// by the column's other labels.
func codeCases(labels []Label) [][2]string {
	var out [][2]string
	for _, l := range labels {
		if m := wholeCode.FindStringSubmatch(l.Pattern); m != nil && !strings.ContainsAny(l.Replace, `$\`) {
			out = append(out, [2]string{m[1] + m[2], l.Replace})
		}
	}
	return out
}

// TestLabels runs every labelled column of every workbook sheet through
// the SQL the writers use (LabelSQL in DuckDB) and through Go's regexp
// (the site), on the values above and on each whole code: each gives its
// Portuguese label, an unknown code stays as written (not blank), NULL
// stays NULL, and every declared label is reached by some value.
func TestLabels(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	seen, used := map[string]bool{}, map[string]bool{}
	for _, r := range labelled() {
		for col, labels := range r.Labels {
			key := r.Model + "." + col
			if seen[key] {
				continue
			}
			seen[key] = true
			cases := codeCases(labels)
			for _, lc := range labelCases {
				if slices.Equal(lc.labels, labels) {
					cases = append(cases, lc.cases...)
					used[lc.name] = true
					for _, inc := range labelCases {
						if slices.Contains(labelIncludes[lc.name], inc.name) {
							cases = append(cases, inc.cases...)
							used[inc.name] = true
						}
					}
				}
			}
			cases = append(cases, [2]string{"zz_unknown code", "zz_unknown code"})
			q := "SELECT " + LabelSQL(`"v"`, labels) + " FROM (SELECT ?::VARCHAR AS v)"
			for _, c := range cases {
				var got sql.NullString
				if err := db.QueryRowContext(ctx, q, c[0]).Scan(&got); err != nil {
					t.Fatalf("%s: %v\n%s", key, err, q)
				}
				if !got.Valid || got.String != c[1] {
					t.Errorf("%s: DuckDB labels %q as %q (valid %v), want %q", key, c[0], got.String, got.Valid, c[1])
				}
				if g := apply(labels, c[0]); g != c[1] {
					t.Errorf("%s: Go labels %q as %q, want %q", key, c[0], g, c[1])
				}
			}
			var null sql.NullString
			if err := db.QueryRowContext(ctx, q, nil).Scan(&null); err != nil || null.Valid {
				t.Errorf("%s: NULL labelled %q (%v), want NULL", key, null.String, err)
			}
			for _, l := range labels {
				re := regexp.MustCompile(l.Pattern)
				reached := false
				for _, c := range cases {
					reached = reached || re.MatchString(c[0])
				}
				if !reached {
					t.Errorf("%s: no case reaches label %q → %q", key, l.Pattern, l.Replace)
				}
			}
		}
	}
	for _, lc := range labelCases {
		if !used[lc.name] {
			t.Errorf("cases for %s, which no workbook sheet uses", lc.name)
		}
	}
}

// Every declared label compiles, as Go and DuckDB (both RE2) take it, and
// labels a column the report has.
func TestLabelsCompile(t *testing.T) {
	for _, r := range labelled() {
		for col, ls := range r.Labels {
			if _, ok := r.Column(col); !ok {
				t.Errorf("%s: labels for %q, which is not a column", r.Name, col)
			}
			for _, l := range ls {
				if _, err := regexp.Compile(l.Pattern); err != nil {
					t.Errorf("%s.%s: %v", r.Name, col, err)
				}
			}
		}
	}
}

// Every kind of inbox file (extract.Kinds) has a name for people.
func TestKindNames(t *testing.T) {
	for _, k := range extract.Kinds {
		if KindName(k.Name) == k.Name {
			t.Errorf("kind %s has no name for people", k.Name)
		}
	}
}
