package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/extract"
)

// taxInbox is a price list in BRL (no PTAX to read) of a licence vendor and
// a hardware vendor, each priced at its net cost (markup 0) so the 10 %
// floor sets every price through the markup divisor, and a family whose
// 95 % floor leaves no divisor.
func taxInbox(t *testing.T, taxes string) (string, map[string]extract.VendorFormat) {
	t.Helper()
	inbox := filepath.Join(t.TempDir(), "inbox")
	files := map[string]string{
		"pricelists/acme/lista.csv": "Código;Produto;Família;Moeda;Custo;Vigência\n" +
			"LIC-A;Licença A;Suite;BRL;843,50;01/01/2025\n" +
			"LIC-B;Licença B;Suite;BRL;100,00;01/01/2025\n" +
			"LIC-X;Licença X;Doomed;BRL;100,00;01/01/2025\n",
		"pricelists/ferro/lista.csv": "Código;Produto;Família;Moeda;Custo;Vigência\n" +
			"HW-1;Servidor;Rack;BRL;100,00;01/01/2025\n",
		"rules/pricing.csv": "vendor;segment;product_family;method;pct;min_margin_pct\n" +
			"*;*;*;markup;0;10\n" +
			"*;*;Doomed;markup;0;95\n",
	}
	if taxes != "" {
		files["rules/taxes.csv"] = taxes
	}
	writeInbox(t, inbox, files)
	format := extract.VendorFormat{Delimiter: ";", Decimal: ",",
		Columns: map[string]string{"product_id": "Código", "product": "Produto", "product_family": "Família",
			"currency": "Moeda", "cost": "Custo", "effective_from": "Vigência"},
		Defaults: map[string]string{"segment": "Commercial", "market": "BR"}}
	hardware := format
	hardware.Goods = "hardware"
	return inbox, map[string]extract.VendorFormat{"acme": format, "ferro": hardware}
}

const (
	taxesCumulative = "tax;rate_pct;applies_to;included_in_price;valid_from;valid_to;source\n" +
		"ISS;2,00;licence;sim;01/01/2025;30/06/2026;LC 116/2003 item 1.05\n" +
		"ISS;5,00;licence;sim;01/07/2026;;a municipal rate from July\n" +
		"PIS;0,65;all;sim;01/01/2025;;Lei 9.718/1998\n" +
		"COFINS;3,00;all;sim;01/01/2025;;Lei 9.718/1998\n" +
		"ICMS;18,00;hardware;sim;01/01/2025;;Lei 6.763/1975\n" +
		"CBS;0,90;all;não;01/01/2026;31/12/2026;LC 214/2025 art. 346\n" +
		"IBS;0,10;all;não;01/01/2026;31/12/2026;LC 214/2025 art. 343\n"
	taxesNonCumulative = "tax;rate_pct;applies_to;included_in_price;valid_from;valid_to;source\n" +
		"ISS;2,00;licence;sim;01/01/2025;;LC 116/2003 item 1.05\n" +
		"PIS;1,65;all;sim;01/01/2025;;Lei 10.637/2002\n" +
		"COFINS;7,60;all;sim;01/01/2025;;Lei 10.833/2003\n"
)

// TestPricelistTaxes checks the price list net of taxes against cents
// worked out by hand. The floor is met by the markup divisor, sell =
// net_cost / (1 − taxes/100 − floor/100), rounded half-even; the taxes are
// on the rounded sell price, tax by tax, each rounded half-even:
//
//   - cumulative, licence, ISS 2 + PIS 0,65 + COFINS 3 = 5,65 %, divisor
//     0,8435: 843,50 → 1.000,00, taxes 20,00 + 6,50 + 30,00 = 56,50, margin
//     (1.000 − 56,50 − 843,50) / 1.000 = 10,00 %; 100,00 → 118,5536 →
//     118,55, taxes 2,371 → 2,37 + 0,770575 → 0,77 + 3,5565 → 3,56 = 6,70;
//   - hardware, PIS 0,65 + COFINS 3 + ICMS 18 = 21,65 %, divisor 0,6835:
//     100,00 → 146,3057 → 146,31, taxes 0,951 → 0,95 + 4,3893 → 4,39 +
//     26,3358 → 26,34 = 31,68;
//   - non-cumulative, ISS 2 + PIS 1,65 + COFINS 7,6 = 11,25 %, divisor
//     0,7875: 843,50 → 1.071,1111 → 1.071,11, taxes 21,4222 → 21,42 +
//     17,6733 → 17,67 + 81,4044 → 81,40 = 120,49;
//   - January 2026, CBS 0,9 + IBS 0,1 added, not included: the price and
//     the margin as in December, taxes_added 9,00 + 1,00 = 10,00 on
//     1.000,00 and 1,06695 → 1,07 + 0,11855 → 0,12 = 1,19 on 118,55;
//   - July 2026, ISS 5 % from the 1st: 8,65 %, divisor 0,8135: 843,50 →
//     1.036,8777 → 1.036,88, taxes 51,844 → 51,84 + 6,7397 → 6,74 +
//     31,1064 → 31,11 = 89,69, added 9,33192 → 9,33 + 1,03688 → 1,04 =
//     10,37; a price change of 3,69 % on taxes;
//   - a 95 % floor: 1 − 0,0565 − 0,95 = −0,0065, a reject saying why.
func TestPricelistTaxes(t *testing.T) {
	type row struct{ sell, margin, taxPct, taxes, added, goods string }
	tests := []struct {
		name, taxes, period string
		want                map[string]row
	}{
		{"cumulative", taxesCumulative, "2025-12", map[string]row{
			"LIC-A": {"1000.00", "10.00", "5.65", "56.50", "0.00", "licence"},
			"LIC-B": {"118.55", "10.00", "5.65", "6.70", "0.00", "licence"},
			"HW-1":  {"146.31", "10.00", "21.65", "31.68", "0.00", "hardware"},
		}},
		{"non-cumulative", taxesNonCumulative, "2025-12", map[string]row{
			"LIC-A": {"1071.11", "10.00", "11.25", "120.49", "0.00", "licence"},
		}},
		{"CBS and IBS of 2026 added, not included", taxesCumulative, "2026-01", map[string]row{
			"LIC-A": {"1000.00", "10.00", "5.65", "56.50", "10.00", "licence"},
			"LIC-B": {"118.55", "10.00", "5.65", "6.70", "1.19", "licence"},
		}},
		{"ISS from July", taxesCumulative, "2026-07", map[string]row{
			"LIC-A": {"1036.88", "10.00", "8.65", "89.69", "10.37", "licence"},
		}},
		// Without rules/taxes.csv the prices are as before the taxes:
		// 843,50 / 0,9 = 937,2222 → 937,22, and the 95 % floor has its
		// divisor: 100,00 / 0,05 = 2.000,00.
		{"no tax table", "", "2025-12", map[string]row{
			"LIC-A": {"937.22", "10.00", "", "", "", "licence"},
			"LIC-X": {"2000.00", "95.00", "", "", "", "licence"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox, vendors := taxInbox(t, tt.taxes)
			cfg := testConfig(t, inbox, t.TempDir(), tt.period)
			cfg.Vendors = vendors
			if err := runPricelist(t, cfg); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(cfg.Out, "pricelist", tt.period)
			got := map[string]map[string]string{}
			for _, r := range readCSV(t, filepath.Join(dir, "quote_prices.csv")) {
				got[r["product_id"]] = r
			}
			for id, w := range tt.want {
				r := got[id]
				g := row{r["sell_price_brl"], r["margin_pct"], r["tax_pct"], r["taxes_brl"], r["taxes_added_brl"], r["goods"]}
				if g != w {
					t.Errorf("%s: sell, margin, tax %%, taxes, added, goods = %v, want %v", id, g, w)
				}
			}
			if _, ok := got["LIC-X"]; ok && tt.taxes != "" {
				t.Errorf("LIC-X priced with no divisor left: %v", got["LIC-X"])
			}
			if tt.taxes == taxesCumulative && tt.period == "2025-12" {
				rejects := readCSV(t, filepath.Join(dir, "rejects.csv"))
				want := "no price meets the minimum margin: taxes 5,65% (ISS 2% + PIS 0,65% + COFINS 3%) + minimum margin 95% of pricing rule " +
					"rules/pricing.csv:3 leave a markup divisor of -0,0065 (1 − taxes − margin ≤ 0)"
				if len(rejects) != 1 || rejects[0]["file"] != "pricelists/acme/lista.csv" || rejects[0]["line"] != "4" || rejects[0]["reason"] != want {
					t.Errorf("rejects.csv = %v, want line 4 of pricelists/acme/lista.csv: %s", rejects, want)
				}
			}
			m := readFile(t, filepath.Join(dir, "manifest.json"))
			if hasNote := strings.Contains(string(m), `"sem impostos: no rules/taxes.csv in the inbox`); hasNote != (tt.taxes == "") {
				t.Errorf("manifest notes sem impostos: %v, want %v:\n%s", hasNote, tt.taxes == "", m)
			}
			// The workbook's cover says which taxes the prices take.
			wantCover := map[string]string{
				taxesCumulative: "licenças: ISS 2% + PIS 0,65% + COFINS 3% inclusos · hardware: PIS 0,65% + COFINS 3% + ICMS 18% inclusos",
				"":              "sem impostos (nenhum rules/taxes.csv na caixa de entrada)",
			}[tt.taxes]
			if tt.period == "2025-12" && wantCover != "" {
				f, err := excelize.OpenFile(filepath.Join(dir, "pricelist.xlsx"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				rows, _ := f.GetRows("Sobre")
				got := ""
				for _, r := range rows {
					if len(r) > 1 && r[0] == "Impostos" {
						got = r[1]
					}
				}
				if got != wantCover {
					t.Errorf("cover Impostos = %q, want %q", got, wantCover)
				}
			}
		})
	}
}

// TestPriceChangeByTax publishes June and July 2026: the ISS row starting
// in July raises LIC-A from 1.000,00 to 1.036,88, (36,88 / 1.000) = 3,688
// → 3,69 %, a change on taxes naming the rows.
func TestPriceChangeByTax(t *testing.T) {
	inbox, vendors := taxInbox(t, taxesCumulative)
	out := t.TempDir()
	for _, p := range []string{"2026-06", "2026-07"} {
		cfg := testConfig(t, inbox, out, p)
		cfg.Vendors = vendors
		if err := runPricelist(t, cfg); err != nil {
			t.Fatal(err)
		}
	}
	var got map[string]string
	for _, r := range readCSV(t, filepath.Join(out, "pricelist", "2026-07", "price_changes.csv")) {
		if r["product_id"] == "LIC-A" {
			got = r
		}
	}
	want := map[string]string{"change": "increased", "changed_on": "taxes", "old_sell_price_brl": "1000.00",
		"new_sell_price_brl": "1036.88", "change_pct": "3.69", "old_tax_pct": "5.65", "new_tax_pct": "8.65",
		"taxes_note": "ISS 2% + PIS 0,65% + COFINS 3% → ISS 5% + PIS 0,65% + COFINS 3%"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (row %v)", k, got[k], v, got)
		}
	}
}

// TestQuoteTaxes prices the example requests with the example tax table
// (ISS 2 + PIS 0,65 + COFINS 3 = 5,65 % for licences in 12/2025):
//   - Q-103, 10 × LH18 at the table's 30,22 (net cost 25,49): margin
//     ((30,22 − 25,49) × 100 − 5,65 × 30,22) / 30,22 = 10,0019 → 10,00 %,
//     its floor; taxes on 302,20: 6,044 → 6,04 + 1,9643 → 1,96 + 9,066 →
//     9,07 = 17,07;
//   - Q-101-r1, 50 × LH16, priced at Microsoft's rate (fx.vendors:
//     vendor_rate, 5,4321) and raised to its 8 % floor by the divisor:
//     46,56 × 5,4321 / (1 − 0,08 − 0,0565) = 292,8993 → 292,90, less 2 %
//     = 287,042 → 287,04; net cost 46,56 × 5,4321 = 252,92: margin
//     ((287,04 − 252,92) × 100 − 5,65 × 287,04) / 287,04 = 6,2368 → 6,24 %,
//     below its floor of 8 % (8,89 % before taxes: no approval then);
//     taxes on 14.352,00: 287,04 + 93,288 → 93,29 + 430,56 = 810,89;
//   - a prorated line's taxes are on its prorated total: Q-121-r1, 10 ×
//     LH16 at 292,90 co-termed to 01/05/2026, 143 of 365 days: 292,90 ×
//     143 / 365 = 114,7514 → 114,75, × 10 = 1.147,50; taxes 22,95 +
//     7,45875 → 7,46 + 34,425 → 34,42 = 64,83;
//   - a table priced without taxes and quoted with them: Q-107, 1 ×
//     KL4863 at 1.402,84 (1.234,50 / 0,88) with no discount, has
//     ((1.402,84 − 1.234,50) × 100 − 5,65 × 1.402,84) / 1.402,84 =
//     6,3499 → 6,35 %, below its 12 %: needs approval (its status is
//     credit_review: C003's exposure 9.380,10, quotes_test.go, + 1.402,84
//     is above its 5.000,00); and the renewal
//     of K012, 5 × LFLX at 2.547,98 (2.293,18 / 0,9), has
//     ((2.547,98 − 2.293,18) × 100 − 5,65 × 2.547,98) / 2.547,98 = 4,3501
//     → 4,35 %, below its 10 %: a draft (proposals/rascunhos/) until
//     approved;
//   - the proposal states the taxes: "Preços com ISS, PIS e COFINS inclusos."
func TestQuoteTaxes(t *testing.T) {
	t.Run("taxed table", func(t *testing.T) {
		inbox := exampleInbox(t)
		cfg := exampleConfig(t, inbox, t.TempDir())
		if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation, Quotes}); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(cfg.Out, "quotes", "2025-12")
		lines := byKey(readCSV(t, filepath.Join(dir, "quote_lines.csv")), "proposal_number", "product_id")
		checkSome(t, "quote_lines", lines, []struct {
			key  string
			want want
		}{
			{"Q-103-r1|CFQ7TTC0LH18", want{"unit_net_brl": "30.22", "total_brl": "302.20", "tax_pct": "5.65", "taxes_brl": "17.07",
				"taxes_added_brl": "0.00", "margin_pct": "10.00", "is_below_min_margin": "false"}},
			{"Q-101-r1|CFQ7TTC0LH16", want{"unit_net_brl": "287.04", "total_brl": "14352.00", "taxes_brl": "810.89",
				"margin_pct": "6.24", "min_margin_pct": "8.0000", "is_below_min_margin": "true"}},
			{"Q-121-r1|CFQ7TTC0LH16", want{"unit_net_brl": "292.90", "unit_prorated_brl": "114.75", "prorated_days": "143",
				"total_brl": "1147.50", "taxes_brl": "64.83", "margin_pct": "8.00"}},
		})
		quotes := byKey(readCSV(t, filepath.Join(dir, "quotes.csv")), "proposal_number")
		if q := quotes["Q-101-r1"]; q["is_needs_approval"] != "true" || q["lowest_margin_pct"] != "6.24" {
			t.Errorf("Q-101-r1: needs approval %s, lowest margin %s; want true, 6.24", q["is_needs_approval"], q["lowest_margin_pct"])
		}
		// Q-103 is in credit review: its proposal is a draft.
		f, err := excelize.OpenFile(filepath.Join(dir, "proposals", "rascunhos", "Q-103-r1.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows("Proposta (RASCUNHO)")
		found := false
		for _, r := range rows {
			found = found || len(r) > 1 && r[0] == "Impostos" && r[1] == "Preços com ISS, PIS e COFINS inclusos."
		}
		if !found {
			t.Errorf("Q-103-r1.xlsx states no taxes: %v", rows)
		}
	})
	t.Run("table priced before the taxes", func(t *testing.T) {
		inbox := exampleInbox(t)
		taxes := readFile(t, filepath.Join(inbox, "rules", "taxes.csv"))
		if err := os.Remove(filepath.Join(inbox, "rules", "taxes.csv")); err != nil {
			t.Fatal(err)
		}
		cfg := exampleConfig(t, inbox, t.TempDir())
		if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation}); err != nil {
			t.Fatal(err)
		}
		writeInbox(t, inbox, map[string]string{"rules/taxes.csv": string(taxes)})
		if _, err := RunAll(context.Background(), cfg, []*Pipeline{Quotes, Lifecycle}); err != nil {
			t.Fatal(err)
		}
		life := filepath.Join(cfg.Out, "lifecycle", "2025-12")
		if l := byKey(readCSV(t, filepath.Join(life, "renewal_lines.csv")), "contract_id")["K012"]; l["margin_pct"] != "4.35" || l["is_below_min_margin"] != "true" {
			t.Errorf("K012's line: margin %s, below %s; want 4.35, true", l["margin_pct"], l["is_below_min_margin"])
		}
		k012 := byKey(readCSV(t, filepath.Join(life, "renewals.csv")), "contract_id")["K012"]
		if k012["draft_proposal"] != "proposals/rascunhos/RN-K012" || k012["draft_note"] != "draft waits for approval: below the floor of its pricing rule" ||
			!strings.HasPrefix(k012["missing"], "CFQ7TTC0LFLX/0001: margin net of taxes 4.35 below the floor 10.00 of pricing rule ") {
			t.Errorf("K012 draft %q, note %q, missing %q", k012["draft_proposal"], k012["draft_note"], k012["missing"])
		}
		dir := filepath.Join(cfg.Out, "quotes", "2025-12")
		lines := byKey(readCSV(t, filepath.Join(dir, "quote_lines.csv")), "proposal_number", "product_id")
		checkSome(t, "quote_lines", lines, []struct {
			key  string
			want want
		}{
			{"Q-107-r1|KL4863KAFS", want{"unit_net_brl": "1402.84", "discount_pct": "0.0000", "margin_pct": "6.35",
				"min_margin_pct": "12.0000", "is_below_min_margin": "true"}},
		})
		if q := byKey(readCSV(t, filepath.Join(dir, "quotes.csv")), "proposal_number")["Q-107-r1"]; q["is_needs_approval"] != "true" || q["status"] != "credit_review" {
			t.Errorf("Q-107-r1 needs approval %q, status %q; want true, credit_review", q["is_needs_approval"], q["status"])
		}
	})
}
