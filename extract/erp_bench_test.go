package extract

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/transform"
)

// Header and items: joined at load time (loadMapped, this package's
// choice) or in SQL after both are loaded. 200,000 SC6 order lines of
// 50,000 SC5 orders, against the same lines in salesops' own layout.
const benchOrders, benchLines = 50_000, 200_000

// benchOrdersInbox writes the orders as Protheus exports them (SC5, SC6)
// and in salesops' layout, once per benchmark, into dir.
func benchOrdersInbox(b *testing.B) (dir string, protheus, native []File) {
	b.Helper()
	dir = b.TempDir()
	write := func(p string, fill func(*strings.Builder)) File {
		var s strings.Builder
		fill(&s)
		local := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(local, []byte(s.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		return File{Path: p, Local: local, Size: int64(s.Len())}
	}
	protheus = []File{
		write("erp/protheus/SC5_bench.csv", func(s *strings.Builder) {
			s.WriteString("C5_FILIAL;C5_NUM;C5_CLIENTE;C5_LOJACLI;C5_EMISSAO\n")
			for o := range benchOrders {
				fmt.Fprintf(s, "01;%06d;%06d;01;202512%02d\n", o, o%997, o%28+1)
			}
		}),
		write("erp/protheus/SC6_bench.csv", func(s *strings.Builder) {
			s.WriteString("C6_FILIAL;C6_NUM;C6_ITEM;C6_PRODUTO;C6_QTDVEN;C6_PRCVEN;C6_PEDCLI;C6_BLQ;C6_XINI;C6_XFIM\n")
			for l := range benchLines {
				fmt.Fprintf(s, "01;%06d;%02d;CFQ7TTC0LF8R   ;%d;230.00;PO-%d    ;  ;20251201;20251231\n", l%benchOrders, l/benchOrders+1, l%50+1, l)
			}
		}),
	}
	native = []File{write("erp/orders/bench.csv", func(s *strings.Builder) {
		s.WriteString("so_number;customer_id;order_date;line;product_id;quantity;unit_price_brl;po_number;period_start;period_end\n")
		for l := range benchLines {
			o := l % benchOrders
			fmt.Fprintf(s, "%d;%06d-01;%02d/12/2025;%d;CFQ7TTC0LF8R;%d;230,00;PO-%d;01/12/2025;31/12/2025\n", o, o%997, o%28+1, l/benchOrders+1, l%50+1, l)
		}
	})}
	return dir, protheus, native
}

// BenchmarkOrdersLoad loads the orders into a new warehouse: mapped
// (SC5 joined to SC6 at load time) and native. The difference is what the
// mapping and its join cost, once per delivery.
func BenchmarkOrdersLoad(b *testing.B) {
	_, protheus, native := benchOrdersInbox(b)
	cfg := ERPConfig{Profile: "protheus", Columns: map[string]map[string]ERPColumn{
		"orders": {"period_start": {"C6_XINI"}, "period_end": {"C6_XFIM"}}}}
	erp, err := ResolveERP(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		files []File
	}{{"protheus", protheus}, {"native", native}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				w := openBenchWarehouse(b)
				var kinds []Kind
				for _, f := range tt.files {
					k, _ := KindOf(f.Path)
					kinds = append(kinds, k)
				}
				// The staging models made once per warehouse, not timed.
				if _, err := Sync(context.Background(), w, Dir(""), nil, kinds, Options{ERP: erp}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				in, err := Sync(context.Background(), w, Dir(""), tt.files, kinds, Options{ERP: erp})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				var staged int64
				if err := w.Conn.QueryRowContext(context.Background(), "SELECT count(*) FROM stg_erp_orders WHERE len(_errors) = 0").Scan(&staged); err != nil || staged != benchLines {
					b.Fatalf("staged %d lines of %d (%v); inputs %v", staged, benchLines, err, in)
				}
				w.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkOrdersJoinInSQL is the alternative: both files' rows already
// in the warehouse, the join and the staging model's SQL over it, which a
// model joining the two would run at every build.
func BenchmarkOrdersJoinInSQL(b *testing.B) {
	_, protheus, _ := benchOrdersInbox(b)
	ctx := context.Background()
	w := openBenchWarehouse(b)
	defer w.Close()
	for i, f := range protheus {
		fp, err := fingerprintFile(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		heads := strings.Split(strings.SplitN(readHead(b, f.Local), "\n", 2)[0], ";")
		if _, _, err := readSource(ctx, w, source{File: f, fp: fp, fileID: int64(i + 1)}, Options{}, erpFile{label: "T", delim: ";"}, fmt.Sprintf("t%d", i), heads, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	// SC5: _c0 C5_CLIENTE, _c1 C5_EMISSAO, _c2 C5_FILIAL, _c3 C5_LOJACLI, _c4 C5_NUM (sorted);
	// SC6: _c0 C6_BLQ, _c1 C6_FILIAL, _c2 C6_ITEM, _c3 C6_NUM, _c4 C6_PEDCLI, _c5 C6_PRCVEN, _c6 C6_PRODUTO, _c7 C6_QTDVEN, _c8 C6_XFIM, _c9 C6_XINI.
	view := `CREATE OR REPLACE TEMP VIEW raw_erp_orders AS
		SELECT s.file_id, s.line, s._c3 AS so_number, trim(h._c0) || '-' || trim(h._c3) AS customer_id, h._c1 AS order_date,
		       s._c2 AS order_line, s._c6 AS product_id, s._c7 AS quantity, s._c5 AS unit_price_brl, s._c4 AS po_number,
		       s._c9 AS period_start, s._c8 AS period_end, NULL::VARCHAR AS contract_id, NULL::VARCHAR AS order_type,
		       NULL::VARCHAR AS sku_id, NULL::VARCHAR AS vendor_subscription_id, NULL::VARCHAR AS status,
		       '.' AS decimal_sep, '%Y%m%d' AS date_format, NULL::VARCHAR AS unmapped, NULL::VARCHAR AS map_errors
		FROM t1 s LEFT JOIN t0 h ON trim(s._c1) = trim(h._c2) AND trim(s._c3) = trim(h._c4)`
	if _, err := w.Conn.ExecContext(ctx, view); err != nil {
		b.Fatal(err)
	}
	models, err := modelSQL("stg_erp_orders")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM ("+models+")"); err != nil {
			b.Fatal(err)
		}
	}
}

func openBenchWarehouse(b *testing.B) *transform.Warehouse {
	b.Helper()
	w, err := transform.Open(context.Background(), filepath.Join(b.TempDir(), "w.duckdb"), transform.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// readHead is a file's first 4 KiB.
func readHead(b *testing.B, p string) string {
	b.Helper()
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	return string(buf[:n])
}

// modelSQL is a model's SQL.
func modelSQL(name string) (string, error) {
	models, err := transform.Models()
	if err != nil {
		return "", err
	}
	m, ok := models[name]
	if !ok {
		return "", fmt.Errorf("no model %s", name)
	}
	return m.SQL, nil
}
