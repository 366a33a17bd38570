package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/transform"
)

// The invoice_identity inbox (period 2025-12, as-of 10/01/2026) holds three
// invoices our company (CNPJ 11.222.333/0001-81) issued, each with its
// register line and its XML:
//
//   - NFS-e 301, SO-2001 (C010, portal Coupa, cutoff day 20): 1.000,00, ISS
//     withheld 20,00, net 980,00; issued Wed 10/12, posted Fri 12/12, paid
//     500,00 on 05/01, due 09/01;
//   - NFS-e 302, SO-2002 (C010): 500,00, ISS 10,00, net 490,00; issued Mon
//     22/12, not posted, due 21/01;
//   - NF-e 6001 series 1, SO-2003 (C011, cutoff day 25): ordered 2 × 525,00;
//     the register says 1.000,00, the XML 1.050,00. Microsoft bills the two
//     licences at ROUNDDOWN(36,00 × 5,4321, 2) = 195,55 each: 391,10.
//
// The register gives both NFS-e series "A"; their XML carry the DPS serie 1,
// the issuer's numbering of the declaration, which is no series of the
// NFS-e: the register line and the XML are still one invoice.

// TestInvoiceIdentityNFSeSeries checks every report the invoices feed for an
// NFS-e whose register series differs from its XML's.
func TestInvoiceIdentityNFSeSeries(t *testing.T) {
	inbox := copyInbox(t, "invoice_identity")
	cfg := reconConfig(t, inbox, t.TempDir())
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	// Every order matched to its own invoice; no XML left over as
	// invoiced_not_ordered.
	rec := read("reconciliation")
	for _, r := range rec {
		if r["class"] == "invoiced_not_ordered" {
			t.Errorf("reconciliation: %s is invoiced_not_ordered", r["line_key"])
		}
	}
	checkRows(t, "reconciliation", byKey(rec, "line_key"), []struct {
		key  string
		want want
	}{
		{"SO-2001/1", want{"class": "matched", "ordered_brl": "1000.00", "invoiced_brl": "1000.00",
			"variance_brl": "0.00", "nf_numbers": "NFSE 301", "other_issues": ""}},
		{"SO-2002/1", want{"class": "matched", "ordered_brl": "500.00", "invoiced_brl": "500.00",
			"variance_brl": "0.00", "nf_numbers": "NFSE 302", "other_issues": ""}},
		// 2 × 525,00 = 1.050,00, invoiced 1.050,00 by the XML (not the register's 1.000,00).
		{"SO-2003/1", want{"class": "matched", "ordered_brl": "1050.00", "vendor_cost_brl": "391.10", "invoiced_brl": "1050.00",
			"variance_brl": "0.00", "nf_numbers": "NFE 6001", "other_issues": ""}},
	})

	// Invoiced counts each invoice once: 1.000,00 + 500,00. C011's margin
	// (1.050,00 − 391,10) / 1.050,00 = 62,752 %.
	checkRows(t, "reconciliation_summary", byKey(read("reconciliation_summary"), "customer_id"), []struct {
		key  string
		want want
	}{
		{"C010", want{"vendor_cost_brl": "0.00", "ordered_brl": "1500.00", "invoiced_brl": "1500.00", "variance_brl": "0.00",
			"margin_pct": "", "lines": "2", "exceptions": "0"}}, // no vendor bill: cost unknown, no margin
		{"C011", want{"vendor_cost_brl": "391.10", "ordered_brl": "1050.00", "invoiced_brl": "1050.00", "variance_brl": "0.00",
			"margin_pct": "62.75", "lines": "1", "exceptions": "0"}},
	})

	checkRows(t, "ar_aging", byKey(read("ar_aging"), "customer_id"), []struct {
		key  string
		want want
	}{
		// 301: 980,00 − 500,00 paid = 480,00, due 09/01, 1 day late;
		// 302: 490,00 due 21/01, current.
		{"C010", want{"current_brl": "490.00", "days_1_30_brl": "480.00", "days_31_60_brl": "0.00",
			"days_61_90_brl": "0.00", "days_over_90_brl": "0.00", "total_open_brl": "970.00", "open_invoices": "2"}},
		// 6001: 1.050,00 (the XML's net), due 14/01.
		{"C011", want{"current_brl": "1050.00", "days_1_30_brl": "0.00", "total_open_brl": "1050.00", "open_invoices": "1"}},
	})

	checkRows(t, "credit_exposure", byKey(read("credit_exposure"), "customer_id"), []struct {
		key  string
		want want
	}{
		// 970,00 / 10.000,00 = 9,70 %. C011 also owes Microsoft 11 more
		// months of its P1Y subscription billed monthly (391,10 for
		// December, to 30/11/2026): 1.050,00 + 4.302,10 = 5.352,10 /
		// 5.000,00 = 107,04 %.
		{"C010", want{"open_receivables_brl": "970.00", "exposure_brl": "970.00", "limit_used_pct": "9.70"}},
		{"C011", want{"open_receivables_brl": "1050.00", "committed_remaining_brl": "4302.10", "exposure_brl": "5352.10",
			"limit_used_pct": "107.04"}},
	})

	// 301 (Wed 10/12 + 2 business days = Fri 12/12, posted 12/12) is on
	// time and issued on day 10: not listed. 302 is issued on day 22 > 20
	// and not posted by Mon 22/12 + 2 = Wed 24/12. Each row once.
	cutoff := read("cutoff_portal")
	if len(cutoff) != 2 {
		t.Errorf("cutoff_portal has %d rows, want 2: %v", len(cutoff), cutoff)
	}
	for _, r := range cutoff {
		if strings.HasPrefix(r["invoice"], "NFSE 301") {
			t.Errorf("cutoff_portal: posted NFS-e 301 listed as %s (%s)", r["issue"], r["invoice"])
		}
	}
	checkRows(t, "cutoff_portal", byKey(cutoff, "issue", "invoice"), []struct {
		key  string
		want want
	}{
		{"after_cutoff|NFSE 302", want{"customer_id": "C010", "issue_date": "2025-12-22", "billing_cutoff_day": "20",
			"detail": "issued on day 22, cutoff day 20"}},
		{"portal_not_posted|NFSE 302", want{"customer_id": "C010", "portal": "Coupa", "portal_deadline_date": "2025-12-24",
			"portal_posted_date": ""}},
	})

	dq := read("data_quality")
	if len(dq) != 4 {
		t.Errorf("data_quality has %d rows, want 4: %v", len(dq), dq)
	}
	checkRows(t, "data_quality", byKey(dq, "check_name", "entity_key"), []struct {
		key  string
		want want
	}{
		{"register_xml_mismatch|NFSE 301", want{"detail": "series A ≠ XML DPS serie 1",
			"source_file": "erp/invoices/notas_2025.csv", "source_line": "2"}},
		{"register_xml_mismatch|NFSE 302", want{"detail": "series A ≠ XML DPS serie 1", "source_line": "3"}},
		{"register_xml_mismatch|NFE 6001-1", want{"detail": "gross 1000.00 ≠ XML 1050.00; net 1000.00 ≠ XML 1050.00",
			"source_line": "4"}},
		// a Microsoft licence (the vendor bills it) on an NF-e
		{"licence_on_nfe|SO-2003/1", want{"value": "NFE 6001-1"}},
	})

	// One row per invoice in the warehouse, register and XML merged.
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var got string
	q := `SELECT string_agg(concat_ws(' ', kind, nf_number, coalesce(series, '-'), issuer_cnpj, in_register, has_xml, net_brl),
	                        ', ' ORDER BY kind, nf_number) FROM invoices`
	if err := w.Conn.QueryRowContext(context.Background(), q).Scan(&got); err != nil {
		t.Fatal(err)
	}
	wantInvoices := "NFE 6001 1 11222333000181 true true 1050.00, " +
		"NFSE 301 - 11222333000181 true true 980.00, " +
		"NFSE 302 - 11222333000181 true true 490.00"
	if got != wantInvoices {
		t.Errorf("invoices = %q, want %q", got, wantInvoices)
	}
}

// TestInvoiceIdentityNFeIssuer checks that an NF-e is identified by its
// issuer too: a supplier's NF-e 6001 series 1 (777,00, issued to us) in the
// inbox is another invoice, and ours still merges with its register line,
// one invoice with one finding (the register's amount).
func TestInvoiceIdentityNFeIssuer(t *testing.T) {
	tests := []struct {
		name           string
		registerSeries string // the register's series of NF-e 6001
	}{
		{"register with series", "1"},
		// The series then comes from our only XML NF-e 6001, not the
		// supplier's of the same number.
		{"register without series", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := copyInbox(t, "invoice_identity")
			supplier, err := os.ReadFile(filepath.Join("testdata", "invoice_identity", "nfe_6001_fornecedor.xml"))
			if err != nil {
				t.Fatal(err)
			}
			// Named to sort after nfe_6001.xml, the copy a merge keyed on
			// number and series alone would keep.
			writeFile(t, inbox, "nf/2025/12/nfe_6001_fornecedor.xml", string(supplier))
			writeFile(t, inbox, "erp/invoices/notas_2025.csv",
				"nf_number;series;kind;issue_date;customer_cnpj;so_number;gross;discount;taxes_withheld;net;status;due_date;paid_date;paid_amount;portal_posted_date;replaces_nf\n"+
					"6001;"+tt.registerSeries+";NFE;15/12/2025;11.444.777/0001-61;SO-2003;1.000,00;0,00;0,00;1.000,00;autorizada;14/01/2026;;;;\n")
			cfg := reconConfig(t, inbox, t.TempDir())
			if err := runReconciliation(t, cfg); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
			read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

			// 2 × 525,00 invoiced by our XML's 1.050,00.
			rec := byKey(read("reconciliation"), "line_key")
			if r := rec["SO-2003/1"]; r["class"] != "matched" || r["invoiced_brl"] != "1050.00" || r["nf_numbers"] != "NFE 6001" {
				t.Errorf("SO-2003/1 = %v, want matched, invoiced 1050.00 by NFE 6001", r)
			}

			var findings []map[string]string
			for _, r := range read("data_quality") {
				if r["check_name"] == "register_xml_mismatch" {
					findings = append(findings, r)
				}
			}
			wantDetail := "gross 1000.00 ≠ XML 1050.00; net 1000.00 ≠ XML 1050.00"
			if len(findings) != 1 || findings[0]["entity_key"] != "NFE 6001-1" || findings[0]["detail"] != wantDetail {
				t.Errorf("register_xml_mismatch findings = %v, want one for NFE 6001-1: %s", findings, wantDetail)
			}

			w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			var got string
			q := `SELECT string_agg(concat_ws(' ', issuer_cnpj, model, series, in_register, has_xml, net_brl, coalesce(so_number, '-')),
			                        ', ' ORDER BY issuer_cnpj) FROM invoices WHERE kind = 'NFE' AND nf_number = '6001'`
			if err := w.Conn.QueryRowContext(context.Background(), q).Scan(&got); err != nil {
				t.Fatal(err)
			}
			want := "11222333000181 55 1 true true 1050.00 SO-2003, 60574661000152 55 1 false true 777.00 -"
			if got != want {
				t.Errorf("NF-e 6001 invoices = %q, want %q", got, want)
			}
		})
	}
}
