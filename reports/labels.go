package reports

import "strings"

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
		{`^order already billed by an earlier invoice$`, "pedido já faturado por nota anterior"},
		{`^rebill at the quantity the vendor billed$`, "refaturar pela quantidade cobrada pelo fabricante"},
		{`^invoice differs from the order value by (-?)(\d+)\.(\d\d)$`, `nota difere do valor do pedido em R$$ ${1}${2},${3}`},
	}
	cutoffIssues = Codes(map[string]string{
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
		"invalid_cnpj":              "CNPJ inválido",
		"duplicate_cnpj":            "CNPJ duplicado",
		"cutoff_day_out_of_range":   "Dia de corte fora de 1–31",
		"unknown_customer_order":    "Pedido de cliente desconhecido",
		"unknown_customer_bill":     "Cobrança de cliente desconhecido",
		"contract_end_before_start": "Contrato termina antes de começar",
		"not_an_invoice_xml":        "XML que não é NF-e/NFS-e",
		"register_xml_mismatch":     "Registro difere do XML",
		"vendor_formula_mismatch":   "Cobrança fora da fórmula da Microsoft",
		"ptax_rejected_fallback":    "PTAX rejeitada (usada a anterior)",
	})
	dqEntities = Codes(map[string]string{
		"customer": "Cliente", "contract": "Contrato", "file": "Arquivo", "invoice": "Nota fiscal",
		"order_line": "Item de pedido", "vendor_bill": "Cobrança do fabricante", "fx_rate": "PTAX", "nf_xml": "XML de nota",
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
		{`^root element (.*): not an NF-e or NFS-e document$`, "elemento raiz ${1}: não é NF-e nem NFS-e"},
		{`^expected `, "esperado "},
		{`; expected `, "; esperado "},
		{`\bgross `, "bruto "},
		{`\bnet `, "líquido "},
		{`\bdiscount `, "desconto "},
		{` is used instead`, " foi usada no lugar"},
	}
	priceChanges = Codes(map[string]string{
		"new": "Novo", "removed": "Removido", "increased": "Aumento", "decreased": "Redução",
	})
	changedOn = Codes(map[string]string{"cost": "Custo", "sell_price": "Preço de venda"})
)

// customerDisplay names a row's customer when the master has none: an id
// not in the master, or a vendor bill whose customer is not mapped.
const customerDisplay = `coalesce(customer_name, CASE WHEN customer_id IS NULL THEN '(cliente não identificado)' ELSE '(fora do cadastro)' END)`

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

func with(m map[string]string, k, v string) map[string]string {
	m[k] = v
	return m
}

// labelSQL is labels applied to column col in SQL, for a Display
// expression that combines a labelled column with others.
func labelSQL(col string, labels []Label) string {
	e := `"` + col + `"`
	for _, l := range labels {
		e = "regexp_replace(" + e + ", '" + strings.ReplaceAll(l.Pattern, "'", "''") + "', '" + strings.ReplaceAll(l.SQLReplace(), "'", "''") + "', 'g')"
	}
	return e
}
