package nfxml

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// endless is a reader that does not end: after prefix it repeats fill,
// and counts what was read. A parse of it ends only if a bound stops it; n
// tells how much it read first. Past 64 MiB it fails, so a missing bound
// fails the test instead of hanging it.
type endless struct {
	prefix []byte
	fill   byte
	n      int64
}

func (r *endless) Read(b []byte) (int, error) {
	if r.n > 64<<20 {
		return 0, errors.New("endless input read past 64 MiB: no bound stopped the parse")
	}
	k := copy(b, r.prefix)
	r.prefix = r.prefix[k:]
	for i := k; i < len(b); i++ {
		b[i] = r.fill
	}
	r.n += int64(len(b))
	return len(b), nil
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE nfeProc [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"><NFe><infNFe Id="NFe1">
<ide><nNF>&lol9;</nNF></ide></infNFe></NFe></nfeProc>`

const xxe = `<?xml version="1.0"?>
<!DOCTYPE nfeProc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"><NFe><infNFe Id="NFe1">
<ide><nNF>&xxe;</nNF></ide></infNFe></NFe></nfeProc>`

// An external DTD is never fetched: the document parses as if it were not
// there (and would, were the file unreadable or the host unreachable).
const externalDTD = `<?xml version="1.0"?>
<!DOCTYPE NFSe SYSTEM "file:///etc/passwd">
<NFSe xmlns="http://www.sped.fazenda.gov.br/nfse"><infNFSe Id="NFS1"><nNFSe>7</nNFSe>` +
	`<emit><CNPJ>11222333000181</CNPJ></emit><valores><vLiq>1.00</vLiq></valores></infNFSe></NFSe>`

// TestParseLimits feeds hostile and broken files, several of them endless,
// and checks the whole error, that the bound stopped the reading (no more
// than the bound plus one read buffer taken from the reader) and that
// memory stayed near the bound.
func TestParseLimits(t *testing.T) {
	autorizada := readFixture(t, "nfe_autorizada.xml")
	tests := []struct {
		name  string
		input string   // parsed whole, or
		r     *endless // an endless reader
		max   int64
		want  string // whole error; "" for success
		is    error
		docs  int // documents emitted
	}{
		{
			name: "billion laughs: the entity is not expanded", input: billionLaughs,
			want: "in.xml:9:17: XML syntax error on line 9: invalid character entity &lol9;",
		},
		{
			name: "XXE: the external entity is not read", input: xxe,
			want: "in.xml:4:16: XML syntax error on line 4: invalid character entity &xxe;",
		},
		{
			name: "external DTD is not fetched", input: externalDTD, docs: 1,
		},
		{
			name: "truncated document", input: string(autorizada[:len(autorizada)/2]),
			want: "in.xml:133:15: XML syntax error on line 133: unexpected EOF",
		},
		{
			name: "batch bigger than the bound, each document under it", input: string(readFixture(t, "lote.xml")),
			max: 4096, docs: 2,
		},
		{
			name: "document over the bound is reported where it starts", input: string(autorizada),
			max: 4096, is: ErrTooLarge,
			want: "in.xml:2:1: document too large: longer than 4096 bytes (limits.max_xml_bytes)",
		},
		{
			name: "endless text in a document",
			r:    &endless{prefix: []byte(`<NFSe xmlns="http://www.sped.fazenda.gov.br/nfse"><infNFSe Id="x"><nNFSe>`), fill: '9'},
			max:  1 << 20, is: ErrTooLarge,
			want: "in.xml:1:1: document too large: longer than 1048576 bytes (limits.max_xml_bytes)",
		},
		{
			name: "endless comment before the root",
			r:    &endless{prefix: []byte("<?xml version=\"1.0\"?>\n<!-- "), fill: '<'},
			max:  1 << 20, is: ErrTooLarge,
			want: "in.xml:2:1: XML token too large: longer than 1048576 bytes (limits.max_xml_bytes)",
		},
		{
			name: "endless attribute in an envelope",
			r:    &endless{prefix: []byte(`<lote><x a="`), fill: 'a'},
			max:  1 << 20, is: ErrTooLarge,
			want: "in.xml:1:7: XML token too large: longer than 1048576 bytes (limits.max_xml_bytes)",
		},
		{
			name: "endless DOCTYPE",
			r:    &endless{prefix: []byte(`<!DOCTYPE nfeProc [<!ENTITY a "`), fill: 'a'},
			max:  1 << 20, is: ErrTooLarge,
			want: "in.xml:1:1: XML token too large: longer than 1048576 bytes (limits.max_xml_bytes)",
		},
		{
			name:  "nesting in an envelope",
			input: strings.Repeat("<a>", maxDepth+1),
			want:  "in.xml:1:193: elements nested more than 64 deep",
		},
		{
			name: "nesting in a skipped signature",
			input: `<NFSe xmlns="http://www.sped.fazenda.gov.br/nfse"><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">` +
				strings.Repeat("<a>", maxDepth),
			want: "in.xml:1:291: elements nested more than 64 deep",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tt.input)
			if tt.r != nil && tt.input == "" {
				r = tt.r
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			docs := 0
			err := Parse(context.Background(), r, "in.xml", tt.max, func(Document) error {
				docs++
				return nil
			})
			runtime.ReadMemStats(&after)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
			} else {
				var pe *ParseError
				if err == nil || err.Error() != tt.want || !errors.As(err, &pe) {
					t.Fatalf("err = %v, want the *ParseError %q", err, tt.want)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.is)
			}
			if docs != tt.docs {
				t.Errorf("%d documents emitted, want %d", docs, tt.docs)
			}
			if tt.r != nil && tt.input == "" {
				// One bufio buffer (4 KiB) may be read past the bound.
				if limit := tt.max + 4096; tt.r.n > limit {
					t.Errorf("read %d bytes of the endless input, want at most %d", tt.r.n, limit)
				}
			}
			// The decoder copies a token a few times while reading it; an
			// unbounded read would allocate without end instead.
			bound := max(tt.max, DefaultMaxBytes/16) * 8
			if got := after.TotalAlloc - before.TotalAlloc; got > uint64(bound) {
				t.Errorf("allocated %d bytes, want at most %d", got, bound)
			}
			if strings.Contains(strings.ToLower(errString(err)), "root:") {
				t.Errorf("error shows a file's content: %v", err)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestParseLimitDefault checks that 0 means DefaultMaxBytes, not "none".
func TestParseLimitDefault(t *testing.T) {
	r := &endless{prefix: []byte("<lote>"), fill: ' '}
	err := Parse(context.Background(), r, "in.xml", 0, func(Document) error { return nil })
	want := "in.xml:1:7: XML token too large: longer than 16777216 bytes (limits.max_xml_bytes)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if r.n > DefaultMaxBytes+4096 {
		t.Errorf("read %d bytes, want at most %d", r.n, DefaultMaxBytes+4096)
	}
}

// TestParseBoundExact checks the bound is on bytes, to the byte: a
// document of exactly max bytes parses, one byte more does not.
func TestParseBoundExact(t *testing.T) {
	doc := []byte(externalDTD[strings.Index(externalDTD, "<NFSe"):])
	for _, tt := range []struct {
		max  int64
		want string
	}{
		{int64(len(doc)), ""},
		{int64(len(doc)) - 1, fmt.Sprintf("in.xml:1:1: document too large: longer than %d bytes (limits.max_xml_bytes)", len(doc)-1)},
	} {
		err := Parse(context.Background(), bytes.NewReader(doc), "in.xml", tt.max, func(Document) error { return nil })
		if errString(err) != tt.want {
			t.Errorf("max %d: err = %v, want %q", tt.max, err, tt.want)
		}
	}
}
