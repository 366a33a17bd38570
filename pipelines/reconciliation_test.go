package pipelines

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/transform"
)

// The testdata inbox (testdata/reconciliation/inbox, also examples/inbox)
// is period 2025-12, as-of 10/01/2026. Microsoft bills in BRL at
// PCToBCExchangeRate 5.4321, so a unit costs ROUNDDOWN(EffectiveUnitPrice ×
// 5.4321, 2): 36.00 → 195.55, 4.00 → 21.72, 14.00 → 76.04, 15.00 → 81.48.
// One unknown tenant bills 25.00 USD, converted at the PTAX sell of
// 28/11/2025, 5.3216: 133.04.

func reconConfig(t *testing.T, inbox, out string) Config {
	t.Helper()
	cfg := Config{Inbox: inbox, Out: out, Period: "2025-12", AsOf: "2026-01-10"}
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runReconciliation(t *testing.T, cfg Config) error {
	t.Helper()
	_, err := RunAll(context.Background(), cfg, []*Pipeline{Reconciliation})
	return err
}

// byKey indexes a report's rows by the concatenation of key columns.
func byKey(rows []map[string]string, cols ...string) map[string]map[string]string {
	m := map[string]map[string]string{}
	for _, r := range rows {
		var k []string
		for _, c := range cols {
			k = append(k, r[c])
		}
		m[strings.Join(k, "|")] = r
	}
	return m
}

type want map[string]string

func checkRows(t *testing.T, report string, got map[string]map[string]string, tests []struct {
	key  string
	want want
}) {
	t.Helper()
	for _, tt := range tests {
		t.Run(report+"/"+tt.key, func(t *testing.T) {
			row, ok := got[tt.key]
			if !ok {
				t.Fatalf("%s: no row %q", report, tt.key)
			}
			for col, v := range tt.want {
				if row[col] != v {
					t.Errorf("%s %s %s = %q, want %q", report, tt.key, col, row[col], v)
				}
			}
		})
	}
	if len(got) != len(tests) {
		t.Errorf("%s has %d rows, want %d", report, len(got), len(tests))
	}
}

func TestReconciliation(t *testing.T) {
	inbox := copyInbox(t, "reconciliation")
	cfg := reconConfig(t, inbox, t.TempDir())
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	checkRows(t, "reconciliation", byKey(read("reconciliation"), "line_key"), []struct {
		key  string
		want want
	}{
		// 10 × 230,00 ordered, billed by NF-e 5001 (register "005001" = XML 5001).
		{"SO-1001/1", want{"class": "matched", "customer_name": "Construtora Ação Ltda", "ordered_brl": "2300.00",
			"vendor_cost_brl": "1955.50", "invoiced_brl": "2300.00", "variance_brl": "0.00", "nf_numbers": "NFE 5001"}},
		// Ordered 5, Microsoft bills 7 × 21,72 = 152,04 > 125,00: quantity wins over price.
		{"SO-1002/1", want{"class": "quantity_mismatch", "ordered_quantity": "5.00", "billed_quantity": "7.00",
			"ordered_brl": "125.00", "vendor_cost_brl": "152.04", "other_issues": "price_below_cost"}},
		// 3 × 200,00, no invoice at all.
		{"SO-1003/1", want{"class": "ordered_not_invoiced", "customer_name": "Livraria São Paulo S.A.",
			"ordered_brl": "600.00", "vendor_cost_brl": "586.65", "invoiced_brl": "", "variance_brl": "-600.00"}},
		// 20 × 20,00 = 400,00 < 20 × 21,72 = 434,40.
		{"SO-1004/1", want{"class": "price_below_cost", "ordered_brl": "400.00", "vendor_cost_brl": "434.40",
			"invoiced_brl": "400.00", "other_issues": ""}},
		// Register says 1.000,00, the XML 1.050,00: the XML wins.
		{"SO-1005/1", want{"class": "amount_mismatch", "ordered_brl": "1000.00", "vendor_cost_brl": "152.08",
			"invoiced_brl": "1050.00", "variance_brl": "50.00"}},
		// NFS-e 201 and 202 both authorised for one order: 2 × 1.000,00.
		{"SO-1006/1", want{"class": "duplicate_invoice", "customer_name": "Tecnologia Alfa Numérica Ltda",
			"invoiced_brl": "2000.00", "variance_brl": "1000.00", "nf_numbers": "NFSE 201, NFSE 202", "vendor_cost_brl": ""}},
		{"SO-1007/1", want{"class": "cancelled_without_replacement", "cancelled_nf_numbers": "NFE 5005",
			"ordered_brl": "300.00", "vendor_cost_brl": "81.48", "variance_brl": "-300.00"}},
		// 5007 cancelled, replaced by 5008.
		{"SO-1008/1", want{"class": "matched", "ordered_brl": "480.00", "vendor_cost_brl": "391.10",
			"invoiced_brl": "480.00", "nf_numbers": "NFE 5008", "cancelled_nf_numbers": "NFE 5007"}},
		{"SO-1009/1", want{"class": "ordered_not_invoiced", "customer_id": "C099", "customer_name": "", "ordered_brl": "150.00"}},
		// 21,72 × 5 = 108,60 but billed 108,61: the bill's amount is the cost.
		{"vendor_billing/microsoft/G012345678_recon_202512.csv:9", want{"class": "vendor_billed_not_ordered",
			"customer_id": "C001", "vendor_cost_brl": "108.61", "variance_brl": "-108.61"}},
		// 25,00 USD × 5,3216 = 133,04; tenant not in vendor_accounts.
		{"vendor_billing/microsoft/G012345678_recon_202512.csv:10", want{"class": "vendor_billed_not_ordered",
			"customer_id": "", "vendor_cost_brl": "133.04"}},
		{"NFE 5006-1", want{"class": "invoiced_not_ordered", "customer_id": "C002", "so_number": "SO-9999", "invoiced_brl": "250.00"}},
		{"NFE 5009-1", want{"class": "cancelled_without_replacement", "customer_id": "C002", "invoiced_brl": ""}},
	})

	checkRows(t, "reconciliation_summary", byKey(read("reconciliation_summary"), "customer_id"), []struct {
		key  string
		want want
	}{
		// cost 1955,50 + 152,04 + 81,48 + 108,61 = 2297,63; ordered 2300 + 125 + 300;
		// invoiced 2300 + 125; margin 427,37 / 2725 = 15,683 %
		{"C001", want{"vendor_cost_brl": "2297.63", "ordered_brl": "2725.00", "invoiced_brl": "2425.00",
			"variance_brl": "-300.00", "margin_pct": "15.68", "lines": "4", "exceptions": "3"}},
		// cost 586,65 + 434,40 + 152,08 = 1173,13; invoiced 400 + 1050 + 250 (5006);
		// margin 826,87 / 2000 = 41,3435 %
		{"C002", want{"vendor_cost_brl": "1173.13", "ordered_brl": "2000.00", "invoiced_brl": "1700.00",
			"variance_brl": "-300.00", "margin_pct": "41.34", "exceptions": "5"}},
		// margin 1088,90 / 1480 = 73,574 %
		{"C003", want{"vendor_cost_brl": "391.10", "ordered_brl": "1480.00", "invoiced_brl": "2480.00",
			"variance_brl": "1000.00", "margin_pct": "73.57"}},
		// No vendor bill line for C099: its cost is unknown, its margin empty (not 100 %).
		{"C099", want{"vendor_cost_brl": "0.00", "ordered_brl": "150.00", "margin_pct": ""}},
		{"", want{"vendor_cost_brl": "133.04", "ordered_brl": "0.00", "margin_pct": ""}},
	})

	checkRows(t, "credit_rebill", byKey(read("credit_rebill"), "so_number"), []struct {
		key  string
		want want
	}{
		// rebill 7 × 25,00 = 175,00. Every NF-e is past its 24 hours at
		// as-of (00:00 of 10/01/2026): 5002 (no XML: from 00:00 of 23/12)
		// billed too low takes a complementary NF-e, 5004 (authorised
		// 08/12 11:00) too high the customer's return or a debit note; the
		// NFS-e needs fiscal.nfse_cancel_days, not set here.
		{"SO-1002", want{"class": "quantity_mismatch", "credit_nf": "NFE 5002-1", "credit_brl": "125.00", "rebill_brl": "175.00", "net_effect_brl": "50.00",
			"instrument": "complementary_nfe", "deadline": "", "days_left": "", "status": "open"}},
		{"SO-1005", want{"class": "amount_mismatch", "credit_nf": "NFE 5004-1", "credit_brl": "1050.00", "rebill_brl": "1000.00", "net_effect_brl": "-50.00",
			"instrument": "return_or_debit", "status": "open"}},
		{"SO-1006", want{"class": "duplicate_invoice", "credit_nf": "NFSE 202", "credit_brl": "1000.00", "rebill_brl": "0.00", "net_effect_brl": "-1000.00",
			"instrument": "unknown_deadline", "deadline": "", "status": "open"}},
		// Done: 5007 cancelled and replaced by 5008; issued 01/12 (no XML),
		// so cancellable until 02/12: 02/12/2025 − 10/01/2026 = −39 days.
		{"SO-1008", want{"class": "corrected", "credit_nf": "NFE 5007-1", "credit_brl": "480.00", "rebill_brl": "480.00",
			"instrument": "cancel_reissue", "deadline": "2025-12-02", "days_left": "-39", "status": "done", "reason": "replaced by NFE 5008-1"}},
	})

	checkRows(t, "cutoff_portal", byKey(read("cutoff_portal"), "issue", "invoice"), []struct {
		key  string
		want want
	}{
		// Fri 05/12 + 2 business days = Tue 09/12; posted Wed 10/12.
		{"portal_late|NFE 5001-1", want{"portal_deadline_date": "2025-12-09", "portal_posted_date": "2025-12-10", "business_days_late": "1"}},
		{"after_cutoff|NFE 5002-1", want{"billing_cutoff_day": "20", "issue_date": "2025-12-23"}},
		{"after_cutoff|NFSE 202", want{"billing_cutoff_day": "10"}},
		{"after_cutoff|NFE 5008-1", want{"billing_cutoff_day": "10"}},
		// Thu 11/12 + 2 = Mon 15/12.
		{"portal_not_posted|NFSE 202", want{"portal_deadline_date": "2025-12-15", "portal": "Coupa"}},
		{"portal_not_posted|NFE 5008-1", want{"portal_deadline_date": "2025-12-17"}},
		// Not listed: 5002 issued Tue 23/12 posted Fri 26/12, on time only
		// because Christmas is not a business day; NFS-e 201 issued Wed 10/12
		// (cutoff day 10 itself) and posted Fri 12/12.
	})

	checkRows(t, "ar_aging", byKey(read("ar_aging"), "customer_id"), []struct {
		key  string
		want want
	}{
		// 5002 125,00 not due; 5001 2.300,00 6 days; 4901 5.000,00 − 2.000,00 paid, 62 days.
		{"C001", want{"current_brl": "125.00", "days_1_30_brl": "2300.00", "days_31_60_brl": "0.00",
			"days_61_90_brl": "3000.00", "days_over_90_brl": "0.00", "total_open_brl": "5425.00", "open_invoices": "3"}},
		// 5006 not due; 5004 1.050,00 (XML) 3 days; 4801 3.000,00 120 days; 5003 paid.
		{"C002", want{"current_brl": "250.00", "days_1_30_brl": "1050.00", "days_over_90_brl": "3000.00", "total_open_brl": "4300.00"}},
		// 202 980,00 (due on as-of) + 5008 480,00 current; 201 980,00 1 day; 4950 1.500,00 40 days.
		{"C003", want{"current_brl": "1460.00", "days_1_30_brl": "980.00", "days_31_60_brl": "1500.00", "total_open_brl": "3940.00"}},
	})

	exposure := read("credit_exposure")
	if exposure[0]["customer_id"] != "C002" {
		t.Errorf("credit_exposure starts with %s, want the over-limit C002", exposure[0]["customer_id"])
	}
	checkRows(t, "credit_exposure", byKey(exposure, "customer_id"), []struct {
		key  string
		want want
	}{
		// Open receivables + orders open at as-of + the months still owed
		// Microsoft for P1Y subscriptions billed monthly (December's
		// charges × 11, to 30/11/2026). C002: 4.300,00 + 600,00 (SO-1003)
		// + 11 × (586,65 + 434,40 + 152,08) = 4.900,00 + 12.904,43 =
		// 17.804,43 > 4.000,00 (445,11 %).
		{"C002", want{"ordered_not_invoiced_brl": "600.00", "committed_remaining_brl": "12904.43", "exposure_brl": "17804.43",
			"headroom_brl": "-13804.43", "limit_used_pct": "445.11", "is_over_limit": "true"}},
		// 5.425,00 + 300,00 (SO-1007, its invoice cancelled) + 11 ×
		// (1.955,50 + 152,04 + 81,48 + 108,61) = 30.998,93 (62,00 %).
		{"C001", want{"ordered_not_invoiced_brl": "300.00", "committed_remaining_brl": "25273.93", "exposure_brl": "30998.93",
			"headroom_brl": "19001.07", "limit_used_pct": "62.00", "is_over_limit": "false"}},
		// 3.940,00 + 11 × 391,10 = 8.242,10 (164,84 %).
		{"C003", want{"committed_remaining_brl": "4302.10", "exposure_brl": "8242.10", "limit_used_pct": "164.84"}},
		{"C004", want{"exposure_brl": "0.00", "limit_used_pct": "0.00"}},
		{"C005", want{"exposure_brl": "0.00", "limit_used_pct": ""}},
	})

	checkRows(t, "data_quality", byKey(read("data_quality"), "check_name", "entity_key"), []struct {
		key  string
		want want
	}{
		{"contract_end_before_start|K003", want{}},
		{"cutoff_day_out_of_range|C004", want{"value": "35"}},
		{"duplicate_cnpj|C002", want{"detail": "same CNPJ as C004"}},
		{"duplicate_cnpj|C004", want{"detail": "same CNPJ as C002"}},
		{"invalid_cnpj|C005", want{"value": "11.222.333/0001-82", "source_file": "erp/customers/clientes_novos.csv", "source_line": "4"}},
		// Microsoft licences (in the vendor's bills) on NF-e, the order's
		// month or not: software licensing is an NFS-e's.
		{"licence_on_nfe|SO-0950/1", want{"value": "NFE 4960-1"}},
		{"licence_on_nfe|SO-1001/1", want{"value": "NFE 5001-1", "detail": "licence CFQ7TTC0LF8R/0001 invoiced on NF-e NFE 5001-1: " +
			"software licensing pays ISS on an NFS-e, not ICMS (LC 116/2003 item 1.05; STF, ADI 1945 and ADI 5659, 2021)"}},
		{"licence_on_nfe|SO-1002/1", want{"value": "NFE 5002-1"}},
		{"licence_on_nfe|SO-1004/1", want{"value": "NFE 5003-1"}},
		{"licence_on_nfe|SO-1005/1", want{"value": "NFE 5004-1"}},
		{"licence_on_nfe|SO-1008/1", want{"value": "NFE 5008-1"}},
		{"register_xml_mismatch|NFE 5004-1", want{"detail": "gross 1000.00 ≠ XML 1050.00; net 1000.00 ≠ XML 1050.00"}},
		{"unknown_customer_bill|vendor_billing/microsoft/G012345678_recon_202512.csv:10", want{}},
		{"unknown_customer_order|SO-1009/1", want{"value": "C099"}},
		{"vendor_formula_mismatch|vendor_billing/microsoft/G012345678_recon_202512.csv:6", want{"detail": "expected Subtotal + TaxTotal = 162.08"}},
		{"vendor_formula_mismatch|vendor_billing/microsoft/G012345678_recon_202512.csv:9", want{"detail": "expected ROUNDDOWN(4.0000 × 5.4321, 2) × 5.00 = 108.60"}},
	})

	rejects, err := os.ReadFile(filepath.Join(dir, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := "file,line,column,value,reason\r\n" +
		"erp/customers/clientes.csv,4,credit_limit,dez mil,\"not a number with a decimal comma (1.234,56)\"\r\n" +
		"erp/orders/pedidos_2025-12.csv,12,quantity,dez,\"not a number with a decimal comma (1.234,56)\"\r\n" +
		"vendor_billing/microsoft/G012345678_recon_202512.csv,11,EffectiveUnitPrice,n/a,not a number\r\n"
	if string(rejects) != wantRejects {
		t.Errorf("rejects.csv:\n%s\nwant:\n%s", rejects, wantRejects)
	}

	t.Run("workbook", func(t *testing.T) {
		f, err := excelize.OpenFile(filepath.Join(dir, "reconciliation.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		wantSheets := []string{"Sobre", "Resumo", "Resumo por cliente", "Conciliação", "Crédito e refaturamento", "Eventos fiscais", "Corte e portal",
			"Aging", "Exposição de crédito", "Qualidade de dados", "Revisão", "Pendências", "Tendência", "Contestações", "Rejeições"}
		if strings.Join(sheets, "|") != strings.Join(wantSheets, "|") {
			t.Errorf("sheets = %q, want %q", sheets, wantSheets)
		}
		rows, err := f.GetRows("Conciliação")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 15 {
			t.Errorf("Conciliação has %d rows, want header + 13 + totals", len(rows))
		}
		// For people: the period as 12/2025, reasons in Portuguese (the
		// CSV above keeps the codes and English text).
		for _, tt := range []struct{ sheet, cell, want string }{
			{"Resumo", "A1", "Período"},
			{"Resumo", "A2", "12/2025"},
			{"Resumo por cliente", "A2", "12/2025"},
			{"Conciliação", "D1", "Período"},
			{"Conciliação", "D2", "12/2025"},
			{"Rejeições", "E2", "não é número com vírgula decimal (1.234,56)"},
			{"Rejeições", "E4", "não é número"},
		} {
			if got, err := f.GetCellValue(tt.sheet, tt.cell); err != nil || got != tt.want {
				t.Errorf("%s!%s = %q (%v), want %q", tt.sheet, tt.cell, got, err, tt.want)
			}
		}
	})

	// Both document kinds parsed and merged with the register, 1252 and
	// UTF-8 customer files read with their accents.
	t.Run("warehouse", func(t *testing.T) {
		w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		tests := []struct {
			name, query, want string
		}{
			{"NF-e from XML", "SELECT doc_key || ' ' || net_brl || ' ' || in_register FROM invoices WHERE kind = 'NFE' AND nf_number = '5001'",
				"31251211222333000181550010000050011000050014 2300.00 true"},
			{"NFS-e from XML", "SELECT doc_key || ' ' || billed_brl || ' ' || taxes_withheld_brl || ' ' || net_brl FROM invoices WHERE kind = 'NFSE' AND nf_number = '201'",
				"NFS31062002211222333000181000000000020125121000000001 1000.00 20.00 980.00"},
			{"NF-e items", "SELECT string_agg(product_code || ' ' || quantity, ',' ORDER BY product_code) FROM raw_nf WHERE record = 'item'", "CFQ7TTC0LF8R 10.0000,CFQ7TTC0LHSF 2.0000"},
			{"Windows-1252 file", "SELECT name FROM customers WHERE customer_id = 'C002'", "Livraria São Paulo S.A."},
			{"UTF-8 file", "SELECT name FROM customers WHERE customer_id = 'C005'", "Inválida Serviços Ltda"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got string
				if err := w.Conn.QueryRowContext(context.Background(), tt.query).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			})
		}
	})

	// A second run on the same inbox loads nothing and publishes the same bytes.
	t.Run("rerun", func(t *testing.T) {
		before := map[string][]byte{}
		csvs, err := filepath.Glob(filepath.Join(dir, "*.csv"))
		if err != nil {
			t.Fatal(err)
		}
		// An empty list would compare nothing and pass: the run publishes
		// a CSV per report.
		if len(csvs) == 0 {
			t.Fatalf("no CSV under %s to compare", dir)
		}
		for _, p := range csvs {
			if before[p], err = os.ReadFile(p); err != nil {
				t.Fatal(err)
			}
		}
		if err := runReconciliation(t, cfg); err != nil {
			t.Fatal(err)
		}
		for _, p := range csvs {
			after, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before[p], after) {
				t.Errorf("%s changed on a re-run", filepath.Base(p))
			}
		}
	})
}

func TestCNPJValid(t *testing.T) {
	w, err := transform.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tests := []struct {
		cnpj string
		want bool
	}{
		{"12.ABC.345/01DE-35", true}, // alphanumeric, Receita Federal's example
		{"12ABC34501DE35", true},
		{"12.abc.345/01de-35", true},
		{"11.222.333/0001-81", true},
		{"11222333000181", true},
		{"11.444.777/0001-61", true},
		{"12.ABC.345/01DE-36", false}, // DV2 off by one
		{"11.222.333/0001-82", false},
		{"11.222.333/0001-91", false},
		{"00.000.000/0000-00", false}, // all the same digit
		{"11111111111111", false},
		{"1122233300018", false},   // 13 characters
		{"112223330001810", false}, // 15
		{"12.ABC.345/01DE-3A", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.cnpj, func(t *testing.T) {
			var got bool
			if err := w.Conn.QueryRowContext(context.Background(), "SELECT cnpj_valid(?)", tt.cnpj).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("cnpj_valid(%q) = %v, want %v", tt.cnpj, got, tt.want)
			}
		})
	}
}

func TestReconciliationFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, inbox string)
		want  string
	}{
		{"missing required column", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "erp/orders/x.csv", "pedido;customer_id;order_date;line;product_id;quantity;unit_price_brl;period_start;period_end\n")
		}, `erp/orders/x.csv: missing column "so_number"`},
		{"erp file declared utf-8 is not", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "erp/customers/latin1.csv", "customer_id;name;cnpj\nC010;Constru\xe7\xe3o;11444777000161\n")
		}, "erp/customers/latin1.csv:2: bad value: invalid unicode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := copyInbox(t, "reconciliation")
			tt.setup(t, inbox)
			cfg := reconConfig(t, inbox, t.TempDir())
			if strings.Contains(tt.name, "utf-8") {
				cfg.Reconciliation.ERPEncoding = "utf-8"
				os.Remove(filepath.Join(inbox, "erp/customers/clientes.csv"))
			}
			err := runReconciliation(t, cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(cfg.Out, "reconciliation", "2025-12")); !os.IsNotExist(err) {
				t.Errorf("a failed run published its folder (stat: %v)", err)
			}
		})
	}
}

// TestReconciliationSameNumberTies: an NF-e and an NFS-e may carry the same
// number on the same day. Both bill SO-1010 in full, so the order is billed
// twice; the first is taken by issue date, number, then kind (NFE before
// NFSE), whatever the order of the register's lines or of the stored
// invoices, and the other is the one to credit.
func TestReconciliationSameNumberTies(t *testing.T) {
	inbox := copyInbox(t, "reconciliation")
	appendTo := func(rel, lines string) {
		p := filepath.Join(inbox, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, inbox, rel, string(b)+lines)
	}
	appendTo("erp/orders/pedidos_2025-12.csv", "SO-1010;PO-91;C003;;01/12/2025;annual;1;SALESOPS-CRM;;1;1.000,00;01/12/2025;30/11/2026;;open\n")
	// The NFS-e first in the register.
	appendTo("erp/invoices/notas_2025.csv",
		"301;;NFSE;15/12/2025;12.ABC.345/01DE-35;SO-1010;1.000,00;0,00;20,00;980,00;autorizada;14/01/2026;;;15/12/2025;\n"+
			"301;1;NFE;15/12/2025;12.ABC.345/01DE-35;SO-1010;1.000,00;0,00;0,00;1.000,00;autorizada;14/01/2026;;;15/12/2025;\n")
	cfg := reconConfig(t, inbox, t.TempDir())
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
	rec := byKey(readCSV(t, filepath.Join(dir, "reconciliation.csv")), "line_key")["SO-1010/1"]
	// 2 × 1.000,00 invoiced for 1.000,00 ordered.
	for col, want := range map[string]string{"class": "duplicate_invoice", "nf_numbers": "NFE 301, NFSE 301",
		"invoiced_brl": "2000.00", "variance_brl": "1000.00"} {
		if rec[col] != want {
			t.Errorf("reconciliation SO-1010/1 %s = %q, want %q", col, rec[col], want)
		}
	}
	credit := byKey(readCSV(t, filepath.Join(dir, "credit_rebill.csv")), "so_number")["SO-1010"]
	for col, want := range map[string]string{"class": "duplicate_invoice", "credit_nf": "NFSE 301",
		"credit_issue_date": "2025-12-15", "credit_brl": "1000.00", "rebill_brl": "0.00"} {
		if credit[col] != want {
			t.Errorf("credit_rebill SO-1010 %s = %q, want %q", col, credit[col], want)
		}
	}
}

// With Belo Horizonte's holidays (the examples' schedule.holidays), 08/12
// is no business day: NF-e 5001, issued Friday 05/12/2025 for a customer
// posting on its portal within 2 business days, is due on Wednesday 10/12
// (Mon 08 a holiday, Tue 09, Wed 10), not Tuesday 09/12, and was posted on
// the 10th: on time, no finding. Without them it is one day late
// (TestReconciliation).
func TestReconciliationLocalHolidays(t *testing.T) {
	inbox := copyInbox(t, "reconciliation")
	cfg := Config{Inbox: inbox, Out: t.TempDir(), Period: "2025-12", AsOf: "2026-01-10"}
	cfg.Schedule.Holidays = []string{"08-15", "12-08"}
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatal(err)
	}
	for _, r := range readCSV(t, filepath.Join(cfg.Out, "reconciliation", "2025-12", "cutoff_portal.csv")) {
		if r["invoice"] == "NFE 5001-1" {
			t.Errorf("cutoff_portal lists NF-e 5001 (%s, deadline %s) though 08/12 is a holiday", r["issue"], r["portal_deadline_date"])
		}
	}
}
