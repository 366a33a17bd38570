package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/reports"
)

// writeFiles writes files (slash paths → text) into a new folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// root is the module root: go test runs in cmd/salesops-docs.
func root(t *testing.T) string {
	t.Helper()
	r, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFill(t *testing.T) {
	b := func(name string) string { return beginMarker(name) + "\n" }
	e := func(name string) string { return endMarker(name) + "\n" }
	blocks := map[string]string{"a": "new a\n", "b c": "new b\n"}
	tests := []struct {
		name, doc, want, err string
	}{
		{name: "bodies replaced, text kept",
			doc:  "# T\n" + b("a") + "old\nlines\n" + e("a") + "mid\n" + b("b c") + e("b c") + "end\n",
			want: "# T\n" + b("a") + "new a\n" + e("a") + "mid\n" + b("b c") + "new b\n" + e("b c") + "end\n"},
		{name: "CRLF markers",
			doc:  beginMarker("a") + "\r\nx\r\n" + endMarker("a") + "\r\n" + b("b c") + e("b c"),
			want: beginMarker("a") + "\r\nnew a\n" + endMarker("a") + "\r\n" + b("b c") + "new b\n" + e("b c")},
		{name: "unknown block", doc: b("a") + e("a") + b("b c") + e("b c") + b("z") + e("z"),
			err: `line 5: no generated block is named "z"`},
		{name: "block missing from the page", doc: b("a") + e("a"),
			err: `no block for b c: add "<!-- salesops-docs: b c: begin -->" and "<!-- salesops-docs: b c: end -->" where it belongs`},
		{name: "no end", doc: "x\n" + b("a") + "y\n",
			err: `line 2: block "a" has no end marker`},
		{name: "nested", doc: b("a") + b("b c") + e("b c") + e("a"),
			err: `line 2: block "b c" begins inside block "a" (line 1)`},
		{name: "twice", doc: b("a") + e("a") + b("a") + e("a"),
			err: `line 3: block "a" appears twice`},
		{name: "end of another block", doc: b("a") + e("b c"),
			err: `line 2: end of block "b c", which is not open`},
		{name: "malformed marker", doc: "<!-- salesops-docs: a: start -->\n",
			err: `line 1: marker "<!-- salesops-docs: a: start -->": want "<!-- salesops-docs: NAME: begin -->" or "<!-- salesops-docs: NAME: end -->"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fill(tt.doc, blocks)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestSentence(t *testing.T) {
	tests := []struct{ goName, name, doc, want string }{
		{"ARAging", "`ar_aging`", "ARAging is open receivables per customer\nby days past due at as-of.\n",
			"`ar_aging` is open receivables per customer by days past due at as-of."},
		{"MaxShrinkPct", "`max_shrink_pct`", "MaxShrinkPct: a run whose main report\n", "`max_shrink_pct`: a run whose main report"},
		{"Threads", "`threads`", "Threads caps DuckDB's threads.", "`threads` caps DuckDB's threads."},
		// Another word that starts like the name is not the name.
		{"Period", "`period`", "Periodic runs", "Periodic runs"},
		{"Format", "`format`", "text (default) or json\n", "text (default) or json"},
		{"X", "`x`", "", ""},
	}
	for _, tt := range tests {
		if got := sentence(tt.goName, tt.name, tt.doc); got != tt.want {
			t.Errorf("sentence(%q, %q) = %q, want %q", tt.goName, tt.doc, got, tt.want)
		}
	}
}

func TestFuncName(t *testing.T) {
	tests := map[string]string{
		"github.com/salesops/salesops/extract.init.erpLoader.func3": "extract.erpLoader",
		"github.com/salesops/salesops/load/write.Report":            "write.Report",
		"github.com/salesops/salesops/pipelines.writeProposals":     "pipelines.writeProposals",
		"github.com/salesops/salesops/load.(*Stage).Publish":        "load.(*Stage).Publish",
		"github.com/salesops/salesops/x.functional":                 "x.functional",
	}
	for in, want := range tests {
		if got := funcName(in); got != want {
			t.Errorf("funcName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Pipeline `quotes`":                                 "pipeline-quotes",
		"`t36.ics`":                                         "t36ics",
		"`rejects` (reconciliation)":                        "rejects-reconciliation",
		"Scheduled runs: `salesops schedule`":               "scheduled-runs-salesops-schedule",
		"Quote requests: quotes/*.csv|*.xlsx":               "quote-requests-quotescsvxlsx",
		"The customer's proposal":                           "the-customers-proposal",
		"dossier: `contracts`":                              "dossier-contracts",
		"Past one machine: the Parquet history as datasets": "past-one-machine-the-parquet-history-as-datasets",
		"Preço de venda (R$)":                               "preço-de-venda-r",
		"CSV + Parquet":                                     "csv--parquet",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportSection checks the generator's reading of one declaration
// against what the sources say, worked out by hand: reconciliation_summary
// is declared in reports/reconciliation.go, reads the reconciliation mart
// (which reads the ERP exports, the contract lines of contracts indexed to
// a foreign currency among them, the NF XML, the bills and, for bills not
// in BRL, PTAX, and the tax table), and has twelve columns, margin_pct a
// Percent titled "Margem %".
func TestReportSection(t *testing.T) {
	blocks, err := reportBlocks(root(t))
	if err != nil {
		t.Fatal(err)
	}
	recon := blocks["reconciliation"]
	i := strings.Index(recon, "\n### `reconciliation_summary`\n")
	if i < 0 {
		t.Fatal("no section for reconciliation_summary")
	}
	sec := recon[i+1:]
	sec = sec[:strings.Index(sec[4:], "\n### ")+4]
	for _, want := range []string{
		"- **Declared:** `reports.ReconciliationSummary` in [reports/reconciliation.go](../reports/reconciliation.go)\n",
		"- **SQL:** [transform/models/marts/reconciliation_summary.sql](../transform/models/marts/reconciliation_summary.sql), reading ",
		"[marts/reconciliation](../transform/models/marts/reconciliation.sql)\n",
		"- **Inputs:** `fx/*.csv` read by [extract/ptax.go](../extract/ptax.go); `rules/taxes.csv` read by [extract/taxes.go](../extract/taxes.go); `erp/customers/*.csv`, `erp/customers/*.xlsx`, `erp/protheus/SA1*.csv`, " +
			"`erp/contracts/*.csv`, `erp/contracts/*.xlsx`, `erp/contract_lines/*.csv`, `erp/contract_lines/*.xlsx`, `erp/orders/*.csv`, `erp/orders/*.xlsx`, `erp/protheus/SC6*.csv`, " +
			"`erp/invoices/*.csv`, `erp/invoices/*.xlsx`, `erp/protheus/SF2*.csv`, `erp/vendor_accounts/*.csv`, `erp/vendor_accounts/*.xlsx` read by [extract/erp.go](../extract/erp.go); " +
			"`nf/**/*.xml` read by [extract/nf.go](../extract/nf.go); `vendor_billing/microsoft/*.csv` read by [extract/msbilling.go](../extract/msbilling.go); " +
			"`reviews/*.csv`, `reviews/*.xlsx` read by [extract/reviews.go](../extract/reviews.go)\n",
		"- **Files:** `reconciliation_summary.csv`, `reconciliation_summary.parquet`, `reconciliation_summary.pt-BR.csv`, " +
			"under `<out>/reconciliation/<period>/`, written by [`write.Report`](../load/write/write.go)\n",
		"| `margin_pct` | percent | Margem % |\n",
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("section lacks\n%s\nsection:\n%s", want, sec)
		}
	}
	if n := strings.Count(sec, "\n| `"); n != len(reports.ReconciliationSummary.Columns) || n != 13 {
		t.Errorf("%d column rows, want 13", n)
	}
	if strings.Contains(sec, "pricelists/") {
		t.Error("the reconciliation summary does not read price lists")
	}
	// The index row leads to the section, its SQL and its writer.
	row := "| [`reconciliation_summary`](#reconciliation_summary) | reconciliation | " +
		"[transform/models/marts/reconciliation_summary.sql](../transform/models/marts/reconciliation_summary.sql) | " +
		"[`write.Report`](../load/write/write.go) |\n"
	if !strings.Contains(blocks["index"], row) {
		t.Errorf("index lacks\n%s", row)
	}
}

// TestConfigKeys runs the config generator on a module made for it: a
// section, a list and a map of structs, a struct of another package,
// skipped and untagged fields, and a comment after the field.
func TestConfigKeys(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26\n",
		"pipelines/config.go": `package pipelines

import (
	"time"

	"example.com/m/extract"
)

// Config is everything.
type Config struct {
	// Inbox is the drop folder | a pipe.
	Inbox string ` + "`yaml:\"inbox\"`" + `
	// Force is never read from the file.
	Force bool ` + "`yaml:\"-\"`" + `
	Wait  time.Duration ` + "`yaml:\"lock_wait\"`" + ` // how long, <at most>
	Retries *int
	FX struct {
		// MaxAgeDays: days.
		MaxAgeDays int ` + "`yaml:\"max_age_days\"`" + `
	} ` + "`yaml:\"fx\"`" + `
	Jobs []Job ` + "`yaml:\"jobs\"`" + `
	// Vendors by folder.
	Vendors map[string]extract.Format ` + "`yaml:\"vendors,omitempty\"`" + `
	Holidays []string ` + "`yaml:\"holidays\"`" + `
	hidden string
}

// Job is one job.
type Job struct {
	// Name names it.
	Name string ` + "`yaml:\"name\"`" + `
}
`,
		"extract/format.go": `package extract

// Format maps a file.
type Format struct {
	// Columns maps a field to a header.
	Columns map[string]string ` + "`yaml:\"columns\"`" + `
	Factor  float64 ` + "`yaml:\"factor\"`" + `
}
`})
	blocks, err := configBlocks(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "\n| key | type | what it sets |\n|---|---|---|\n" +
		"| `inbox` | text | `inbox` is the drop folder \\| a pipe. |\n" +
		"| `lock_wait` | duration (`90s`, `5m`, `2h`) | how long, &lt;at most&gt; |\n" +
		"| `retries` | integer |  |\n" +
		"| `fx` | section |  |\n" +
		"| `fx.max_age_days` | integer | `max_age_days`: days. |\n" +
		"| `jobs` | list |  |\n" +
		"| `jobs[].name` | text | `name` names it. |\n" +
		"| `vendors` | map | `vendors` by folder. |\n" +
		"| `vendors.<name>.columns` | map of text | `columns` maps a field to a header. |\n" +
		"| `vendors.<name>.factor` | number |  |\n" +
		"| `holidays` | list of text |  |\n\n"
	if got := blocks["keys"]; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestConfigKeysUnknownType: a field of a type the generator cannot
// describe fails the generation, naming the key.
func TestConfigKeysUnknownType(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"go.mod":              "module example.com/m\n",
		"pipelines/config.go": "package pipelines\n\ntype Config struct {\n\tCh chan int `yaml:\"ch\"`\n}\n",
	})
	_, err := configBlocks(dir)
	want := "pipelines.Config: ch: type *ast.ChanType: not a struct, list, map or scalar cmd/salesops-docs knows"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}
