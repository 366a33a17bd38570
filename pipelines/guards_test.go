package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/transform"
)

// queryString runs a one-value query on a test's warehouse.
func queryString(t *testing.T, cfg Config, q string) string {
	t.Helper()
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var s string
	if err := w.Conn.QueryRowContext(context.Background(), q).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func readManifest(t *testing.T, dir string) publish.Manifest {
	t.Helper()
	var m publish.Manifest
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReconciliationGuards checks that an inbox missing what the
// reconciliation needs, or holding files it cannot read, or without the
// period's orders or bills, fails the run and leaves the published set as
// it was.
func TestReconciliationGuards(t *testing.T) {
	tests := []struct {
		name    string
		change  func(t *testing.T, inbox string)
		wantErr string
	}{
		{"erp, nf and bills removed", func(t *testing.T, inbox string) {
			for _, d := range []string{"erp", "nf", "vendor_billing"} {
				if err := os.RemoveAll(filepath.Join(inbox, d)); err != nil {
					t.Fatal(err)
				}
			}
		}, "customer master (erp/customers/): missing from the inbox: nothing was published"},
		{"bills removed", func(t *testing.T, inbox string) {
			os.RemoveAll(filepath.Join(inbox, "vendor_billing"))
		}, "vendor bills (vendor_billing/microsoft/): missing from the inbox: nothing was published"},
		{"header-only bill", func(t *testing.T, inbox string) {
			p := filepath.Join(inbox, "vendor_billing", "microsoft", "G012345678_recon_202512.csv")
			b := readFile(t, p)
			writeFile(t, inbox, "vendor_billing/microsoft/G012345678_recon_202512.csv", strings.SplitAfter(string(b), "\n")[0])
		}, "vendor_billing/microsoft/G012345678_recon_202512.csv: no data rows: the file holds a header only (remove it, or export it again)"},
		{"orders exported as xlsx", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "erp/orders/pedidos_2026-01.xlsx", "PK")
		}, "erp/orders/pedidos_2026-01.xlsx: a workbook: the native layout is a CSV (save it as CSV UTF-8, ';' separated), or map the workbook under erp.orders in the config file"},
		{"a name starting with ..", func(t *testing.T, inbox string) {
			writeFile(t, inbox, "erp/orders/..pedidos.csv", "x")
		}, `erp/orders/..pedidos.csv: a name starting with ".." is refused (it reads as the parent folder): rename it`},
		{"a dangling link and a misplaced file", func(t *testing.T, inbox string) {
			os.Symlink(filepath.Join(inbox, "nowhere.csv"), filepath.Join(inbox, "erp", "orders", "link.csv"))
			writeFile(t, inbox, "nf/notas.zip", "PK")
		}, "2 inbox files cannot be read:\n" +
			"  erp/orders/link.csv: a link to INBOX/nowhere.csv, which cannot be read: no such file or directory\n" +
			"  nf/notas.zip: not a file salesops reads: this folder takes nf/**/*.xml"},
		// The reconciliation grows without the period's orders or bills
		// (every bill and invoice is then unmatched): the composition
		// guard, not the shrink guard, stops it.
		{"orders of November only", func(t *testing.T, inbox string) {
			keepOnly(t, inbox, "erp/orders/pedidos_2025-12.csv", "SO-0950;")
		}, "the period's orders had 9 rows in the set published for 2025-12 and have none now: check erp/orders/, or run again with --accept-shrink"},
		{"bills of November only", func(t *testing.T, inbox string) {
			keepOnly(t, inbox, "vendor_billing/microsoft/G012345678_recon_202512.csv", ",11/1/2025,")
		}, "the period's bills had 9 rows in the set published for 2025-12 and have none now: check vendor_billing/microsoft/, or run again with --accept-shrink"},
	}
	// One good publication, copied for each case.
	good := reconConfig(t, copyInbox(t, "reconciliation"), t.TempDir())
	if err := runReconciliation(t, good); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(good.Out, "reconciliation", "2025-12")
	published := readFile(t, filepath.Join(dir, "reconciliation.csv"))
	if n := len(readCSV(t, filepath.Join(dir, "reconciliation.csv"))); n == 0 {
		t.Fatal("the good publication is empty")
	}
	// December has 9 order lines overlapping it (SO-1001 to SO-1009;
	// SO-0950 is November's, SO-1010's quantity "dez" is rejected, SO-1011
	// is cancelled), 11 invoices issued in it (005001, 5002 to 5009, 201,
	// 202) and 9 bill lines charged from it (of 11: one is November's, one
	// has EffectiveUnitPrice n/a).
	if got := fmt.Sprint(readManifest(t, dir).Composition); got != "map[period:map[bills:9 invoices:11 orders:9]]" {
		t.Fatalf("composition %s, want bills 9, invoices 11, orders 9", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := copyInbox(t, "reconciliation")
			tt.change(t, inbox)
			cfg := reconConfig(t, inbox, t.TempDir())
			if err := os.CopyFS(cfg.Out, os.DirFS(good.Out)); err != nil {
				t.Fatal(err)
			}
			err := runReconciliation(t, cfg)
			want := "reconciliation: " + strings.ReplaceAll(tt.wantErr, "INBOX", inbox)
			if err == nil || err.Error() != want {
				t.Fatalf("error:\n%v\nwant:\n%s", err, want)
			}
			if got := readFile(t, filepath.Join(cfg.Out, "reconciliation", "2025-12", "reconciliation.csv")); string(got) != string(published) {
				t.Error("reconciliation.csv changed although the run failed")
			}
		})
	}
}

// TestShrinkGuard: a run whose quote prices would shrink by more than
// max_shrink_pct against the published set fails with both counts, unless
// the shrink is accepted. The Microsoft list prices 10 SKUs, the Adobe
// workbook 1 more (65AAA; 65BAD has no price, 65DDD is discontinued):
// 11 → 10 is −9 %.
func TestShrinkGuard(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeAdobeXLSX(t, inbox)
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	cfg.MaxShrinkPct = 5
	dir := filepath.Join(cfg.Out, "pricelist", "2025-12")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	if n := len(readCSV(t, filepath.Join(dir, "quote_prices.csv"))); n != 11 {
		t.Fatalf("quote_prices.csv has %d rows, want 11", n)
	}
	published := readFile(t, filepath.Join(dir, "quote_prices.csv"))

	os.RemoveAll(filepath.Join(inbox, "pricelists", "adobe"))
	err := runPricelist(t, cfg)
	want := "pricelist: quote_prices.csv would shrink from 11 to 10 rows (−9 %, more than max_shrink_pct 5 % against the set published for 2025-12): check the inbox, or run again with --accept-shrink"
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
	if got := readFile(t, filepath.Join(dir, "quote_prices.csv")); string(got) != string(published) {
		t.Error("quote_prices.csv changed although the run failed")
	}
	if entries, _ := os.ReadDir(filepath.Join(cfg.Out, "pricelist")); len(entries) != 1 {
		t.Errorf("pricelist/ holds %d entries, want only 2025-12", len(entries))
	}

	// Within the default 50 % the same shrink publishes.
	def := testConfig(t, inbox, cfg.Out, "2025-12")
	def.MaxShrinkPct = 0
	if err := def.Resolve(def.AsOfDate()); err != nil || def.MaxShrinkPct != 50 {
		t.Fatalf("default max_shrink_pct %d, %v", def.MaxShrinkPct, err)
	}
	cfg.AcceptShrink = true
	if err := runPricelist(t, cfg); err != nil {
		t.Fatalf("accepted shrink: %v", err)
	}
	if n := readManifest(t, dir).Outputs[0].Rows; n != 10 {
		t.Errorf("after --accept-shrink the manifest says %d rows, want 10", n)
	}
}

// TestSettingsReread: the rows of a file depend on the settings that
// parsed it; fixing a setting reads the file again.
func TestSettingsReread(t *testing.T) {
	t.Run("vendor decimal", func(t *testing.T) {
		inbox := copyInbox(t, "pricelist")
		writeFile(t, inbox, "pricelists/kaspersky/tabela.csv", "Código;Produto;Moeda;Custo;Preço Lista;Vigência\nK1;Kaspersky EDR;BRL;100,50;150,00;01/11/2025\n")
		cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
		format := extract.VendorFormat{Delimiter: ";", Decimal: ".",
			Columns: map[string]string{"product_id": "Código", "product": "Produto", "currency": "Moeda",
				"cost": "Custo", "list_price": "Preço Lista", "effective_from": "Vigência"}}
		cfg.Vendors = map[string]extract.VendorFormat{"kaspersky": format}
		if err := runPricelist(t, cfg); err != nil {
			t.Fatal(err)
		}
		rejects := string(readFile(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "rejects.csv")))
		if !strings.Contains(rejects, "pricelists/kaspersky/tabela.csv,2,") {
			t.Fatalf("with decimal \".\" the Kaspersky line is not rejected:\n%s", rejects)
		}
		format.Decimal = ","
		cfg.Vendors["kaspersky"] = format
		if err := runPricelist(t, cfg); err != nil {
			t.Fatal(err)
		}
		rejects = string(readFile(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "rejects.csv")))
		if strings.Contains(rejects, "kaspersky") {
			t.Errorf("after the fix the old rejects stay:\n%s", rejects)
		}
		var cost string
		for _, r := range readCSV(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "quote_prices.csv")) {
			if r["product_id"] == "K1" {
				cost = r["cost"]
			}
		}
		if cost != "100.50" {
			t.Errorf("K1 cost %q after the fix, want 100.50", cost)
		}
	})
	t.Run("erp encoding", func(t *testing.T) {
		inbox := copyInbox(t, "reconciliation")
		writeFile(t, inbox, "erp/customers/utf8.csv", "customer_id;name;cnpj;segment;billing_cutoff_day;payment_terms_days;credit_limit;restrictions;portal;account_manager;status\n"+
			"C900;Padaria São João;11.222.333/0001-81;SMB;25;28;1.000,00;;;Ana;active\n")
		cfg := reconConfig(t, inbox, t.TempDir())
		cfg.Reconciliation.ERPEncoding = "windows-1252"
		if err := runReconciliation(t, cfg); err != nil {
			t.Fatal(err)
		}
		q := "SELECT name FROM stg_erp_customers WHERE customer_id = 'C900'"
		if got := queryString(t, cfg, q); got != "Padaria SÃ£o JoÃ£o" {
			t.Fatalf("read as Windows-1252: %q", got)
		}
		cfg.Reconciliation.ERPEncoding = ""
		if err := runReconciliation(t, cfg); err != nil {
			t.Fatal(err)
		}
		if got := queryString(t, cfg, q); got != "Padaria São João" {
			t.Errorf("after the fix: %q, want Padaria São João", got)
		}
	})
}

// TestFXFallbackNoted: a rejected PTAX line of the day the period's rate
// comes from makes the run use the day before, and the manifest says so.
// AAA1 costs USD 100.00: at 27/11's 4,9000 that is R$ 490,00.
func TestFXFallbackNoted(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeFile(t, inbox, "fx/ptax_202511.csv", "27112025;220;A;USD;4,8994;4,9000;1,0000;1,0000\n"+
		"28112025;220;A;USD;0,0000;0,0000;1,0000;1,0000\n"+
		"01122025;220;A;USD;5,4994;5,5000;1,0000;1,0000\n")
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	res, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist})
	if err != nil {
		t.Fatal(err)
	}
	m := res[0].Manifest
	if got := m.FX["USD"]; got.Date != "2025-11-27" || got.Rate != "4.900000" {
		t.Errorf("USD rate %+v, want 4.900000 of 2025-11-27", got)
	}
	want := `fx: USD uses the PTAX of 27/11/2025 because fx/ptax_202511.csv:2 (28/11/2025) was rejected: "0,0000" not a positive rate`
	if !strings.Contains(strings.Join(m.Notes, "\n"), want) {
		t.Errorf("manifest notes:\n%s\nwant:\n%s", strings.Join(m.Notes, "\n"), want)
	}
	for _, r := range readCSV(t, filepath.Join(cfg.Out, "pricelist", "2025-12", "quote_prices.csv")) {
		if r["product_id"] == "AAA1" && r["cost_brl"] != "490.00" {
			t.Errorf("AAA1 cost_brl %s, want 490.00", r["cost_brl"])
		}
	}
}

// TestFXRejectedNamed: when the only PTAX lines of a currency are rejected,
// the failure names the rejected line, not just "none in fx/".
func TestFXRejectedNamed(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeFile(t, inbox, "fx/ptax_202511.csv", "28112025;220;A;USD;4,9994;5.000,0000,0;1,0000;1,0000\n")
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	err := runPricelist(t, cfg)
	want := `pricelist: fx: no usable PTAX sell rate before 01/12/2025 for USD (none in fx/; rejected: fx/ptax_202511.csv:1: sell "5.000,0000,0" not a number with a decimal comma)`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

// TestFXFallbackDataQuality: in the reconciliation, a rejected PTAX line of
// the day whose rate converts the bills is a data-quality finding, and the
// bill is converted at the day before: 25,00 USD × 5,3340 (27/11) = 133,35.
func TestFXFallbackDataQuality(t *testing.T) {
	inbox := copyInbox(t, "reconciliation")
	writeFile(t, inbox, "fx/ptax_202511.csv", "27112025;220;A;USD;5,3341;5,3340;1,0000;1,0000\n"+
		"28112025;220;A;USD;5,3211;999999,0000;1,0000;1,0000\n")
	cfg := reconConfig(t, inbox, t.TempDir())
	if err := runReconciliation(t, cfg); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "reconciliation", "2025-12")
	var found []string
	for _, r := range readCSV(t, filepath.Join(dir, "data_quality.csv")) {
		if r["check_name"] == "ptax_rejected_fallback" {
			found = append(found, r["entity_key"]+" | "+r["value"]+" | "+r["detail"]+" | "+r["source_file"]+":"+r["source_line"])
		}
	}
	want := "USD 28/11/2025 | 999999,0000 | out of range: 100.000 or more BRL per unit (a decimal comma lost?); the PTAX of 27/11/2025 is used instead | fx/ptax_202511.csv:2"
	if strings.Join(found, "\n") != want {
		t.Errorf("data quality:\n%s\nwant:\n%s", strings.Join(found, "\n"), want)
	}
	var cost string
	for _, r := range readCSV(t, filepath.Join(dir, "reconciliation.csv")) {
		if r["vendor_cost_brl"] == "133.35" {
			cost = r["vendor_cost_brl"]
		}
	}
	if cost != "133.35" {
		t.Error("no bill converted at 27/11's 5,3340 (133.35)")
	}
	notes := strings.Join(readManifest(t, dir).Notes, "\n")
	if !strings.Contains(notes, `fx: USD uses the PTAX of 27/11/2025 because fx/ptax_202511.csv:2 (28/11/2025) was rejected: "999999,0000" out of range`) {
		t.Errorf("manifest notes:\n%s", notes)
	}
}

// TestShrinkMain: the guard watches the pipeline's Main report, not its
// first: the lifecycle's renewals shrink as contracts are renewed.
func TestShrinkMain(t *testing.T) {
	dir := t.TempDir()
	prev := publish.Manifest{Outputs: []publish.Output{{Path: "renewals.csv", Rows: 5}, {Path: "t36_calendar.csv", Rows: 142}}}
	if err := publish.WriteManifest(dir, prev); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		renewals, events int64
		want             string
	}{
		{1, 140, ""},
		{5, 71, ""},
		{5, 70, "t36_calendar.csv would shrink from 142 to 70 rows (−50 %, more than max_shrink_pct 50 % against the set published for 2026-01): check the inbox, or run again with --accept-shrink"},
	}
	for _, tt := range tests {
		r := &Run{Pipeline: Lifecycle, Dir: dir, Config: Config{MaxShrinkPct: 50, Period: "2026-01"},
			Manifest: publish.Manifest{Outputs: []publish.Output{{Path: "renewals.csv", Rows: tt.renewals}, {Path: "t36_calendar.csv", Rows: tt.events}}}}
		err := checkShrink(r)
		if got := fmt.Sprint(err); (err == nil) != (tt.want == "") || (err != nil && got != tt.want) {
			t.Errorf("%d renewals, %d events: %v, want %q", tt.renewals, tt.events, err, tt.want)
		}
	}
}

// TestHistoryTempCleared: a temporary copy a killed run left in the price
// history is removed by the next publication of that period.
func TestHistoryTempCleared(t *testing.T) {
	cfg := testConfig(t, copyInbox(t, "pricelist"), t.TempDir(), "2025-12")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(historyDir(cfg), "period=2025-12")
	stale := filepath.Join(dir, ".quote_prices.parquet.tmp-12345")
	if err := os.WriteFile(stale, []byte("half a copy"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Force = true // a publication: the same inputs would be up to date
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "quote_prices.parquet" {
		t.Errorf("history holds %v, want only quote_prices.parquet", names)
	}
}

// TestInterruptedRunsMarked: a run a kill left "running" in the ledger is
// marked interrupted by the next run, with why.
func TestInterruptedRunsMarked(t *testing.T) {
	cfg := testConfig(t, copyInbox(t, "pricelist"), t.TempDir(), "2025-12")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	execSQL(t, cfg, "INSERT INTO runs (run_id, pipeline, period, as_of, started_at, status) VALUES ('killed', 'pricelist', '2025-12', DATE '2025-12-01', TIMESTAMP '2025-12-01 10:00:00', 'running')")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	// The second run has nothing new.
	got := queryString(t, cfg, "SELECT string_agg(status, ',' ORDER BY started_at) FROM runs")
	if got != "interrupted,succeeded,up_to_date" {
		t.Errorf("run statuses %s, want interrupted,succeeded,up_to_date", got)
	}
}

// TestShrinkNewPeriod: the first run of a period is guarded against the
// latest earlier period: without the Adobe list, January's table would have
// 10 rows where December published 11.
func TestShrinkNewPeriod(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeAdobeXLSX(t, inbox)
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	cfg.MaxShrinkPct = 5
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(inbox, "pricelists", "adobe"))
	writeFile(t, inbox, "fx/ptax_202512.csv", "30122025;220;A;USD;5,4994;5,5000;1,0000;1,0000\n")
	jan := testConfig(t, inbox, cfg.Out, "2026-01")
	jan.MaxShrinkPct = 5
	err := runPricelist(t, jan)
	want := "pricelist: quote_prices.csv would shrink from 11 to 10 rows (−9 %, more than max_shrink_pct 5 % against the set published for 2025-12): check the inbox, or run again with --accept-shrink"
	if err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "pricelist", "2026-01")); !os.IsNotExist(err) {
		t.Errorf("January was published: %v", err)
	}
}

// TestConfigRanges: a value outside its key's documented range is a usage
// error naming the key, a 0 written in the file included where a field
// left at 0 takes the default; leaving the key out takes the default.
func TestConfigRanges(t *testing.T) {
	tests := []struct {
		yaml string
		want string // the error, or the resolved value as %d/%s
	}{
		{"", "max_shrink_pct 50, threads 0, limits {1048576 32767 1073741824 16777216}"},
		{"max_shrink_pct: 1\nthreads: 1\nlimits: {max_line_bytes: 1}", "max_shrink_pct 1, threads 1, limits {1 32767 1073741824 16777216}"},
		{"max_shrink_pct: 100", "max_shrink_pct 100, threads 0, limits {1048576 32767 1073741824 16777216}"},
		{"max_shrink_pct: 0", "max_shrink_pct 0: want 1 to 100 (the % of the main report's rows a run may lose; 100: any), or leave it out for 50"},
		{"max_shrink_pct: 101", "max_shrink_pct 101: want 1 to 100 (the % of the main report's rows a run may lose; 100: any), or leave it out for 50"},
		{"max_shrink_pct: -5", "max_shrink_pct -5: want 1 to 100 (the % of the main report's rows a run may lose; 100: any), or leave it out for 50"},
		{"threads: -3", "threads -3: want 1 or more, or leave it out for one per core"},
		{"threads: 0", "threads 0: want 1 or more, or leave it out for one per core"},
		{"limits:\n  max_line_bytes: 0", "limits.max_line_bytes 0: want 1 or more bytes, or leave it out for the default"},
		{"limits:\n  max_cell_bytes: 00", "limits.max_cell_bytes 0: want 1 or more bytes, or leave it out for the default"},
		{"limits:\n  max_unzipped_bytes: 0", "limits.max_unzipped_bytes 0: want 1 or more bytes, or leave it out for the default"},
		{"limits:\n  max_xml_bytes: -1", "limits.max_xml_bytes -1: want 1 or more bytes, or leave it out for the default"},
		// a 0 elsewhere (quotes.valid_days: until the month's end) stays
		{"quotes:\n  valid_days: 0", "max_shrink_pct 50, threads 0, limits {1048576 32767 1073741824 16777216}"},
		{"memory_limit: 1MB", "memory_limit 1MB: too small for DuckDB, which reads files in blocks of 32 MiB: set 256MB or more, or leave it out (DuckDB's default, 80 % of RAM)"},
		{"memory_limit: 255.9MB", "memory_limit 255.9MB: too small for DuckDB, which reads files in blocks of 32 MiB: set 256MB or more, or leave it out (DuckDB's default, 80 % of RAM)"},
		{"memory_limit: 256MB", "max_shrink_pct 50, threads 0, limits {1048576 32767 1073741824 16777216}"},
		{"review:\n  min_amount_brl: -0.01", "review.min_amount_brl -0.01: must be 0 or more"},
		{"review:\n  start: 2025-13", "review.start \"2025-13\": want YYYY-MM"},
		{"review:\n  start: \"10/2025\"", "review.start \"10/2025\": want YYYY-MM"},
		{"review:\n  start: \"2025-10\"\n  min_amount_brl: 100.5", "max_shrink_pct 50, threads 0, limits {1048576 32767 1073741824 16777216}"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "salesops.yaml")
		if err := os.WriteFile(path, []byte("as_of: \"2025-12-01\"\n"+tt.yaml+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err != nil {
			t.Fatalf("%q: %v", tt.yaml, err)
		}
		err = cfg.Resolve(cfg.AsOfDate())
		got := fmt.Sprintf("max_shrink_pct %d, threads %d, limits %v", cfg.MaxShrinkPct, cfg.Threads, cfg.Limits.WithDefaults())
		var usage *UsageError
		if err != nil {
			got = err.Error()
			if !errors.As(err, &usage) {
				t.Errorf("%q: %v is not a usage error", tt.yaml, err)
			}
		}
		if got != tt.want {
			t.Errorf("%q:\n%s\nwant:\n%s", tt.yaml, got, tt.want)
		}
	}
	// Set in Go rather than read from a file, 0 is "left out".
	cfg := Config{AsOf: "2025-12-01", Threads: -3}
	if err := cfg.Resolve(cfg.AsOfDate()); err == nil || err.Error() != "threads -3: want 1 or more, or leave it out for one per core" {
		t.Errorf("threads -3 set in Go: %v", err)
	}
}

// TestConfigMemoryLimit: a memory_limit DuckDB could not take is a usage
// error naming the key, before any file is read.
func TestConfigMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		limit string
		err   string
	}{
		{"2GB", ""},
		{"1600 MB", ""},
		{"2", `memory_limit: memory size "2": want a number and a unit`},
		{"80%", `memory_limit: memory size "80%": want a number and a unit`},
	} {
		cfg := Config{Inbox: "inbox", Out: "out", AsOf: "2025-12-01", MemoryLimit: tt.limit}
		err := cfg.Resolve(cfg.AsOfDate())
		var usage *UsageError
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("memory_limit %q: %v", tt.limit, err)
		case tt.err != "" && (!errors.As(err, &usage) || !strings.HasPrefix(err.Error(), tt.err)):
			t.Errorf("memory_limit %q: %v, want a usage error starting %q", tt.limit, err, tt.err)
		}
	}
}

// TestCheckParts: a key that had rows in the previous set's composition and
// has none now fails, with every such key named; fewer rows, new keys and
// sets published before compositions were recorded do not.
func TestCheckParts(t *testing.T) {
	parts := []Part{pricelistVendors, reconciliationPeriod}
	type comp = map[string]map[string]int64
	dec := comp{"vendor": {"adobe": 3, "kaspersky": 2, "microsoft": 10}}
	tests := []struct {
		name      string
		prev, cur comp
		want      string
	}{
		{"same vendors", dec, comp{"vendor": {"adobe": 3, "kaspersky": 2, "microsoft": 10}}, ""},
		{"fewer rows of a vendor", dec, comp{"vendor": {"adobe": 1, "kaspersky": 2, "microsoft": 10}}, ""},
		{"a new vendor", dec, comp{"vendor": {"adobe": 3, "kaspersky": 2, "microsoft": 10, "sophos": 4}}, ""},
		{"an old set, no composition", nil, comp{"vendor": {"microsoft": 10}}, ""},
		{"a part not declared", comp{"customer": {"C001": 4}}, comp{"vendor": {"microsoft": 10}}, ""},
		{"a vendor with none before", comp{"vendor": {"adobe": 0, "microsoft": 10}}, comp{"vendor": {"microsoft": 10}}, ""},
		{"adobe gone", dec, comp{"vendor": {"kaspersky": 2, "microsoft": 10}},
			"vendor adobe had 3 rows in quote_prices.csv of the set published for 2025-12 and has none now: check pricelists/adobe/, or run again with --accept-shrink"},
		{"adobe counted 0", dec, comp{"vendor": {"adobe": 0, "kaspersky": 2, "microsoft": 10}},
			"vendor adobe had 3 rows in quote_prices.csv of the set published for 2025-12 and has none now: check pricelists/adobe/, or run again with --accept-shrink"},
		{"two gone", dec, comp{"vendor": {"microsoft": 10}},
			"vendor adobe had 3 rows in quote_prices.csv of the set published for 2025-12 and has none now; vendor kaspersky had 2 rows in quote_prices.csv of the set published for 2025-12 and has none now: check pricelists/adobe/, pricelists/kaspersky/, or run again with --accept-shrink"},
		{"a part not counted now", dec, nil,
			"vendor adobe had 3 rows in quote_prices.csv of the set published for 2025-12 and has none now; vendor kaspersky had 2 rows in quote_prices.csv of the set published for 2025-12 and has none now; vendor microsoft had 10 rows in quote_prices.csv of the set published for 2025-12 and has none now: check pricelists/adobe/, pricelists/kaspersky/, pricelists/microsoft/, or run again with --accept-shrink"},
		{"the period's orders gone", comp{"period": {"bills": 9, "invoices": 11, "orders": 9}}, comp{"period": {"bills": 9, "invoices": 11, "orders": 0}},
			"the period's orders had 9 rows in the set published for 2025-12 and have none now: check erp/orders/, or run again with --accept-shrink"},
		{"one bill line gone", comp{"period": {"bills": 1, "invoices": 11, "orders": 9}}, comp{"period": {"invoices": 11, "orders": 9}},
			"the period's bills had 1 row in the set published for 2025-12 and have none now: check vendor_billing/microsoft/, or run again with --accept-shrink"},
		{"invoices gone", comp{"period": {"bills": 9, "invoices": 11, "orders": 9}}, comp{"period": {"bills": 9, "invoices": 0, "orders": 9}},
			"the period's invoices had 11 rows in the set published for 2025-12 and have none now: check erp/invoices/ and nf/, or run again with --accept-shrink"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkParts(parts, tt.prev, tt.cur, "2025-12")
			if got := fmt.Sprint(err); (err == nil) != (tt.want == "") || (err != nil && got != tt.want) {
				t.Fatalf("error:\n%v\nwant:\n%s", err, tt.want)
			}
			if err != nil && !errors.Is(err, ErrShrink) {
				t.Errorf("errors.Is(%v, ErrShrink) is false", err)
			}
		})
	}
}

// TestVendorGone: a vendor whose price list leaves the inbox fails the run
// even within max_shrink_pct, against the same period and against the
// previous one (--accept-shrink: TestShrinkGuard, the fault corpus). The Microsoft list prices 10 SKUs, the
// Adobe workbook 1 (65AAA): 11 → 10 is −9 %, within the default 50 %.
func TestVendorGone(t *testing.T) {
	inbox := copyInbox(t, "pricelist")
	writeAdobeXLSX(t, inbox)
	cfg := testConfig(t, inbox, t.TempDir(), "2025-12")
	dir := filepath.Join(cfg.Out, "pricelist", "2025-12")
	if err := runPricelist(t, cfg); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(readManifest(t, dir).Composition); got != "map[vendor:map[adobe:1 microsoft:10]]" {
		t.Fatalf("composition %s, want adobe 1, microsoft 10", got)
	}
	published := readFile(t, filepath.Join(dir, "quote_prices.csv"))

	os.RemoveAll(filepath.Join(inbox, "pricelists", "adobe"))
	want := "pricelist: vendor adobe had 1 row in quote_prices.csv of the set published for 2025-12 and has none now: check pricelists/adobe/, or run again with --accept-shrink"
	if err := runPricelist(t, cfg); err == nil || err.Error() != want {
		t.Fatalf("error:\n%v\nwant:\n%s", err, want)
	}
	if got := readFile(t, filepath.Join(dir, "quote_prices.csv")); string(got) != string(published) {
		t.Error("quote_prices.csv changed although the run failed")
	}

	// January's first run is checked against December.
	writeFile(t, inbox, "fx/ptax_202512.csv", "30122025;220;A;USD;5,4994;5,5000;1,0000;1,0000\n")
	jan := testConfig(t, inbox, cfg.Out, "2026-01")
	if err := runPricelist(t, jan); err == nil || err.Error() != want {
		t.Fatalf("January: error:\n%v\nwant:\n%s", err, want)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "pricelist", "2026-01")); !os.IsNotExist(err) {
		t.Errorf("January was published: %v", err)
	}

	// A set published before compositions were recorded does not fail
	// the run: only the total is compared (11 → 10, within 50 %).
	m := readManifest(t, dir)
	m.Composition = nil
	if err := publish.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	if err := runPricelist(t, cfg); err != nil {
		t.Fatalf("against a set without composition: %v", err)
	}
	if got := fmt.Sprint(readManifest(t, dir).Composition); got != "map[vendor:map[microsoft:10]]" {
		t.Errorf("composition %s, want microsoft 10", got)
	}
}

// keepOnly leaves the header and the lines holding keep in an inbox file.
func keepOnly(t *testing.T, inbox, rel, keep string) {
	t.Helper()
	lines := strings.SplitAfter(string(readFile(t, filepath.Join(inbox, filepath.FromSlash(rel)))), "\n")
	kept := lines[0]
	for _, l := range lines[1:] {
		if strings.Contains(l, keep) {
			kept += l
		}
	}
	writeFile(t, inbox, rel, kept)
}
