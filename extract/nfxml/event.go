package nfxml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Event is a fiscal event of an invoice: what happened to it after it was
// authorised, which its own XML never shows (an authorised NF-e or NFS-e is
// never rewritten). Recognised elements, by local name and namespace (the
// official one, or none):
//
//	procEventoNFe, evento  http://www.portalfiscal.inf.br/nfe   NF-e event (Kind KindNFe)
//	evento                 http://www.sped.fazenda.gov.br/nfse  NFS-e Nacional event (KindNFSe)
//
// An NF-e procEventoNFe pairs the event (evento/infEvento) with SEFAZ's
// answer (retEvento/infEvento: cStat 135, 136 or 155 registers it); a bare
// NF-e evento has no answer. An NFS-e Nacional evento is the national
// environment's (ADN) record of a registered event (infEvento, around the
// issuer's pedRegEvento/infPedReg). Which events count, and how, is the
// caller's to decide: the values are the XML's text.
type Event struct {
	Kind Kind // the layout of the invoice it names: KindNFe or KindNFSe
	// Type: NF-e tpEvento ("110111" cancelamento, "110110" carta de
	// correção); NFS-e the code of the infPedReg child that holds its
	// details ("101101" cancelamento, "105102" cancelamento por
	// substituição).
	Type string
	// Key is the access key of the invoice: NF-e chNFe (44 digits), NFS-e
	// chNFSe (50 digits; the NFS-e's infNFSe@Id is "NFS" and this key).
	Key      string
	Sequence string // nSeqEvento (NF-e), nPedRegEvento (NFS-e)
	At       string // dhEvento, RFC 3339 text as in the XML
	// Status is the NF-e retEvento/infEvento/cStat, "" without retEvento
	// and for an NFS-e.
	Status string
	// RegisteredAt: NF-e retEvento/infEvento/dhRegEvento; NFS-e
	// infEvento/dhProc.
	RegisteredAt string
	Protocol     string // NF-e retEvento/infEvento/nProt
	// Reason: NF-e detEvento/xJust (cancelamento) or xCorrecao (carta de
	// correção); NFS-e xMotivo.
	Reason string
	// SubstituteKey: NFS-e e105102/chSubstituta, the key of the NFS-e that
	// replaces the cancelled one.
	SubstituteKey string
	Line          int // 1-based line where the event's element starts
}

// isEvent reports whether an element starts a fiscal event.
func isEvent(n xml.Name) bool {
	switch n.Local {
	case "procEventoNFe":
		return inSpace(n.Space, nsNFe)
	case "evento":
		return n.Space == nsNFe || n.Space == nsNFSe || n.Space == ""
	}
	return false
}

type eventField uint8

const (
	evNFeKey eventField = iota
	evNFSeKey
	evType
	evSeq
	evAt
	evStatus
	evRegisteredAt
	evProtocol
	evReason
	evSubstitute
	numEventFields
)

// eventFields are paths below the event element, the procEventoNFe's
// "evento/" left out so that a bare NF-e evento reads the same. The NF-e
// and NFS-e paths differ, so one table serves an event of either, and of
// no namespace.
var eventFields = map[string]struct {
	f     eventField
	check check
}{
	"infEvento/chNFe":                                {evNFeKey, anyText},
	"infEvento/tpEvento":                             {evType, anyText},
	"infEvento/nSeqEvento":                           {evSeq, anyText},
	"infEvento/dhEvento":                             {evAt, timestamp},
	"infEvento/detEvento/xJust":                      {evReason, anyText},
	"infEvento/detEvento/xCorrecao":                  {evReason, anyText},
	"retEvento/infEvento/cStat":                      {evStatus, anyText},
	"retEvento/infEvento/dhRegEvento":                {evRegisteredAt, timestamp},
	"retEvento/infEvento/nProt":                      {evProtocol, anyText},
	"infEvento/dhProc":                               {evRegisteredAt, timestamp},
	"infEvento/pedRegEvento/infPedReg/chNFSe":        {evNFSeKey, anyText},
	"infEvento/pedRegEvento/infPedReg/dhEvento":      {evAt, timestamp},
	"infEvento/pedRegEvento/infPedReg/nPedRegEvento": {evSeq, anyText},
}

const nfsePedReg = "infEvento/pedRegEvento/infPedReg/"

// nfseEventRE is an NFS-e Nacional event's detail element: "e" and its
// six-digit code.
var nfseEventRE = regexp.MustCompile(`^e[0-9]{6}$`)

// event reads the children of se, an event element, up to its end tag.
func (p *parser) event(se xml.StartElement) (Event, error) {
	st := &docState{name: p.name, line: p.line, col: p.col}
	p.doc = st
	defer func() { p.doc = nil }()
	p.src.stop = p.start + p.max
	strip := ""
	if se.Name.Local == "procEventoNFe" {
		strip = "evento/"
	}
	var (
		vals    [numEventFields]value
		typeVal value // the NFS-e detail element's code
		capF    eventField
		capChk  check
	)
	// An event of no namespace may hold either layout's elements.
	keep := func(ns string) bool {
		return inSpace(ns, se.Name.Space) || se.Name.Space == "" && (ns == nsNFe || ns == nsNFSe)
	}
	err := p.walk(st, "", keep,
		func(path []byte, t xml.StartElement) (bool, error) {
			rel := strings.TrimPrefix(string(path), strip)
			detail, inDetail := strings.CutPrefix(rel, nfsePedReg)
			if inDetail && nfseEventRE.MatchString(detail) {
				typeVal = value{text: detail[1:], line: p.line, col: p.col, set: true}
			}
			f, ok := eventFields[rel]
			if !ok && inDetail {
				// The detail's own fields, whatever its code.
				if code, leaf, cut := strings.Cut(detail, "/"); cut && nfseEventRE.MatchString(code) {
					switch leaf {
					case "xMotivo":
						f, ok = eventFields["infEvento/detEvento/xJust"], true
					case "chSubstituta":
						f.f, f.check, ok = evSubstitute, anyText, true
					}
				}
			}
			if ok {
				capF, capChk = f.f, f.check
			}
			return ok, nil
		},
		func(path []byte, v value) error {
			if err := validate(capChk, v.text); err != nil {
				return st.errAt(v.line, v.col, eventDisplay(strings.TrimPrefix(string(path), strip)), err)
			}
			vals[capF] = v
			return nil
		})
	if err != nil {
		return Event{}, err
	}
	return st.finishEvent(se, vals, typeVal)
}

// eventDisplay names an event field in errors: the NFS-e's path from
// infPedReg, the NF-e's as in the event.
func eventDisplay(path string) string {
	if rest, ok := strings.CutPrefix(path, "infEvento/pedRegEvento/"); ok {
		return rest
	}
	return path
}

// finishEvent checks the collected values and builds the Event.
func (st *docState) finishEvent(se xml.StartElement, v [numEventFields]value, typeVal value) (Event, error) {
	ev := Event{
		Sequence:      v[evSeq].text,
		At:            v[evAt].text,
		Status:        v[evStatus].text,
		RegisteredAt:  v[evRegisteredAt].text,
		Protocol:      v[evProtocol].text,
		Reason:        v[evReason].text,
		SubstituteKey: v[evSubstitute].text,
		Line:          st.line,
	}
	kind := KindNFe
	switch {
	case se.Name.Space == nsNFSe, se.Name.Space == "" && v[evNFSeKey].set && !v[evNFeKey].set:
		kind = KindNFSe
	}
	ev.Kind = kind
	var keyName string
	var key value
	if kind == KindNFe {
		keyName, key = "infEvento/chNFe", v[evNFeKey]
		ev.Type = v[evType].text
		if err := st.requireValue(v[evType], "infEvento/tpEvento"); err != nil {
			return Event{}, err
		}
	} else {
		keyName, key = "infPedReg/chNFSe", v[evNFSeKey]
		ev.Type = typeVal.text
		if !typeVal.set {
			return Event{}, st.errAt(st.line, st.col, "infPedReg/e*", errors.New("required element missing: the event's detail (e101101, e105102…)"))
		}
	}
	if err := st.requireValue(key, keyName); err != nil {
		return Event{}, err
	}
	want := 44
	if kind == KindNFSe {
		want = 50
	}
	if !isDigits(key.text, want) {
		return Event{}, st.errAt(key.line, key.col, keyName, fmt.Errorf("malformed access key %q: want %d digits", key.text, want))
	}
	ev.Key = key.text
	if err := st.requireValue(v[evAt], map[Kind]string{KindNFe: "infEvento/dhEvento", KindNFSe: "infPedReg/dhEvento"}[kind]); err != nil {
		return Event{}, err
	}
	if s := v[evSubstitute]; s.set && !isDigits(s.text, 50) {
		return Event{}, st.errAt(s.line, s.col, "infPedReg/e"+ev.Type+"/chSubstituta", fmt.Errorf("malformed access key %q: want 50 digits", s.text))
	}
	if ev.Type == "105102" && !v[evSubstitute].set {
		return Event{}, st.errAt(typeVal.line, typeVal.col, "infPedReg/e105102/chSubstituta", errors.New("required element missing: the substitute NFS-e's key"))
	}
	return ev, nil
}

// requireValue reports a value absent (at the event's element) or empty.
func (st *docState) requireValue(v value, name string) error {
	switch {
	case !v.set:
		return st.errAt(st.line, st.col, name, errors.New("required element missing"))
	case v.text == "":
		return st.errAt(v.line, v.col, name, errors.New("required element is empty"))
	}
	return nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
