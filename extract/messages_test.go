package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/transform"
)

// openWarehouse opens an empty warehouse for one test.
func openWarehouse(t *testing.T) *transform.Warehouse {
	t.Helper()
	w, err := transform.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// syncFile writes body at inbox path p and syncs that one file.
func syncFile(t *testing.T, w *transform.Warehouse, p string, body []byte, opts Options) ([]Input, error) {
	t.Helper()
	local := filepath.Join(t.TempDir(), filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, body, 0o644); err != nil {
		t.Fatal(err)
	}
	k, ok := KindOf(p)
	if !ok {
		t.Fatalf("no kind reads %s", p)
	}
	return Sync(context.Background(), w, Dir(""), []File{{Path: p, Local: local, Size: int64(len(body))}}, []Kind{k}, opts)
}

// utf16le is s (ASCII) in UTF-16 little-endian, without a byte-order mark.
func utf16le(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		b.WriteByte(0)
	}
	return b.String()
}

// utf16be is s (ASCII) in UTF-16 big-endian, without a byte-order mark.
func utf16be(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(0)
		b.WriteByte(s[i])
	}
	return b.String()
}

const (
	accountsHeader = "vendor;vendor_customer_id;customer_id"
	accounts       = "erp/vendor_accounts/contas.csv"
)

// msBillingHeader is a Microsoft reconciliation file's header, split by sep.
func msBillingHeader(sep string) string {
	names := make([]string, len(msBillingColumns))
	for i, c := range msBillingColumns {
		names[i] = c.Names[0]
	}
	return strings.Join(names, sep)
}

// TestLoadMessages checks what a CSV that cannot be read says, through
// Sync as the pipelines call it: the whole message, position included.
func TestLoadMessages(t *testing.T) {
	w := openWarehouse(t)
	small := Options{Limits: Limits{MaxLineBytes: 64}.WithDefaults()}
	long := strings.Repeat("x", 65)
	tests := []struct {
		name, path, body string
		opts             Options
		want             string
		cause            error
	}{
		{name: "UTF-16 LE, as Excel's Unicode Text saves", path: accounts,
			body:  "\xff\xfe" + utf16le(accountsHeader+"\r\nmicrosoft;a;C001\r\n"),
			want:  "erp/vendor_accounts/contas.csv:1: the file is UTF-16 (byte-order mark FF FE): save it as CSV UTF-8 or Windows-1252",
			cause: ErrNotCSV},
		{name: "UTF-16 BE in a UTF-8-only kind", path: "vendor_billing/microsoft/recon.csv",
			body:  "\xfe\xff" + utf16be(msBillingHeader(",")+"\n"),
			want:  "vendor_billing/microsoft/recon.csv:1: the file is UTF-16 (byte-order mark FE FF): save it as CSV UTF-8",
			cause: ErrNotCSV},
		{name: "UTF-32 LE is not taken for UTF-16", path: accounts,
			body:  "\xff\xfe\x00\x00v\x00\x00\x00",
			want:  "erp/vendor_accounts/contas.csv:1: the file is UTF-32 (byte-order mark FF FE 00 00): save it as CSV UTF-8 or Windows-1252",
			cause: ErrNotCSV},
		{name: "UTF-16 without a byte-order mark", path: accounts,
			body:  utf16le(accountsHeader + "\nmicrosoft;a;C001\n"),
			want:  "erp/vendor_accounts/contas.csv:1: the file is UTF-16 (no byte-order mark, a NUL in every other byte): save it as CSV UTF-8 or Windows-1252",
			cause: ErrNotCSV},
		{name: "NUL bytes", path: accounts,
			body:  accountsHeader + "\nmicrosoft;a\x00\x00\x01\x02;C001\n",
			want:  "erp/vendor_accounts/contas.csv: looks binary (NUL bytes in the first 4 KiB), not a CSV",
			cause: ErrNotCSV},
		{name: "a workbook named .csv", path: "pricelists/adobe/vip.csv",
			body:  "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
			want:  "pricelists/adobe/vip.csv: looks binary (a ZIP archive, as an .xlsx workbook is), not a CSV: save it as CSV UTF-8 or Windows-1252",
			cause: ErrNotCSV},
		{name: "an Excel 97 workbook named .csv", path: accounts,
			body:  "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
			want:  "erp/vendor_accounts/contas.csv: looks binary (an OLE2 file, as an .xls workbook is), not a CSV: save it as CSV UTF-8 or Windows-1252",
			cause: ErrNotCSV},
		{name: "ERP export saved with commas", path: accounts,
			body:  "vendor,vendor_customer_id,customer_id\nmicrosoft,a,C001\n",
			want:  `erp/vendor_accounts/contas.csv:1: header has 1 column split by ";" but the file's delimiter looks like "," (found 2 commas): expected "vendor", "vendor_customer_id", "customer_id"`,
			cause: ErrNotCSV},
		{name: "Microsoft file saved with semicolons", path: "vendor_billing/microsoft/recon.csv",
			body:  msBillingHeader(";") + "\n",
			want:  `vendor_billing/microsoft/recon.csv:1: header has 1 column split by "," but the file's delimiter looks like ";" (found 45 semicolons): expected "CustomerId", "InvoiceNumber", "ProductId", …`,
			cause: ErrNotCSV},
		{name: "quoted commas do not count", path: accounts,
			body:  "\"vendor,x\";\"a,b\";customer\nmicrosoft;a;C001\n",
			want:  `erp/vendor_accounts/contas.csv: missing column "vendor"`,
			cause: ErrMissingColumn},
		{name: "PTAX with commas", path: "fx/ptax.csv",
			body:  "28112025,220,A,USD,5.3211,5.3216,1.0000,1.0000\n",
			want:  `fx/ptax.csv:1: line has 1 column split by ";" but the file's delimiter looks like "," (found 7 commas): expected 8 columns`,
			cause: ErrNotCSV},
		{name: "\\r\\n, then \\n", path: accounts,
			body:  accountsHeader + "\r\nmicrosoft;a;C001\nmicrosoft;b;C002\n",
			want:  `erp/vendor_accounts/contas.csv:2: mixed line endings (\r\n at line 1, \n at line 2)`,
			cause: ErrNotCSV},
		{name: "\\n, then \\r\\n", path: accounts,
			body:  accountsHeader + "\nmicrosoft;a;C001\nmicrosoft;b;C002\r\nmicrosoft;c;C003\n",
			want:  `erp/vendor_accounts/contas.csv:3: mixed line endings (\n at line 1, \r\n at line 3)`,
			cause: ErrNotCSV},
		{name: "a lone \\r", path: accounts,
			body:  accountsHeader + "\nmicrosoft;a;C001\rmicrosoft;b;C002\n",
			want:  `erp/vendor_accounts/contas.csv:2: mixed line endings (\n at line 1, \r at line 2)`,
			cause: ErrNotCSV},
		{name: "line ends inside quotes do not count", path: accounts,
			body:  accountsHeader + "\r\n\"micro\nsoft\";a;C001\r\nmicrosoft;b;C002\nmicrosoft;c;C003\r\n",
			want:  `erp/vendor_accounts/contas.csv:4: mixed line endings (\r\n at line 1, \n at line 4)`,
			cause: ErrNotCSV},
		{name: "a record spanning lines puts later errors further down", path: accounts,
			body:  accountsHeader + "\n\"micro\nsoft\";a;C001\nmicrosoft;b;C002;extra\n",
			want:  `erp/vendor_accounts/contas.csv:4: 4 fields where the header has 3: put in quotes a value that holds ";", or remove the extra field`,
			cause: ErrBadValue},
		{name: "a short line: 11 fields of the order export's 15", path: "erp/orders/pedidos.csv",
			body: "so_number;po_number;customer_id;contract_id;order_date;order_type;line;product_id;sku_id;quantity;unit_price_brl;period_start;period_end;vendor_subscription_id;status\n" +
				"SO-0950;PO-77;C001;K001;25/10/2025;recurrence;1;CFQ7TTC0LF8R;0001;10;230,00;01/11/2025;30/11/2025;11111111-0000-4000-8000-000000000001;invoiced\n" +
				"SO-1001;PO-81;C001;K001;28/11/2025;recurrence;1;CFQ7TTC0LF8R;0001;10;230,00\n",
			want:  `erp/orders/pedidos.csv:3: 11 fields where the header has 15: add the 4 missing (empty ones too), or put in quotes a value that holds a line break`,
			cause: ErrBadValue},
		{name: "a line broken in an unquoted value", path: accounts,
			body:  accountsHeader + "\nmicrosoft;a;C001\nmicrosoft;Constru\nção;C002\n",
			want:  `erp/vendor_accounts/contas.csv:3: 2 fields where the header has 3: add the 1 missing (empty ones too), or put in quotes a value that holds a line break`,
			cause: ErrBadValue},
		{name: "two fields too many, quoted delimiters not counted", path: accounts,
			body:  accountsHeader + "\nmicrosoft;\"a;b\";C001;x;y\n",
			want:  `erp/vendor_accounts/contas.csv:2: 5 fields where the header has 3: put in quotes a value that holds ";", or remove the extra fields`,
			cause: ErrBadValue},
		{name: "a PTAX line one field short", path: "fx/ptax.csv",
			body:  "28112025;220;A;USD;5,3211;5,3216;1,0000;1,0000\n28112025;220;A;USD;5,3211;5,3216;1,0000\n",
			want:  `fx/ptax.csv:2: 7 fields where each line has 8: add the 1 missing (empty ones too), or put in quotes a value that holds a line break`,
			cause: ErrBadValue},
		{name: "an unterminated quote", path: accounts,
			body:  accountsHeader + "\nmicrosoft;a;C001\n\"microsoft;b;C002\nmicrosoft;c;C003\n",
			want:  `erp/vendor_accounts/contas.csv:3: a value opened with a quote (") never closes: if the file was cut short, copy it again; a quote inside a quoted value is written twice ("")`,
			cause: ErrBadValue},
		{name: "Windows-1252 in a UTF-8-only kind", path: "vendor_billing/microsoft/recon.csv",
			body:  msBillingHeader(",") + "\n" + strings.Repeat(",", 2) + "Constru\xe7\xe3o" + strings.Repeat(",", 43) + "\n",
			want:  `vendor_billing/microsoft/recon.csv:2: bad value: invalid unicode: the file is not UTF-8: save it as CSV UTF-8`,
			cause: ErrBadValue},
		{name: "UTF-8 and Windows-1252 lines in one file", path: accounts,
			body:  accountsHeader + "\nmicrosoft;Constru\xc3\xa7\xc3\xa3o;C001\nmicrosoft;Livraria S\xe3o Paulo;C002\n",
			want:  `erp/vendor_accounts/contas.csv:3: mixed encodings: line 2 is UTF-8 but line 3 is Windows-1252: save the whole file in one encoding (CSV UTF-8)`,
			cause: ErrMixedEncoding},
		{name: "a data line over the limit", path: accounts, opts: small,
			body:  accountsHeader + "\nmicrosoft;a;C001\nmicrosoft;" + long + ";C002\n",
			want:  `erp/vendor_accounts/contas.csv:3: a line longer than 64 bytes (limits.max_line_bytes)`,
			cause: ErrLineTooLong},
		{name: "a quoted field's lines count in the line", path: accounts, opts: small,
			body:  accountsHeader + "\nmicrosoft;\"a\n" + strings.Repeat("b\n", 40) + "\";C001\n",
			want:  `erp/vendor_accounts/contas.csv:2: a line longer than 64 bytes (limits.max_line_bytes)`,
			cause: ErrLineTooLong},
		{name: "a \\r\\n line one byte over the limit", path: accounts, opts: small,
			body:  accountsHeader + "\r\nmicrosoft;a;C001\r\nmicrosoft;" + long[:64-len("microsoft;;C002")+1] + ";C002\r\n",
			want:  `erp/vendor_accounts/contas.csv:3: a line longer than 64 bytes (limits.max_line_bytes)`,
			cause: ErrLineTooLong},
		{name: "a header over the limit", path: accounts, opts: small,
			body:  accountsHeader + ";" + long + "\nmicrosoft;a;C001\n",
			want:  `erp/vendor_accounts/contas.csv:1: a line longer than 64 bytes (limits.max_line_bytes)`,
			cause: ErrLineTooLong},
		{name: "a file with no line end", path: accounts, opts: small,
			body:  strings.Repeat("vendor;", 20),
			want:  `erp/vendor_accounts/contas.csv:1: a line longer than 64 bytes (limits.max_line_bytes)`,
			cause: ErrLineTooLong},
		{name: "a PTAX line over the limit", path: "fx/ptax.csv", opts: small,
			body:  "28112025;220;A;USD;5,3211;5,3216;1,0000;1,0000\n28112025;220;A;USD;5,3211;5,3216;1,0000;1,0000" + long + "\n",
			want:  `fx/ptax.csv:2: a line longer than 64 bytes (limits.max_line_bytes)`,
			cause: ErrLineTooLong},
		{name: "a formula with no saved value in a column read", path: "quotes/q.xlsx",
			body:  string(workbookOf(t, "", quoteHeader, xlRow("s:Q-1", "45992", "s:C001", "s:P1", "10", "f:E3/4"))),
			want:  `quotes/q.xlsx:2:6: discount_pct: the formula has no saved value: open the workbook in Excel (or LibreOffice) and save it, so its values are stored`,
			cause: ErrBadValue},
		{name: "a formula with no saved value in the header", path: "quotes/q.xlsx",
			body:  string(workbookOf(t, "", xlRow("s:request_id", "s:requested_on", "s:customer", "f:UPPER(\"product_id\")", "s:quantity"))),
			want:  `quotes/q.xlsx:1:4: the formula has no saved value: open the workbook in Excel (or LibreOffice) and save it, so its values are stored`,
			cause: ErrBadValue},
		{name: "an NF XML in an encoding that cannot be read", path: "nf/nfe.xml",
			body: `<?xml version="1.0" encoding="EBCDIC-US"?>` + "\n" + `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"/>`,
			want: `nf/nfe.xml:1:1: the file declares the encoding "EBCDIC-US", which cannot be read (UTF-8, ISO-8859-1, Windows-1252 and ISO-8859-15 can): ` +
				`save it as UTF-8, or declare the encoding it is in (<?xml version="1.0" encoding="ISO-8859-1"?>)`,
			cause: ErrBadValue},
		{name: "an NF XML in ISO-8859-1 that does not say so", path: "nf/nfe.xml",
			body: `<?xml version="1.0"?>` + "\n" + `<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe31251111222333000181550010000015231482139076">` +
				"<ide><natOp>Venda de licen\xe7a</natOp>" + `<nNF>1523</nNF><dhEmi>2025-11-14T10:32:00-03:00</dhEmi></ide><emit><CNPJ>11222333000181</CNPJ></emit>` +
				`<total><ICMSTot><vNF>1.00</vNF></ICMSTot></total></infNFe></NFe>`,
			want:  `nf/nfe.xml:2:122: the file is not UTF-8: save it as UTF-8, or declare the encoding it is in (<?xml version="1.0" encoding="ISO-8859-1"?>)`,
			cause: ErrBadValue},
		{name: "a name that is not UTF-8", path: "erp/vendor_accounts/contas_\xe7\xe3o.csv",
			body:  accountsHeader + "\nmicrosoft;a;C001\n",
			want:  `erp/vendor_accounts/contas_\xe7\xe3o.csv: the file name is not UTF-8 (in Windows-1252 it reads "contas_ção.csv"): rename the file`,
			cause: ErrFileName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := syncFile(t, w, tt.path, []byte(tt.body), tt.opts)
			if err == nil {
				t.Fatalf("loaded; want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.cause) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.cause)
			}
		})
	}
}

// TestLineOverDuckDBBuffers checks lines longer than DuckDB's read buffers
// (about 32 MB), which DuckDB reports with no line (one in the middle) or
// not at all (the last one: its rows just end early). It writes two 40 MB
// files.
func TestLineOverDuckDBBuffers(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40 MB files")
	}
	w := openWarehouse(t)
	huge := "microsoft;" + strings.Repeat("x", 40<<20) + ";C002\n"
	tests := []struct {
		name, body, want string
	}{
		{"in the middle", accountsHeader + "\nmicrosoft;a;C001\n" + huge + "microsoft;b;C003\n",
			`erp/vendor_accounts/contas.csv:3: a line longer than 1048576 bytes (limits.max_line_bytes)`},
		{"the last", accountsHeader + "\nmicrosoft;a;C001\n" + huge,
			`erp/vendor_accounts/contas.csv:3: a line longer than 1048576 bytes (limits.max_line_bytes)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := syncFile(t, w, accounts, []byte(tt.body), Options{Limits: Limits{}.WithDefaults()})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestLoadLineEnds checks files that load: one kind of line end, whichever,
// and a line exactly at the limit.
func TestLoadLineEnds(t *testing.T) {
	w := openWarehouse(t)
	exact := "microsoft;" + strings.Repeat("x", 64-len("microsoft;;C002")) + ";C002"
	tests := []struct {
		name, body string
		opts       Options
		lines      string // the rows' file lines
	}{
		{"\\n", accountsHeader + "\nmicrosoft;a;C001\nmicrosoft;b;C002\n", Options{}, "2 3"},
		{"\\r\\n", accountsHeader + "\r\nmicrosoft;a;C001\r\nmicrosoft;b;C002\r\n", Options{}, "2 3"},
		{"\\r only (classic Mac)", accountsHeader + "\rmicrosoft;a;C001\rmicrosoft;b;C002\r", Options{}, "2 3"},
		{"quoted \\n in a \\r\\n file", accountsHeader + "\r\n\"micro\nsoft\";a;C001\r\nmicrosoft;b;C002\r\n", Options{}, "2 4"},
		{"escaped quotes", accountsHeader + "\n\"micro\"\"soft\";a;C001\nmicrosoft;b;C002\n", Options{}, "2 3"},
		{"a quote inside a field is a character", accountsHeader + ";no\"te\nmicrosoft;a;C001;x\nmicro\"soft;b;C002;y\n", Options{}, "2 3"},
		{"a line of exactly the limit", accountsHeader + "\nmicrosoft;a;C001\n" + exact + "\n",
			Options{Limits: Limits{MaxLineBytes: 64}.WithDefaults()}, "2 3"},
		{"a \\r\\n line of exactly the limit", accountsHeader + "\r\nmicrosoft;a;C001\r\n" + exact + "\r\n",
			Options{Limits: Limits{MaxLineBytes: 64}.WithDefaults()}, "2 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs, err := syncFile(t, w, accounts, []byte(tt.body), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(inputs) != 1 || inputs[0].Rows != 2 {
				t.Fatalf("inputs = %+v, want one file of 2 rows", inputs)
			}
			var lines string
			if err := w.Conn.QueryRowContext(context.Background(), "SELECT string_agg(line::VARCHAR, ' ' ORDER BY line) FROM raw_erp_vendor_accounts").Scan(&lines); err != nil {
				t.Fatal(err)
			}
			if lines != tt.lines {
				t.Errorf("lines %s, want %s", lines, tt.lines)
			}
		})
	}
}

// TestPTAXRejects checks where a rejected PTAX line is told, with its file,
// line and column: stg_ptax's _errors over raw_ptax, which keeps every
// line as delivered (fx_fallbacks reads the rejected line's currency and
// day there), the column from file_columns, which the loader fills for
// this headerless file from ptaxColumns.
func TestPTAXRejects(t *testing.T) {
	w := openWarehouse(t)
	body := strings.Join([]string{
		"27112025;220;A;USD;5,3300;5,3340;1,0000;1,0000",
		"28112025;220;A;USD;abc;abc;1,0000;1,0000",
		"28112025;978;B;EUR;6,1631;0,0000;1,1598;1,1600",
		"28112025;826;B;GBP;7,0000;-7,0100;1,3100;1,3110",
		"31/02/2025;124;A;CAD;3,8000;3,8100;0,7100;0,7110",
		"28112025;041;A;CHF;6,6000;6,6100;0,8000;0,8010",
	}, "\n") + "\n"
	inputs, err := syncFile(t, w, "fx/ptax.csv", []byte(body), Options{Limits: Limits{}.WithDefaults()})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 1 || inputs[0].Rows != 6 {
		t.Errorf("inputs = %+v, want one file of 6 rows", inputs)
	}
	ctx := context.Background()
	if err := w.Build(ctx, "stg_ptax"); err != nil {
		t.Fatal(err)
	}
	rows, err := w.Conn.QueryContext(ctx, `
		SELECT f.path, r.line, c.position, c.header, r.e.value, r.e.reason
		FROM (SELECT file_id, line, unnest(_errors) AS e FROM stg_ptax) r
		JOIN files f USING (file_id)
		JOIN file_columns c ON c.file_id = r.file_id AND c.field = r.e.field
		ORDER BY r.line, c.position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var path, header, value, reason string
		var line, pos int64
		if err := rows.Scan(&path, &line, &pos, &header, &value, &reason); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s:%d:%d: %s: %q %s", path, line, pos, header, value, reason))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`fx/ptax.csv:2:6: sell: "abc" not a number with a decimal comma`,
		`fx/ptax.csv:3:6: sell: "0,0000" not a positive rate`,
		`fx/ptax.csv:4:6: sell: "-7,0100" not a positive rate`,
		`fx/ptax.csv:5:1: date: "31/02/2025" not a date (ddmmaaaa or dd/mm/aaaa)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rejects:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPosErrorName checks that an error names a non-UTF-8 file with its
// bytes escaped, and a UTF-8 one as it is.
func TestPosErrorName(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"fx/ptax_ção.csv", "fx/ptax_ção.csv:2: boom"},
		{"fx/ptax_\xe7\xe3o.csv", `fx/ptax_\xe7\xe3o.csv:2: boom`},
	}
	for _, tt := range tests {
		if got := (&PosError{File: tt.file, Line: 2, Err: errors.New("boom")}).Error(); got != tt.want {
			t.Errorf("Error() = %s, want %s", got, tt.want)
		}
	}
}

// TestFindRecord checks the error path's reading of records and lines
// against the ways a record can end (a quote inside a field is a
// character, as DuckDB reads it).
func TestFindRecord(t *testing.T) {
	body := "h1;h2\r\n\"a\nb\";1\r\nc\"x;2\rd;3\ne;4"
	p := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	findRecord(p, ';', func(r scannedRecord) bool {
		fmt.Fprintf(&got, "%d@%d-%d:%d%q ", r.n, r.line, r.endLine, r.size, r.ending)
		return false
	})
	want := `1@1-1:5"\r\n" 2@2-3:7"\r\n" 3@4-4:5"\r" 4@5-5:3"\n" 5@6-6:3"" `
	if got.String() != want {
		t.Errorf("records %s\nwant    %s", got.String(), want)
	}
}
