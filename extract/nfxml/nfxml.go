package nfxml

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Published namespaces of the two layouts.
const (
	nsNFe  = "http://www.portalfiscal.inf.br/nfe"
	nsNFSe = "http://www.sped.fazenda.gov.br/nfse"
)

// Kind of a parsed document.
type Kind string

// Document kinds.
const (
	KindNFe  Kind = "NFE"
	KindNFSe Kind = "NFSE"
)

// Item is one NF-e line (det/prod). NFS-e documents have no items.
type Item struct {
	Number      int    // det@nItem
	ProductCode string // cProd
	Description string // xProd
	Quantity    string // qCom, decimal text as in the XML ("2.0000")
	UnitPrice   string // vUnCom ("1234.5600000000")
	Total       string // vProd ("2469.12")
}

// Document is the subset of an invoice the reconciliation needs. Amounts are
// decimal text exactly as in the XML (dot separator), never float.
type Document struct {
	Kind         Kind
	Key          string // NF-e: protNFe/infProt/chNFe, else infNFe@Id without "NFe"; NFS-e: infNFSe@Id as is
	Number       string // NF-e ide/nNF; NFS-e infNFSe/nNFSe
	Series       string // NF-e ide/serie; NFS-e DPS/infDPS/serie (may be empty)
	IssuedAt     string // NF-e ide/dhEmi; NFS-e DPS/infDPS/dhEmi (RFC 3339 text as in the XML)
	ProcessedAt  string // NF-e protNFe/infProt/dhRecbto; NFS-e infNFSe/dhProc; may be empty
	IssuerCNPJ   string // NF-e emit/CNPJ; NFS-e infNFSe/emit/CNPJ
	CustomerCNPJ string // NF-e dest/CNPJ or dest/CPF; NFS-e DPS/infDPS/toma/CNPJ or toma/CPF
	Status       string // cStat ("100" = authorised); "" for an NF-e without protNFe
	Gross        string // NF-e total/ICMSTot/vProd; NFS-e DPS/infDPS/valores/vServPrest/vServ
	Discount     string // NF-e ICMSTot/vDesc; NFS-e vDescIncond + vDescCond; "0.00" when absent
	TaxBase      string // NF-e ICMSTot/vBC; NFS-e infNFSe/valores/vBC
	TaxAmount    string // NF-e ICMSTot/vICMS; NFS-e infNFSe/valores/vISSQN
	Net          string // NF-e ICMSTot/vNF; NFS-e infNFSe/valores/vLiq
	Items        []Item
	Line         int // 1-based line where the document's root element starts
}

// ErrNotInvoice is wrapped by Parse when the XML holds neither an NF-e
// (nfeProc or NFe) nor an NFS-e (NFSe) nor a fiscal event of either
// (procEventoNFe, evento).
var ErrNotInvoice = errors.New("not an NF-e or NFS-e document or event")

// ParseError carries the file position of a problem, like encoding/csv's
// ParseError. Line and Column are 1-based; Column counts bytes.
type ParseError struct {
	File   string
	Line   int
	Column int
	Field  string // element path such as "infNFe/total/ICMSTot/vNF"; empty for XML syntax errors
	Err    error
}

// Error formats the error as "file:line:col: field: message", leaving out
// empty parts.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
	}
	if e.Field != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Field)
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// DefaultMaxBytes is the bound on one document Parse applies when given
// none: an NF-e of the 990 items its layout allows is well under 1 MiB.
const DefaultMaxBytes = 16 << 20

// maxDepth bounds element nesting. The layouts nest about ten deep (a
// signature and an envelope included); the decoder keeps a record per open
// element, several times the three bytes "<a>" takes, so a document of
// nothing but open tags would otherwise cost far more memory than its size.
const maxDepth = 64

// ErrTooLarge is wrapped by Parse when a document, or a token outside one,
// is longer than the bound given to Parse.
var ErrTooLarge = errors.New("too large")

// ErrEncoding is wrapped by Parse when the file is in an encoding it cannot
// read: one its declaration names that is not in charsets, or bytes that
// are not UTF-8 in a file that declares no other encoding.
var ErrEncoding = errors.New("unreadable encoding")

// charsets are the encodings an XML declaration may name besides UTF-8,
// by lower-case label. ISO-8859-1 is read as Windows-1252, as browsers
// and the WHATWG Encoding Standard read it: the two agree on every
// printable character, and a byte from 0x80 to 0x9F, a control character
// in ISO-8859-1, is in such a file the € or the curly quote of a Windows
// program that declared the wrong one.
var charsets = map[string]encoding.Encoding{
	"iso-8859-1": charmap.Windows1252, "iso8859-1": charmap.Windows1252, "iso_8859-1": charmap.Windows1252,
	"latin1": charmap.Windows1252, "l1": charmap.Windows1252,
	"windows-1252": charmap.Windows1252, "cp1252": charmap.Windows1252,
	"iso-8859-15": charmap.ISO8859_15, "latin-9": charmap.ISO8859_15,
	"us-ascii": encoding.Nop, "ascii": encoding.Nop, // ASCII is UTF-8
}

// saveUTF8 is the advice of every encoding error.
const saveUTF8 = `save it as UTF-8, or declare the encoding it is in (<?xml version="1.0" encoding="ISO-8859-1"?>)`

// charsetError is a declared encoding not in charsets, or, with no
// label, bytes that are not UTF-8 where no other encoding is declared.
type charsetError struct{ label string }

func (e *charsetError) Error() string {
	if e.label == "" {
		return "the file is not UTF-8: " + saveUTF8
	}
	return fmt.Sprintf("the file declares the encoding %q, which cannot be read (UTF-8, ISO-8859-1, Windows-1252 and ISO-8859-15 can): %s", e.label, saveUTF8)
}
func (e *charsetError) Unwrap() error { return ErrEncoding }

// Parse streams one XML file and calls emit for every document in it, in file
// order. The file normally holds one document; any other root (a batch
// envelope) is searched for nfeProc, NFe and NFSe elements and each is
// emitted. Only one document's fields are held in memory at a time.
//
// maxBytes bounds one document, and any one token (a tag, a run of text, a
// DOCTYPE) outside documents; 0 means DefaultMaxBytes. Bytes are counted as
// the decoder reads them, so a longer document fails at the bound and its
// remainder is never read. Entity references other than XML's five are
// syntax errors: the decoder runs in Strict mode with no entity map, so a
// DOCTYPE's entities (billion laughs, external entities such as
// file:///etc/passwd) are never expanded.
//
// name is used in errors. Problems in the file are returned as *ParseError;
// documents before the first problem have already been emitted. An error
// from emit is returned unchanged, and ctx is checked before each document.
func Parse(ctx context.Context, r io.Reader, name string, maxBytes int64, emit func(Document) error) error {
	return ParseAll(ctx, r, name, maxBytes, emit, nil)
}

// ParseAll is Parse that also reads the fiscal events of the file (see
// Event), calling event for each in file order among the documents; a nil
// event skips them. A file of events only is not ErrNotInvoice. Events are
// bounded like documents: maxBytes each.
func ParseAll(ctx context.Context, r io.Reader, name string, maxBytes int64, emit func(Document) error, event func(Event) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	src := &source{r: bufio.NewReader(r)}
	dec := xml.NewDecoder(src)
	// Both are the defaults; set here because billion laughs and XXE
	// safety rests on them (see the Parse doc).
	dec.Strict, dec.Entity = true, nil
	// A declared encoding is decoded to UTF-8 under the source, which then
	// counts (and bounds) the UTF-8 bytes the decoder reads, as its offsets
	// do.
	dec.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		enc, ok := charsets[strings.ToLower(label)]
		if !ok {
			return nil, &charsetError{label}
		}
		src.r = bufio.NewReader(transform.NewReader(src.r, enc.NewDecoder()))
		return src, nil
	}
	p := &parser{dec: dec, src: src, name: name, max: maxBytes}

	var (
		root      string
		rootLine  int
		rootCol   int
		documents int
	)
	for {
		tok, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root, rootLine, rootCol = se.Name.Local, p.line, p.col
		}
		kind := kindOf(se.Name)
		if kind == "" && isEvent(se.Name) {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("parse %s: %w", name, err)
			}
			ev, err := p.event(se)
			if err != nil {
				return err
			}
			if event != nil {
				if err := event(ev); err != nil {
					return err
				}
			}
			documents++
			continue
		}
		if kind == "" {
			// Not a document: keep descending, it may be an envelope.
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		doc, err := p.document(se, kind)
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
		documents++
	}
	if root == "" {
		line, col := p.dec.InputPos()
		return &ParseError{File: name, Line: line, Column: col, Err: errors.New("no root element")}
	}
	if documents == 0 {
		return &ParseError{File: name, Line: rootLine, Column: rootCol,
			Err: fmt.Errorf("root element <%s>: %w", root, ErrNotInvoice)}
	}
	return nil
}

// kindOf reports which document an element starts, or "" for none.
func kindOf(n xml.Name) Kind {
	switch {
	case (n.Local == "nfeProc" || n.Local == "NFe") && inSpace(n.Space, nsNFe):
		return KindNFe
	case n.Local == "NFSe" && inSpace(n.Space, nsNFSe):
		return KindNFSe
	}
	return ""
}

// inSpace accepts the expected namespace or none: exporters that strip xmlns
// still produce the official element names.
func inSpace(space, want string) bool { return space == want || space == "" }

// source feeds the decoder. Being an io.ByteReader, it is read byte by byte
// with no buffer of the decoder's own in between, so it sees exactly what
// the decoder has consumed: it stops at stop, which bounds what one token or
// document can make the decoder hold, and it keeps the caller's read error
// apart from the decoder's own errors, which are plain errors too.
type source struct {
	r    *bufio.Reader
	n    int64 // bytes handed to the decoder
	stop int64 // n at which reading fails with errBound
	hit  bool  // stop was reached: the decoder's error is errBound from now on
	err  error // the caller's read error, if any
	// Offsets where the line of the last newline read starts, and the line
	// after it: see fail.
	prevLineStart, lineStart int64
}

// errBound is what the decoder sees when source reaches stop; fail turns it
// into the ParseError that names the limit.
var errBound = errors.New("read bound reached")

func (s *source) ReadByte() (byte, error) {
	if s.n >= s.stop {
		s.hit = true
		return 0, errBound
	}
	b, err := s.r.ReadByte()
	if err != nil {
		if err != io.EOF {
			s.err = err
		}
		return 0, err
	}
	s.n++
	if b == '\n' {
		s.prevLineStart, s.lineStart = s.lineStart, s.n
	}
	return b, nil
}

// Read is never called by the decoder (it uses ReadByte); it is here
// because NewDecoder takes an io.Reader, and it keeps the same bound.
func (s *source) Read(b []byte) (int, error) {
	for i := range b {
		c, err := s.ReadByte()
		if err != nil {
			return i, err
		}
		b[i] = c
	}
	return len(b), nil
}

type parser struct {
	dec       *xml.Decoder
	src       *source
	name      string
	max       int64 // bound on a document, or a token outside documents
	line, col int   // where the token last returned by next starts
	start     int64 // and its byte offset
	boundLine int   // where the token the bound was last set for starts
	boundCol  int
	depth     int // elements open
	doc       *docState
}

// next returns the next token and records where it starts: InputPos before
// Token is the byte just after the previous token, which is this token's
// first byte, whereas after Token it would be the end of a start tag.
// Outside a document each token may take max bytes; inside one, the bound
// set when the document started stands.
func (p *parser) next() (xml.Token, error) {
	p.line, p.col = p.dec.InputPos()
	p.start = p.dec.InputOffset()
	// Once the bound is hit the decoder may still return the text read up
	// to it before the error; the bound and its position stay as they were.
	if p.doc == nil && !p.src.hit {
		p.src.stop = p.start + p.max
		p.boundLine, p.boundCol = p.line, p.col
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.fail(err)
	}
	switch tok.(type) {
	case xml.StartElement:
		if p.depth++; p.depth > maxDepth {
			return nil, &ParseError{File: p.name, Line: p.line, Column: p.col,
				Err: fmt.Errorf("elements nested more than %d deep", maxDepth)}
		}
	case xml.EndElement:
		p.depth--
	}
	return tok, nil
}

// skip discards the rest of the element just started. It reads through
// next, not Decoder.Skip, so the depth and size bounds hold there too.
func (p *parser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.next()
		if err == io.EOF {
			return p.fail(io.ErrUnexpectedEOF)
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// fail turns a decoder error into the error Parse returns.
func (p *parser) fail(err error) error {
	if err == io.EOF {
		return err
	}
	if errors.Is(err, errBound) {
		// A document too long is reported where it starts, the place to
		// look; a token outside documents where that token starts.
		if d := p.doc; d != nil {
			return &ParseError{File: p.name, Line: d.line, Column: d.col,
				Err: fmt.Errorf("document %w: longer than %d bytes (limits.max_xml_bytes)", ErrTooLarge, p.max)}
		}
		return &ParseError{File: p.name, Line: p.boundLine, Column: p.boundCol,
			Err: fmt.Errorf("XML token %w: longer than %d bytes (limits.max_xml_bytes)", ErrTooLarge, p.max)}
	}
	if p.src.err != nil && errors.Is(err, p.src.err) {
		return fmt.Errorf("read %s: %w", p.name, err)
	}
	var ce *charsetError
	if errors.As(err, &ce) {
		return &ParseError{File: p.name, Line: p.line, Column: p.col, Err: ce}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) && se.Msg == "invalid UTF-8" {
		// Where the text or tag holding the bytes starts: the decoder
		// checks a text once it has read it whole.
		return &ParseError{File: p.name, Line: p.line, Column: p.col, Err: &charsetError{}}
	}
	line, col := p.dec.InputPos()
	if col < 1 {
		// The decoder put back the newline it had just read ("&\n"): it
		// counts the line back but not the line's start, so InputPos gives
		// column 0. The error is at that newline, on the line before.
		col = int(p.dec.InputOffset()-p.src.prevLineStart) + 1
	}
	return &ParseError{File: p.name, Line: line, Column: col, Err: err}
}

// field identifies a value captured from the text of an element.
type field uint8

const (
	fKey field = iota // NF-e protNFe/infProt/chNFe; the NFS-e key is an attribute
	fNumber
	fSeries
	fIssuedAt
	fProcessedAt
	fIssuer
	fCustomerCNPJ
	fCustomerCPF
	fStatus
	fGross
	fDiscount   // NF-e vDesc
	fDescIncond // NFS-e vDescIncond
	fDescCond   // NFS-e vDescCond
	fTaxBase
	fTaxAmount
	fNet
	numDocFields

	// Item fields, after numDocFields, go to the current det.
	fItemCode
	fItemDesc
	fItemQty
	fItemPrice
	fItemTotal
)

// check is the syntax a captured value must have.
type check uint8

const (
	anyText check = iota
	amount
	timestamp
)

type spec struct {
	f     field
	check check
}

// Paths are relative to the document element. An nfeProc and a bare NFe both
// see the invoice under "NFe/", so one table serves both.
var nfeFields = map[string]spec{
	"NFe/infNFe/ide/nNF":             {fNumber, anyText},
	"NFe/infNFe/ide/serie":           {fSeries, anyText},
	"NFe/infNFe/ide/dhEmi":           {fIssuedAt, timestamp},
	"NFe/infNFe/emit/CNPJ":           {fIssuer, anyText},
	"NFe/infNFe/dest/CNPJ":           {fCustomerCNPJ, anyText},
	"NFe/infNFe/dest/CPF":            {fCustomerCPF, anyText},
	"NFe/infNFe/det/prod/cProd":      {fItemCode, anyText},
	"NFe/infNFe/det/prod/xProd":      {fItemDesc, anyText},
	"NFe/infNFe/det/prod/qCom":       {fItemQty, amount},
	"NFe/infNFe/det/prod/vUnCom":     {fItemPrice, amount},
	"NFe/infNFe/det/prod/vProd":      {fItemTotal, amount},
	"NFe/infNFe/total/ICMSTot/vBC":   {fTaxBase, amount},
	"NFe/infNFe/total/ICMSTot/vICMS": {fTaxAmount, amount},
	"NFe/infNFe/total/ICMSTot/vProd": {fGross, amount},
	"NFe/infNFe/total/ICMSTot/vDesc": {fDiscount, amount},
	"NFe/infNFe/total/ICMSTot/vNF":   {fNet, amount},
	"protNFe/infProt/chNFe":          {fKey, anyText},
	"protNFe/infProt/dhRecbto":       {fProcessedAt, timestamp},
	"protNFe/infProt/cStat":          {fStatus, anyText},
}

var nfseFields = map[string]spec{
	"infNFSe/nNFSe":                                          {fNumber, anyText},
	"infNFSe/dhProc":                                         {fProcessedAt, timestamp},
	"infNFSe/cStat":                                          {fStatus, anyText},
	"infNFSe/emit/CNPJ":                                      {fIssuer, anyText},
	"infNFSe/valores/vBC":                                    {fTaxBase, amount},
	"infNFSe/valores/vISSQN":                                 {fTaxAmount, amount},
	"infNFSe/valores/vLiq":                                   {fNet, amount},
	"infNFSe/DPS/infDPS/serie":                               {fSeries, anyText},
	"infNFSe/DPS/infDPS/dhEmi":                               {fIssuedAt, timestamp},
	"infNFSe/DPS/infDPS/toma/CNPJ":                           {fCustomerCNPJ, anyText},
	"infNFSe/DPS/infDPS/toma/CPF":                            {fCustomerCPF, anyText},
	"infNFSe/DPS/infDPS/valores/vServPrest/vServ":            {fGross, amount},
	"infNFSe/DPS/infDPS/valores/vDescCondIncond/vDescIncond": {fDescIncond, amount},
	"infNFSe/DPS/infDPS/valores/vDescCondIncond/vDescCond":   {fDescCond, amount},
}

const (
	nfeInfPath  = "NFe/infNFe"
	nfeDetPath  = "NFe/infNFe/det"
	nfseInfPath = "infNFSe"
)

// value is captured text and where its element starts.
type value struct {
	text      string
	line, col int
	set       bool
}

// docState collects one document while its element is open.
type docState struct {
	name      string
	kind      Kind
	line, col int
	vals      [numDocFields]value
	id        value // infNFe@Id or infNFSe@Id; line and col are set once the element is seen, attribute or not
	items     []Item
}

// document reads the children of se, a document element, up to its end tag.
func (p *parser) document(se xml.StartElement, kind Kind) (Document, error) {
	st := &docState{name: p.name, kind: kind, line: p.line, col: p.col}
	// The bound runs from the document's first byte, its start tag
	// included, until its end tag; then tokens are bounded one by one again.
	p.doc = st
	defer func() { p.doc = nil }()
	p.src.stop = p.start + p.max
	space, fields, infPath := nsNFSe, nfseFields, nfseInfPath
	prefix := "" // slash-joined local names below the document element
	if kind == KindNFe {
		space, fields, infPath = nsNFe, nfeFields, nfeInfPath
		if se.Name.Local == "NFe" {
			prefix = "NFe"
		}
	}
	var capSpec spec
	err := p.walk(st, prefix, func(ns string) bool { return inSpace(ns, space) },
		func(path []byte, t xml.StartElement) (bool, error) {
			switch string(path) {
			case infPath:
				id, ok := attr(t, "Id")
				st.id = value{text: id, line: p.line, col: p.col, set: ok}
			case nfeDetPath:
				if err := st.startItem(t, p.line, p.col); err != nil {
					return false, err
				}
			}
			sp, ok := fields[string(path)]
			if ok {
				capSpec = sp
			}
			return ok, nil
		},
		func(path []byte, v value) error { return st.store(capSpec, v, string(path)) })
	if err != nil {
		return Document{}, err
	}
	return st.finish()
}

// walk reads the children of the element just started, up to its end tag,
// keeping path, the slash-joined local names below it (after prefix).
// Elements of a namespace keep does not accept (a signature, foreign
// extensions) are skipped whole. start is called as each element starts
// and says whether its text is captured; text gets that text, trimmed,
// with where its element starts, as the element ends. path is reused:
// callers copy what they keep.
func (p *parser) walk(st *docState, prefix string, keep func(space string) bool,
	start func(path []byte, t xml.StartElement) (bool, error), text func(path []byte, v value) error) error {
	path := []byte(prefix)
	var (
		marks   []int // len(path) before each open element, to pop it
		capture = -1  // len(marks) of the element whose text is captured, or -1
		capLine int
		capCol  int
		buf     []byte
	)
	for {
		tok, err := p.next()
		if err == io.EOF {
			// The decoder reports unclosed elements itself; this is a guard.
			return st.errAt(p.line, p.col, "", io.ErrUnexpectedEOF)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !keep(t.Name.Space) {
				if err := p.skip(); err != nil {
					return err
				}
				continue
			}
			marks = append(marks, len(path))
			if len(path) > 0 {
				path = append(path, '/')
			}
			path = append(path, t.Name.Local...)
			c, err := start(path, t)
			if err != nil {
				return err
			}
			if c {
				capture, capLine, capCol = len(marks), p.line, p.col
				buf = buf[:0]
			}
		case xml.CharData:
			if capture >= 0 {
				buf = append(buf, t...)
			}
		case xml.EndElement:
			if len(marks) == 0 {
				return nil
			}
			if capture == len(marks) {
				v := value{text: strings.TrimSpace(string(buf)), line: capLine, col: capCol, set: true}
				if err := text(path, v); err != nil {
					return err
				}
				capture = -1
			}
			path = path[:marks[len(marks)-1]]
			marks = marks[:len(marks)-1]
		}
	}
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// display turns an internal path into the field name used in errors.
func display(path string) string { return strings.TrimPrefix(path, "NFe/") }

func (st *docState) errAt(line, col int, fieldName string, err error) *ParseError {
	return &ParseError{File: st.name, Line: line, Column: col, Field: fieldName, Err: err}
}

func (st *docState) startItem(se xml.StartElement, line, col int) error {
	const name = "infNFe/det@nItem"
	s, ok := attr(se, "nItem")
	if !ok {
		return st.errAt(line, col, name, errors.New("required attribute missing"))
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return st.errAt(line, col, name, fmt.Errorf("malformed item number %q", s))
	}
	st.items = append(st.items, Item{Number: n})
	return nil
}

// store validates a captured value and files it.
func (st *docState) store(sp spec, v value, path string) error {
	if err := validate(sp.check, v.text); err != nil {
		name := display(path)
		if sp.f >= fItemCode && len(st.items) > 0 {
			// Point at the offending line item, not just "det".
			name = strings.Replace(name, "det/", fmt.Sprintf("det[%d]/", st.items[len(st.items)-1].Number), 1)
		}
		return st.errAt(v.line, v.col, name, err)
	}
	if sp.f < numDocFields {
		st.vals[sp.f] = v
		return nil
	}
	it := &st.items[len(st.items)-1] // item paths sit under det, which started an item
	switch sp.f {
	case fItemCode:
		it.ProductCode = v.text
	case fItemDesc:
		it.Description = v.text
	case fItemQty:
		it.Quantity = v.text
	case fItemPrice:
		it.UnitPrice = v.text
	case fItemTotal:
		it.Total = v.text
	}
	return nil
}

// require reports a required value that is absent (at the document element)
// or empty (at its own element).
func (st *docState) require(f field, name string) error { return st.requireValue(st.vals[f], name) }

// requirement names a value a document must have, in the order reported.
type requirement struct {
	f    field
	name string
}

// finish checks the collected values and builds the Document.
func (st *docState) finish() (Document, error) {
	v := &st.vals
	d := Document{
		Kind:         st.kind,
		Number:       v[fNumber].text,
		Series:       v[fSeries].text,
		IssuedAt:     v[fIssuedAt].text,
		ProcessedAt:  v[fProcessedAt].text,
		IssuerCNPJ:   v[fIssuer].text,
		CustomerCNPJ: v[fCustomerCNPJ].text,
		Status:       v[fStatus].text,
		Gross:        v[fGross].text,
		TaxBase:      v[fTaxBase].text,
		TaxAmount:    v[fTaxAmount].text,
		Net:          v[fNet].text,
		Items:        st.items,
		Line:         st.line,
	}
	if !v[fCustomerCNPJ].set {
		d.CustomerCNPJ = v[fCustomerCPF].text
	}
	var required []requirement
	if st.kind == KindNFe {
		key, err := st.nfeKey()
		if err != nil {
			return Document{}, err
		}
		d.Key = key
		d.Discount = v[fDiscount].text
		required = []requirement{
			{fNumber, "infNFe/ide/nNF"},
			{fIssuedAt, "infNFe/ide/dhEmi"},
			{fIssuer, "infNFe/emit/CNPJ"},
			{fNet, "infNFe/total/ICMSTot/vNF"},
		}
	} else {
		if err := st.requireID("infNFSe@Id"); err != nil {
			return Document{}, err
		}
		d.Key = st.id.text
		switch {
		case v[fDescIncond].set && v[fDescCond].set:
			d.Discount = addDecimal(v[fDescIncond].text, v[fDescCond].text)
		case v[fDescIncond].set:
			d.Discount = v[fDescIncond].text
		case v[fDescCond].set:
			d.Discount = v[fDescCond].text
		}
		required = []requirement{
			{fNumber, "infNFSe/nNFSe"},
			{fIssuer, "infNFSe/emit/CNPJ"},
			{fNet, "infNFSe/valores/vLiq"},
		}
	}
	for _, r := range required {
		if err := st.require(r.f, r.name); err != nil {
			return Document{}, err
		}
	}
	if d.Discount == "" {
		d.Discount = "0.00"
	}
	return d, nil
}

// requireID reports a missing Id attribute at its element, or at the document
// element when that element is missing too.
func (st *docState) requireID(name string) error {
	if st.id.set && st.id.text != "" {
		return nil
	}
	line, col := st.line, st.col
	if st.id.line > 0 {
		line, col = st.id.line, st.id.col
	}
	return st.errAt(line, col, name, errors.New("required attribute missing"))
}

// nfeKey picks the access key: the protocol's chNFe is what SEFAZ
// authorised, the Id is the issuer's claim; when both exist they must agree
// or the nfeProc pairs a protocol with another invoice.
func (st *docState) nfeKey() (string, error) {
	const idName, chName = "infNFe@Id", "protNFe/infProt/chNFe"
	ch := st.vals[fKey]
	idKey := strings.TrimPrefix(st.id.text, "NFe")
	if !ch.set {
		if err := st.requireID(idName); err != nil {
			return "", err
		}
		if !isAccessKey(idKey) {
			return "", st.errAt(st.id.line, st.id.col, idName, fmt.Errorf("malformed access key %q: want \"NFe\" and 44 digits", st.id.text))
		}
		return idKey, nil
	}
	if !isAccessKey(ch.text) {
		return "", st.errAt(ch.line, ch.col, chName, fmt.Errorf("malformed access key %q: want 44 digits", ch.text))
	}
	if st.id.set && idKey != ch.text {
		return "", st.errAt(ch.line, ch.col, chName, fmt.Errorf("access key %s does not match infNFe@Id %q", ch.text, st.id.text))
	}
	return ch.text, nil
}

func isAccessKey(s string) bool { return isDigits(s, 44) }
