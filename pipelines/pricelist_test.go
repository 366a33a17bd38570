package pipelines

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/transform"
)

// copyInbox copies testdata/<name>/inbox to a temporary folder tests may change.
func copyInbox(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", name, "inbox")
	dst := filepath.Join(t.TempDir(), "inbox")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// writeAdobeXLSX adds an Adobe price list as a workbook, prices as text the
// way Adobe's exports carry them.
func writeAdobeXLSX(t *testing.T, inbox string) {
	t.Helper()
	f := excelize.NewFile()
	rows := [][]any{
		{"partNumber", "productFamily", "productType", "levelDetails", "duration", "marketSegment", "currency", "partnerPrice", "estimatedStreetPrice", "priceListMonth", "acdIndicator"},
		{"65AAA", "Acrobat Pro", "Team", "Level 1 1 - 9", "12 MONTHS", "COM", "USD", "USD 1,234.56", 1500, 202512, "A"},
		{"65BAD", "Acrobat Pro", "Team", "Level 1 1 - 9", "12 MONTHS", "COM", "USD", "n/a", 10, 202512, "A"},
		{"65DDD", "Photoshop", "Team", "Level 1 1 - 9", "12 MONTHS", "COM", "USD", "100.00", 120, 202512, "D"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(inbox, "pricelists", "adobe")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(dir, "vip.xlsx")); err != nil {
		t.Fatal(err)
	}
}

func testConfig(t *testing.T, inbox, out, period string) Config {
	t.Helper()
	cfg := Config{Inbox: inbox, Out: out, Period: period, AsOf: period + "-01"}
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runPricelist(t *testing.T, cfg Config) error {
	t.Helper()
	_, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist})
	return err
}

// readCSV returns a CSV's rows as maps from header to value.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestPricelistPrices checks every rule of the computation against cents
// worked out by hand (USD PTAX sell 5,0000 of 28/11/2025).
func TestPricelistPrices(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeAdobeXLSX(t, inbox)
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "quote_prices.csv"))
	got := map[string]map[string]string{}
	for _, r := range rows {
		got[r["product_id"]] = r
	}

	type want map[string]string
	tests := []struct {
		name, product string
		want          want
	}{
		{"markup, most specific rule, tie to the earlier line", "AAA1", want{
			// rules/pricing.csv:3 (Microsoft;*;Alpha*) beats :1 (*;*;*) and,
			// at equal specificity, :8 (Alpha Suite, 50 %).
			// sell = 100 × 1,10 = 110; margin = 10/110 = 9,0909 %
			"cost": "100.00", "list_price": "120.00", "incentive_pct": "0.00", "net_cost": "100.00",
			"pricing_rule": "rules/pricing.csv:3", "min_margin_applied": "false", "sell_price": "110.00",
			"margin_pct": "9.09", "fx_rate": "5.000000", "fx_date": "2025-11-28", "cost_brl": "500.00",
			"list_price_brl": "600.00", "net_cost_brl": "500.00", "sell_price_brl": "550.00",
			"effective_from": "2024-01-01", "effective_to": "", "source_file": "pricelists/microsoft/prices.csv",
			"source_line": "2", "segment": "Commercial"}},
		{"list discount, case-insensitive family glob", "BBB1", want{
			// sell = 100 × 0,90 = 90; margin = 10/90 = 11,11 %
			"pricing_rule": "rules/pricing.csv:4", "sell_price": "90.00", "margin_pct": "11.11",
			"min_margin_applied": "false", "cost_brl": "400.00", "sell_price_brl": "450.00"}},
		{"minimum margin floor", "CCC1", want{
			// rule gives 100 × 0,80 = 80 < cost; floor = 90 / (1 − 0,10) = 100
			"pricing_rule": "rules/pricing.csv:5", "min_margin_applied": "true", "sell_price": "100.00",
			"margin_pct": "10.00", "sell_price_brl": "500.00"}},
		{"exactly at the minimum margin: not raised", "CCC2", want{
			// rule gives 100 × 0,80 = 80; 80 × (1 − 0,10) = 72 = net, not below it
			"pricing_rule": "rules/pricing.csv:5", "min_margin_applied": "false", "sell_price": "80.00",
			"margin_pct": "10.00", "sell_price_brl": "400.00"}},
		{"longest incentive pattern valid on the 1st", "CFQ7TTC0INCX", want{
			// Narrow (4 %, a 12-character pattern) beats Broad (10 %, 9); Future starts in 2026.
			// net = 50 × 0,96 = 48; sell = 48 × 1,15 = 55,20; margin = 7,20/55,20 = 13,04 %
			"incentive_program": "Narrow", "incentive_pct": "4.00", "net_cost": "48.00",
			"sell_price": "55.20", "margin_pct": "13.04", "cost_brl": "250.00", "net_cost_brl": "240.00",
			"sell_price_brl": "276.00", "list_price_brl": "300.00", "pricing_rule": "rules/pricing.csv:2"}},
		{"rounded once, half-even", "HHH1", want{
			// 10,101 × 5 = 50,505 → 50,50 (not 50,51); 10,101 × 1,15 = 11,61615 → 11,62;
			// × 5 = 58,08075 → 58,08
			"cost": "10.10", "list_price": "", "cost_brl": "50.50", "net_cost_brl": "50.50",
			"sell_price": "11.62", "sell_price_brl": "58.08", "list_price_brl": ""}},
		{"BRL rows use rate 1, ties to even", "TTT1", want{
			// 0,125 → 0,12; 0,125 × 1,15 = 0,14375 → 0,14
			"cost": "0.12", "fx_rate": "1.000000", "fx_date": "", "cost_brl": "0.12", "sell_price": "0.14",
			"sell_price_brl": "0.14"}},
		{"overlapping ranges: latest start in force", "OOO1", want{
			// starts 01/01 (100), 01/11 (200), 02/12 (300, not yet): 200 on 01/12
			"cost": "200.00", "sell_price": "230.00", "effective_from": "2025-11-01", "source_line": "9",
			"cost_brl": "1000.00", "sell_price_brl": "1150.00"}},
		{"placeholder dates are open", "PPP1", want{
			"effective_from": "", "effective_to": "", "cost": "20.00", "sell_price": "23.00"}},
		{"BRL price", "RRR1", want{
			"currency": "BRL", "cost_brl": "100.00", "sell_price": "115.00", "sell_price_brl": "115.00"}},
		{"Adobe XLSX with text prices", "65AAA", want{
			// 1.234,56 × 1,20 = 1.481,472 → 1.481,47; × 5 = 7.407,36; margin 20/120
			"vendor": "Adobe", "segment": "COM", "cost": "1234.56", "list_price": "1500.00",
			"pricing_rule": "rules/pricing.csv:6", "sell_price": "1481.47", "margin_pct": "16.67",
			"cost_brl": "6172.80", "sell_price_brl": "7407.36", "effective_from": "2025-12-01",
			"source_file": "pricelists/adobe/vip.xlsx", "source_line": "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row, ok := got[tt.product]
			if !ok {
				t.Fatalf("%s missing from quote_prices.csv", tt.product)
			}
			for col, v := range tt.want {
				if row[col] != v {
					t.Errorf("%s %s = %q, want %q", tt.product, col, row[col], v)
				}
			}
		})
	}
	for _, absent := range []string{"EXP1", "BAD1", "NEG1", "DAT1", "65BAD", "65DDD"} {
		if _, ok := got[absent]; ok {
			t.Errorf("%s should not be in quote_prices.csv", absent)
		}
	}
	if len(rows) != 11 {
		t.Errorf("quote_prices.csv has %d rows, want 11", len(rows))
	}

	rejects, err := os.ReadFile(filepath.Join(cfg.Out, "pricelist", "2025-12", "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := "file,line,column,value,reason\r\n" +
		"pricelists/adobe/vip.xlsx,3,partnerPrice,n/a,not a number\r\n" +
		"pricelists/microsoft/prices.csv,13,UnitPrice,abc,not a number\r\n" +
		"pricelists/microsoft/prices.csv,14,UnitPrice,'-5.00,negative price\r\n" +
		"pricelists/microsoft/prices.csv,15,EffectiveStartDate,13/45/2025,not a date (m/d/yyyy h:mm:ss AM)\r\n"
	if string(rejects) != wantRejects {
		t.Errorf("rejects.csv:\n%s\nwant:\n%s", rejects, wantRejects)
	}
}

// TestPricelistFailures checks that bad inputs fail with one clear line and
// publish nothing.
func TestPricelistFailures(t *testing.T) {
	tests := []struct {
		name    string
		change  func(t *testing.T, inbox string)
		wantErr string
	}{
		{"missing required column", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "pricelists/microsoft/x.csv", "ProductTitle,ProductId,SkuId,SkuTitle,TermDuration,BillingPlan,Market,Currency,EffectiveStartDate,EffectiveEndDate\r\n")
		}, `pricelists/microsoft/x.csv: missing column "UnitPrice"`},
		{"vendor without format or mapping", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "pricelists/acme/list.csv", "sku;price\nA;1,00\n")
		}, `pricelists/acme: no known format and no mapping in the config (add vendors.acme to the config file)`},
		{"no PTAX for a quoted currency", func(t *testing.T, inbox string) {
			if err := os.Remove(filepath.Join(inbox, "fx", "ptax_202511.csv")); err != nil {
				t.Fatal(err)
			}
		}, `fx: no usable PTAX sell rate before 01/12/2025 for USD (none in fx/)`},
		{"stale PTAX", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "fx/ptax_202511.csv", "03112025;220;A;USD;4,9994;5,0000;1,0000;1,0000\n")
		}, `fx: no usable PTAX sell rate before 01/12/2025 for USD (latest 03/11/2025, over 10 days old)`},
		{"bad rule", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "rules/pricing.csv", "vendor;segment;product_family;method;pct;min_margin_pct\n*;*;*;markup;1.5;0\n")
		}, `rules/pricing.csv:2:5: pct: "1.5" is not a number with a decimal comma (e.g. 12,5)`},
		{"missing pricing rules", func(t *testing.T, inbox string) {
			os.Remove(filepath.Join(inbox, "rules", "pricing.csv"))
		}, `margin rules (rules/pricing.csv): missing from the inbox: nothing was published`},
		{"header-only Microsoft list", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "pricelists/microsoft/empty.csv", "ProductTitle,ProductId,SkuId,SkuTitle,SkuDescription,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate,EffectiveEndDate\r\n")
		}, `pricelists/microsoft/empty.csv: no data rows: the file holds a header only (remove it, or export it again)`},
		{"price list saved as text", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "pricelists/microsoft/prices.txt", "x")
		}, `pricelists/microsoft/prices.txt: not a file salesops reads: this folder takes pricelists/microsoft/*.csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := copyInbox(t, "pricelist")
			tt.change(t, inbox)
			cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
			err := runPricelist(t, cfg)
			if err == nil {
				t.Fatal("run succeeded")
			}
			if got := err.Error(); got != "pricelist: "+tt.wantErr {
				t.Errorf("error:\n%s\nwant:\npricelist: %s", got, tt.wantErr)
			}
			if _, err := os.Stat(filepath.Join(cfg.Out, "pricelist", "2025-12")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("something was published: %v", err)
			}
		})
	}
}

// readFile reads a file a test expects to exist.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFile writes one inbox file, as writeInbox does several.
func writeFile(t *testing.T, inbox, rel, body string) {
	t.Helper()
	writeInbox(t, inbox, map[string]string{rel: body})
}

// TestPricelistRerun checks idempotence and incremental loads: the same
// inputs give byte-identical files and no duplicated rows; a changed file
// replaces its rows; a removed one stops counting; the same content under a
// second name is read once.
func TestPricelistRerun(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	dir := filepath.Join(cfg.Out, "pricelist", "2025-12")
	res, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist})
	if err != nil {
		t.Fatal(err)
	}
	// Rows read per input, as the manifest reports them (the Microsoft list
	// has 16 records; 3 PTAX lines, 7 pricing and 3 incentive rules).
	var inputs []string
	for _, in := range res[0].Manifest.Inputs {
		inputs = append(inputs, fmt.Sprintf("%s %d", in.Path, in.Rows))
	}
	if got, want := strings.Join(inputs, ", "), "fx/ptax_202511.csv 3, pricelists/microsoft/prices.csv 16, rules/incentives.csv 3, rules/pricing.csv 7"; got != want {
		t.Errorf("manifest inputs: %s, want %s", got, want)
	}
	first := map[string][]byte{}
	for _, f := range []string{"quote_prices.csv", "price_changes.csv", "rejects.csv", "quote_prices.xlsx", "quote_prices.parquet"} {
		first[f] = readFile(t, filepath.Join(dir, f))
	}
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	for f, b := range first {
		if again := readFile(t, filepath.Join(dir, f)); string(again) != string(b) {
			t.Errorf("%s differs on the second run", f)
		}
	}
	if n := rawRows(t, cfg, "stg_ms_prices"); n != 16 {
		t.Errorf("stg_ms_prices has %d rows after two runs, want 16", n)
	}

	// A new version of the staging SQL: its table is rebuilt and the
	// files loaded again, with the same outputs.
	execSQL(t, cfg, "UPDATE incremental_models SET sql_sha256 = 'an older model' WHERE name = 'stg_ms_prices'")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	for f, b := range first {
		if again := readFile(t, filepath.Join(dir, f)); string(again) != string(b) {
			t.Errorf("%s differs after the staging model changed", f)
		}
	}
	if n := rawRows(t, cfg, "stg_ms_prices"); n != 16 {
		t.Errorf("stg_ms_prices has %d rows after the model changed, want 16", n)
	}

	// The same file under a second name must not double the prices.
	b := readFile(t, filepath.Join(inbox, "pricelists", "microsoft", "prices.csv"))
	writeFile(t, inbox, "pricelists/microsoft/prices_copy.csv", string(b))
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	if n := len(readCSV(t, filepath.Join(dir, "quote_prices.csv"))); n != 10 {
		t.Errorf("after a duplicate delivery quote_prices.csv has %d rows, want 10", n)
	}
	os.Remove(filepath.Join(inbox, "pricelists", "microsoft", "prices_copy.csv"))

	// A changed file replaces what it loaded; the price goes up.
	changed := strings.Replace(string(b), `"RRR1","0001","Real Product","Real Product","Microsoft Corporation","Licence, per user","1 User","P1Y","Annual","BR","BRL","100.00"`,
		`"RRR1","0001","Real Product","Real Product","Microsoft Corporation","Licence, per user","1 User","P1Y","Annual","BR","BRL","120.00"`, 1)
	if changed == string(b) {
		t.Fatal("fixture line not found")
	}
	writeFile(t, inbox, "pricelists/microsoft/prices.csv", changed)
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	if n := rawRows(t, cfg, "stg_ms_prices"); n != 16 {
		t.Errorf("stg_ms_prices has %d rows after a change, want 16", n)
	}
	for _, r := range readCSV(t, filepath.Join(dir, "quote_prices.csv")) {
		if r["product_id"] == "RRR1" && r["sell_price"] != "138.00" {
			t.Errorf("RRR1 sell_price = %s after the change, want 138.00 (120 × 1,15)", r["sell_price"])
		}
	}

	// A removed file stops counting; without any price list the run
	// fails and the published set stays.
	published := readFile(t, filepath.Join(dir, "quote_prices.csv"))
	os.Remove(filepath.Join(inbox, "pricelists", "microsoft", "prices.csv"))
	err = runPricelist(t, cfg)
	if want := "pricelist: vendor price lists (pricelists/<vendor>/): missing from the inbox: nothing was published"; err == nil || err.Error() != want {
		t.Errorf("run without price lists: %v, want %s", err, want)
	}
	if n := rawRows(t, cfg, "stg_ms_prices"); n != 0 {
		t.Errorf("stg_ms_prices has %d rows after the list was removed, want 0", n)
	}
	if got := readFile(t, filepath.Join(dir, "quote_prices.csv")); string(got) != string(published) {
		t.Error("quote_prices.csv changed although the run failed")
	}
	entries, _ := os.ReadDir(filepath.Join(cfg.Out, "pricelist"))
	if len(entries) != 1 {
		t.Errorf("pricelist/ holds %d entries, want only 2025-12 (no staging leftovers)", len(entries))
	}
}

func execSQL(t *testing.T, cfg Config, q string) {
	t.Helper()
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Conn.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

func rawRows(t *testing.T, cfg Config, table string) int64 {
	t.Helper()
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int64
	if err := w.Conn.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPriceChanges publishes November then December and checks the
// month-over-month changes.
func TestPriceChanges(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	out := t.TempDir()
	writeFile(t, inbox, "fx/ptax_202510.csv", "31102025;220;A;USD;5,9994;6,0000;1,0000;1,0000\n")
	if err := runPricelist(t, testConfig(t, inbox, out, "2025-11")); err != nil {
		t.Fatal(err)
	}
	if err := runPricelist(t, testConfig(t, inbox, out, "2025-12")); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(out, "pricelist", "2025-12", "price_changes.csv"))
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join([]string{r["change"], r["product_id"], r["old_cost"], r["new_cost"],
			r["old_sell_price"], r["new_sell_price"], r["old_cost_brl"], r["new_cost_brl"], r["change_pct"], r["previous_period"]}, " "))
	}
	// November: OOO1 at 200 (from 01/11), EXP1 still in force (ends 30/11),
	// the incentive Narrow not yet valid (Broad 10 % applies).
	want := []string{
		// sell 50 × 0,90 × 1,15 = 51,75 → 48 × 1,15 = 55,20: +6,67 %
		"increased CFQ7TTC0INCX 50.00 50.00 51.75 55.20 300.00 250.00 6.67 2025-11",
		"removed EXP1 20.00  23.00  120.00   2025-11",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("price_changes.csv:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPriceHistoryMoved: prices an earlier version kept in the warehouse
// table move to the Parquet history and still serve as the base of changes.
func TestPriceHistoryMoved(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	os.MkdirAll(cfg.Out, 0o755)
	execSQL(t, cfg, `INSERT INTO quote_prices_history VALUES ('2025-11', 'Microsoft', 'OLD1', '0001', 'Old product',
		'Old', 'Old', 'Commercial', 'BR', 'P1Y', 'Annual', 'BRL', 20, NULL, 20, 23, 20, 23)`)
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range readCSV(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "price_changes.csv")) {
		if r["product_id"] == "OLD1" {
			found = true
			got := strings.Join([]string{r["change"], r["old_cost"], r["old_sell_price"], r["old_cost_brl"], r["previous_period"]}, " ")
			if want := "removed 20.00 23.00 20.00 2025-11"; got != want {
				t.Errorf("OLD1: %s, want %s", got, want)
			}
		}
	}
	if !found {
		t.Error("OLD1 (kept by the old table) missing from price_changes.csv")
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "history", "quote_prices", "period=2025-11", "quote_prices.parquet")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "history", "quote_prices", "period=2025-12", "quote_prices.parquet")); err != nil {
		t.Error(err)
	}
	if n := rawRows(t, cfg, "duckdb_tables() WHERE table_name = 'quote_prices_history'"); n != 0 {
		t.Errorf("the warehouse still has the table quote_prices_history")
	}
}

// TestPricelistLineNumbers checks that rejects name the line a record
// starts on when a quoted field spans lines.
func TestPricelistLineNumbers(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	os.Remove(filepath.Join(inbox, "pricelists", "microsoft", "prices.csv"))
	writeFile(t, inbox, "pricelists/microsoft/multiline.csv",
		"ProductTitle,ProductId,SkuId,SkuTitle,SkuDescription,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate,EffectiveEndDate\r\n"+
			"\"A\",\"A1\",\"0001\",\"A\",\"first line\r\nsecond line\r\nthird\",\"P1Y\",\"Annual\",\"BR\",\"BRL\",\"1.00\",\"1/1/2024 12:00:00 AM\",\"\"\r\n"+
			"\"B\",\"B1\",\"0001\",\"B\",\"one line\",\"P1Y\",\"Annual\",\"BR\",\"BRL\",\"x\",\"1/1/2024 12:00:00 AM\",\"\"\r\n"+
			"\"C\",\"C1\",\"0001\",\"C\",\"two\nlines\",\"P1Y\",\"Annual\",\"BR\",\"BRL\",\"-1\",\"1/1/2024 12:00:00 AM\",\"\"\r\n"+
			"\"D\",\"D1\",\"0001\",\"D\",\"\",\"P1Y\",\"Annual\",\"BR\",\"BRL\",\"y\",\"1/1/2024 12:00:00 AM\",\"\"\r\n")
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "rejects.csv"))
	want := "file,line,column,value,reason\r\n" +
		"pricelists/microsoft/multiline.csv,5,UnitPrice,x,not a number\r\n" +
		"pricelists/microsoft/multiline.csv,6,UnitPrice,'-1,negative price\r\n" +
		"pricelists/microsoft/multiline.csv,8,UnitPrice,y,not a number\r\n"
	if string(got) != want {
		t.Errorf("rejects.csv:\n%s\nwant:\n%s", got, want)
	}
	rows := readCSV(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "quote_prices.csv"))
	if len(rows) != 1 || rows[0]["source_line"] != "2" {
		t.Errorf("quote_prices.csv = %v, want A1 from line 2", rows)
	}
}

// A vendor set to vendor_rate (fx.vendors) is priced at its own rate for
// the period's month, and the price list says which rate and date priced
// each row; Adobe, not set, keeps the PTAX (5,0000 of 28/11/2025). A month
// without the vendor's rate fails the run, naming what is missing.
func TestPricelistVendorRate(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeAdobeXLSX(t, inbox)
	writeInbox(t, inbox, map[string]string{"fx/microsoft_rates_2025.csv": "month;from_currency;to_currency;rate\n" +
		"2025-11;USD;BRL;5,1000\n2025-12;USD;BRL;5,4321\n"})
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	cfg.FX.Vendors = map[string]string{"Microsoft": "vendor_rate"}
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	got := byKey(readCSV(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "quote_prices.csv")), "product_id")
	checkSome(t, "quote_prices", got, []struct {
		key  string
		want want
	}{
		// 100 × 5,4321 = 543,21; 110 × 5,4321 = 597,531 → 597,53.
		{"AAA1", want{"fx_rate": "5.432100", "fx_date": "2025-12-01", "fx_source": "vendor_rate", "cost_brl": "543.21",
			"sell_price_brl": "597.53"}},
		// 10,101 × 1,15 = 11,61615 × 5,4321 = 63,100088... → 63,10.
		{"HHH1", want{"fx_source": "vendor_rate", "sell_price_brl": "63.10"}},
		// BRL: no conversion, no source.
		{"TTT1", want{"fx_rate": "1.000000", "fx_date": "", "fx_source": ""}},
		// 1.481,472 × 5 = 7.407,36 at the PTAX.
		{"65AAA", want{"fx_rate": "5.000000", "fx_date": "2025-11-28", "fx_source": "ptax", "sell_price_brl": "7407.36"}},
	})
	m := readManifest(t, filepath.Join(cfg.Out, "pricelist", "2025-12"))
	if want := "fx: microsoft prices in USD converted at the vendor's rate for 2025-12, 5,4321 (fx.vendors.microsoft: vendor_rate)"; !slices.Contains(m.Notes, want) {
		t.Errorf("manifest notes %q, want %q", m.Notes, want)
	}

	editInbox(t, inbox, "fx/microsoft_rates_2025.csv", "2025-12;USD;BRL;5,4321\n", "")
	cfg.Force = true
	err := runPricelist(t, cfg)
	const missing = "pricelist: fx: no vendor rate for 2025-12 for microsoft USD→BRL (fx/microsoft_rates*.csv), which fx.vendors prices at the vendor's rate: nothing was published"
	if err == nil || err.Error() != missing {
		t.Errorf("err = %v, want %s", err, missing)
	}
}
