package pipelines

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nfeEvent is an NF-e event in its published layout (procEventoNFe, with
// SEFAZ's answer when cStat is not empty).
func nfeEvent(key, tpEvento, at, cStat, text string) string {
	ret := ""
	if cStat != "" {
		ret = `<retEvento versao="1.00"><infEvento><tpAmb>1</tpAmb><cOrgao>31</cOrgao><cStat>` + cStat + `</cStat>` +
			`<chNFe>` + key + `</chNFe><tpEvento>` + tpEvento + `</tpEvento><nSeqEvento>1</nSeqEvento>` +
			`<dhRegEvento>` + at + `</dhRegEvento><nProt>131250000099001</nProt></infEvento></retEvento>`
	}
	tag := "xJust"
	if tpEvento == "110110" {
		tag = "xCorrecao"
	}
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<procEventoNFe xmlns="http://www.portalfiscal.inf.br/nfe" versao="1.00"><evento versao="1.00"><infEvento Id="ID` + tpEvento + key + `01">` +
		`<cOrgao>31</cOrgao><tpAmb>1</tpAmb><CNPJ>11222333000181</CNPJ><chNFe>` + key + `</chNFe><dhEvento>` + at + `</dhEvento>` +
		`<tpEvento>` + tpEvento + `</tpEvento><nSeqEvento>1</nSeqEvento><verEvento>1.00</verEvento>` +
		`<detEvento versao="1.00"><` + tag + `>` + text + `</` + tag + `></detEvento></infEvento></evento>` + ret + `</procEventoNFe>`
}

// nfseEvent is an NFS-e Nacional evento: e101101 or, with a substitute,
// e105102.
func nfseEvent(key, at, substitute string) string {
	detail := `<e101101><xDesc>Cancelamento de NFS-e</xDesc><cMotivo>1</cMotivo><xMotivo>Emitida em duplicidade</xMotivo></e101101>`
	if substitute != "" {
		detail = `<e105102><xDesc>Cancelamento de NFS-e por Substituição</xDesc><cMotivo>01</cMotivo><xMotivo>Discriminação errada</xMotivo>` +
			`<chSubstituta>` + substitute + `</chSubstituta></e105102>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<evento xmlns="http://www.sped.fazenda.gov.br/nfse" versao="1.00"><infEvento Id="EVT` + key + `"><verAplic>SefinNac</verAplic>` +
		`<ambGer>2</ambGer><nSeqEvento>1</nSeqEvento><dhProc>` + at + `</dhProc><pedRegEvento versao="1.00"><infPedReg Id="PRE` + key + `">` +
		`<tpAmb>1</tpAmb><dhEvento>` + at + `</dhEvento><CNPJAutor>11222333000181</CNPJAutor><chNFSe>` + key + `</chNFSe>` +
		`<nPedRegEvento>1</nPedRegEvento>` + detail + `</infPedReg></pedRegEvento></infEvento></evento>`
}

const (
	keyNFe5001  = "31251211222333000181550010000050011000050014"
	keyNFe5004  = "31251211222333000181550010000050041000050048"
	keyNFe7777  = "31251211222333000181550010000077771000077770"
	keyNFSe201  = "31062002211222333000181000000000020125121000000001"
	keyNFSe202  = "31062002211222333000181000000000020225121000000002"
	keyNFSe203  = "31062002211222333000181000000000020325121000000003"
	registerHdr = "nf_number;series;kind;issue_date;customer_cnpj;so_number;gross;discount;taxes_withheld;net;status;due_date;paid_date;paid_amount;portal_posted_date;replaces_nf\n"
)

// TestFiscalEvents reads the events beside the reconciliation's inbox:
//   - NF-e 5001's cancellation, registered (cStat 135), while the register
//     still says autorizada: 5001 is cancelled, SO-1001 left without a
//     valid invoice, the register's disagreement a finding;
//   - a carta de correção of 5004: recorded, 5004 stays authorised at
//     1.050,00 and keeps its credit & rebill case;
//   - NFS-e 201 cancelled by substitution (e105102) with 203, and 202 (the
//     duplicate) cancelled (e101101): SO-1006 is billed once, by 203, and
//     both corrections are done;
//   - a cancellation SEFAZ refused (cStat 501): listed, changes nothing;
//   - a cancellation of NF-e 7777, which no file knows: kept and listed.
func TestFiscalEvents(t *testing.T) {
	inbox := copyInbox(t, "reconciliation")
	nfse203, err := os.ReadFile(filepath.Join(inbox, "nf", "2025", "12", "nfse_201.xml"))
	if err != nil {
		t.Fatal(err)
	}
	register := string(readFile(t, filepath.Join(inbox, "erp", "invoices", "notas_2025.csv")))
	writeInbox(t, inbox, map[string]string{
		"nf/eventos/cancel_5001.xml":   nfeEvent(keyNFe5001, "110111", "2025-12-05T15:00:00-03:00", "135", "Pedido cancelado"),
		"nf/eventos/cce_5004.xml":      nfeEvent(keyNFe5004, "110110", "2025-12-09T10:00:00-03:00", "135", "PO do cliente: 4471"),
		"nf/eventos/recusado_5004.xml": nfeEvent(keyNFe5004, "110111", "2026-01-09T10:00:00-03:00", "501", "Valor acima do pedido"),
		"nf/eventos/cancel_7777.xml":   nfeEvent(keyNFe7777, "110111", "2025-12-20T10:00:00-03:00", "135", "Nota de outro sistema"),
		"nf/eventos/subst_201.xml":     nfseEvent(keyNFSe201, "2025-12-15T10:00:00-03:00", keyNFSe203),
		"nf/eventos/cancel_202.xml":    nfseEvent(keyNFSe202, "2025-12-12T09:30:00-03:00", ""),
		"nf/2025/12/nfse_203.xml": strings.NewReplacer("NFS31062002211222333000181000000000020125121000000001", "NFS"+keyNFSe203,
			"<nNFSe>201</nNFSe>", "<nNFSe>203</nNFSe>").Replace(string(nfse203)),
		"erp/invoices/notas_2025.csv": register + "203;1;NFSE;15/12/2025;12.ABC.345/01DE-35;SO-1006;1.000,00;0,00;20,00;980,00;autorizada;14/01/2026;;;;\n",
	})
	cfg := reconConfig(t, inbox, t.TempDir())
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
	read := func(name string) []map[string]string { return readCSV(t, filepath.Join(dir, name+".csv")) }

	recon := byKey(read("reconciliation"), "line_key")
	for key, w := range map[string]want{
		"SO-1001/1": {"class": "cancelled_without_replacement", "cancelled_nf_numbers": "NFE 5001", "invoiced_brl": ""},
		"SO-1005/1": {"class": "amount_mismatch", "invoiced_brl": "1050.00"},
		"SO-1006/1": {"class": "matched", "nf_numbers": "NFSE 203", "cancelled_nf_numbers": "NFSE 201, NFSE 202", "invoiced_brl": "1000.00"},
	} {
		for col, v := range w {
			if got := recon[key][col]; got != v {
				t.Errorf("reconciliation %s %s = %q, want %q", key, col, got, v)
			}
		}
	}

	dq := byKey(read("data_quality"), "check_name", "entity_key")
	for key, w := range map[string]want{
		"register_status_mismatch|NFE 5001-1": {"value": "cancelada",
			"detail": "register says autorizada; cancellation registered on 05/12/2025 (nf/eventos/cancel_5001.xml:2)"},
		"register_status_mismatch|NFSE 201": {"detail": "register says autorizada; cancellation by substitution registered on 15/12/2025 (nf/eventos/subst_201.xml:2)"},
		"register_status_mismatch|NFSE 202": {"detail": "register says autorizada; cancellation registered on 12/12/2025 (nf/eventos/cancel_202.xml:2)"},
		"event_not_registered|NFE 5004-1": {"value": "cStat 501", "source_file": "nf/eventos/recusado_5004.xml",
			"detail": "event 110111 (cancellation) not registered by SEFAZ (cStat 135, 136 or 155): it changes nothing"},
		"event_without_invoice|NFE 7777-1": {"value": "110111 (cancellation)",
			"detail": "no invoice NFE 7777-1 of issuer 11222333000181 in the register or the XML: the event is kept"},
	} {
		row, ok := dq[key]
		if !ok {
			t.Errorf("data_quality has no %s", key)
			continue
		}
		for col, v := range w {
			if row[col] != v {
				t.Errorf("data_quality %s %s = %q, want %q", key, col, row[col], v)
			}
		}
	}

	events := byKey(read("fiscal_events"), "nf_label", "event_type")
	for key, w := range map[string]want{
		"NFE 5004-1|110110": {"event_kind": "correction_letter", "is_registered": "true", "invoice_status": "autorizada", "reason": "PO do cliente: 4471"},
		"NFE 5004-1|110111": {"is_registered": "false", "status_code": "501", "invoice_status": "autorizada"},
		"NFSE 201|105102":   {"event_kind": "substitution", "substitute_nf": "NFSE 203", "invoice_status": "cancelada", "customer_id": "C003"},
		"NFE 7777-1|110111": {"is_known_invoice": "false", "invoice_status": ""},
	} {
		for col, v := range w {
			if got := events[key][col]; got != v {
				t.Errorf("fiscal_events %s %s = %q, want %q", key, col, got, v)
			}
		}
	}

	credits := byKey(read("credit_rebill"), "credit_nf")
	for key, w := range map[string]want{
		"NFE 5004-1": {"class": "amount_mismatch", "instrument": "return_or_debit", "status": "open"},
		"NFSE 201":   {"class": "corrected", "instrument": "substitution", "rebill_brl": "1000.00", "status": "done"},
		"NFSE 202":   {"class": "corrected", "instrument": "cancel_reissue", "rebill_brl": "0.00", "status": "done"},
	} {
		for col, v := range w {
			if got := credits[key][col]; got != v {
				t.Errorf("credit_rebill %s %s = %q, want %q", key, col, got, v)
			}
		}
	}
}

// TestCorrectionInstruments decides the instrument by the hours and days
// from the authorisation (with its offset) to 00:00 of the as-of day in
// America/Sao_Paulo:
//   - NF-e 5004 (billed 1.050,00 for an order of 1.000,00) authorised at
//     02:00-02:00 = 01:00-03:00 of 08/12: at 00:00 of 09/12 23 hours have
//     passed, cancel and re-issue by 09/12, 0 days left; authorised at
//     23:00-03:00 of 07/12, 25 hours: a return or debit note, no deadline;
//   - NFS-e 202, the duplicate (authorised 11/12 14:00), with a 5-day
//     municipal window: at 15/12 cancel by 16/12, 1 day left; at 17/12 the
//     municipality's fiscal review; NFS-e 201 billed at 1.100,00 for 1.000,00
//     alone, past the window: a substitution;
//   - without fiscal.nfse_cancel_days the NFS-e case says so.
func TestCorrectionInstruments(t *testing.T) {
	days := func(n int) *int { return &n }
	tests := []struct {
		name, asOf, recbto string
		nfseDays           *int
		overbilled201      bool // 201 at 1.100,00, 202 gone
		credit             string
		want               want
	}{
		{"NF-e at 23 h", "2025-12-09", "2025-12-08T02:00:00-02:00", nil, false, "NFE 5004-1",
			want{"instrument": "cancel_reissue", "deadline": "2025-12-09", "days_left": "0", "status": "open"}},
		{"NF-e at 25 h", "2025-12-09", "2025-12-07T23:00:00-03:00", nil, false, "NFE 5004-1",
			want{"instrument": "return_or_debit", "deadline": "", "days_left": "", "status": "open"}},
		{"NFS-e within the municipal window", "2025-12-15", "", days(5), false, "NFSE 202",
			want{"instrument": "cancel_reissue", "deadline": "2025-12-16", "days_left": "1", "status": "open"}},
		{"NFS-e duplicate past it", "2025-12-17", "", days(5), false, "NFSE 202",
			want{"instrument": "fiscal_review", "deadline": "", "days_left": "", "status": "open"}},
		{"NFS-e to re-issue past it", "2025-12-17", "", days(5), true, "NFSE 201",
			want{"instrument": "substitution", "deadline": "", "status": "open", "rebill_brl": "1000.00", "credit_brl": "1100.00"}},
		{"NFS-e without the municipal window", "2025-12-15", "", nil, false, "NFSE 202",
			want{"instrument": "unknown_deadline", "deadline": "", "status": "open"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := copyInbox(t, "reconciliation")
			if tt.recbto != "" {
				p := filepath.Join(inbox, "nf", "nfe_5004.xml")
				writeInbox(t, inbox, map[string]string{"nf/nfe_5004.xml": strings.Replace(string(readFile(t, p)),
					"<dhRecbto>2025-12-08T11:00:00-03:00</dhRecbto>", "<dhRecbto>"+tt.recbto+"</dhRecbto>", 1)})
			}
			if tt.overbilled201 {
				p := filepath.Join(inbox, "nf", "2025", "12", "nfse_201.xml")
				xml := strings.NewReplacer("<vServ>1000.00</vServ>", "<vServ>1100.00</vServ>", "<vLiq>980.00</vLiq>", "<vLiq>1080.00</vLiq>").
					Replace(string(readFile(t, p)))
				reg := filepath.Join(inbox, "erp", "invoices", "notas_2025.csv")
				var lines []string
				for _, l := range strings.Split(string(readFile(t, reg)), "\n") {
					if !strings.HasPrefix(l, "202;") {
						lines = append(lines, l)
					}
				}
				writeInbox(t, inbox, map[string]string{"nf/2025/12/nfse_201.xml": xml, "erp/invoices/notas_2025.csv": strings.Join(lines, "\n")})
				if err := os.Remove(filepath.Join(inbox, "nf", "2025", "12", "nfse_202.xml")); err != nil {
					t.Fatal(err)
				}
			}
			cfg := Config{Inbox: inbox, Out: t.TempDir(), Period: "2025-12", AsOf: tt.asOf}
			cfg.Fiscal.NFSeCancelDays = tt.nfseDays
			if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
				t.Fatal(err)
			}
			if err := runReconciliation(t, cfg); err != nil {
				t.Fatal(err)
			}
			rows := byKey(readCSV(t, filepath.Join(cfg.Out, "reconciliation", "2025-12", "credit_rebill.csv")), "credit_nf")
			row, ok := rows[tt.credit]
			if !ok {
				t.Fatalf("credit_rebill has no %s: %v", tt.credit, rows)
			}
			for col, v := range tt.want {
				if row[col] != v {
					t.Errorf("%s = %q, want %q (row %v)", col, row[col], v, row)
				}
			}
		})
	}
}
