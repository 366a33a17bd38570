package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/extract/nfxml"
)

// TestConfiguredLimitsReachLoaders: the config's limits reach every loader
// through Options, not only the defaults: an Adobe workbook and an NF XML
// within the defaults fail under smaller configured limits.
func TestConfiguredLimitsReachLoaders(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	rows := [][]any{
		{"partNumber", "productFamily", "marketSegment", "currency", "partnerPrice"},
		{"65AAA", strings.Repeat("Acrobat ", 25), "COM", "USD", "10.00"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "vip.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	nf, err := os.ReadFile(filepath.Join("..", "examples", "inbox", "nf", "2025", "12", "nfe_5001.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path  string
		body  []byte
		lim   Limits
		want  string
		cause error
	}{
		{"pricelists/adobe/vip.xlsx", readAll(t, xlsx), Limits{MaxCellBytes: 100},
			"pricelists/adobe/vip.xlsx: xl/sharedStrings.xml: a cell longer than 100 bytes (limits.max_cell_bytes)", nil},
		{"nf/nfe_5001.xml", nf, Limits{MaxXMLBytes: 1024},
			"nf/nfe_5001.xml:2:1: document too large: longer than 1024 bytes (limits.max_xml_bytes)", nfxml.ErrTooLarge},
	}
	for _, tt := range tests {
		w := openWarehouse(t)
		if _, err := syncFile(t, w, tt.path, tt.body, Options{}); err != nil {
			t.Fatalf("%s with the default limits: %v", tt.path, err)
		}
		w = openWarehouse(t)
		_, err := syncFile(t, w, tt.path, tt.body, Options{Limits: tt.lim.WithDefaults()})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.path, err, tt.want)
		}
		if tt.cause != nil && !errors.Is(err, tt.cause) {
			t.Errorf("%s: errors.Is(%v, %v) = false", tt.path, err, tt.cause)
		}
	}
}

func readAll(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRulesLineBound: a rules file whose line never ends fails at the
// bound, naming the line, instead of being held whole.
func TestRulesLineBound(t *testing.T) {
	w := openWarehouse(t)
	body := "vendor;segment;product_family;method;pct;min_margin_pct\n*;*;*;markup;10;0\n" + strings.Repeat("x", maxRulesLine+1)
	_, err := syncFile(t, w, "rules/pricing.csv", []byte(body), Options{})
	want := "rules/pricing.csv:3: line too long: a line longer than 65536 bytes (a rule takes a few dozen)"
	if err == nil || err.Error() != want || !errors.Is(err, ErrLineTooLong) {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
