package extract

import (
	"context"
	"testing"
)

// TestMappedLicensing: issue 25's columns through a mapping of the shop's
// own exports (the protheus profile maps none: Protheus has no standard
// field for them, docs/erp.md): the contract lines' product class and
// price sheet, the contracts' FX rule and the statements, each staged or
// rejected naming the ERP's column.
func TestMappedLicensing(t *testing.T) {
	tests := []struct {
		name    string
		block   string
		format  ERPFormat
		file    string
		body    string
		model   string
		row     string
		staged  []string
		rejects []string
	}{
		{"contract lines", "contract_lines", ERPFormat{
			Columns: map[string]ERPColumn{"contract_id": {"CONTRATO"}, "product_id": {"PRODUTO"}, "quantity": {"QTD"},
				"product_class": {"CLASSE"}, "license_price": {"LICENCA"}, "sa_price": {"SA"}},
			Decimal: ".",
		}, "erp/contract_lines/itens.csv", lines("CONTRATO;PRODUTO;QTD;CLASSE;LICENCA;SA",
			"K010;9EM-00652;8;adicional;7600.00;1900.00",
			"K010;CFQ7TTC0LF8R;100;;;2760",
			"K011;CFQ7TTC0LH18;5;premium;;1.900,00"),
			"stg_erp_contract_lines",
			`contract_id || ' ' || product_id || ' ' || product_class || ' ' || coalesce(license_price::DECIMAL(18,2)::VARCHAR, '-')
				|| ' ' || coalesce(sa_price::DECIMAL(18,2)::VARCHAR, '-')`,
			[]string{
				"2 K010 9EM-00652 additional 7600.00 1900.00",
				"3 K010 CFQ7TTC0LF8R enterprise - 2760.00",
			},
			[]string{
				"erp/contract_lines/itens.csv:4: CLASSE: premium: must be enterprise, additional or online_service",
				"erp/contract_lines/itens.csv:4: SA: 1.900,00: not a number with a decimal point (1234.56)",
			}},
		{"contracts", "contracts", ERPFormat{
			Columns: map[string]ERPColumn{"contract_id": {"CONTRATO"}, "customer_id": {"CLIENTE"}, "vendor": {"FABRICANTE"},
				"start_date": {"INICIO"}, "end_date": {"FIM"}, "currency": {"MOEDA"}, "fx_rule": {"CAMBIO"}},
			DateFormat: "%Y%m%d",
		}, "erp/contracts/contratos.csv", lines("CONTRATO;CLIENTE;FABRICANTE;INICIO;FIM;MOEDA;CAMBIO",
			"K027;C003;Microsoft;20251201;20261130;USD;PTAX_D1",
			"K028;C003;Microsoft;20251201;20261130;USD;mensal"),
			"stg_erp_contracts",
			`contract_id || ' ' || start_date || ' ' || currency || ' ' || coalesce(fx_rule, '-')`,
			[]string{"2 K027 2025-12-01 USD ptax_d1"},
			[]string{"erp/contracts/contratos.csv:3: CAMBIO: mensal: must be ptax_d1 or ptax_month"}},
		{"statements", "statements", ERPFormat{
			Columns: map[string]ERPColumn{"contract_id": {"CONTRATO"}, "anniversary": {"ANIVERSARIO"}, "kind": {"TIPO"},
				"submitted_on": {"ENVIO"}, "reference": {"PROTOCOLO"}},
			DateFormat: "%Y-%m-%d",
			Values:     map[string]map[string]string{"kind": {"TU": "true_up", "US": "update_statement"}},
		}, "erp/statements/declaracoes.csv", lines("CONTRATO;ANIVERSARIO;TIPO;ENVIO;PROTOCOLO",
			"K025;2025-02-01;US;2024-12-12;US-K025-2025",
			"K010;2025-03-01;TU;2025-13-01;",
			"K011;2026-03-01;XX;2026-01-20;"),
			"stg_erp_statements",
			`contract_id || ' ' || anniversary_date || ' ' || kind || ' ' || submitted_on || ' ' || coalesce(reference, '-')`,
			[]string{"2 K025 2025-02-01 update_statement 2024-12-12 US-K025-2025"},
			[]string{
				"erp/statements/declaracoes.csv:3: ENVIO: 2025-13-01: not a date (aaaa-mm-dd)",
				"erp/statements/declaracoes.csv:4: TIPO: XX: not in the value map (TU, US): add it under erp.values.statements.kind",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.format
			erp, err := ResolveERP(ERPConfig{Kinds: map[string]*ERPFormat{tt.block: &f}})
			if err != nil {
				t.Fatal(err)
			}
			w := openWarehouse(t)
			if _, err := syncInbox(t, w, map[string]string{tt.file: tt.body}, Options{ERP: erp}); err != nil {
				t.Fatal(err)
			}
			// The statements are not staged on load: built here.
			if err := w.Build(context.Background(), tt.model); err != nil {
				t.Fatal(err)
			}
			sameLines(t, "staged", query(t, w, "select line || ' ' || "+tt.row+" from "+tt.model+" where len(_errors) = 0 order by line"), tt.staged)
			sameLines(t, "rejects", stagedRejects(t, w, tt.model), tt.rejects)
		})
	}
}
