package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		path, kind string
	}{
		{"pricelists/microsoft/nce_202512.csv", "ms_prices"},
		{"pricelists/microsoft/NCE_202512.CSV", "ms_prices"},
		{"pricelists/adobe/vip.xlsx", "adobe_prices"},
		{"pricelists/adobe/vip.csv", "adobe_prices"},
		{"pricelists/kaspersky/lista.csv", "vendor_prices"},
		{"fx/ptax_2025.csv", "ptax"},
		{"rules/pricing.csv", "pricing_rules"},
		{"rules/incentives.csv", "incentive_rules"},
		{"rules/taxes.csv", "tax_rules"},
		{"nf/nfe_1.xml", "nf_xml"},
		{"nf/2025/12/nfse_2.XML", "nf_xml"},
		{"rules/other.csv", ""},
		{"pricelists/microsoft/sub/x.csv", ""},
		{"readme.txt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			k, ok := KindOf(tt.path)
			if got := k.Name; !ok && tt.kind != "" || ok && got != tt.kind {
				t.Errorf("KindOf(%q) = %q, %v; want %q", tt.path, got, ok, tt.kind)
			}
		})
	}
}

func TestPosError(t *testing.T) {
	tests := []struct {
		err  *PosError
		want string
	}{
		{&PosError{File: "a.csv", Err: errors.New("boom")}, "a.csv: boom"},
		{&PosError{File: "a.csv", Line: 3, Err: errors.New("boom")}, "a.csv:3: boom"},
		{&PosError{File: "a.csv", Line: 3, Column: 5, Field: "pct", Err: errors.New("boom")}, "a.csv:3:5: pct: boom"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if err := missingColumn("x.csv", "UnitPrice"); !errors.Is(err, ErrMissingColumn) || err.Error() != `x.csv: missing column "UnitPrice"` {
		t.Errorf("missingColumn = %v", err)
	}
}

// TestFingerprint checks the hash, the newline count and encoding detection,
// with every way a multi-byte character can fall across the read chunks.
func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	pad := strings.Repeat("a", fingerprintChunk-1)
	tests := []struct {
		name, body string
		chunk      int // 0: every size of chunkSizes
		utf8       bool
		newlines   int64
		sha256     string // from sha256sum; "" to skip
	}{
		{name: "empty", utf8: true,
			sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{name: "ascii", body: "a;b\n1;2\n", utf8: true, newlines: 2},
		{name: "accents", body: "código;preço\r\n1;São Paulo\r\n", utf8: true, newlines: 2,
			sha256: "3e14c5bac9b50e592974955e3a36aa006fa79b4e397988dedf2b4ce2e1da80a9"},
		{name: "windows-1252", body: "S\xe9rie;Pre\xe7o\n1;2\n", utf8: false, newlines: 2,
			sha256: "0068355419d04e59d7a2b48ec460b61e85c9c169ab9c51b8005f3e0164ac1002"},
		{name: "ç split after its first byte", body: "abcç\n", chunk: 4, utf8: true, newlines: 1},
		{name: "€ split after its first byte", body: "ab€", chunk: 3, utf8: true},
		{name: "€ split after its second byte", body: "ab€", chunk: 4, utf8: true},
		{name: "emoji split in three chunks", body: "😀😀\n", chunk: 2, utf8: true, newlines: 1},
		{name: "rune across the 1 MiB buffer", body: pad + "ç\n", chunk: fingerprintChunk, utf8: true, newlines: 1},
		{name: "windows-1252 across the 1 MiB buffer", body: pad + "\xe9\n", chunk: fingerprintChunk, utf8: false, newlines: 1},
		{name: "emoji", body: "x😀\ny😀\n", utf8: true, newlines: 2},
		{name: "replacement character", body: "a\xef\xbf\xbd\n", utf8: true, newlines: 1},
		{name: "cut at the end", body: "abc\xc3", utf8: false},
		{name: "lead byte then ASCII", body: "ab\xc3A\n", utf8: false, newlines: 1},
		{name: "three-byte lead then ASCII", body: "ab\xe2\x82A", utf8: false},
		{name: "lone continuation", body: "a\x80b", utf8: false},
		{name: "overlong", body: "\xc0\xaf\n", utf8: false, newlines: 1},
		{name: "surrogate", body: "\xed\xa0\x80", utf8: false},
		{name: "beyond U+10FFFF", body: "\xf4\x90\x80\x80", utf8: false},
		{name: "invalid after valid carry", body: "a\xf0\x9f\x98\x80\xf0\x9fz", utf8: false},
	}
	chunkSizes := []int{1, 2, 3, 4, 5, 7, 16, fingerprintChunk}
	for _, tt := range tests {
		p := filepath.Join(dir, strings.NewReplacer(" ", "_", "/", "_").Replace(tt.name)+".csv")
		if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
			t.Fatal(err)
		}
		sizes := chunkSizes
		if tt.chunk != 0 {
			sizes = []int{tt.chunk}
		}
		want := tt.sha256
		if want == "" {
			sum := sha256.Sum256([]byte(tt.body))
			want = hex.EncodeToString(sum[:])
		}
		for _, chunk := range sizes {
			t.Run(fmt.Sprintf("%s/chunk=%d", tt.name, chunk), func(t *testing.T) {
				fp, err := fingerprintChunks(context.Background(), File{Path: "f.csv", Local: p}, chunk)
				if err != nil {
					t.Fatal(err)
				}
				if fp.UTF8 != tt.utf8 || fp.Newlines != tt.newlines || fp.SHA256 != want {
					t.Errorf("fingerprint = %+v, want utf8 %v, %d newlines, sha256 %s", fp, tt.utf8, tt.newlines, want)
				}
			})
		}
	}
}

// TestFingerprintRandom checks random mixes of characters, stray bytes and
// newlines against a check of the whole content at once.
func TestFingerprintRandom(t *testing.T) {
	pieces := []string{"a", "\n", "\r\n", "ç", "€", "😀", "\xef\xbf\xbd", "\xe9", "\xc3", "\x80", "\xf0\x9f", "\xed\xa0\x80"}
	rng := rand.New(rand.NewPCG(1, 2))
	p := filepath.Join(t.TempDir(), "f.csv")
	for i := range 300 {
		var b strings.Builder
		for range rng.IntN(12) {
			piece := pieces[rng.IntN(len(pieces))]
			if i%2 == 0 && piece[0] >= 0x80 && !utf8.ValidString(piece) {
				piece = "b" // half the cases stay valid UTF-8
			}
			b.WriteString(piece)
		}
		body := b.String()
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(body))
		for chunk := 1; chunk <= 9; chunk++ {
			fp, err := fingerprintChunks(context.Background(), File{Path: "f.csv", Local: p}, chunk)
			if err != nil {
				t.Fatal(err)
			}
			if fp.UTF8 != utf8.ValidString(body) || fp.Newlines != int64(strings.Count(body, "\n")) || fp.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("%q in chunks of %d: fingerprint %+v", body, chunk, fp)
			}
		}
	}
}

func TestFingerprintErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := fingerprintFile(context.Background(), File{Path: "fx/missing.csv", Local: filepath.Join(dir, "missing.csv")})
	if err == nil || !strings.HasPrefix(err.Error(), "fx/missing.csv: ") || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want fx/missing.csv: ... not exist", err)
	}
	_, err = fingerprintFile(context.Background(), File{Path: "fx", Local: dir})
	if err == nil || !strings.HasPrefix(err.Error(), "fx: ") {
		t.Errorf("reading a folder: %v, want fx: ...", err)
	}
	p := filepath.Join(dir, "a.csv")
	os.WriteFile(p, []byte(strings.Repeat("a;b\n", 100)), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fingerprintChunks(ctx, File{Path: "a.csv", Local: p}, 16); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}
