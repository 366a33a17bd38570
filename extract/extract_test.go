package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// TestFingerprintUTF8 checks encoding detection, including a multi-byte
// character cut by the 1 MiB read buffer.
func TestFingerprintUTF8(t *testing.T) {
	dir := t.TempDir()
	pad := strings.Repeat("a", 1<<20-1)
	tests := []struct {
		name, body string
		utf8       bool
		newlines   int64
	}{
		{"ascii", "a;b\n1;2\n", true, 2},
		{"accents", "São Paulo;Ação\n", true, 1},
		{"rune across the buffer", pad + "ç\n", true, 1},
		{"windows-1252", "S\xe3o Paulo\n", false, 1},
		{"cut at the end", "abc\xc3", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "f.csv")
			os.WriteFile(p, []byte(tt.body), 0o644)
			fp, err := fingerprintFile(context.Background(), File{Path: "f.csv", Local: p})
			if err != nil {
				t.Fatal(err)
			}
			if fp.UTF8 != tt.utf8 || fp.Newlines != tt.newlines || len(fp.SHA256) != 64 {
				t.Errorf("fingerprint = %+v, want utf8 %v, %d newlines", fp, tt.utf8, tt.newlines)
			}
		})
	}
}

func TestListDir(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"fx/a.csv", "fx/.~lock.a.csv#", ".git/x", "rules/pricing.csv"} {
		full := filepath.Join(root, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte("x"), 0o644)
	}
	os.Symlink(filepath.Join(root, "fx", "a.csv"), filepath.Join(root, "fx", "b.csv"))
	files, err := ListDir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	if want := "fx/a.csv fx/b.csv rules/pricing.csv"; strings.Join(got, " ") != want {
		t.Errorf("ListDir = %v, want %s", got, want)
	}
	if _, err := ListDir(context.Background(), filepath.Join(root, "missing")); err == nil {
		t.Error("listing a missing inbox succeeded")
	}
}
