package synth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCNPJCheck(t *testing.T) {
	// Check digits of CNPJs known to be valid (the examples' customers and
	// our company).
	tests := []struct{ base, want string }{
		{"112223330001", "81"},
		{"114447770001", "61"},
		{"123456780001", "95"},
		{"605746610001", "52"},
	}
	for _, tt := range tests {
		if got := cnpjCheck(tt.base); got != tt.want {
			t.Errorf("cnpjCheck(%s) = %s, want %s", tt.base, got, tt.want)
		}
	}
}

func TestNFEKey(t *testing.T) {
	// The fields of examples/inbox/nf/2025/12/nfe_5001.xml's key: cUF 31,
	// 2512, our CNPJ, model 55, series 001, number 5001, type 1, code
	// 00005001. Its check digit is 7, not the example's 4 (the extractor does
	// not check it): the 43 digits weighted 2..9 from the right sum to
	// 356, 356 mod 11 = 4, 11 − 4 = 7.
	got := nfeKey(time.Date(2025, 12, 5, 0, 0, 0, 0, time.UTC), 1, 5001, 5001)
	if want := "31251211222333000181550010000050011000050017"; got != want {
		t.Errorf("nfeKey = %s, want %s", got, want)
	}
}

func TestBRL(t *testing.T) {
	for c, want := range map[int64]string{0: "0,00", 5: "0,05", 123456: "1.234,56", 100000000: "1.000.000,00", -250: "-2,50"} {
		if got := brl(c); got != want {
			t.Errorf("brl(%d) = %s, want %s", c, got, want)
		}
	}
}

// treeHash hashes every file's path and bytes under dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(filepath.ToSlash(rel) + "\x00"))
		s := sha256.Sum256(b)
		h.Write(s[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestGenerateSameSeedSameBytes(t *testing.T) {
	ctx := context.Background()
	o := Options{Customers: 12, Months: 2, BillLines: 3001, Seed: 7}
	var hashes []string
	var sums []Summary
	for _, seed := range []int64{7, 7, 8} {
		o.Seed = seed
		dir := t.TempDir()
		sum, err := Generate(ctx, dir, o)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, treeHash(t, dir))
		sums = append(sums, sum)
	}
	if hashes[0] != hashes[1] {
		t.Error("the same seed gave different bytes")
	}
	if !reflect.DeepEqual(sums[0], sums[1]) {
		t.Errorf("the same seed gave different summaries:\n%+v\n%+v", sums[0], sums[1])
	}
	if hashes[0] == hashes[2] {
		t.Error("seeds 7 and 8 gave the same bytes")
	}
	s := sums[0]
	if want := []string{"2025-11", "2025-12"}; !reflect.DeepEqual(s.Periods, want) {
		t.Errorf("periods %v, want %v", s.Periods, want)
	}
	if s.AsOf != "2026-01-10" {
		t.Errorf("as-of %s, want 2026-01-10", s.AsOf)
	}
	// 3001 lines over 2 months: 1501 a month, the latest full, 1500 before.
	want := map[string]int64{"ms_billing": 3001, "erp_customers": 12, "erp_vendor_accounts": 12, "ms_prices": 1000}
	for k, n := range want {
		if s.Rows[k] != n {
			t.Errorf("%s: %d rows, want %d", k, s.Rows[k], n)
		}
	}
	if s.Files["ms_billing"] != 2 {
		t.Errorf("%d bill files, want 2", s.Files["ms_billing"])
	}
	// Each month's slots are planned once: order-line classes and unordered
	// bill lines add up to the month's bill lines (invoiced_not_ordered is
	// an extra invoice beside a matched order).
	for p, slots := range map[string]int64{"2025-11": 1500, "2025-12": 1501} {
		var n int64
		for class, c := range s.Classes[p] {
			if class != "invoiced_not_ordered" {
				n += c
			}
		}
		// EA orders in the month's scope add matched lines beyond the slots.
		if n < slots {
			t.Errorf("%s: %d planned lines, want at least the %d slots", p, n, slots)
		}
	}
}

func TestGenerateRefusesAFolderWithFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x"), nil, 0o644)
	_, err := Generate(context.Background(), dir, Options{Customers: 1, Months: 1, BillLines: 1})
	if !errors.Is(err, ErrNotEmpty) {
		t.Errorf("err = %v, want ErrNotEmpty", err)
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Customers: 0, Months: 1, BillLines: 1},
		{Customers: 1, Months: 0, BillLines: 1},
		{Customers: 1, Months: 1, BillLines: 0},
		{Customers: 1, Months: 1, BillLines: 1, EndPeriod: "2025-13"},
		{Customers: 1, Months: 1, BillLines: 1, PriceRows: -1},
		{Customers: 1, Months: 1, BillLines: 1, PriceRows: MaxPriceRows + 1},
	} {
		if _, err := Generate(context.Background(), t.TempDir(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// TestGeneratePriceRows: --price-rows sizes the Microsoft list alone; the
// bills and every other file are those of the same options without it.
func TestGeneratePriceRows(t *testing.T) {
	ctx := context.Background()
	o := Options{Customers: 5, Months: 1, BillLines: 500, Seed: 3}
	plain, sized := t.TempDir(), t.TempDir()
	if _, err := Generate(ctx, plain, o); err != nil {
		t.Fatal(err)
	}
	o.PriceRows = 1234
	sum, err := Generate(ctx, sized, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows["ms_prices"] != 1234 {
		t.Errorf("ms_prices: %d rows, want 1234", sum.Rows["ms_prices"])
	}
	list := filepath.Join("pricelists", "microsoft", "nce_licensebased_pricelist_202512.csv")
	b, err := os.ReadFile(filepath.Join(sized, list))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	if len(lines) != 1235 {
		t.Fatalf("%d lines, want a header and 1234 rows", len(lines))
	}
	// Row 1233 (from 0) is the fourth of product 123, ten rows a product.
	if f := strings.Split(lines[1234], ","); f[1] != `"CFQ7TTC00123"` {
		t.Errorf("last row's ProductId %s, want \"CFQ7TTC00123\"", f[1])
	}
	// The list's first 1000 rows (the 100 products the bills use) are those
	// of the plain inbox; the other files are the same bytes.
	p, err := os.ReadFile(filepath.Join(plain, list))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), string(p)) {
		t.Error("the sized list does not start with the plain one")
	}
	for _, dir := range []string{plain, sized} {
		if err := os.Remove(filepath.Join(dir, list)); err != nil {
			t.Fatal(err)
		}
	}
	if treeHash(t, plain) != treeHash(t, sized) {
		t.Error("--price-rows changed files other than the Microsoft price list")
	}
}
