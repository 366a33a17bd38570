package pipelines

import (
	"path/filepath"
	"testing"
)

// TestReceivables: the example inbox (erp/receivables/parcelas.csv: NF-e
// 4950 of C003, 1.500,00 in three installments of 500,00; NF-e 4960 of
// C001, 2.300,00 paid on 20/12/2025 as two installments of 1.100,00) plus
// titles of other kinds, aged at as-of 10/01/2026. Every other invoice
// ages from the register as before.
func TestReceivables(t *testing.T) {
	cfg := runWith(t, map[string]string{"erp/receivables/extra.csv": "" +
		"nf_number;series;installment;title_type;customer_id;issue_date;due_date;amount;balance;paid_date\n" +
		// 5003 (C002, 400,00): the register says paid on 05/01/2026, this
		// later export that the payment came on 12/01, after as-of.
		"5003;1;;NF;C002;08/12/2025;05/01/2026;400,00;0,00;12/01/2026\n" +
		// 5001 (C001, 2.300,00) with 34,50 of IRRF withheld (IR-).
		"005001;1;;NF;C001;05/12/2025;04/01/2026;2.300,00;2.300,00;\n" +
		"005001;1;;IR-;C001;05/12/2025;04/01/2026;34,50;34,50;\n" +
		// No invoice 9999: aged under its customer.
		"9999;1;;NF;C004;01/12/2025;15/12/2025;100,00;100,00;\n" +
		// An advance received is the customer's credit, not owed.
		"7777;1;;RA;C001;01/12/2025;01/12/2025;50,00;50,00;\n",
	}, Pricelist, Reconciliation, Quotes)
	dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	checkRows(t, "ar_aging", byKey(read("ar_aging"), "customer_id"), []struct {
		key  string
		want want
	}{
		// 5002 125,00 not due; 5001 2.300,00 − 34,50 = 2.265,50 due
		// 04/01 (6 days); 4901 5.000,00 − 2.000,00 paid, due 09/11 (62
		// days); 4960's installments paid (balance 0,00). The RA title is
		// left out.
		{"C001", want{"current_brl": "125.00", "days_1_30_brl": "2265.50", "days_31_60_brl": "0.00",
			"days_61_90_brl": "3000.00", "days_over_90_brl": "0.00", "total_open_brl": "5390.50", "open_invoices": "3"}},
		// 5006 250,00 not due; 5004 1.050,00 (XML) 3 days + 5003 400,00
		// paid after as-of, due 05/01 (5 days); 4801 3.000,00 from the
		// register, due 12/09/2025 (120 days).
		{"C002", want{"current_brl": "250.00", "days_1_30_brl": "1450.00", "days_31_60_brl": "0.00",
			"days_61_90_brl": "0.00", "days_over_90_brl": "3000.00", "total_open_brl": "4700.00", "open_invoices": "4"}},
		// Three installments of 4950 in three buckets: 500,00 due 01/02/2026
		// (current), 01/01/2026 (9 days), 01/12/2025 (40 days); beside them
		// NFS-e 203 980,00 due 14/01/2026 and 5008 480,00 (current), and
		// NFS-e 204 1.068,00 (SO-1012, issue 25's indexed order) due
		// 01/01/2026 (9 days): 500,00 + 1.068,00 = 1.568,00. NFS-e 201 and
		// 202 are cancelled by their events (issue 24): not owed.
		{"C003", want{"current_brl": "1960.00", "days_1_30_brl": "1568.00", "days_31_60_brl": "500.00",
			"days_61_90_brl": "0.00", "days_over_90_brl": "0.00", "total_open_brl": "4028.00", "open_invoices": "4"}},
		// The title of no invoice, due 15/12/2025 (26 days).
		{"C004", want{"current_brl": "0.00", "days_1_30_brl": "100.00", "total_open_brl": "100.00", "open_invoices": "1"}},
	})

	checkRows(t, "credit_exposure", byKey(read("credit_exposure"), "customer_id"), []struct {
		key  string
		want want
	}{
		// Open + the orders open at as-of + the committed months still owed
		// Microsoft (issue 25: 11 × December's P1Y monthly charges).
		// C002: 4.700,00 + 600,00 (SO-1003) + 566,40 (SO-2060, 20 × 28,32,
		// ordered 08/01/2026) + 11 × (586,65 + 434,40 + 152,08) =
		// 4.700,00 + 1.166,40 + 12.904,43 = 18.770,83 against 4.000,00
		// (469,27 %).
		{"C002", want{"open_receivables_brl": "4700.00", "ordered_not_invoiced_brl": "1166.40", "committed_remaining_brl": "12904.43",
			"exposure_brl": "18770.83", "headroom_brl": "-14770.83", "limit_used_pct": "469.27", "is_over_limit": "true"}},
		// C001: 5.390,50 + 300,00 (SO-1007, its invoice cancelled) + 300,00
		// (SO-0904, October's, never invoiced) + 11 × (1.955,50 + 152,04 +
		// 81,48 + 108,61) = 5.390,50 + 600,00 + 25.273,93 = 31.264,43.
		{"C001", want{"open_receivables_brl": "5390.50", "ordered_not_invoiced_brl": "600.00", "committed_remaining_brl": "25273.93",
			"exposure_brl": "31264.43", "headroom_brl": "18735.57"}},
		// C003: 4.028,00 + 1.050,00 (SO-2030) + 11 × 391,10 = 9.380,10.
		{"C003", want{"open_receivables_brl": "4028.00", "ordered_not_invoiced_brl": "1050.00", "committed_remaining_brl": "4302.10",
			"exposure_brl": "9380.10"}},
		{"C004", want{"open_receivables_brl": "100.00", "exposure_brl": "100.00", "headroom_brl": "900.00", "limit_used_pct": "10.00"}},
		{"C005", want{"open_receivables_brl": "0.00"}},
	})

	// The quotes' credit check reads that exposure: C002's request Q-103.
	checkSome(t, "quotes", byKey(readCSV(t, filepath.Join(cfg.Out, "quotes", "2025-12", "quotes.csv")), "proposal_number"), []struct {
		key  string
		want want
	}{
		{"Q-103-r1", want{"customer_id": "C002", "exposure_brl": "18770.83"}},
	})

	dq := byKey(read("data_quality"), "check_name", "entity_key")
	for key, w := range map[string]want{
		// 1.100,00 + 1.100,00 ≠ 2.300,00
		"installments_mismatch|NFE 4960-1": {"value": "installments 2200.00", "detail": "net 2300.00 ≠ 2 installment(s) adding up to 2200.00",
			"source_file": "erp/receivables/parcelas.csv", "source_line": "5"},
		// 2.300,00 − 34,50 ≠ 2.300,00: the register's net ignores the IRRF
		"installments_mismatch|NFE 5001-1": {"value": "installments 2265.50", "detail": "net 2300.00 ≠ 1 installment(s) adding up to 2265.50",
			"source_file": "erp/receivables/extra.csv", "source_line": "3"},
		"receivable_without_invoice|1 9999": {"value": "9999", "detail": "no invoice has this number; aged under C004",
			"source_file": "erp/receivables/extra.csv", "source_line": "5"},
	} {
		row, ok := dq[key]
		if !ok {
			t.Errorf("data_quality: no row %s", key)
			continue
		}
		for col, v := range w {
			if row[col] != v {
				t.Errorf("data_quality %s %s = %q, want %q", key, col, row[col], v)
			}
		}
	}
	// 4950's installments add up to its net, 5003's title to its net: no finding.
	for _, key := range []string{"installments_mismatch|NFE 4950-1", "installments_mismatch|NFE 5003-1", "receivable_without_invoice|1 7777 RA"} {
		if _, ok := dq[key]; ok {
			t.Errorf("data_quality has %s", key)
		}
	}
}
