// Package site builds the static report site under <out>/site/: an index
// of the published pipelines, periods and runs (from their manifests), and
// one page per published report with its key figures, charts and a
// sortable, filterable table of its exceptions. Assets are embedded; the
// pages work from a folder or a static-website bucket, with no server.
package site

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/salesops/salesops/load"
	"github.com/salesops/salesops/reports"
)

//go:embed assets
var assets embed.FS

//go:embed templates
var templates embed.FS

// Dir is the site's folder under the output folder.
const Dir = "site"

// MaxTableRows bounds a page's table: the full detail stays in CSV and
// Parquet, linked from the page.
const MaxTableRows = 2000

// Pipeline is what the site needs of a pipeline: its name, its title for
// people and the reports it publishes.
type Pipeline struct {
	Name    string
	Title   string
	Reports []reports.Report
}

// Publication is one published <pipeline>/<period> folder.
type Publication struct {
	Pipeline Pipeline
	Manifest load.Manifest
	Pages    []Page
}

// Page is one report's page.
type Page struct {
	Report reports.Report
	File   string // page file, relative to the publication's site folder
	Rows   int
}

// Build writes the site for every publication found under out into
// out/site, replacing what was there. It reads only published files
// (manifest.json and the reports' CSV), never the warehouse.
func Build(out string, pipelines []Pipeline) ([]Publication, error) {
	var pubs []Publication
	for _, p := range pipelines {
		periods, err := os.ReadDir(filepath.Join(out, p.Name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range periods {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(out, p.Name, e.Name(), "manifest.json"))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			var m load.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("%s/%s/manifest.json: %w", p.Name, e.Name(), err)
			}
			pubs = append(pubs, Publication{Pipeline: p, Manifest: m})
		}
	}
	sort.SliceStable(pubs, func(i, j int) bool { return pubs[i].Manifest.Period > pubs[j].Manifest.Period })

	tmp, err := os.MkdirTemp(out, ".site.tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := copyAssets(tmp); err != nil {
		return nil, err
	}
	for i := range pubs {
		if err := writePublication(out, tmp, &pubs[i]); err != nil {
			return nil, fmt.Errorf("site %s/%s: %w", pubs[i].Pipeline.Name, pubs[i].Manifest.Period, err)
		}
	}
	if err := render(filepath.Join(tmp, "index.html"), "index", indexData{Title: "Relatórios de sales ops", Pubs: pubs, Root: ""}); err != nil {
		return nil, err
	}
	// Swap the new site in: a reader sees the old one or the new one.
	dst := filepath.Join(out, Dir)
	old := dst + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dst, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return nil, err
	}
	return pubs, os.RemoveAll(old)
}

func copyAssets(dir string) error {
	return fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// writePublication writes a page per report of pub that has a CSV.
func writePublication(out, site string, pub *Publication) error {
	m := pub.Manifest
	rel := filepath.Join(m.Pipeline, m.Period)
	if err := os.MkdirAll(filepath.Join(site, rel), 0o755); err != nil {
		return err
	}
	published := map[string]bool{}
	for _, o := range m.Outputs {
		published[o.Path] = true
	}
	for _, r := range pub.Pipeline.Reports {
		if !published[r.Name+".csv"] {
			continue
		}
		page, err := buildPage(filepath.Join(out, rel, r.Name+".csv"), r)
		if err != nil {
			return fmt.Errorf("%s.csv: %w", r.Name, err)
		}
		page.Pub = pub
		page.Root = "../../"
		page.Data = "../../../" + m.Pipeline + "/" + m.Period + "/"
		file := r.Name + ".html"
		if err := render(filepath.Join(site, rel, file), "report", page); err != nil {
			return err
		}
		pub.Pages = append(pub.Pages, Page{Report: r, File: m.Pipeline + "/" + m.Period + "/" + file, Rows: page.Total})
	}
	return nil
}

// exceptionColumns mark a report's exceptions: a row whose class is not
// "matched". Reports without such a column are exceptions throughout
// (credit and rebill, cutoff, data quality...) or small (summaries).
var exceptionColumns = map[string]string{"class": "matched"}

// figureColumns are the codes a page counts its rows by, in a chart.
var figureColumns = []string{"class", "change", "issue", "check_name", "event", "bucket", "status"}

type pageData struct {
	Pub        *Publication
	Report     reports.Report
	Root, Data string
	Total      int // rows in the report
	Exceptions int // rows shown as exceptions (before the cap)
	Cap        bool
	Headers    []reports.Column
	Rows       [][]cell
	Totals     []cell
	Figures    []figure
	Charts     []chartSpec
}

type cell struct {
	Text, Sort string
	Num, Neg   bool
}

type figure struct {
	Label, Value string
	Neg          bool
}

type chartSpec struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Categories []string `json:"categories"`
	Series     []series `json:"series"`
	Horizontal bool     `json:"horizontal"`
	Money      bool     `json:"money"`
}

type series struct {
	Name string    `json:"name"`
	Data []float64 `json:"data"`
}

func buildPage(path string, r reports.Report) (*pageData, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[h] = i
	}
	p := &pageData{Report: r, Headers: r.Columns}
	exCol, exOK := "", ""
	for c, ok := range exceptionColumns {
		if _, has := idx[c]; has {
			exCol, exOK = c, ok
		}
	}
	sums := make([]decimal.Decimal, len(r.Columns))
	groups := map[string]map[string]decimal.Decimal{} // chart → category → value
	var order = map[string][]string{}
	labels := compileLabels(r)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		p.Total++
		raw := func(name string) string {
			if i, ok := idx[name]; ok && i < len(rec) {
				return unneutralise(rec[i])
			}
			return ""
		}
		for i, c := range r.Columns {
			if c.Type == reports.MoneyBRL || c.Type == reports.Integer {
				if d, err := decimal.NewFromString(raw(c.Name)); err == nil {
					sums[i] = sums[i].Add(d)
				}
			}
		}
		// Charts: declared ones sum their values per category; a count
		// per code column.
		for k, ch := range pageCharts(r) {
			key := fmt.Sprint(k)
			cat := display(r, labels, ch.Category, raw)
			if groups[key] == nil {
				groups[key] = map[string]decimal.Decimal{}
			}
			for j, v := range ch.Values {
				gk := cat + "\x00" + fmt.Sprint(j)
				if _, seen := groups[key][cat+"\x00"]; !seen {
					groups[key][cat+"\x00"] = decimal.Zero
					order[key] = append(order[key], cat)
				}
				if v == "" {
					groups[key][gk] = groups[key][gk].Add(decimal.NewFromInt(1))
					continue
				}
				d, _ := decimal.NewFromString(raw(v))
				groups[key][gk] = groups[key][gk].Add(d)
			}
		}
		if exCol != "" && raw(exCol) == exOK {
			continue
		}
		p.Exceptions++
		if len(p.Rows) >= MaxTableRows {
			p.Cap = true
			continue
		}
		row := make([]cell, len(r.Columns))
		for i, c := range r.Columns {
			v := raw(c.Name)
			if c.Type == reports.Text {
				row[i] = cell{Text: display(r, labels, c.Name, raw)}
				continue
			}
			row[i] = formatCell(c.Type, v)
		}
		p.Rows = append(p.Rows, row)
	}
	// Key figures: rows, exceptions, and the totals the report declares.
	p.Figures = append(p.Figures, figure{Label: "Linhas", Value: load.IntBR(int64(p.Total))})
	if exCol != "" {
		p.Figures = append(p.Figures, figure{Label: "Exceções", Value: load.IntBR(int64(p.Exceptions))})
	}
	if len(r.Totals) > 0 {
		totals := make([]cell, len(r.Columns))
		labelled := false
		for i, c := range r.Columns {
			agg, ok := r.Totals[c.Name]
			switch {
			case ok && agg == "sum("+c.Name+")":
				totals[i] = formatCell(c.Type, sums[i].String())
				if c.Type == reports.MoneyBRL {
					p.Figures = append(p.Figures, figure{Label: c.Title, Value: totals[i].Text, Neg: sums[i].IsNegative()})
				}
			case !ok && !labelled && c.Type == reports.Text:
				totals[i], labelled = cell{Text: "Total"}, true
			}
		}
		// A totals row under a table of exceptions would not add up.
		if p.Exceptions == p.Total && !p.Cap {
			p.Totals = totals
		}
	}
	for k, ch := range pageCharts(r) {
		key := fmt.Sprint(k)
		spec := chartSpec{ID: fmt.Sprintf("chart-%d", k), Title: ch.Title, Horizontal: ch.Horizontal || len(order[key]) > 6, Categories: order[key]}
		for j, v := range ch.Values {
			s := series{Name: "Linhas"}
			if v != "" {
				s.Name = r.Title(v)
				if c, _ := r.Column(v); c.Type == reports.MoneyBRL {
					spec.Money = true
				}
			}
			for _, cat := range order[key] {
				f, _ := groups[key][cat+"\x00"+fmt.Sprint(j)].Float64()
				s.Data = append(s.Data, f)
			}
			spec.Series = append(spec.Series, s)
		}
		if len(spec.Categories) > 0 {
			p.Charts = append(p.Charts, spec)
		}
	}
	return p, nil
}

// pageCharts are r's declared charts, or a count of rows per code column.
func pageCharts(r reports.Report) []reports.Chart {
	if len(r.Charts) > 0 {
		return r.Charts
	}
	for _, c := range figureColumns {
		if col, ok := r.Column(c); ok {
			out := []reports.Chart{{Title: "Linhas por " + strings.ToLower(col.Title), Category: c, Values: []string{""}, Horizontal: true}}
			// And the amounts the report totals, by the same code.
			var money []string
			for _, m := range r.Columns {
				if m.Type == reports.MoneyBRL && r.Totals[m.Name] == "sum("+m.Name+")" {
					money = append(money, m.Name)
				}
			}
			if len(money) > 0 {
				out = append(out, reports.Chart{Title: "Valores por " + strings.ToLower(col.Title) + " (R$)", Category: c, Values: money, Horizontal: true})
			}
			return out
		}
	}
	return nil
}

// unneutralise undoes the CSV's formula guard (a leading ' before =, +,
// -, @, tab or CR): the page shows the value itself.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

type compiled struct {
	re      *regexp.Regexp
	replace string
}

func compileLabels(r reports.Report) map[string][]compiled {
	out := map[string][]compiled{}
	for col, ls := range r.Labels {
		for _, l := range ls {
			out[col] = append(out[col], compiled{regexp.MustCompile(l.Pattern), l.Replace})
		}
	}
	return out
}

// display is a text column as people read it: labelled, with the names
// the workbooks give rows without a customer.
func display(r reports.Report, labels map[string][]compiled, col string, raw func(string) string) string {
	v := raw(col)
	for _, l := range labels[col] {
		v = l.re.ReplaceAllString(v, l.replace)
	}
	if col == "period" {
		return load.PeriodBR(v)
	}
	if col == "vendor" && v == strings.ToLower(v) {
		v = reports.SheetName(v)
	}
	if col == "customer_name" && v == "" {
		if raw("customer_id") == "" {
			return "(cliente não identificado)"
		}
		return "(fora do cadastro)"
	}
	return v
}

// formatCell formats a machine value (CSV: '.' decimals, ISO dates) the
// pt-BR way, keeping the raw value to sort by.
func formatCell(t reports.Type, v string) cell {
	if v == "" {
		return cell{Num: t != reports.Text && t != reports.Date && t != reports.Bool}
	}
	switch t {
	case reports.Date:
		return cell{Text: load.DateBR(v), Sort: v}
	case reports.Bool:
		if v == "true" {
			return cell{Text: "sim"}
		}
		return cell{Text: "não"}
	case reports.Integer:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return cell{Text: v}
		}
		return cell{Text: load.IntBR(d.IntPart()), Sort: v, Num: true, Neg: d.IsNegative()}
	case reports.Money, reports.MoneyBRL, reports.Percent, reports.Rate:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return cell{Text: v}
		}
		places := int32(2)
		if t == reports.Rate {
			places = 4
		}
		s := NumberBR(d, places)
		switch t {
		case reports.MoneyBRL:
			s = MoneyBR(d)
		case reports.Percent:
			s += " %"
		}
		return cell{Text: s, Sort: v, Num: true, Neg: d.IsNegative()}
	}
	return cell{Text: v}
}

// NumberBR formats d with places decimals, a decimal comma and thousands
// dots: 1.234,56.
func NumberBR(d decimal.Decimal, places int32) string {
	s := d.StringFixedBank(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	i, f, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for k, c := range i {
		if k > 0 && (len(i)-k)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if f != "" {
		b.WriteByte(',')
		b.WriteString(f)
	}
	return b.String()
}

// MoneyBR formats d as reais: R$ 1.234,56, -R$ 50,00.
func MoneyBR(d decimal.Decimal) string {
	d = d.RoundBank(2) // -0,004 is R$ 0,00, not -R$ 0,00
	if d.IsNegative() {
		return "-R$ " + NumberBR(d.Neg(), 2)
	}
	return "R$ " + NumberBR(d, 2)
}

// reportTitles name the reports whose XLSX sheet name is not their title.
var reportTitles = map[string]string{
	"quote_prices":  "Preços para cotação",
	"price_changes": "Alterações de preço",
	"rejects":       "Rejeições",
}

// Title is a report's name for people.
func Title(r reports.Report) string {
	if t, ok := reportTitles[r.Name]; ok {
		return t
	}
	if r.Sheet != "" {
		return r.Sheet
	}
	return r.Name
}

type indexData struct {
	Title string
	Pubs  []Publication
	Root  string
}

func render(path, name string, data any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pages.ExecuteTemplate(f, name, data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"period":  load.PeriodBR,
	"date":    load.DateBR,
	"time":    load.TimeBR,
	"int":     func(n int64) string { return load.IntBR(n) },
	"title":   Title,
	"chartjs": func(c chartSpec) (template.JS, error) { b, err := json.Marshal(c); return template.JS(b), err },
}).ParseFS(templates, "templates/*.tmpl"))

// pipelineTitles name the pipelines for people.
var pipelineTitles = map[string]string{
	"pricelist":      "Tabela de preços",
	"reconciliation": "Conciliação de faturamento",
	"lifecycle":      "Ciclo de vida dos contratos",
	"quotes":         "Cotações",
}

// PipelineTitle is a pipeline's name for people.
func PipelineTitle(name string) string {
	if t, ok := pipelineTitles[name]; ok {
		return t
	}
	return name
}
