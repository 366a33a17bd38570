package nfxml

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// Expected documents, shared by the reader variants below.
var (
	wantAutorizada = Document{
		Kind:         KindNFe,
		Key:          "31251111222333000181550010000015231482139076",
		Number:       "1523",
		Series:       "1",
		IssuedAt:     "2025-11-14T10:32:00-03:00",
		ProcessedAt:  "2025-11-14T10:32:07-03:00",
		IssuerCNPJ:   "11222333000181",
		CustomerCNPJ: "11444777000161",
		Status:       "100",
		Gross:        "3534.50",
		Discount:     "34.50",
		TaxBase:      "3500.00",
		TaxAmount:    "630.00",
		Net:          "3500.00",
		Items: []Item{
			{Number: 1, ProductCode: "CFQ7TTC0LH18", Description: "Microsoft 365 Business Standard - licença anual",
				Quantity: "10.0000", UnitPrice: "123.4500000000", Total: "1234.50"},
			{Number: 2, ProductCode: "DG7GMGF0D65N", Description: "Windows Server 2022 Standard - 16 núcleos",
				Quantity: "2.0000", UnitPrice: "1150.0000000000", Total: "2300.00"},
		},
		Line: 2,
	}
	wantSemProtocolo = Document{
		Kind:         KindNFe,
		Key:          "31251111222333000181550010000015301601173293",
		Number:       "1530",
		Series:       "1",
		IssuedAt:     "2025-11-17T08:15:44-03:00",
		IssuerCNPJ:   "11222333000181",
		CustomerCNPJ: "52998224725",
		Gross:        "189.90",
		Discount:     "0.00",
		TaxBase:      "189.90",
		TaxAmount:    "34.18",
		Net:          "189.90",
		Items: []Item{
			{Number: 1, ProductCode: "KAV-TS-3D", Description: "Kaspersky Total Security 3 dispositivos 1 ano",
				Quantity: "1.0000", UnitPrice: "189.9000000000", Total: "189.90"},
		},
		Line: 3,
	}
	wantNFSe = Document{
		Kind:         KindNFSe,
		Key:          "NFS31062002211222333000181000000000018725114217359061",
		Number:       "187",
		Series:       "1",
		IssuedAt:     "2025-11-14T14:05:12-03:00",
		ProcessedAt:  "2025-11-14T14:05:31-03:00",
		IssuerCNPJ:   "11222333000181",
		CustomerCNPJ: "11444777000161",
		Status:       "100",
		Gross:        "1000.00",
		Discount:     "0.00",
		TaxBase:      "1000.00",
		TaxAmount:    "20.00",
		Net:          "980.00",
		Line:         2,
	}
	wantNFSeDesconto = Document{
		Kind:         KindNFSe,
		Key:          "NFS31062002211222333000181000000000018825115083612746",
		Number:       "188",
		Series:       "1",
		IssuedAt:     "2025-11-18T09:46:40-03:00",
		ProcessedAt:  "2025-11-18T09:47:02-03:00",
		IssuerCNPJ:   "11222333000181",
		CustomerCNPJ: "33592451000114",
		Status:       "100",
		Gross:        "1000.00",
		Discount:     "75.50",
		TaxBase:      "950.00",
		TaxAmount:    "19.00",
		Net:          "924.50",
		Line:         2,
	}
	wantLote = []Document{
		{
			Kind:         KindNFe,
			Key:          "31251111222333000181550010000015241482139154",
			Number:       "1524",
			Series:       "1",
			IssuedAt:     "2025-11-14T11:05:00-03:00",
			ProcessedAt:  "2025-11-14T11:05:03-03:00",
			IssuerCNPJ:   "11222333000181",
			CustomerCNPJ: "11444777000161",
			Status:       "100",
			Gross:        "600.00",
			Discount:     "0.00",
			TaxBase:      "600.00",
			TaxAmount:    "108.00",
			Net:          "600.00",
			Items: []Item{
				{Number: 1, ProductCode: "CFQ7TTC0LH18", Description: "Microsoft 365 Business Standard - licença anual",
					Quantity: "4.0000", UnitPrice: "150.0000000000", Total: "600.00"},
			},
			Line: 6,
		},
		{
			Kind:         KindNFe,
			Key:          "31251111222333000181550010000015251739204660",
			Number:       "1525",
			Series:       "1",
			IssuedAt:     "2025-11-14T15:48:21-03:00",
			ProcessedAt:  "2025-11-14T15:48:26-03:00",
			IssuerCNPJ:   "11222333000181",
			CustomerCNPJ: "33592451000114",
			Status:       "100",
			Gross:        "1150.00",
			Discount:     "50.00",
			TaxBase:      "1100.00",
			TaxAmount:    "198.00",
			Net:          "1100.00",
			Items: []Item{
				{Number: 1, ProductCode: "DG7GMGF0D65N", Description: "Windows Server 2022 Standard - 16 núcleos",
					Quantity: "1.0000", UnitPrice: "1150.0000000000", Total: "1150.00"},
			},
			Line: 7,
		},
	}
)

// noNamespaceNFSe is an NFS-e whose exporter dropped xmlns and the DPS,
// with a customer identified by CPF and a single discount element.
const noNamespaceNFSe = `<NFSe versao="1.00"><infNFSe Id="NFS31062002211222333000181000000000019025115083612746">
<nNFSe>190</nNFSe><cStat>100</cStat><dhProc>2025-11-20T10:00:00-03:00</dhProc>
<emit><CNPJ>11222333000181</CNPJ></emit><valores><vLiq>90.5</vLiq></valores>
<DPS><infDPS><toma><CPF>52998224725</CPF></toma><valores><vServPrest><vServ>100</vServ></vServPrest>
<vDescCondIncond><vDescCond>9.5</vDescCond></vDescCondIncond></valores></infDPS></DPS>
</infNFSe></NFSe>`

var readers = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	// One byte per Read proves nothing depends on a token arriving in one chunk.
	{"onebyte", iotest.OneByteReader},
	{"halfreads", iotest.HalfReader},
}

func parseAll(t *testing.T, r io.Reader, name string) ([]Document, error) {
	t.Helper()
	var docs []Document
	err := Parse(context.Background(), r, name, 0, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

func TestParseDocuments(t *testing.T) {
	tests := []struct {
		file  string // under testdata, unless input is set
		input string
		want  []Document
	}{
		{file: "nfe_autorizada.xml", want: []Document{wantAutorizada}},
		{file: "nfe_sem_protocolo.xml", want: []Document{wantSemProtocolo}},
		{file: "nfse_nacional.xml", want: []Document{wantNFSe}},
		{file: "nfse_desconto.xml", want: []Document{wantNFSeDesconto}},
		{file: "lote.xml", want: wantLote},
		{file: "sem_namespace.xml", input: noNamespaceNFSe, want: []Document{{
			Kind:         KindNFSe,
			Key:          "NFS31062002211222333000181000000000019025115083612746",
			Number:       "190",
			ProcessedAt:  "2025-11-20T10:00:00-03:00",
			IssuerCNPJ:   "11222333000181",
			CustomerCNPJ: "52998224725",
			Status:       "100",
			Gross:        "100",
			Discount:     "9.5",
			Net:          "90.5",
			Line:         1,
		}}},
	}
	for _, tt := range tests {
		for _, rd := range readers {
			t.Run(tt.file+"/"+rd.name, func(t *testing.T) {
				data := []byte(tt.input)
				if tt.input == "" {
					data = readFixture(t, tt.file)
				}
				got, err := parseAll(t, rd.wrap(bytes.NewReader(data)), tt.file)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %d documents, want %d", len(got), len(tt.want))
				}
				for i := range got {
					diffDocument(t, i, got[i], tt.want[i])
				}
			})
		}
	}
}

// diffDocument reports every differing field, so one run shows all drift.
func diffDocument(t *testing.T, i int, got, want Document) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for f := 0; f < gv.NumField(); f++ {
		g, w := gv.Field(f).Interface(), wv.Field(f).Interface()
		if !reflect.DeepEqual(g, w) {
			t.Errorf("document %d: %s = %#v, want %#v", i, gv.Type().Field(f).Name, g, w)
		}
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var errDisk = errors.New("disk on fire")

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		file   string    // fixture under testdata
		input  string    // or inline XML, parsed with name "inline.xml"
		reader io.Reader // or a reader, parsed with name "inline.xml"
		want   string    // whole err.Error()
		// Expected *ParseError fields; line 0 means the error is not a ParseError.
		line   int
		column int
		field  string
		is     error // errors.Is target, if any
		syntax bool  // wraps an *xml.SyntaxError
		docs   int   // documents emitted before the error
	}{
		{
			name: "truncated file", file: "broken.xml",
			want: "testdata/broken.xml:104:21: XML syntax error on line 104: unexpected EOF",
			line: 104, column: 21, syntax: true,
		},
		{
			name: "CT-e is not an invoice", file: "not_invoice.xml",
			want: "testdata/not_invoice.xml:2:1: root element <cteProc>: not an NF-e or NFS-e document or event",
			line: 2, column: 1, is: ErrNotInvoice,
		},
		{
			name: "missing vNF points at the document root", file: "nfe_missing_vnf.xml",
			want: "testdata/nfe_missing_vnf.xml:3:1: infNFe/total/ICMSTot/vNF: required element missing",
			line: 3, column: 1, field: "infNFe/total/ICMSTot/vNF",
		},
		{
			name: "decimal comma in vNF points at vNF", file: "nfe_bad_amount.xml",
			want: `testdata/nfe_bad_amount.xml:117:9: infNFe/total/ICMSTot/vNF: malformed amount "12,50": want a plain decimal such as 1234.56`,
			line: 117, column: 9, field: "infNFe/total/ICMSTot/vNF",
		},
		{
			name: "a quantity out of range points at qCom, with the item", input: strings.Replace(string(readFixture(t, "nfe_autorizada.xml")),
				"<qCom>10.0000</qCom>", "<qCom>12345678901234.0000</qCom>", 1),
			want: `inline.xml:74:11: infNFe/det[1]/prod/qCom: amount "12345678901234.0000" out of range: from -999999999999.999999 to 999999999999.999999`,
			line: 74, column: 11, field: "infNFe/det[1]/prod/qCom",
		},
		{
			name: "an encoding that cannot be read", input: `<?xml version="1.0" encoding="EBCDIC-US"?>` + "\n" + nfeMinimal("1.00"),
			want: `inline.xml:1:1: the file declares the encoding "EBCDIC-US", which cannot be read (UTF-8, ISO-8859-1, Windows-1252 and ISO-8859-15 can): ` +
				`save it as UTF-8, or declare the encoding it is in (<?xml version="1.0" encoding="ISO-8859-1"?>)`,
			line: 1, column: 1, is: ErrEncoding,
		},
		{
			// Where the text holding the byte starts: column 122, after
			// <natOp>.
			name: "ISO-8859-1 with no declaration", input: `<?xml version="1.0"?>` + "\n" +
				strings.Replace(nfeMinimal("1.00"), "<ide>", "<ide><natOp>Venda de licen\xe7a</natOp>", 1),
			want: `inline.xml:2:122: the file is not UTF-8: save it as UTF-8, or declare the encoding it is in (<?xml version="1.0" encoding="ISO-8859-1"?>)`,
			line: 2, column: 122, is: ErrEncoding,
		},
		{
			name: "ISO-8859-1 declared as UTF-8", input: `<?xml version="1.0" encoding="utf-8"?>` + "\n" +
				strings.Replace(nfeMinimal("1.00"), "<ide>", "<ide><natOp>Venda de licen\xe7a</natOp>", 1),
			want: `inline.xml:2:122: the file is not UTF-8: save it as UTF-8, or declare the encoding it is in (<?xml version="1.0" encoding="ISO-8859-1"?>)`,
			line: 2, column: 122, is: ErrEncoding,
		},
		{
			name: "html page", input: "<!DOCTYPE html>\n<html><body><p>Serviço indisponível</p></body></html>",
			want: "inline.xml:2:1: root element <html>: not an NF-e or NFS-e document or event",
			line: 2, column: 1, is: ErrNotInvoice,
		},
		{
			name: "NFe element of another namespace", input: `<NFe xmlns="urn:example:other"><infNFe Id="x"/></NFe>`,
			want: "inline.xml:1:1: root element <NFe>: not an NF-e or NFS-e document or event",
			line: 1, column: 1, is: ErrNotInvoice,
		},
		{
			name: "empty file", input: "",
			want: "inline.xml:1:1: no root element",
			line: 1, column: 1,
		},
		{
			name: "mismatched tag", input: "<nfeProc xmlns=\"http://www.portalfiscal.inf.br/nfe\">\n<NFe></nfe>",
			want: "inline.xml:2:12: XML syntax error on line 2: element <NFe> closed by </nfe>",
			line: 2, column: 12, syntax: true,
		},
		{
			// The decoder reports column 0 here (found by FuzzParse).
			name: "entity cut by a line break", input: "<lote>&\n</lote>",
			want: "inline.xml:1:8: XML syntax error on line 1: invalid character entity & (no semicolon)",
			line: 1, column: 8, syntax: true,
		},
		{
			name: "NFS-e without Id",
			input: "<NFSe xmlns=\"http://www.sped.fazenda.gov.br/nfse\">\n  <infNFSe>\n<nNFSe>1</nNFSe>" +
				"<emit><CNPJ>11222333000181</CNPJ></emit><valores><vLiq>1.00</vLiq></valores></infNFSe></NFSe>",
			want: "inline.xml:2:3: infNFSe@Id: required attribute missing",
			line: 2, column: 3, field: "infNFSe@Id",
		},
		{
			name: "NFS-e with empty nNFSe",
			input: "<NFSe xmlns=\"http://www.sped.fazenda.gov.br/nfse\"><infNFSe Id=\"NFS1\">\n<nNFSe></nNFSe>" +
				"<emit><CNPJ>11222333000181</CNPJ></emit><valores><vLiq>1.00</vLiq></valores></infNFSe></NFSe>",
			want: "inline.xml:2:1: infNFSe/nNFSe: required element is empty",
			line: 2, column: 1, field: "infNFSe/nNFSe",
		},
		{
			name:  "NF-e without any key",
			input: "<NFe xmlns=\"http://www.portalfiscal.inf.br/nfe\"><infNFe><ide><nNF>1</nNF></ide></infNFe></NFe>",
			want:  "inline.xml:1:49: infNFe@Id: required attribute missing",
			line:  1, column: 49, field: "infNFe@Id",
		},
		{
			name: "protocol of another invoice",
			input: `<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"><NFe><infNFe Id="NFe31251111222333000181550010000015231482139076"/></NFe>` +
				"\n<protNFe><infProt><chNFe>31251111222333000181550010000015241482139154</chNFe></infProt></protNFe></nfeProc>",
			want: `inline.xml:2:19: protNFe/infProt/chNFe: access key 31251111222333000181550010000015241482139154 does not match infNFe@Id "NFe31251111222333000181550010000015231482139076"`,
			line: 2, column: 19, field: "protNFe/infProt/chNFe",
		},
		{
			name: "short access key",
			input: `<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"><protNFe><infProt>` +
				`<chNFe>3125111122233300018155001000001523148213907</chNFe></infProt></protNFe></nfeProc>`,
			want: `inline.xml:1:71: protNFe/infProt/chNFe: malformed access key "3125111122233300018155001000001523148213907": want 44 digits`,
			line: 1, column: 71, field: "protNFe/infProt/chNFe",
		},
		{
			name: "dhEmi without offset",
			input: `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe31251111222333000181550010000015231482139076">` +
				"\n<ide><nNF>1523</nNF><dhEmi>2025-11-14T10:32:00</dhEmi></ide></infNFe></NFe>",
			want: `inline.xml:2:21: infNFe/ide/dhEmi: malformed date-time "2025-11-14T10:32:00": want RFC 3339 with offset such as 2025-11-14T10:32:00-03:00`,
			line: 2, column: 21, field: "infNFe/ide/dhEmi",
		},
		{
			name: "item quantity with comma names the item",
			input: `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe31251111222333000181550010000015231482139076">` +
				"\n<det nItem=\"1\"><prod><qCom>1</qCom></prod></det>\n<det nItem=\"2\"><prod><qCom>10,0000</qCom></prod></det></infNFe></NFe>",
			want: `inline.xml:3:22: infNFe/det[2]/prod/qCom: malformed amount "10,0000": want a plain decimal such as 1234.56`,
			line: 3, column: 22, field: "infNFe/det[2]/prod/qCom",
		},
		{
			name: "item without nItem",
			input: `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe31251111222333000181550010000015231482139076">` +
				"\n<det><prod/></det></infNFe></NFe>",
			want: "inline.xml:2:1: infNFe/det@nItem: required attribute missing",
			line: 2, column: 1, field: "infNFe/det@nItem",
		},
		{
			name:  "second document of a batch fails after the first is emitted",
			input: "<lote>\n" + nfeMinimal("1") + "\n" + nfeMinimal("abc") + "\n</lote>",
			want:  `inline.xml:3:232: infNFe/total/ICMSTot/vNF: malformed amount "abc": want a plain decimal such as 1234.56`,
			line:  3, column: 232, field: "infNFe/total/ICMSTot/vNF", docs: 1,
		},
		{
			name:   "reader failure is not a parse error",
			reader: io.MultiReader(strings.NewReader("<nfeProc>"), iotest.ErrReader(errDisk)),
			want:   "read inline.xml: disk on fire",
			is:     errDisk,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, r := "inline.xml", tt.reader
			switch {
			case tt.file != "":
				name = filepath.ToSlash(filepath.Join("testdata", tt.file))
				r = bytes.NewReader(readFixture(t, tt.file))
			case r == nil:
				r = strings.NewReader(tt.input)
			}
			docs, err := parseAll(t, r, name)
			if err == nil {
				t.Fatalf("Parse succeeded with %d documents, want error %q", len(docs), tt.want)
			}
			if len(docs) != tt.docs {
				t.Errorf("emitted %d documents before the error, want %d", len(docs), tt.docs)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			var se *xml.SyntaxError
			if got := errors.As(err, &se); got != tt.syntax {
				t.Errorf("wraps *xml.SyntaxError = %v, want %v", got, tt.syntax)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				if tt.line != 0 {
					t.Fatalf("error %T is not a *ParseError", err)
				}
				return
			}
			if tt.line == 0 {
				t.Fatalf("got *ParseError %v, want another error", pe)
			}
			want := ParseError{File: name, Line: tt.line, Column: tt.column, Field: tt.field}
			if pe.File != want.File || pe.Line != want.Line || pe.Column != want.Column || pe.Field != want.Field {
				t.Errorf("ParseError{File: %q, Line: %d, Column: %d, Field: %q}, want {%q, %d, %d, %q}",
					pe.File, pe.Line, pe.Column, pe.Field, want.File, want.Line, want.Column, want.Field)
			}
		})
	}
}

// TestParseEncodings reads the authorised NF-e fixture saved in the
// encodings a declaration may name, and a Windows program's € and quotes
// in a file that declares ISO-8859-1 (bytes 0x80, 0x93 and 0x94 are
// control characters in ISO-8859-1, those characters in Windows-1252).
func TestParseEncodings(t *testing.T) {
	utf8Doc := string(readFixture(t, "nfe_autorizada.xml"))
	if !strings.HasPrefix(utf8Doc, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Fatalf("nfe_autorizada.xml: want a UTF-8 declaration first, have %.50q", utf8Doc)
	}
	// ç and ú, the fixture's only characters beyond ASCII, are E7 and FA
	// in all three.
	legacy := strings.NewReplacer("ç", "\xe7", "ú", "\xfa")
	euro := wantAutorizada
	euro.Items = slices.Clone(euro.Items)
	euro.Items[0].Description = "Microsoft 365 Business Standard - licença anual “€ 123,45”"
	tests := []struct {
		label, body string
		want        Document
	}{
		{"ISO-8859-1", legacy.Replace(utf8Doc), wantAutorizada},
		{"iso-8859-1", legacy.Replace(utf8Doc), wantAutorizada},
		{"latin1", legacy.Replace(utf8Doc), wantAutorizada},
		{"windows-1252", legacy.Replace(utf8Doc), wantAutorizada},
		{"ISO-8859-15", legacy.Replace(utf8Doc), wantAutorizada},
		{"US-ASCII", strings.NewReplacer("ç", "&#231;", "ú", "&#250;").Replace(utf8Doc), wantAutorizada},
		{"ISO-8859-1", strings.Replace(legacy.Replace(utf8Doc), "licen\xe7a anual", "licen\xe7a anual \x93\x80 123,45\x94", 1), euro},
	}
	for _, tt := range tests {
		body := strings.Replace(tt.body, `encoding="UTF-8"`, `encoding="`+tt.label+`"`, 1)
		for _, rd := range readers {
			t.Run(tt.label+"/"+rd.name, func(t *testing.T) {
				got, err := parseAll(t, rd.wrap(strings.NewReader(body)), "nfe.xml")
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(got) != 1 {
					t.Fatalf("got %d documents, want 1", len(got))
				}
				diffDocument(t, 0, got[0], tt.want)
			})
		}
	}
}

// nfeMinimal is a one-line bare NFe carrying just the required fields.
func nfeMinimal(vNF string) string {
	return `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe31251111222333000181550010000015231482139076">` +
		`<ide><nNF>1523</nNF><dhEmi>2025-11-14T10:32:00-03:00</dhEmi></ide><emit><CNPJ>11222333000181</CNPJ></emit>` +
		`<total><ICMSTot><vNF>` + vNF + `</vNF></ICMSTot></total></infNFe></NFe>`
}

func TestParseErrorFormat(t *testing.T) {
	cause := errors.New("boom")
	tests := []struct {
		err  ParseError
		want string
	}{
		{ParseError{File: "a.xml", Line: 3, Column: 7, Field: "infNFSe/vLiq", Err: cause}, "a.xml:3:7: infNFSe/vLiq: boom"},
		{ParseError{File: "a.xml", Line: 3, Err: cause}, "a.xml:3: boom"},
		{ParseError{Line: 3, Column: 7, Err: cause}, "3:7: boom"},
		{ParseError{File: "a.xml", Field: "vNF", Err: cause}, "a.xml: vNF: boom"},
		{ParseError{Err: cause}, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(&tt.err, cause) {
				t.Error("Unwrap does not reach the cause")
			}
		})
	}
}

// TestParseEmitsBeforeEOF proves streaming: the first document of a batch
// must reach emit while the rest of the file has not been written yet.
func TestParseEmitsBeforeEOF(t *testing.T) {
	data := readFixture(t, "lote.xml")
	cut := bytes.LastIndex(data, []byte("<nfeProc "))
	pr, pw := io.Pipe()
	first := make(chan struct{})
	go func() {
		if _, err := pw.Write(data[:cut]); err != nil {
			return
		}
		select {
		case <-first:
			_, _ = pw.Write(data[cut:])
			_ = pw.Close()
		case <-time.After(10 * time.Second):
			_ = pw.CloseWithError(errors.New("first document not emitted before the rest of the file arrived"))
		}
	}()
	var numbers []string
	err := Parse(context.Background(), pr, "pipe", 0, func(d Document) error {
		if len(numbers) == 0 {
			close(first)
		}
		numbers = append(numbers, d.Number)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(numbers, ","); got != "1524,1525" {
		t.Errorf("documents %s, want 1524,1525", got)
	}
}

func TestParseContext(t *testing.T) {
	t.Run("cancelled before start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		emitted := 0
		err := Parse(ctx, bytes.NewReader(readFixture(t, "lote.xml")), "lote.xml", 0, func(Document) error {
			emitted++
			return nil
		})
		if !errors.Is(err, context.Canceled) || emitted != 0 {
			t.Errorf("err = %v after %d documents, want context.Canceled after 0", err, emitted)
		}
	})
	t.Run("cancelled between documents", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		emitted := 0
		err := Parse(ctx, bytes.NewReader(readFixture(t, "lote.xml")), "lote.xml", 0, func(Document) error {
			emitted++
			cancel()
			return nil
		})
		if want := "parse lote.xml: context canceled"; err == nil || err.Error() != want || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want %q wrapping context.Canceled", err, want)
		}
		if emitted != 1 {
			t.Errorf("emitted %d documents, want 1", emitted)
		}
	})
}

func TestParseEmitError(t *testing.T) {
	stop := errors.New("duckdb appender closed")
	emitted := 0
	err := Parse(context.Background(), bytes.NewReader(readFixture(t, "lote.xml")), "lote.xml", 0, func(Document) error {
		emitted++
		return stop
	})
	if err != stop || emitted != 1 {
		t.Errorf("err = %v after %d documents, want the emit error unchanged after 1", err, emitted)
	}
}

func TestDecimal(t *testing.T) {
	valid := []string{"0", "0.00", "1234.56", "-3.5", "007.10", "1234.5600000000"}
	invalid := []string{"", "-", "12,50", "1.", ".5", "1e3", "+1", " 1", "1 234.00", "1.2.3", "--1", "R$ 1"}
	for _, s := range valid {
		if !isDecimal(s) {
			t.Errorf("isDecimal(%q) = false, want true", s)
		}
	}
	for _, s := range invalid {
		if isDecimal(s) {
			t.Errorf("isDecimal(%q) = true, want false", s)
		}
	}
	// Twelve digits before the point fit the staging models'
	// DECIMAL(18,6); leading zeros do not count.
	for s, ok := range map[string]bool{
		"999999999999.999999": true, "-999999999999.99": true, "0000999999999999.00": true, "1234.5600000000": true,
		"1000000000000": false, "-1000000000000.00": false, "00001000000000000.5": false,
	} {
		err := validate(amount, s)
		want := ""
		if !ok {
			want = fmt.Sprintf("amount %q out of range: from -999999999999.999999 to 999999999999.999999", s)
		}
		if got := fmt.Sprint(err); err == nil && want != "" || err != nil && got != want {
			t.Errorf("validate(amount, %q) = %v, want %q", s, err, want)
		}
	}
	sums := []struct{ a, b, want string }{
		{"50.00", "25.50", "75.50"},
		{"0.00", "0.00", "0.00"},
		{"50", "25.5", "75.5"},
		{"0.1", "0.2", "0.3"}, // the float trap
		{"99999999999999999.99", "0.01", "100000000000000000.00"},
		{"-1.00", "0.25", "-0.75"},
		{"0.005", "0.004", "0.009"},
		{"007.10", "1", "8.10"},
	}
	for _, s := range sums {
		if got := addDecimal(s.a, s.b); got != s.want {
			t.Errorf("addDecimal(%q, %q) = %q, want %q", s.a, s.b, got, s.want)
		}
	}
}

func BenchmarkParseNFe(b *testing.B) {
	data := readFixture(b, "nfe_autorizada.xml")
	ctx := context.Background()
	discard := func(Document) error { return nil }
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Parse(ctx, bytes.NewReader(data), "nfe_autorizada.xml", 0, discard); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParse() {
	f, err := os.Open("testdata/nfse_desconto.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	err = Parse(context.Background(), f, f.Name(), 0, func(d Document) error {
		fmt.Println(d.Kind, d.Number, "gross", d.Gross, "discount", d.Discount, "net", d.Net)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output: NFSE 188 gross 1000.00 discount 75.50 net 924.50
}
