package nfxml

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to Parse. Properties: it returns (no
// panic, no hang); an error is a *ParseError for the file, positioned at a
// line and column inside the input; every document emitted has the
// required fields, amounts in the plain decimal form, an NF-e access key
// of 44 digits; every event its key (44 or 50 digits), type and time; and
// the result does not depend on how the reader chunks the input (whole, or
// one byte per Read).
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed XML in testdata: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
		f.Add(data, true)
	}
	for _, s := range []string{billionLaughs, xxe, externalDTD, noNamespaceNFSe, "", "<", "<a>", strings.Repeat("<a>", 70)} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, small bool) {
		var max int64 // the default
		if small {
			max = 2048
		}
		docs, evs, err := parseEvents(bytes.NewReader(data), "f.xml", max)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			if pe.File != "f.xml" || pe.Line < 1 || pe.Line > lines || pe.Column < 1 || pe.Column > len(data)+1 {
				t.Fatalf("error %q: position %s:%d:%d outside the input (%d lines, %d bytes)", err, pe.File, pe.Line, pe.Column, lines, len(data))
			}
		}
		for i, d := range docs {
			checkDocument(t, i, d)
		}
		for i, e := range evs {
			checkEvent(t, i, e)
		}
		docs1, evs1, err1 := parseEvents(iotest.OneByteReader(bytes.NewReader(data)), "f.xml", max)
		if errString(err) != errString(err1) || !reflect.DeepEqual(docs, docs1) || !reflect.DeepEqual(evs, evs1) {
			t.Fatalf("one byte per read gives %d documents, %d events, err %v; whole gives %d, %d, err %v", len(docs1), len(evs1), err1, len(docs), len(evs), err)
		}
	})
}

func parseCollect(r interface{ Read([]byte) (int, error) }, max int64) ([]Document, error) {
	var docs []Document
	err := Parse(context.Background(), r, "f.xml", max, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

func checkDocument(t *testing.T, i int, d Document) {
	t.Helper()
	if d.Line < 1 {
		t.Errorf("document %d: line %d", i, d.Line)
	}
	if d.Number == "" || d.IssuerCNPJ == "" || d.Key == "" {
		t.Errorf("document %d: required field empty: %+v", i, d)
	}
	if !isDecimal(d.Net) || !isDecimal(d.Discount) {
		t.Errorf("document %d: net %q, discount %q not plain decimals", i, d.Net, d.Discount)
	}
	for _, a := range []string{d.Gross, d.TaxBase, d.TaxAmount} {
		if a != "" && !isDecimal(a) {
			t.Errorf("document %d: amount %q not a plain decimal", i, a)
		}
	}
	for _, it := range d.Items {
		for _, a := range []string{it.Quantity, it.UnitPrice, it.Total} {
			if a != "" && !isDecimal(a) {
				t.Errorf("document %d item %d: amount %q not a plain decimal", i, it.Number, a)
			}
		}
		if it.Number < 1 {
			t.Errorf("document %d: item number %d", i, it.Number)
		}
	}
	switch d.Kind {
	case KindNFe:
		if !isAccessKey(d.Key) {
			t.Errorf("document %d: NF-e key %q is not 44 digits", i, d.Key)
		}
	case KindNFSe:
	default:
		t.Errorf("document %d: kind %q", i, d.Kind)
	}
}

func checkEvent(t *testing.T, i int, e Event) {
	t.Helper()
	want := map[Kind]int{KindNFe: 44, KindNFSe: 50}[e.Kind]
	if e.Line < 1 || want == 0 || !isDigits(e.Key, want) || e.Type == "" || e.At == "" {
		t.Errorf("event %d: kind, key, type or time missing: %+v", i, e)
	}
	if e.SubstituteKey != "" && !isDigits(e.SubstituteKey, 50) {
		t.Errorf("event %d: substitute key %q", i, e.SubstituteKey)
	}
}

// nfeTemplate is an NF-e whose fuzzed fields are filled in, escaped.
const nfeTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><NFe><infNFe Id="NFe31251111222333000181550010000015231482139076">` +
	`<ide><serie>%[2]s</serie><nNF>%[1]s</nNF><dhEmi>2025-11-14T10:32:00-03:00</dhEmi></ide>` +
	`<emit><CNPJ>%[3]s</CNPJ></emit><dest><CNPJ>%[4]s</CNPJ></dest>` +
	`<det nItem="1"><prod><cProd>P1</cProd><xProd>%[5]s</xProd><qCom>%[6]s</qCom><vUnCom>1.00</vUnCom><vProd>1.00</vProd></prod></det>` +
	`<total><ICMSTot><vBC>0.00</vBC><vICMS>0.00</vICMS><vProd>1.00</vProd><vDesc>%[7]s</vDesc><vNF>%[8]s</vNF></ICMSTot></total>` +
	`</infNFe></NFe></nfeProc>`

// FuzzDocumentRoundTrip writes fuzzed values into an NF-e, escaped as any
// XML writer would, and parses it back. Property: the values come back as
// written (less surrounding space), or Parse names the first bad value in
// document order, where the schema places it.
func FuzzDocumentRoundTrip(f *testing.F) {
	f.Add("1523", "1", "11222333000181", "11444777000161", "Microsoft 365 <E3> & \"Teams\"", "10.0000", "34.50", "3500.00")
	f.Add(" 1 ", "", "x", "", "", "1", "0", "-0.5")
	f.Add("1", "1", "1", "1", "ç\t", "1,5", "1", "1")
	f.Add("", "1", "1", "1", "x", "1", "1", "1")
	f.Add("1", "1", "", "1", "x", "1", "1", "")
	f.Fuzz(func(t *testing.T, number, series, issuer, customer, desc, qty, discount, net string) {
		vals := []string{number, series, issuer, customer, desc, qty, discount, net}
		args := make([]any, len(vals))
		for i, v := range vals {
			if !xmlText(v) {
				t.Skip("not text XML 1.0 can hold")
			}
			var b strings.Builder
			xml.EscapeText(&b, []byte(v))
			args[i] = b.String()
		}
		doc := fmt.Sprintf(nfeTemplate, args...)
		docs, err := parseCollect(strings.NewReader(doc), 0)

		trim := strings.TrimSpace
		// The first failure in document order: amounts are checked as
		// their element ends, required values once the document ends.
		var want string
		switch {
		case !isDecimal(trim(qty)):
			want = "infNFe/det[1]/prod/qCom"
		case !isDecimal(trim(discount)):
			want = "infNFe/total/ICMSTot/vDesc"
		case !isDecimal(trim(net)):
			want = "infNFe/total/ICMSTot/vNF"
		case trim(number) == "":
			want = "infNFe/ide/nNF"
		case trim(issuer) == "":
			want = "infNFe/emit/CNPJ"
		}
		if want != "" {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Field != want || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("err = %v, want a positioned *ParseError on %s", err, want)
			}
			return
		}
		if err != nil || len(docs) != 1 {
			t.Fatalf("Parse: %d documents, %v", len(docs), err)
		}
		d := docs[0]
		got := []string{d.Number, d.Series, d.IssuerCNPJ, d.CustomerCNPJ, d.Items[0].Description, d.Items[0].Quantity, d.Discount, d.Net}
		for i := range vals {
			if got[i] != trim(vals[i]) {
				t.Errorf("value %d: wrote %q, read %q", i, vals[i], got[i])
			}
		}
	})
}

// xmlText reports whether s is UTF-8 made only of characters XML 1.0
// allows; EscapeText replaces the others, so they cannot round-trip.
func xmlText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
		if !ok {
			return false
		}
	}
	return true
}

var decimalRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// FuzzAddDecimal checks isDecimal against the regular expression its doc
// gives, and addDecimal against exact rational arithmetic: the sum is a
// plain decimal, equal to a + b, with the larger number of decimals.
func FuzzAddDecimal(f *testing.F) {
	f.Add("50.00", "25.5")
	f.Add("0.1", "0.2")
	f.Add("-1.00", "0.25")
	f.Add("99999999999999999.99", "0.01")
	f.Add("007.10", "-0")
	f.Add("1.", ".5")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range []string{a, b} {
			if isDecimal(s) != decimalRE.MatchString(s) {
				t.Fatalf("isDecimal(%q) = %v, the expression says %v", s, isDecimal(s), !isDecimal(s))
			}
		}
		if !isDecimal(a) || !isDecimal(b) {
			return
		}
		got := addDecimal(a, b)
		if !isDecimal(got) {
			t.Fatalf("addDecimal(%q, %q) = %q, not a plain decimal", a, b, got)
		}
		ra, _ := new(big.Rat).SetString(a)
		rb, _ := new(big.Rat).SetString(b)
		rg, _ := new(big.Rat).SetString(got)
		if want := new(big.Rat).Add(ra, rb); rg.Cmp(want) != 0 {
			t.Fatalf("addDecimal(%q, %q) = %q, want %s", a, b, got, want.FloatString(max(decimalScale(a), decimalScale(b))))
		}
		if decimalScale(got) != max(decimalScale(a), decimalScale(b)) {
			t.Fatalf("addDecimal(%q, %q) = %q: %d decimals, want %d", a, b, got, decimalScale(got), max(decimalScale(a), decimalScale(b)))
		}
	})
}
