// Package synth generates inbox files in the project's own formats, of any
// size, for benchmarks and crash tests: big inputs are made when needed,
// never kept in git.
package synth

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MSPriceList writes a Microsoft NCE price list of n rows (about 240 bytes
// a row) to path: n/10 products, each in 10 market/currency/segment/term/
// plan combinations, all in force in December 2025. variant shifts every
// price, so each variant is another file by content (variant 0 is the
// benchmark's list). The file is synced before it returns: the kernel
// writing it back in the background would slow whatever runs next. It
// returns the file's SHA-256, which a run's manifest records.
func MSPriceList(path string, n, variant int) (string, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	w.WriteString("\ufeffProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment\r\n")
	type combo struct{ term, plan, market, currency, segment string }
	combos := []combo{
		{"P1Y", "Annual", "BR", "USD", "Commercial"}, {"P1Y", "Monthly", "BR", "USD", "Commercial"},
		{"P1M", "Monthly", "BR", "USD", "Commercial"}, {"P1Y", "Annual", "BR", "BRL", "Commercial"},
		{"P1M", "Monthly", "BR", "BRL", "Commercial"}, {"P1Y", "Annual", "US", "USD", "Commercial"},
		{"P1M", "Monthly", "US", "USD", "Commercial"}, {"P1Y", "Annual", "BR", "USD", "Education"},
		{"P1Y", "Annual", "BR", "BRL", "Education"}, {"P1Y", "Annual", "US", "USD", "Government"},
	}
	families := []string{"Microsoft 365 E3", "Microsoft 365 Business Premium", "Dynamics 365 Sales", "Power BI Pro", "Windows 365 Enterprise"}
	for r := 0; r < n; r++ {
		p, c := r/len(combos), combos[r%len(combos)]
		fam := families[p%len(families)]
		cents := 1000 + (p*7919+variant*101)%500000
		fmt.Fprintf(w, "\"%s %d\",\"CFQ7TTC%05d\",\"%04d\",\"%s %d plan\",\"Microsoft Corporation\",\"%s, licence %d, per user\",\"1 User\",\"%s\",\"%s\",\"%s\",\"%s\",\"%d.%02d\",\"0\",\"\",\"1/1/2025 12:00:00 AM\",\"12/31/9999 11:59:59 PM\",\"License\",\"%d.%02d\",\"%s\"\r\n",
			fam, p%1000, p, p%7, fam, p%1000, fam, p, c.term, c.plan, c.market, c.currency, cents/100, cents%100, cents*6/500, cents*6/5%100, c.segment)
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), f.Close()
}

// PricelistInputs writes what the price-list pipeline needs besides the
// list into the inbox folder: a PTAX rate for December 2025 (USD 5,3216)
// and pricing and incentive rules; pricelists/microsoft/ is created empty.
func PricelistInputs(inbox string) error {
	files := map[string]string{
		"fx/ptax.csv":          "28112025;220;A;USD;5,3210;5,3216;1,0000;1,0000\n",
		"rules/pricing.csv":    "vendor;segment;product_family;method;pct;min_margin_pct\n*;*;*;markup;15;8\nMicrosoft;*;Microsoft 365*;list_discount;5;10\nMicrosoft;Education;*;markup;8;5\n",
		"rules/incentives.csv": "vendor;program;sku_pattern;pct;valid_from;valid_to\nMicrosoft;Core;CFQ7TTC*;3;;\nMicrosoft;Promo;CFQ7TTC0001*;5;;\n",
	}
	if err := os.MkdirAll(filepath.Join(inbox, "pricelists", "microsoft"), 0o755); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(inbox, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
