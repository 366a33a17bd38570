package nfxml

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func parseEvents(r io.Reader, name string, max int64) ([]Document, []Event, error) {
	var docs []Document
	var evs []Event
	err := ParseAll(context.Background(), r, name, max, func(d Document) error {
		docs = append(docs, d)
		return nil
	}, func(e Event) error {
		evs = append(evs, e)
		return nil
	})
	return docs, evs, err
}

var (
	wantCancelNFe = Event{Kind: KindNFe, Type: "110111", Key: "31251111222333000181550010000015231482139076",
		Sequence: "1", At: "2025-11-14T18:02:10-03:00", Status: "135", RegisteredAt: "2025-11-14T18:02:14-03:00",
		Protocol: "131250000123999", Reason: "Pedido cancelado pelo cliente antes do faturamento", Line: 2}
	wantCCe = Event{Kind: KindNFe, Type: "110110", Key: "31251111222333000181550010000015241482139154",
		Sequence: "1", At: "2025-11-17T09:30:00-03:00", Status: "135", RegisteredAt: "2025-11-17T09:30:04-03:00",
		Protocol: "131250000124001", Reason: "Numero do pedido de compra do cliente: PO-7781", Line: 2}
	wantCancelNFSe = Event{Kind: KindNFSe, Type: "101101", Key: "31062002211222333000181000000000018725114217359061",
		Sequence: "1", At: "2025-11-16T10:20:12-03:00", RegisteredAt: "2025-11-16T10:20:31-03:00",
		Reason: "Erro na emissão: serviço em duplicidade", Line: 2}
	wantSubstNFSe = Event{Kind: KindNFSe, Type: "105102", Key: "31062002211222333000181000000000018825115083612746",
		Sequence: "1", At: "2025-11-20T10:59:50-03:00", RegisteredAt: "2025-11-20T11:00:09-03:00",
		Reason: "Desconto informado errado", SubstituteKey: "31062002211222333000181000000000019025115083612746", Line: 2}
)

// TestParseEvents reads the fiscal events in their published layouts, by
// every reader: an NF-e cancellation with SEFAZ's answer (cStat 135), a
// carta de correção, an NFS-e Nacional cancellation and a cancellation by
// substitution; an event without an answer, one of no namespace, and a
// batch mixing an invoice and an event.
func TestParseEvents(t *testing.T) {
	bare := `<evento xmlns="http://www.portalfiscal.inf.br/nfe" versao="1.00"><infEvento Id="x">` +
		`<chNFe>31251111222333000181550010000015231482139076</chNFe><dhEvento>2025-11-14T18:02:10-03:00</dhEvento>` +
		`<tpEvento>110111</tpEvento><nSeqEvento>1</nSeqEvento><detEvento><xJust>sem resposta da SEFAZ</xJust></detEvento></infEvento></evento>`
	noNamespace := strings.ReplaceAll(string(readFixture(t, "evento_cancelamento_nfse.xml")), ` xmlns="http://www.sped.fazenda.gov.br/nfse"`, "")
	tests := []struct {
		name  string
		input string // or a fixture
		docs  int
		want  []Event
	}{
		{name: "evento_cancelamento_nfe.xml", want: []Event{wantCancelNFe}},
		{name: "evento_cce_nfe.xml", want: []Event{wantCCe}},
		{name: "evento_cancelamento_nfse.xml", want: []Event{wantCancelNFSe}},
		{name: "evento_substituicao_nfse.xml", want: []Event{wantSubstNFSe}},
		{name: "NF-e event without retEvento", input: bare, want: []Event{{Kind: KindNFe, Type: "110111",
			Key: "31251111222333000181550010000015231482139076", Sequence: "1", At: "2025-11-14T18:02:10-03:00",
			Reason: "sem resposta da SEFAZ", Line: 1}}},
		{name: "NFS-e event without namespace", input: noNamespace, want: []Event{wantCancelNFSe}},
		{name: "a batch of an invoice and an event", input: "<lote>\n" + nfeMinimal("1.00") + "\n" + bare + "\n</lote>", docs: 1,
			want: []Event{{Kind: KindNFe, Type: "110111", Key: "31251111222333000181550010000015231482139076",
				Sequence: "1", At: "2025-11-14T18:02:10-03:00", Reason: "sem resposta da SEFAZ", Line: 3}}},
	}
	for _, tt := range tests {
		for _, rd := range readers {
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				data := []byte(tt.input)
				if tt.input == "" {
					data = readFixture(t, tt.name)
				}
				docs, evs, err := parseEvents(rd.wrap(bytes.NewReader(data)), "in.xml", 0)
				if err != nil {
					t.Fatalf("ParseAll: %v", err)
				}
				if len(docs) != tt.docs || !reflect.DeepEqual(evs, tt.want) {
					t.Errorf("%d documents, events\n%+v\nwant %d documents, events\n%+v", len(docs), evs, tt.docs, tt.want)
				}
			})
		}
	}
	// Parse, without an event handler, skips events: no ErrNotInvoice.
	if err := Parse(context.Background(), strings.NewReader(bare), "in.xml", 0, func(Document) error { return nil }); err != nil {
		t.Errorf("Parse of an event: %v", err)
	}
}

// TestParseEventErrors checks the whole positioned error of bad events.
func TestParseEventErrors(t *testing.T) {
	nfe := func(inner string) string {
		return `<procEventoNFe xmlns="http://www.portalfiscal.inf.br/nfe"><evento><infEvento>` + "\n" + inner + `</infEvento></evento></procEventoNFe>`
	}
	nfse := func(inner string) string {
		return `<evento xmlns="http://www.sped.fazenda.gov.br/nfse"><infEvento><pedRegEvento><infPedReg>` + "\n" + inner + `</infPedReg></pedRegEvento></infEvento></evento>`
	}
	const key = "<chNFe>31251111222333000181550010000015231482139076</chNFe>"
	const nfseKey = "<chNFSe>31062002211222333000181000000000018725114217359061</chNFSe>"
	tests := []struct{ name, input, want string }{
		{"NF-e event without key", nfe("<tpEvento>110111</tpEvento><dhEvento>2025-11-14T18:02:10-03:00</dhEvento>"),
			"in.xml:1:1: infEvento/chNFe: required element missing"},
		{"NF-e event without type", nfe(key + "<dhEvento>2025-11-14T18:02:10-03:00</dhEvento>"),
			"in.xml:1:1: infEvento/tpEvento: required element missing"},
		{"short NF-e key", nfe("<tpEvento>110111</tpEvento><chNFe>3125</chNFe>"),
			`in.xml:2:28: infEvento/chNFe: malformed access key "3125": want 44 digits`},
		{"NF-e event time without offset", nfe(key + "<tpEvento>110111</tpEvento><dhEvento>2025-11-14T18:02:10</dhEvento>"),
			`in.xml:2:87: infEvento/dhEvento: malformed date-time "2025-11-14T18:02:10": want RFC 3339 with offset such as 2025-11-14T10:32:00-03:00`},
		{"NF-e event without time", nfe(key + "<tpEvento>110111</tpEvento>"),
			"in.xml:1:1: infEvento/dhEvento: required element missing"},
		{"NFS-e event without detail", nfse(nfseKey + "<dhEvento>2025-11-16T10:20:12-03:00</dhEvento>"),
			"in.xml:1:1: infPedReg/e*: required element missing: the event's detail (e101101, e105102…)"},
		{"substitution without the substitute", nfse(nfseKey + "<dhEvento>2025-11-16T10:20:12-03:00</dhEvento><e105102><cMotivo>01</cMotivo></e105102>"),
			"in.xml:2:114: infPedReg/e105102/chSubstituta: required element missing: the substitute NFS-e's key"},
		{"substitute key malformed", nfse(nfseKey + "<dhEvento>2025-11-16T10:20:12-03:00</dhEvento><e105102><chSubstituta>NFS1</chSubstituta></e105102>"),
			`in.xml:2:123: infPedReg/e105102/chSubstituta: malformed access key "NFS1": want 50 digits`},
		{"NFS-e key of an NF-e", nfse("<chNFSe>31251111222333000181550010000015231482139076</chNFSe><e101101/><dhEvento>2025-11-16T10:20:12-03:00</dhEvento>"),
			`in.xml:2:1: infPedReg/chNFSe: malformed access key "31251111222333000181550010000015231482139076": want 50 digits`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseEvents(strings.NewReader(tt.input), "in.xml", 0)
			var pe *ParseError
			if err == nil || err.Error() != tt.want || !errors.As(err, &pe) || pe.Field == "" {
				t.Fatalf("err = %v, want the *ParseError %q", err, tt.want)
			}
		})
	}
}

// TestParseEventBound: an event is bounded like a document.
func TestParseEventBound(t *testing.T) {
	data := readFixture(t, "evento_cancelamento_nfe.xml")
	_, _, err := parseEvents(bytes.NewReader(data), "in.xml", 1024)
	want := "in.xml:2:1: document too large: longer than 1024 bytes (limits.max_xml_bytes)"
	if err == nil || err.Error() != want || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want %q", err, want)
	}
}
