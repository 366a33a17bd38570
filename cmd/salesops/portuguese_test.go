package main

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/reports"
)

// notForPeople are the codes the marts write and the labels must cover,
// and the English the outputs for people used to show: none may appear,
// as a word of its own, in a workbook, a CSV for people, a page of the
// site, a proposal, the dossier or a calendar. The machine CSV and
// Parquet keep them (not read here). Codes come from the declarations
// (every labelled code is one), the English words from the findings of
// issue 26.
var notForPeople = func() []string {
	words := []string{
		// statuses, buckets, classes and kinds as the marts write them
		"overdue", "done", "history", "later", "due_0_30", "due_31_60", "due_61_90", "active", "annual", "monthly", "open",
		"invoiced", "cancelled", "issued", "needs_approval", "credit_review", "refused", "rejected", "onboarding_date",
		"true_up_order", "update_statement", "incomplete", "price_table", "locked",
		// English phrases of reasons and notes
		"Account manager", "business day", "above the credit limit", "below the pricing rule", "lines rejected",
		"no draft", "drafts only", "surplus of", "not credited", "is used instead", "price list", "published for",
		"superseded", "unknown", "no price", "months", "commercial", "sheet",
	}
	// Every code a declaration labels whole (^code$, \bcode\b).
	code := regexp.MustCompile(`^(?:\\b([a-z][a-z0-9_]*)\\b|\^([a-z][a-z0-9_-]*)\$)$`)
	var reps []reports.Report
	for _, p := range pipelines.All {
		reps = append(reps, p.Reports...)
		if p.Workbook != nil {
			reps = append(reps, p.Workbook.Sheets...)
		}
	}
	for _, r := range append(reps, reports.Dossier...) {
		for _, ls := range r.Labels {
			for _, l := range ls {
				// A code that is its own label (onboarding: Onboarding)
				// is the word Portuguese uses.
				if m := code.FindStringSubmatch(l.Pattern); m != nil && !strings.EqualFold(m[1]+m[2], l.Replace) {
					words = append(words, m[1]+m[2])
				}
			}
		}
	}
	// The inbox files' column names are data: a reject names the column
	// as its file does (customer, quantity), for people to find it.
	headers := map[string]bool{}
	filepath.WalkDir(filepath.Join("..", "..", "examples", "inbox"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".csv") {
			if b, err := os.ReadFile(p); err == nil {
				line, _, _ := strings.Cut(string(b), "\n")
				for _, h := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == ',' || r == '"' || r == '\r' }) {
					headers[strings.ToLower(strings.TrimPrefix(h, "\ufeff"))] = true
				}
			}
		}
		return nil
	})
	words = slices.DeleteFunc(words, func(w string) bool { return headers[w] })
	slices.Sort(words)
	return slices.Compact(words)
}()

// runID is a run's id (20261207T231812Z-reconciliation-2025-12-886e8a):
// a name, as a file's.
var runID = regexp.MustCompile(`\d{8}T\d{6}Z-[a-z]+-\d{4}-\d{2}-[0-9a-f]+`)

// icsPeople are the lines of a calendar a person reads (its UIDs are
// identifiers for programs).
var icsPeople = regexp.MustCompile(`(?m)^(SUMMARY|DESCRIPTION|X-WR-CALNAME)[;:].*$`)

// fileName is a file named in a text (rejects.csv, nf/2025/12/nfe_5001.xml):
// a name, not words to translate.
var fileName = regexp.MustCompile(`[\w./-]+\.(csv|xlsx|xml|pdf|ics|json|parquet|html)\b`)

// TestPeopleReadPortuguese runs every pipeline on the examples, prints the
// dossier of two customers, and reads every output for people as text:
// no code or English word of notForPeople may be there. Names from the
// vendors' lists and the files (products, file names) are data, not
// labels: file names are left out before looking.
func TestPeopleReadPortuguese(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every pipeline on the examples")
	}
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out")
	gopts := GlobalOptions{Config: filepath.Join("..", "..", "examples", "salesops.yaml"), Out: out}
	var stdout bytes.Buffer
	if err := runRun(ctx, &stdout, gopts, RunOptions{}, []string{"all"}); err != nil {
		t.Fatalf("run all: %v\n%s", err, stdout.String())
	}
	texts := map[string]string{}
	for _, who := range []string{"C001", "C002"} {
		var b bytes.Buffer
		xlsx := filepath.Join(t.TempDir(), who+".xlsx")
		if err := runCustomer(ctx, &b, gopts, CustomerOptions{XLSX: xlsx}, who); err != nil {
			t.Fatalf("customer %s: %v", who, err)
		}
		// The last line names the workbook written, a path.
		texts["customer "+who] = b.String()
		texts["customer "+who+" --xlsx"] = xlsxText(t, xlsx)
	}
	_, pdftotext := exec.LookPath("pdftotext")
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		switch {
		case strings.HasSuffix(p, ".xlsx"):
			texts[rel] = xlsxText(t, p)
		case strings.HasSuffix(p, ".pt-BR.csv"), strings.HasSuffix(p, ".ics"):
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			texts[rel] = string(b)
		case strings.HasSuffix(p, ".html"):
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			texts[rel] = htmlText(string(b))
		case strings.HasSuffix(p, ".pdf") && pdftotext == nil:
			b, err := exec.Command("pdftotext", p, "-").Output()
			if err != nil {
				return err
			}
			texts[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pdftotext != nil {
		t.Log("pdftotext not installed: the PDFs are not read")
	}
	for _, kind := range []string{".xlsx", ".pt-BR.csv", ".ics", ".html", "customer "} {
		if !slices.ContainsFunc(slices.Collect(maps.Keys(texts)), func(k string) bool { return strings.Contains(k, kind) }) {
			t.Errorf("no %s output read", kind)
		}
	}
	// A disputed charge's reason is a letter to the vendor's support, in
	// its language (docs/review.md), shown as written so finance reads what
	// is sent: the machine CSV's reasons are left out, nothing else.
	letters := readColumn(t, filepath.Join(out, "reconciliation", "2025-12", "vendor_disputes.csv"), "reason")
	if len(letters) == 0 {
		t.Fatal("vendor_disputes.csv: no reason: the examples dispute charges")
	}
	for name, text := range texts {
		for l := range letters {
			text = strings.ReplaceAll(text, l, "")
		}
		if strings.HasSuffix(name, ".ics") {
			text = strings.Join(icsPeople.FindAllString(strings.ReplaceAll(text, "\r\n ", ""), -1), "\n") // unfolded
		}
		text = runID.ReplaceAllString(fileName.ReplaceAllString(text, ""), "")
		for _, w := range notForPeople {
			if loc := regexp.MustCompile(`(^|[^\pL\pN_])` + regexp.QuoteMeta(w) + `($|[^\pL\pN_])`).FindStringIndex(text); loc != nil {
				from, to := max(0, loc[0]-60), min(len(text), loc[1]+60)
				t.Errorf("%s shows %q: …%s…", name, w, strings.ReplaceAll(text[from:to], "\n", " ⏎ "))
			}
		}
	}
}

// xlsxText is a workbook's text for people: its sheets' names, its
// cells' text and its charts' titles and labels.
func xlsxText(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var b strings.Builder
	re := regexp.MustCompile(`<t[^>]*>([^<]*)</t>|<sheet name="([^"]*)"|<c:v>([^<]*)</c:v>|<a:t>([^<]*)</a:t>|<odd(?:Header|Footer)>([^<]*)<`)
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") && f.Name != "xl/workbook.xml" && !strings.HasPrefix(f.Name, "xl/charts/") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(x), -1) {
			b.WriteString(html.UnescapeString(strings.Join(m[1:], "")))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var (
	scripts = regexp.MustCompile(`(?s)<script.*?</script>`)
	tags    = regexp.MustCompile(`<[^>]*>`)
)

// htmlText is a page's text, without its scripts, tags and attributes.
func htmlText(s string) string {
	return html.UnescapeString(tags.ReplaceAllString(scripts.ReplaceAllString(s, ""), "\n"))
}
