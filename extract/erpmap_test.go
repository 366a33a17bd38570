package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/salesops/salesops/transform"
)

// protheus is the built-in profile, resolved.
func protheus(t *testing.T) ERPFormats {
	t.Helper()
	f, err := ResolveERP(ERPConfig{Profile: "protheus"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// syncInbox writes the files (inbox path → body) into a new inbox and
// syncs them all, each kind once, as a run of every kind does.
func syncInbox(t *testing.T, w *transform.Warehouse, files map[string]string, opts Options) ([]Input, error) {
	t.Helper()
	root := t.TempDir()
	for p, body := range files {
		local := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(local, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := ListDir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var kinds []Kind
	for _, f := range l.Files {
		k, ok := KindOf(f.Path)
		if !ok {
			t.Fatalf("no kind reads %s", f.Path)
		}
		if !seen[k.Name] {
			seen[k.Name] = true
			kinds = append(kinds, k)
		}
	}
	return Sync(context.Background(), w, Dir(root), l.Files, kinds, opts)
}

// stagedRejects lists a staging model's rejects as rejects.csv names them:
// "file:line: column: value: reason".
func stagedRejects(t *testing.T, w *transform.Warehouse, model string) []string {
	t.Helper()
	return query(t, w, `
		with errors as (select file_id, line, unnest(_errors) as e from `+model+` where len(_errors) > 0)
		select file || ':' || line || ': ' || "column" || ': ' || coalesce(value, '') || ': ' || reason from named_rejects(errors)`)
}

// query returns a query's one text column.
func query(t *testing.T, w *transform.Warehouse, q string, args ...any) []string {
	t.Helper()
	rows, err := w.Conn.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

// sameLines fails unless got is want, line for line.
func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const (
	sa1Header = "A1_FILIAL;A1_COD;A1_LOJA;A1_NOME;A1_CGC;A1_LC;A1_COND;A1_VEND;A1_MSBLQL"
	sc5Header = "C5_FILIAL;C5_NUM;C5_CLIENTE;C5_LOJACLI;C5_EMISSAO"
	sc6Header = "C6_FILIAL;C6_NUM;C6_ITEM;C6_PRODUTO;C6_QTDVEN;C6_PRCVEN;C6_PEDCLI;C6_BLQ"
	sf2Header = "F2_FILIAL;F2_DOC;F2_SERIE;F2_CLIENTE;F2_LOJA;F2_EMISSAO;F2_ESPECIE;F2_VALBRUT;F2_DESCONT;F2_VALFAT;F2_CHVNFE"
	sd2Header = "D2_FILIAL;D2_DOC;D2_SERIE;D2_CLIENTE;D2_LOJA;D2_PEDIDO"
	se1Header = "E1_FILIAL;E1_PREFIXO;E1_NUM;E1_PARCELA;E1_TIPO;E1_CLIENTE;E1_LOJA;E1_EMISSAO;E1_VENCREA;E1_VALOR;E1_SALDO;E1_BAIXA"
)

// TestProtheusMissingColumn: a required column a table lacks fails the
// load naming the table and the column, whether the file is the mapped
// one or the file its join reads.
func TestProtheusMissingColumn(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"items without the quantity", map[string]string{
			"erp/protheus/SC5_2025.csv": lines(sc5Header, "01;000100;000001;01;20251201"),
			"erp/protheus/SC6_2025.csv": lines("C6_FILIAL;C6_NUM;C6_ITEM;C6_PRODUTO;C6_PRCVEN;C6_PEDCLI;C6_BLQ", "01;000100;01;P1;10.00;;"),
		}, `erp/protheus/SC6_2025.csv: SC6: column "C6_QTDVEN" missing`},
		{"header without its date", map[string]string{
			"erp/protheus/SC5_2025.csv": lines("C5_FILIAL;C5_NUM;C5_CLIENTE;C5_LOJACLI", "01;000100;000001;01"),
			"erp/protheus/SC6_2025.csv": lines(sc6Header, "01;000100;01;P1;1;10.00;;"),
		}, `erp/protheus/SC5_2025.csv: SC5: column "C5_EMISSAO" missing`},
		{"customers without the store", map[string]string{
			"erp/protheus/SA1010.csv": lines("A1_COD;A1_NOME;A1_CGC;A1_LC;A1_MSBLQL", "000001;ACME;11444777000161;0;2"),
		}, `erp/protheus/SA1010.csv: SA1: column "A1_LOJA" missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := syncInbox(t, openWarehouse(t), tt.files, Options{ERP: protheus(t)})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v\nwant  %s", err, tt.want)
			}
			if !errors.Is(err, ErrMissingColumn) {
				t.Errorf("%v is not ErrMissingColumn", err)
			}
		})
	}
}

// TestProtheusOrdersJoin: items and header joined on a two-column key
// (filial and number): the same number in two filiais takes each its own
// header; an item whose header is missing is one reject, naming its key,
// and not also a missing customer and date. Numbers lose their leading
// zeros; C6_BLQ "R" is a cancelled line.
func TestProtheusOrdersJoin(t *testing.T) {
	w := openWarehouse(t)
	files := map[string]string{
		"erp/protheus/SC5_2025.csv": lines(sc5Header,
			"01;000100;000001;01;20251201",
			"02;000100;000002;01;20251215"),
		"erp/protheus/SC6_2025.csv": lines(sc6Header,
			"01;000100;01;CFQ7TTC0LF8R   ;10;230.00;PO-77    ;  ",
			"02;000100;01;CFQ7TTC0LF8R   ;2;1.50;;R ",
			"01;000999;01;P9;1;1.00;;"),
	}
	if _, err := syncInbox(t, w, files, Options{ERP: protheus(t)}); err != nil {
		t.Fatal(err)
	}
	got := query(t, w, `select line || ' ' || so_number || '/' || order_line || ' ' || customer_id || ' ' || order_date
		|| ' ' || product_id || ' ' || quantity::DECIMAL(18,2) || '×' || unit_price_brl::DECIMAL(18,2) || ' ' || coalesce(po_number, '-') || ' ' || status
		from stg_erp_orders where len(_errors) = 0 order by line`)
	want := []string{
		"2 100/1 000001-01 2025-12-01 CFQ7TTC0LF8R 10.00×230.00 PO-77 open",
		"3 100/1 000002-01 2025-12-15 CFQ7TTC0LF8R 2.00×1.50 - cancelled",
	}
	sameLines(t, "staged", got, want)
	rej := stagedRejects(t, w, "stg_erp_orders")
	wantRej := []string{"erp/protheus/SC6_2025.csv:4: C6_NUM: 01/000999: no SC5 row with C5_FILIAL/C5_NUM 01/000999 (erp/protheus/SC5*.csv)"}
	sameLines(t, "rejects", rej, wantRej)
	// The header's columns, named by the rejects as the ERP names them.
	cols := query(t, w, `select c.field || '=' || c.header from file_columns c join files f using (file_id)
		where f.path = 'erp/protheus/SC6_2025.csv' and c.field in ('customer_id', 'order_date', 'quantity') order by c.field`)
	if want := "customer_id=C5_CLIENTE+C5_LOJACLI order_date=C5_EMISSAO quantity=C6_QTDVEN"; strings.Join(cols, " ") != want {
		t.Errorf("file_columns %s, want %s", strings.Join(cols, " "), want)
	}

	// A new header file loads the items joined to it again: the orphan
	// finds its header.
	files["erp/protheus/SC5_2026.csv"] = lines(sc5Header, "01;000999;000003;01;20260105")
	if _, err := syncInbox(t, w, files, Options{ERP: protheus(t)}); err != nil {
		t.Fatal(err)
	}
	if rej := stagedRejects(t, w, "stg_erp_orders"); len(rej) != 0 {
		t.Errorf("rejects after the header came: %q", rej)
	}
	got = query(t, w, "select customer_id || ' ' || order_date from stg_erp_orders where so_number = '999'")
	if len(got) != 1 || got[0] != "000003-01 2026-01-05" {
		t.Errorf("joined late: %q", got)
	}
}

// TestProtheusOrdersInvoiced: SC6 records an item's invoicing on the item
// (C6_NOTA the invoice, C6_QTDENT the quantity delivered): a line not
// cancelled is invoiced when C6_QTDENT reaches C6_QTDVEN, open while it
// falls short (a partial invoice), cancelled when C6_BLQ says R whatever it
// was invoiced; an export without C6_QTDENT loads (both columns are
// optional) and a C6_NOTA alone says invoiced; a C6_QTDENT that is no
// number is a reject naming the column.
func TestProtheusOrdersInvoiced(t *testing.T) {
	const head = "C6_FILIAL;C6_NUM;C6_ITEM;C6_PRODUTO;C6_QTDVEN;C6_PRCVEN;C6_PEDCLI;C6_BLQ;C6_NOTA;C6_QTDENT"
	tests := []struct {
		name   string
		header string
		rows   []string
		want   []string // "so/line status"
		rej    []string
	}{
		{"with C6_QTDENT", head, []string{
			"01;012010;01;P1;10;2760.00;;  ;000003010;10", // fully delivered: invoiced
			"01;012011;01;P1;10;2760.00;;  ;000003011;4",  // 4 of 10: open
			"01;012012;01;P1;10;2760.00;;  ;         ;0",  // not invoiced: open
			"01;012013;01;P1;10;2760.00;;R ;000003013;10", // residue eliminated: cancelled
			"01;012014;01;P1;2;100.00;;  ;         ;2.00", // delivered, no number: invoiced
			"01;012015;01;P1;2;100.00;;  ;000003015;dez",  // reject
		}, []string{"12010/1 invoiced", "12011/1 open", "12012/1 open", "12013/1 cancelled", "12014/1 invoiced"},
			[]string{"erp/protheus/SC6_2025.csv:7: C6_QTDENT: dez: not a number with a decimal point (1234.56)"}},
		{"C6_NOTA alone", "C6_FILIAL;C6_NUM;C6_ITEM;C6_PRODUTO;C6_QTDVEN;C6_PRCVEN;C6_PEDCLI;C6_BLQ;C6_NOTA", []string{
			"01;012020;01;P1;10;2760.00;;  ;000003020",
			"01;012021;01;P1;10;2760.00;;  ;         ",
		}, []string{"12020/1 invoiced", "12021/1 open"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := openWarehouse(t)
			files := map[string]string{
				"erp/protheus/SC5_2025.csv": lines(sc5Header, "01;012010;000001;01;20250120", "01;012011;000001;01;20250120",
					"01;012012;000001;01;20250120", "01;012013;000001;01;20250120", "01;012014;000001;01;20250120",
					"01;012015;000001;01;20250120", "01;012020;000001;01;20250120", "01;012021;000001;01;20250120"),
				"erp/protheus/SC6_2025.csv": lines(append([]string{tt.header}, tt.rows...)...),
			}
			if _, err := syncInbox(t, w, files, Options{ERP: protheus(t)}); err != nil {
				t.Fatal(err)
			}
			got := query(t, w, `select so_number || '/' || order_line || ' ' || status from stg_erp_orders where len(_errors) = 0 order by line`)
			sameLines(t, "status", got, tt.want)
			sameLines(t, "rejects", stagedRejects(t, w, "stg_erp_orders"), tt.rej)
		})
	}
}

// TestProtheusStaged loads one Protheus table through the profile and
// reads what its staging model kept and rejected:
//   - SA1: the customer is A1_COD-A1_LOJA, trimmed; the name's padding
//     goes; '.' decimals; A1_MSBLQL through its value map; the codes the
//     profile leaves without values (A1_COND, A1_VEND) are not read until
//     the config gives them, and the file says so (file_unmapped);
//   - SF2 + SD2: the invoice's number and the order its items name lose
//     their leading zeros (000005001 is NF 5001, order 001001 is 1001);
//     F2_ESPECIE through the value map, a code it lacks a reject naming the
//     code, once (not also "must be NFE or NFSE"); status, absent from SF2,
//     the profile's default; an invoice with no items has no order;
//   - SE1: dates AAAAMMDD, a blank one eight spaces (no date, not a
//     reject); the due date is E1_VENCREA; a date that is none is a reject
//     in the format's words.
func TestProtheusStaged(t *testing.T) {
	key := "31251211222333000181550010000050011000050014"
	tests := []struct {
		name     string
		files    map[string]string
		model    string
		row      string // the SQL of a staged row, as text
		staged   []string
		rejects  []string
		unmapped string
	}{
		{"customers", map[string]string{"erp/protheus/SA1010.csv": lines(sa1Header,
			"  ;000001;01;Construtora Ação Ltda          ;11.444.777/0001-61;50000.50;001;000001;2",
			"  ;000002 ;02 ;Livraria                      ;12345678000195;1234.5;002;000002;1",
			"  ;000003;01;Cliente;60574661000152;dez mil;001;000001;9")},
			"stg_erp_customers",
			`customer_id || '|' || name || '|' || cnpj || '|' || coalesce(credit_limit_brl::VARCHAR, '-')
				|| '|' || status || '|' || coalesce(payment_terms_days::VARCHAR, '-') || '|' || coalesce(account_manager, '-')`,
			[]string{
				"2 000001-01|Construtora Ação Ltda|11444777000161|50000.500000|active|-|-",
				"3 000002-02|Livraria|12345678000195|1234.500000|blocked|-|-",
			},
			[]string{
				"erp/protheus/SA1010.csv:4: A1_LC: dez mil: not a number with a decimal point (1234.56)",
				"erp/protheus/SA1010.csv:4: A1_MSBLQL: 9: not in the value map (1, 2): add it under erp.values.customers.status",
			},
			"account_manager billing_cutoff_day payment_terms_days portal restrictions segment"},
		{"invoices", map[string]string{
			"erp/protheus/SF2010.csv": lines(sf2Header,
				"01;000005001;1  ;000001;01;20251205;SPED ;2300.00;0.00;2300.00;"+key,
				"01;000000201;1  ;000003;01;20251210;RPS  ;1000.00;0.00;980.00;",
				"01;000005010;1  ;000001;01;20251211;NFCE ;10.00;0.00;10.00;",
				"01;000005011;1  ;000001;01;20251212;SPED ;20.00;0.00;20.00;"),
			"erp/protheus/SD2010.csv": lines(sd2Header,
				"01;000005001;1  ;000001;01;001001",
				"01;000005001;1  ;000001;01;001001",
				"01;000000201;1  ;000003;01;001006")},
			"stg_erp_invoices",
			`kind || ' ' || nf_number || '-' || series || ' ' || customer_id || ' ' || issue_date || ' ' || coalesce(so_number, '-')
				|| ' ' || gross_brl::DECIMAL(18,2) || ' ' || net_brl::DECIMAL(18,2) || ' ' || status || ' ' || coalesce(doc_key, '-')`,
			[]string{
				"2 NFE 5001-1 000001-01 2025-12-05 1001 2300.00 2300.00 autorizada " + key,
				"3 NFSE 201-1 000003-01 2025-12-10 1006 1000.00 980.00 autorizada -",
				"5 NFE 5011-1 000001-01 2025-12-12 - 20.00 20.00 autorizada -",
			},
			[]string{"erp/protheus/SF2010.csv:4: F2_ESPECIE: NFCE: not in the value map (NFS, RPS, SPED): add it under erp.values.invoices.kind"},
			""},
		{"receivables", map[string]string{"erp/protheus/SE1010.csv": lines(se1Header,
			"01;1  ;000004950;A ;NF ;000003;01;20251101;20251201;500.00;500.00;        ",
			"01;1  ;000004950;B ;NF ;000003;01;20251101;20260102;500.00;0.00;20251230",
			"01;1  ;000004950;C ;IR-;000003;01;20251101;20261305;15.00;15.00;        ")},
			"stg_erp_receivables",
			`series || ' ' || nf_number || '/' || installment || ' ' || title_type || ' ' || customer_id || ' ' || issue_date
				|| ' ' || due_date || ' ' || amount_brl::DECIMAL(18,2) || ' ' || balance_brl::DECIMAL(18,2) || ' ' || coalesce(paid_date::VARCHAR, '-')`,
			[]string{
				"2 1 4950/A NF 000003-01 2025-11-01 2025-12-01 500.00 500.00 -",
				"3 1 4950/B NF 000003-01 2025-11-01 2026-01-02 500.00 0.00 2025-12-30",
			},
			[]string{"erp/protheus/SE1010.csv:4: E1_VENCREA: 20261305: not a date (aaaammdd)"},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := openWarehouse(t)
			if _, err := syncInbox(t, w, tt.files, Options{ERP: protheus(t)}); err != nil {
				t.Fatal(err)
			}
			sameLines(t, "staged", query(t, w, "select line || ' ' || "+tt.row+" from "+tt.model+" where len(_errors) = 0 order by line"), tt.staged)
			sameLines(t, "rejects", stagedRejects(t, w, tt.model), tt.rejects)
			if tt.unmapped != "" {
				got := query(t, w, "select string_agg(field, ' ' order by field) from file_unmapped")
				sameLines(t, "unmapped", got, []string{tt.unmapped})
			}
		})
	}
}

// TestMappedWorkbook: a kind's own folder read through a block of the
// config: a workbook's sheet, a two-column key, a default, a date cell
// under the mapping's date format, and a file outside any mapping.
func TestMappedWorkbook(t *testing.T) {
	w := openWarehouse(t)
	erp, err := ResolveERP(ERPConfig{Kinds: map[string]*ERPFormat{"receivables": {
		Columns: map[string]ERPColumn{"nf_number": {"Nota"}, "customer_id": {"Cliente", "Loja"}, "due_date": {"Vencimento"},
			"amount": {"Valor"}},
		Defaults:   map[string]string{"title_type": "NF"},
		Decimal:    ".",
		DateFormat: "%Y-%m-%d",
	}}})
	if err != nil {
		t.Fatal(err)
	}
	body := workbookOf(t, "", xlRow("s:Nota", "s:Cliente", "s:Loja", "s:Vencimento", "s:Valor"),
		xlRow("s:000123", "s:C9", "s:01", "45992", "99.5"))
	if _, err := syncInbox(t, w, map[string]string{"erp/receivables/titulos.xlsx": string(body)}, Options{ERP: erp}); err != nil {
		t.Fatal(err)
	}
	got := query(t, w, `select line || ' ' || nf_number || ' ' || customer_id || ' ' || title_type || ' ' || due_date || ' ' || amount_brl::DECIMAL(18,2)
		from stg_erp_receivables where len(_errors) = 0`)
	if want := "2 123 C9-01 NF 2025-12-01 99.50"; len(got) != 1 || got[0] != want {
		t.Errorf("staged %q, want %q", got, want)
	}
	// Files no mapping reads.
	for p, want := range map[string]string{
		"erp/protheus/SE1010.csv":     "erp/protheus/SE1010.csv: no known format and no mapping in the config: for TOTVS Protheus' tables set erp: {profile: protheus}, or map the file under erp.receivables (files: protheus/SE1010.csv)",
		"erp/invoice_items/itens.csv": "erp/invoice_items/itens.csv: no known format and no mapping in the config: for TOTVS Protheus' tables set erp: {profile: protheus}, or a join of erp.invoices whose files match it",
		"erp/customers/clientes.xlsx": "erp/customers/clientes.xlsx: a workbook: the native layout is a CSV (save it as CSV UTF-8, ';' separated), or map the workbook under erp.customers in the config file",
	} {
		_, err = syncInbox(t, openWarehouse(t), map[string]string{p: "x;y\n1;2\n"}, Options{ERP: erp})
		if err == nil || err.Error() != want || !errors.Is(err, ErrNoFormat) {
			t.Errorf("error %v\nwant  %s", err, want)
		}
	}
}

// TestResolveERP: the config's blocks on top of the profile, and what a
// block may not say.
func TestResolveERP(t *testing.T) {
	t.Run("on top of the profile", func(t *testing.T) {
		var c ERPConfig
		err := yaml.Unmarshal([]byte(`
profile: protheus
columns:
  orders: {period_start: C6_XPERINI, po_number: SC5.C5_XPEDCLI, contract_id: C5_XCONTR}
defaults:
  orders: {order_type: recurrence}
values:
  customers: {payment_terms_days: {"001": "30"}}
  invoices: {kind: {NFCE: NFE}}
`), &c)
		if err != nil {
			t.Fatal(err)
		}
		f, err := ResolveERP(c)
		if err != nil {
			t.Fatal(err)
		}
		o := f["erp_orders"]
		got := fmt.Sprintf("%v %v %v %v %v %v %v %v", o.Columns["period_start"], o.Columns["po_number"], o.Join.Columns["po_number"],
			o.Columns["contract_id"], o.Join.Columns["contract_id"], o.Defaults["order_type"],
			f["erp_customers"].Values["payment_terms_days"], len(f["erp_invoices"].Values["kind"]))
		if want := "[C6_XPERINI] [] [C5_XPEDCLI] [] [C5_XCONTR] recurrence map[001:30] 4"; got != want {
			t.Errorf("resolved %s, want %s", got, want)
		}
		if p := protheus(t); p["erp_orders"].Columns["period_start"] != nil {
			t.Error("resolving changed the profile")
		}
	})
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown profile", "profile: sap", `erp.profile "sap": no such profile (known: protheus)`},
		{"unknown block", "pedidos: {columns: {so_number: X}}", "erp.pedidos: unknown key (known: profile, columns, defaults, values, customers, contracts, contract_lines, orders, invoices, receivables, statements, vendor_accounts)"},
		{"unknown kind", "columns: {pedidos: {so_number: X}}", "erp.columns.pedidos: unknown kind (known: customers, contracts, contract_lines, orders, invoices, receivables, statements, vendor_accounts)"},
		{"unknown field", "orders: {columns: {numero: X}}", `erp.orders.columns: unknown field "numero" (known: so_number, customer_id, order_date, product_id, quantity, unit_price_brl, period_start, period_end, po_number, contract_id, order_type, sku_id, vendor_subscription_id, status, invoice_number, invoiced_quantity, order_line)`},
		{"a key field unfed", "customers: {columns: {customer_id: COD}}", "erp.customers: field name needs a column or a default"},
		{"one of two will do", "invoices: {columns: {nf_number: N, kind: K, issue_date: D, gross: G, net: L}}", "erp.invoices: field customer_cnpj or customer_id needs a column or a default"},
		{"date format", "profile: protheus\nreceivables: {date_format: '%Y/%m/%d', columns: {nf_number: N, due_date: D, amount: A}}", `erp.receivables.date_format "%Y/%m/%d": use one of %d/%m/%Y, %m/%d/%Y, %Y-%m-%d, %d.%m.%Y, %d-%m-%Y, %Y%m%d`},
		{"decimal", "receivables: {decimal: ';', columns: {nf_number: N, due_date: D, amount: A}}", `erp.receivables.decimal ";": want "," or "."`},
		{"files elsewhere", "receivables: {files: 'titulos/*.csv', columns: {nf_number: N, due_date: D, amount: A}}", `erp.receivables.files "titulos/*.csv": receivables files are read from receivables/ or protheus/`},
		{"a join of customers", "customers: {columns: {customer_id: C, name: N}, join: {key: {C: C}}}", "erp.customers.join: only orders (their header) and invoices (their items) read a joined file"},
		{"values without a column", "profile: protheus\nvalues: {orders: {order_type: {A: annual}}}", "erp.orders.values.order_type: the field has no column to read the codes from"},
		{"a table the mapping lacks", "profile: protheus\ncolumns: {orders: {po_number: SA1.A1_X}}", `erp.orders.columns.po_number: "SA1.A1_X" names no table of the mapping (SC6, SC5)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c ERPConfig
			if err := yaml.Unmarshal([]byte(tt.yaml), &c); err != nil {
				t.Fatal(err)
			}
			_, err := ResolveERP(c)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v\nwant  %s", err, tt.want)
			}
		})
	}
}
