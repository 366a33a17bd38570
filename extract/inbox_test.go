package extract

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inboxTree makes an inbox with the clutter, misplaced and unreadable
// entries users' folders really hold.
func inboxTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range []string{
		"fx/a.csv", "fx/.~lock.a.csv#", ".git/x", "rules/pricing.csv", "Thumbs.db", "README.txt",
		"erp/orders/pedidos.csv", "erp/orders/pedidos.xlsx", "erp/orders/.pedidos.csv", "erp/orders/..pedidos.csv",
		"erp/orders/~$pedidos.csv", "erp/customers/.DS_Store", "erp/customers/clientes.csv",
		"pricelists/kaspersky/notes.txt", "pricelists/kaspersky/a.xlsx", "pricelists/microsoft/x.xlsx",
		"pricelists/microsoft/x.csv", "nf/2025/12/a.xml", "nf/2025/leia-me.txt",
	} {
		full := filepath.Join(root, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"fx/b.csv":               filepath.Join(root, "fx", "a.csv"),
		"erp/orders/perdido.csv": filepath.Join(root, "erp", "orders", "gone.csv"),
		"erp/contracts":          filepath.Join(root, "fx"),
	}
	for p, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(p))); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestListDir(t *testing.T) {
	root := inboxTree(t)
	l, err := ListDir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	var files, skipped, bad []string
	for _, f := range l.Files {
		files = append(files, f.Path)
	}
	for _, s := range l.Skipped {
		skipped = append(skipped, s.Path+" ("+s.Reason+")")
	}
	for _, e := range l.Unreadable {
		bad = append(bad, strings.ReplaceAll(e.Error(), root, "ROOT"))
	}
	check := func(what string, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	check("files", files, "README.txt", "erp/customers/clientes.csv", "erp/orders/pedidos.csv", "erp/orders/pedidos.xlsx",
		"fx/a.csv", "fx/b.csv", "nf/2025/12/a.xml", "nf/2025/leia-me.txt", "pricelists/kaspersky/a.xlsx",
		"pricelists/kaspersky/notes.txt", "pricelists/microsoft/x.csv", "pricelists/microsoft/x.xlsx", "rules/pricing.csv")
	check("skipped", skipped,
		".git/ (hidden folder)",
		"Thumbs.db (Windows folder metadata)",
		"erp/customers/.DS_Store (macOS folder metadata)",
		"erp/orders/.pedidos.csv (hidden file)",
		"erp/orders/~$pedidos.csv (Office lock file (the document is open in Excel or Word))",
		"fx/.~lock.a.csv# (LibreOffice lock file (the document is open))")
	check("unreadable", bad,
		"erp/contracts: a link to the folder ROOT/fx: linked folders are not read; copy its files into the inbox",
		`erp/orders/..pedidos.csv: a name starting with ".." is refused (it reads as the parent folder): rename it`,
		"erp/orders/perdido.csv: a link to ROOT/erp/orders/gone.csv, which cannot be read: no such file or directory")

	if _, err := ListDir(context.Background(), filepath.Join(root, "missing")); err == nil ||
		!strings.Contains(err.Error(), "no such folder") {
		t.Errorf("listing a missing inbox: %v", err)
	}
}

// TestSelect checks what each pipeline's kinds make of the listing: the
// misplaced and unreadable entries of their own folders fail them, every
// one named; clutter and files outside the inbox's folders are skipped.
func TestSelect(t *testing.T) {
	root := inboxTree(t)
	l, err := ListDir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(names ...string) []Kind {
		var ks []Kind
		for _, n := range names {
			k, ok := KindByName(n)
			if !ok {
				t.Fatalf("no kind %s", n)
			}
			ks = append(ks, k)
		}
		return ks
	}
	tests := []struct {
		name    string
		kinds   []Kind
		files   string
		skipped string
		err     string
	}{
		{
			name:    "fx only",
			kinds:   kinds("ptax"),
			files:   "fx/a.csv fx/b.csv",
			skipped: ".git/ README.txt Thumbs.db fx/.~lock.a.csv#",
		},
		{
			name:  "price lists",
			kinds: kinds("ms_prices", "adobe_prices", "vendor_prices", "ptax", "pricing_rules"),
			err: "2 inbox files cannot be read:\n" +
				"  pricelists/kaspersky/notes.txt: not a file salesops reads: this folder takes pricelists/*/*.csv, pricelists/*/*.xlsx\n" +
				"  pricelists/microsoft/x.xlsx: not a file salesops reads: this folder takes pricelists/microsoft/*.csv",
			skipped: ".git/ README.txt Thumbs.db fx/.~lock.a.csv#",
		},
		{
			name:  "erp",
			kinds: kinds("erp_customers", "erp_orders", "erp_contracts", "nf_xml"),
			// A workbook in erp/orders/ is the orders kind's: its loader
			// reads it through a mapping, or says why it cannot.
			err: "4 inbox files cannot be read:\n" +
				"  erp/contracts: a link to the folder ROOT/fx: linked folders are not read; copy its files into the inbox\n" +
				"  erp/orders/..pedidos.csv: a name starting with \"..\" is refused (it reads as the parent folder): rename it\n" +
				"  erp/orders/perdido.csv: a link to ROOT/erp/orders/gone.csv, which cannot be read: no such file or directory\n" +
				"  nf/2025/leia-me.txt: not a file salesops reads: this folder takes nf/**/*.xml",
			skipped: ".git/ README.txt Thumbs.db erp/customers/.DS_Store erp/orders/.pedidos.csv erp/orders/~$pedidos.csv",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, skipped, err := l.Select(tt.kinds)
			var gotErr string
			if err != nil {
				gotErr = strings.ReplaceAll(err.Error(), root, "ROOT")
			}
			if gotErr != tt.err {
				t.Errorf("error:\n%s\nwant:\n%s", gotErr, tt.err)
			}
			var f, s []string
			for _, x := range files {
				f = append(f, x.Path)
			}
			for _, x := range skipped {
				s = append(s, x.Path)
			}
			if tt.err == "" && strings.Join(f, " ") != tt.files {
				t.Errorf("files %s, want %s", strings.Join(f, " "), tt.files)
			}
			if strings.Join(s, " ") != tt.skipped {
				t.Errorf("skipped %s, want %s", strings.Join(s, " "), tt.skipped)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		path, kind, err string
	}{
		{"pricelists/microsoft/nce.csv", "ms_prices", ""},
		{"pricelists/microsoft/NCE.CSV", "ms_prices", ""},
		{"pricelists/adobe/vip.xlsx", "adobe_prices", ""},
		{"pricelists/kaspersky/tabela.csv", "vendor_prices", ""},
		{"pricelists/kaspersky/tabela.txt", "", "pricelists/kaspersky/tabela.txt: not a file salesops reads: this folder takes pricelists/*/*.csv, pricelists/*/*.xlsx"},
		{"pricelists/tabela.csv", "", "pricelists/tabela.csv: not a file salesops reads: this folder takes pricelists/microsoft/*.csv, pricelists/adobe/*.csv, pricelists/adobe/*.xlsx, pricelists/*/*.csv, pricelists/*/*.xlsx"},
		{"rules/pricing.csv", "pricing_rules", ""},
		{"rules/pricing_old.csv", "", "rules/pricing_old.csv: not a file salesops reads: this folder takes rules/pricing.csv, rules/incentives.csv, rules/taxes.csv"},
		{"nf/a.xml", "nf_xml", ""},
		{"nf/2025/12/a.XML", "nf_xml", ""},
		{"erp/orders/x.xlsx", "erp_orders", ""},
		{"erp/orders/x.txt", "", "erp/orders/x.txt: not a file salesops reads: this folder takes erp/orders/*.csv, erp/orders/*.xlsx"},
		{"erp/protheus/SC6010.csv", "erp_orders", ""},
		{"erp/protheus/SC5010.csv", "erp_order_headers", ""},
		{"erp/protheus/SE1_2025.csv", "erp_receivables", ""},
		{"erp/protheus/SB1010.csv", "", "erp/protheus/SB1010.csv: not a file salesops reads: this folder takes erp/protheus/SA1*.csv, erp/protheus/SC6*.csv, erp/protheus/SC5*.csv, erp/protheus/SF2*.csv, erp/protheus/SD2*.csv, erp/protheus/SE1*.csv"},
		{"vendor_billing/adobe/x.csv", "", "vendor_billing/adobe/x.csv: not a file salesops reads: this folder takes vendor_billing/microsoft/*.csv"},
		{"notes/x.csv", "", ""},
		{"x.csv", "", ""},
	}
	for _, tt := range tests {
		k, err := Classify(tt.path)
		got := fmt.Sprint(err)
		if err == nil {
			got = ""
		}
		if k.Name != tt.kind || got != tt.err {
			t.Errorf("Classify(%s) = %q, %q; want %q, %q", tt.path, k.Name, got, tt.kind, tt.err)
		}
	}
}
