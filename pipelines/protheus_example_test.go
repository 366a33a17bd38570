package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestProtheusExampleAgrees publishes examples/inbox (salesops' layout)
// and examples/protheus/inbox (the same business as a TOTVS Protheus shop
// exports it, read through the protheus profile) and requires the same
// reconciliation, lifecycle and quotes outputs: every CSV byte for byte,
// once the inputs' names are set aside. What a layout names differently
// is set aside with them, and only that:
//   - the input file paths (source_file, file:line keys), their lines being
//     the same;
//   - the ids' spelling: a Protheus customer is A1_COD-A1_LOJA (C001 is
//     000001-01) and an order number C5_NUM (SO-1001 is 011001, 11001
//     without its leading zeros);
//   - an order line's exception id, the hash of its order number and line
//     (transform/macros.sql, order_exception_id: SO-0903/1 is
//     EX-04D91228D84B21F6, 10903/1 EX-25D3E1D5A3FC7E1B), so spelt from the
//     number too: each native order line's id is replaced by the id of its
//     Protheus number and line, computed here the macro's way, which is why
//     examples/protheus/inbox/reviews/decisoes.csv names those ids; and so
//     the order of vendor_disputes' rows, which is by vendor and exception
//     id (transform/models/marts/vendor_disputes.sql): the native rows,
//     their ids replaced, are put in that order again;
//   - in rejects.csv, the column, which a mapped file's rejects name as the
//     ERP does (A1_LC, C6_QTDVEN), and the decimal separator its reason
//     asks for: the rows rejected and their values are the same.
func TestProtheusExampleAgrees(t *testing.T) {
	native := exampleConfig(t, exampleInbox(t), t.TempDir())
	pcfg, err := LoadConfig(filepath.Join("..", "examples", "protheus", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pcfg.Out, pcfg.Warehouse = t.TempDir(), ""
	if err := pcfg.Resolve(pcfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []Config{native, pcfg} {
		if _, err := RunAll(context.Background(), cfg, All); err != nil {
			t.Fatal(err)
		}
	}

	paths := strings.NewReplacer(
		"erp/customers/clientes.csv", "erp/protheus/SA1_clientes.csv",
		"erp/customers/clientes_novos.csv", "erp/protheus/SA1_clientes_novos.csv",
		"erp/orders/pedidos_2025-10.csv", "erp/protheus/SC6_pedidos_2025-10.csv",
		"erp/orders/pedidos_2025-11.csv", "erp/protheus/SC6_pedidos_2025-11.csv",
		"erp/orders/pedidos_2025-12.csv", "erp/protheus/SC6_pedidos_2025-12.csv",
		"erp/orders/pedidos_ciclo.csv", "erp/protheus/SC6_pedidos_ciclo.csv",
		"erp/invoices/notas_2025-10.csv", "erp/protheus/SF2_notas_2025-10.csv",
		"erp/invoices/notas_2025-11.csv", "erp/protheus/SF2_notas_2025-11.csv",
		"erp/invoices/notas_2025.csv", "erp/protheus/SF2_notas_2025.csv",
		"erp/receivables/parcelas.csv", "erp/protheus/SE1_titulos.csv",
	)
	customer := regexp.MustCompile(`\bC0(\d\d)\b`)
	order := regexp.MustCompile(`\bSO-(\d{4})\b`)
	exceptionIDs := orderExceptionIDs(t, native.Inbox, func(so string) string { return order.ReplaceAllString(so, "1$1") })
	asProtheus := func(s string) string {
		s = exceptionIDs.Replace(paths.Replace(s))
		s = customer.ReplaceAllString(s, "0000$1-01")
		return order.ReplaceAllString(s, "1$1")
	}
	erpColumn := map[string]string{"credit_limit": "A1_LC", "quantity": "C6_QTDVEN"}

	compared := 0
	for _, p := range []string{"reconciliation", "lifecycle", "quotes"} {
		nd := filepath.Join(native.Out, p, native.Period)
		pd := filepath.Join(pcfg.Out, p, pcfg.Period)
		names, err := filepath.Glob(filepath.Join(nd, "*.csv"))
		if err != nil || len(names) == 0 {
			t.Fatalf("%s: no CSV published (%v)", p, err)
		}
		for _, n := range names {
			name := filepath.Base(n)
			nb, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			pb, err := os.ReadFile(filepath.Join(pd, name))
			if err != nil {
				t.Fatalf("%s/%s: %v", p, name, err)
			}
			want := asProtheus(string(nb))
			got := string(pb)
			if strings.HasPrefix(name, "vendor_disputes.") {
				want = byVendorAndID(t, want, name)
			}
			if name == "rejects.csv" {
				want, got = rejectsAsRead(t, want, erpColumn), rejectsAsRead(t, got, nil)
			}
			if got != want {
				t.Errorf("%s/%s differs:\n%s\nwant (from examples/inbox)\n%s", p, name, got, want)
			}
			compared++
		}
	}
	if compared < 20 {
		t.Errorf("compared %d CSVs, want every CSV of the three sets", compared)
	}
}

// orderExceptionIDs replaces the exception id of each order line of the
// native inbox's erp/orders/ by the id of the same line with its order
// number spelt by asNumber: "EX-" and the first 16 hex digits of the
// SHA-256 of "order_line", the number and the line, joined by U+001F
// (transform/macros.sql, exception_id).
func orderExceptionIDs(t *testing.T, inbox string, asNumber func(string) string) *strings.Replacer {
	t.Helper()
	id := func(so, line string) string {
		sum := sha256.Sum256([]byte(strings.Join([]string{"order_line", so, line}, "\x1f")))
		return "EX-" + strings.ToUpper(hex.EncodeToString(sum[:8]))
	}
	files, err := filepath.Glob(filepath.Join(inbox, "erp", "orders", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no orders (%v)", inbox, err)
	}
	var pairs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(string(b)))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if recs[0][0] != "so_number" || recs[0][6] != "line" {
			t.Fatalf("%s: header %v, want so_number first and line seventh", f, recs[0])
		}
		for _, rec := range recs[1:] {
			pairs = append(pairs, id(rec[0], rec[6]), id(asNumber(rec[0]), rec[6]))
		}
	}
	return strings.NewReplacer(pairs...)
}

// byVendorAndID is vendor_disputes' text (name: its .csv or .pt-BR.csv)
// with its rows stably sorted by their first two columns, the vendor and
// the exception id, as the model orders them; each row must be one line.
func byVendorAndID(t *testing.T, text, name string) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	comma := ','
	if strings.HasSuffix(name, ".pt-BR.csv") {
		comma = ';'
	}
	key := make(map[string]string, len(lines))
	for _, l := range lines[1:] {
		r := csv.NewReader(strings.NewReader(l))
		r.Comma = comma
		rec, err := r.Read()
		if err != nil || len(rec) < 2 {
			t.Fatalf("%s: row %q not one line of CSV (%v)", name, l, err)
		}
		key[l] = rec[0] + "\x00" + rec[1]
	}
	rows := lines[1:]
	sort.SliceStable(rows, func(i, j int) bool { return key[rows[i]] < key[rows[j]] })
	return strings.Join(lines, "")
}

// rejectsAsRead is rejects.csv with each column renamed through rename
// (nil: as it is) and every reason's decimal separator set aside.
func rejectsAsRead(t *testing.T, text string, rename map[string]string) string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range recs {
		if c, ok := rename[r[2]]; ok {
			r[2] = c
		}
		r[4] = strings.NewReplacer("a decimal comma (1.234,56)", "its decimal separator", "a decimal point (1234.56)", "its decimal separator").Replace(r[4])
		b.WriteString(strings.Join(r, "|") + "\n")
	}
	return b.String()
}

// TestUnmappedSaidOnce: the Protheus example without the shop's fields for
// the orders' service period (SC6 has no standard one): the orders load,
// and data_quality says once per field, not per row nor per file (four SC6
// files; it names the first by name), what the reconciliation makes of it.
func TestUnmappedSaidOnce(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("..", "examples", "protheus", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	delete(cfg.ERP.Columns["orders"], "period_start")
	delete(cfg.ERP.Columns["orders"], "period_end")
	cfg.Out, cfg.Warehouse = t.TempDir(), ""
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Reconciliation}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range readCSV(t, filepath.Join(cfg.Out, "reconciliation", cfg.Period, "data_quality.csv")) {
		if r["check_name"] == "unmapped_field" {
			got = append(got, r["entity_key"]+": "+r["detail"]+" ("+r["source_file"]+")")
		}
	}
	effect := "no column or default of the mapping feeds it (erp.columns.orders.%s): an order line with no service period falls in no period: the reconciliation leaves it out (erp/protheus/SC6_pedidos_2025-10.csv)"
	want := []string{"orders.period_end: " + strings.Replace(effect, "%s", "period_end", 1), "orders.period_start: " + strings.Replace(effect, "%s", "period_start", 1)}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("unmapped_field findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// No order line falls in the period: the reconciliation lists the
	// period's bills, and no order line.
	for _, r := range readCSV(t, filepath.Join(cfg.Out, "reconciliation", cfg.Period, "reconciliation.csv")) {
		if r["line_type"] == "order_line" {
			t.Errorf("an order line without a period is reconciled: %v", r)
		}
	}
}

// TestProtheusEventKey: SF2 carries each NF-e's access key (F2_CHVNFE), and
// the fiscal events (issue 24) meet SF2's invoices by the identity their key
// names (issuer, model, series, number). NF-e 5005 has no XML: its SF2 row,
// exported with its deleted rows, and its cancellation event (evento
// 110111, key …0050051000050054) are all the warehouse knows of it. With
// SF2's key typed …0050051000050059 the event still names 5005 (the same
// issuer, series 1, number 5005), and data_quality says the two keys differ
// once, naming both; NF-e 5001 (its XML's key and SF2's agree, and its carta
// de correção names the same) gives no finding.
func TestProtheusEventKey(t *testing.T) {
	inbox := filepath.Join(t.TempDir(), "inbox")
	if err := os.CopyFS(inbox, os.DirFS(filepath.Join("..", "examples", "protheus", "inbox"))); err != nil {
		t.Fatal(err)
	}
	const eventKey, sf2Key = "31251211222333000181550010000050051000050054", "31251211222333000181550010000050051000050059"
	editInbox(t, inbox, "erp/protheus/SF2_notas_2025.csv", eventKey, sf2Key)
	cfg, err := LoadConfig(filepath.Join("..", "examples", "protheus", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Inbox, cfg.Out, cfg.Warehouse = inbox, t.TempDir(), ""
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Reconciliation}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg.Out, "reconciliation", cfg.Period)
	var got []string
	for _, r := range readCSV(t, filepath.Join(dir, "data_quality.csv")) {
		if r["check_name"] == "event_key_mismatch" {
			got = append(got, strings.Join([]string{r["entity"], r["entity_key"], r["value"], r["detail"], r["source_file"], r["source_line"]}, " | "))
		}
	}
	finding := "nf_event | NFE 5005-1 | " + eventKey + " | event 110111 names access key " + eventKey + "; NFE 5005-1 has " + sf2Key +
		": one of the two records holds a wrong key | nf/2025/12/evento_cancelamento_5005.xml | 2"
	if strings.Join(got, "\n") != finding {
		t.Errorf("event_key_mismatch findings:\n%s\nwant\n%s", strings.Join(got, "\n"), finding)
	}
	events := byKey(readCSV(t, filepath.Join(dir, "fiscal_events.csv")), "nf_label", "event_type")
	for key, w := range map[string]want{
		"NFE 5005-1|110111": {"is_known_invoice": "true", "invoice_status": "cancelada", "customer_id": "000001-01", "access_key": eventKey},
		"NFE 5001-1|110110": {"is_known_invoice": "true", "invoice_status": "autorizada", "customer_id": "000001-01"},
	} {
		for col, v := range w {
			if got := events[key][col]; got != v {
				t.Errorf("fiscal_events %s %s = %q, want %q", key, col, got, v)
			}
		}
	}
}
