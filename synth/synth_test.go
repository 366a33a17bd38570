package synth

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// TestMSPriceList checks the shape a benchmark relies on: n rows after the
// header, the first product's prices worked out by hand, and a variant that
// changes the content.
func TestMSPriceList(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	shaA, err := MSPriceList(a, 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	shaB, err := MSPriceList(b, 20, 1)
	if err != nil {
		t.Fatal(err)
	}
	if shaA == shaB {
		t.Error("variants 0 and 1 have the same content")
	}
	f, err := os.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 21 {
		t.Fatalf("%d records, want a header and 20 rows", len(recs))
	}
	// Product 0: 1000 cents → UnitPrice 10.00, ERP Price 1000×6/500 = 12.00;
	// product 1: 1000 + 7919 = 8919 cents → 89.19 and 107.02.
	for _, tt := range []struct {
		row              int
		id, price, list  string
		market, currency string
	}{
		{1, "CFQ7TTC00000", "10.00", "12.00", "BR", "USD"},
		{11, "CFQ7TTC00001", "89.19", "107.02", "BR", "USD"},
		{20, "CFQ7TTC00001", "89.19", "107.02", "US", "USD"},
	} {
		r := recs[tt.row]
		if r[1] != tt.id || r[11] != tt.price || r[17] != tt.list || r[9] != tt.market || r[10] != tt.currency {
			t.Errorf("row %d = %v, want %s %s %s %s %s", tt.row, r, tt.id, tt.price, tt.list, tt.market, tt.currency)
		}
	}
	if err := PricelistInputs(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rules", "pricing.csv")); err != nil {
		t.Error(err)
	}
}
