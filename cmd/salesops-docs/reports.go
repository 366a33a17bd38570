package main

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// The writers of the declared outputs, by function value: a rename fails
// to compile here, and the file is the one the function is declared in.
var (
	reportWriter   any = write.Report      // every reports.Format
	workbookWriter any = write.WorkbookFor // reports.Workbook
	calendarWriter any = write.Calendar    // reports.Calendar
)

// written lists the declared reports a pipeline's Write step renders (they
// are in no Pipeline.Reports), with the files they become. Every Report
// var of package reports must be reachable from pipelines.All,
// reports.Dossier or this list.
var written = []struct {
	Pipeline string
	Files    string
	Reports  []reports.Report
	Writer   any
}{
	{"lifecycle", "proposals/RN-<contract_id>.pdf and .xlsx", []reports.Report{reports.RenewalProposal, reports.RenewalProposalLines}, write.Proposals},
	{"quotes", "proposals/<request_id>-r<revision>.pdf and .xlsx", []reports.Report{reports.Proposal, reports.ProposalLines}, write.Proposals},
}

// typeNames say what a column of each reports.Type holds; a Type missing
// here fails the generation.
var typeNames = map[reports.Type]string{
	reports.Text:     "text",
	reports.Integer:  "integer",
	reports.Money:    "money (row's currency)",
	reports.MoneyBRL: "money (R$)",
	reports.Percent:  "percent",
	reports.Rate:     "exchange rate",
	reports.Date:     "date",
	reports.Bool:     "yes/no",
	reports.Quantity: "quantity",
}

// catalog is what the report pages are made of, read once.
type catalog struct {
	root   string
	models map[string]*transform.Model
	vars   map[string]declared // by model
	kinds  []kind
	// ambiguous report names (rejects) get the pipeline in their heading.
	ambiguous map[string]bool
}

type kind struct {
	extract.Kind
	File, Func string   // the loader
	Staged     []string // staging models reading its raw table
}

func newCatalog(root string) (*catalog, error) {
	models, err := transform.Models()
	if err != nil {
		return nil, err
	}
	vars, err := reportVars(root)
	if err != nil {
		return nil, err
	}
	c := &catalog{root: root, models: models, vars: vars, ambiguous: map[string]bool{}}
	for _, k := range extract.Kinds {
		fn := reflect.ValueOf(k).FieldByName("load")
		if !fn.IsValid() || fn.Kind() != reflect.Func || fn.IsNil() {
			return nil, fmt.Errorf("extract kind %s: no loader function in its load field", k.Name)
		}
		file, name, err := pcSource(root, fn.Pointer())
		if err != nil {
			return nil, fmt.Errorf("extract kind %s: %w", k.Name, err)
		}
		kk := kind{Kind: k, File: file, Func: name}
		for _, m := range sortedModels(models) {
			if m.Layer == "staging" && (m.Name == k.Staging || slices.Contains(m.Sources, k.Table)) {
				kk.Staged = append(kk.Staged, m.Name)
			}
		}
		c.kinds = append(c.kinds, kk)
	}
	seen := map[string]int{}
	for _, p := range pipelines.All {
		for _, r := range p.Published() {
			seen[r.Name]++
		}
	}
	for n, k := range seen {
		c.ambiguous[n] = k > 1
	}
	return c, nil
}

func sortedModels(models map[string]*transform.Model) []*transform.Model {
	var out []*transform.Model
	for _, n := range sorted(mapKeys(models)) {
		out = append(out, models[n])
	}
	return out
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// sqlFile is the module-relative path of a model's or query's SQL file:
// transform/models/<layer>/<name>.sql, found on disk.
func (c *catalog) sqlFile(model string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(c.root, "transform", "models", "*", model+".sql"))
	if err != nil {
		return "", err
	}
	if len(matches) != 1 {
		return "", fmt.Errorf("model %s: %d files transform/models/*/%s.sql, want 1", model, len(matches), model)
	}
	return moduleFile(c.root, matches[0])
}

// reads are the models m is computed from (dependencies first, m and the
// staging models left out) and the inbox kinds feeding it.
func (c *catalog) reads(model string) (upstream []*transform.Model, kinds []kind, err error) {
	if _, ok := c.models[model]; !ok {
		return nil, nil, nil // a query outside the build (the dossier)
	}
	plan, err := transform.Plan(model)
	if err != nil {
		return nil, nil, err
	}
	staged := map[string]bool{}
	for _, m := range plan {
		switch {
		case m.Name == model:
		case m.Layer == "staging":
			staged[m.Name] = true
		default:
			upstream = append(upstream, m)
		}
	}
	for _, k := range c.kinds {
		if slices.ContainsFunc(k.Staged, func(s string) bool { return staged[s] }) {
			kinds = append(kinds, k)
		}
	}
	return upstream, kinds, nil
}

func (c *catalog) kind(name string) (kind, error) {
	for _, k := range c.kinds {
		if k.Name == name {
			return k, nil
		}
	}
	return kind{}, fmt.Errorf("unknown extract kind %q", name)
}

// link is a Markdown link from docs/ to a module file.
func link(text, file string) string { return "[" + text + "](../" + file + ")" }

func code(s string) string { return "`" + s + "`" }

// text escapes what Markdown would take for HTML (<out>, &quot;) in plain
// text from the source.
func text(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// cell is text in a table cell, where a '|' would end it.
func cell(s string) string { return strings.ReplaceAll(text(s), "|", `\|`) }

func (c *catalog) funcLink(fn any) (string, error) {
	file, name, err := funcSource(c.root, fn)
	if err != nil {
		return "", err
	}
	return link(code(name), file), nil
}

func (c *catalog) heading(r reports.Report, pipeline string) string {
	if c.ambiguous[r.Name] {
		return code(r.Name) + " (" + pipeline + ")"
	}
	return code(r.Name)
}

// reportBlocks are docs/reports.md's generated blocks: "index", one per
// pipeline (by name), and "dossier".
func reportBlocks(root string) (map[string]string, error) {
	c, err := newCatalog(root)
	if err != nil {
		return nil, err
	}
	blocks := map[string]string{}
	documented := map[string]bool{} // models
	var index strings.Builder
	index.WriteString("\n| report | pipeline | SQL | written by |\n|---|---|---|---|\n")
	for _, p := range pipelines.All {
		b, err := c.pipeline(p, &index, documented)
		if err != nil {
			return nil, fmt.Errorf("pipeline %s: %w", p.Name, err)
		}
		blocks[p.Name] = b
	}
	dossier, err := c.dossier(&index, documented)
	if err != nil {
		return nil, err
	}
	blocks["dossier"] = dossier
	blocks["index"] = index.String() + "\n"
	// reports.Rejects is the rejects.csv Pipeline.RejectsReport gives a
	// pipeline declaring none of its own: while every pipeline declares
	// its own (the reconciliation's adds the review's rejects), no section
	// shows it, and it needs none of its own.
	documented[reports.Rejects.Model] = true
	var missing []string
	for model, d := range c.vars {
		if !documented[model] {
			missing = append(missing, d.Var+" ("+d.File+")")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("declared reports no pipeline, workbook, dossier or Write step shows: %s (list them in cmd/salesops-docs, var written)",
			strings.Join(sorted(missing), ", "))
	}
	return blocks, nil
}

func (c *catalog) pipeline(p *pipelines.Pipeline, index *strings.Builder, documented map[string]bool) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s: inputs\n\n*%s*: %s.\n\n", p.Name, text(p.Title), strings.TrimSuffix(p.Summary, "."))
	b.WriteString("| kind | inbox files | read by | staged as | a run needs it |\n|---|---|---|---|---|\n")
	for _, name := range p.Kinds {
		k, err := c.kind(name)
		if err != nil {
			return "", err
		}
		var pats, staged []string
		for _, pat := range k.Patterns {
			pats = append(pats, code(pat))
		}
		for _, s := range k.Staged {
			f, err := c.sqlFile(s)
			if err != nil {
				return "", err
			}
			staged = append(staged, link(code(s), f))
		}
		need := "no"
		for _, n := range p.Needs {
			if slices.Contains(n.Kinds, name) {
				need = "yes: " + n.What
				if len(n.Kinds) > 1 {
					need += " (any of " + strings.Join(n.Kinds, ", ") + ")"
				}
			}
		}
		if slices.Contains(p.Whole, name) {
			need += "; no file of it may be empty"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", code(name), cell(strings.Join(pats, ", ")), link(code(k.Func), k.File),
			strings.Join(staged, ", "), cell(need))
	}
	fmt.Fprintf(&b, "\nMain report, whose rows the `salesops run` line and the run ledger count and whose shrink the guard watches (`max_shrink_pct`): %s.\n",
		code(p.Main.Name))

	rlink, err := c.funcLink(reportWriter)
	if err != nil {
		return "", err
	}
	add := func(r reports.Report, what, writer string) error {
		s, err := c.report(r, p, what)
		if err != nil {
			return err
		}
		b.WriteString(s)
		documented[r.Model] = true
		return c.indexRow(index, r, p.Name, writer)
	}
	for _, r := range p.Published() {
		if err := add(r, "report", rlink); err != nil {
			return "", err
		}
	}
	if wb := p.Workbook; wb != nil {
		wlink, err := c.funcLink(workbookWriter)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s: written by %s, a cover sheet first (*Sobre*), then:\n\n", code(wb.File), wb.Title, wlink)
		b.WriteString("| sheet | report | SQL |\n|---|---|---|\n")
		var own []reports.Report
		for _, s := range wb.Sheets {
			i := slices.IndexFunc(p.Published(), func(r reports.Report) bool { return r.Model == s.Model })
			sheet := s.Sheet
			if s.SheetBy != "" {
				sheet = "one per " + code(s.SheetBy)
			}
			f, err := c.sqlFile(s.Model)
			if err != nil {
				return "", err
			}
			name := c.heading(s, p.Name)
			if i < 0 {
				own = append(own, s)
			}
			fmt.Fprintf(&b, "| %s | [%s](#%s) | %s |\n", cell(sheet), name, slug(name), link(f, f))
		}
		for _, s := range own {
			if err := add(s, "sheet", wlink); err != nil {
				return "", err
			}
		}
	}
	for _, cal := range p.Calendars {
		f, err := c.sqlFile(cal.Model)
		if err != nil {
			return "", err
		}
		w, err := c.funcLink(calendarWriter)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "\n### %s\n\n- **SQL:** %s\n- **Written by:** %s, one all-day event per row: UID %s, day %s, summary %s, description %s\n",
			code(cal.File), link(f, f), w, code(cal.UID), code(cal.Date), code(cal.Summary), code(cal.Description))
		fmt.Fprintf(index, "| [%s](#%s) | %s | %s | %s |\n", code(cal.File), slug(code(cal.File)), p.Name, link(f, f), w)
	}
	for _, wr := range written {
		if wr.Pipeline != p.Name {
			continue
		}
		if p.Write == nil {
			return "", fmt.Errorf("cmd/salesops-docs lists reports its Write step renders, but it has none")
		}
		step, err := c.funcLink(p.Write)
		if err != nil {
			return "", err
		}
		w, err := c.funcLink(wr.Writer)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "\n### %s: documents\n\n%s, written by %s after the reports, through %s, from these two:\n", p.Name, code(wr.Files), step, w)
		for _, r := range wr.Reports {
			if err := add(r, "document", step); err != nil {
				return "", err
			}
		}
	}
	return b.String() + "\n", nil
}

// indexRow adds r to the index: its section, pipeline, SQL and writer (a
// Markdown link).
func (c *catalog) indexRow(index *strings.Builder, r reports.Report, pipeline, writer string) error {
	f, err := c.sqlFile(r.Model)
	if err != nil {
		return err
	}
	h := c.heading(r, pipeline)
	fmt.Fprintf(index, "| [%s](#%s) | %s | %s | %s |\n", h, slug(h), pipeline, link(f, f), writer)
	return nil
}

// report is one report's section: where it is declared, its SQL and what
// that reads, its inputs, its files and writers, its columns.
func (c *catalog) report(r reports.Report, p *pipelines.Pipeline, what string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s\n\n", c.heading(r, p.Name))
	d, ok := c.vars[r.Model]
	if !ok {
		return "", fmt.Errorf("report %s: no var in reports/*.go declares a Report with Model %q", r.Name, r.Model)
	}
	if d.Doc != "" {
		b.WriteString(text(sentence(d.Var, code(r.Name), d.Doc)) + "\n\n")
	}
	if what == "sheet" {
		b.WriteString("A sheet of the workbook only: no file of its own.\n\n")
	}
	fmt.Fprintf(&b, "- **Declared:** %s in %s\n", code("reports."+d.Var), link(d.File, d.File))
	f, err := c.sqlFile(r.Model)
	if err != nil {
		return "", err
	}
	upstream, kinds, err := c.reads(r.Model)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "- **SQL:** %s", link(f, f))
	if len(upstream) > 0 {
		var ls []string
		for _, m := range upstream {
			mf, err := c.sqlFile(m.Name)
			if err != nil {
				return "", err
			}
			ls = append(ls, link(m.Layer+"/"+m.Name, mf))
		}
		fmt.Fprintf(&b, ", reading %s", strings.Join(ls, ", "))
	}
	b.WriteString("\n")
	if len(kinds) > 0 {
		// By the file that reads them, in the order kinds are declared.
		var files []string
		pats := map[string][]string{}
		for _, k := range kinds {
			if pats[k.File] == nil {
				files = append(files, k.File)
			}
			for _, pat := range k.Patterns {
				pats[k.File] = append(pats[k.File], code(pat))
			}
		}
		var ls []string
		for _, f := range files {
			ls = append(ls, strings.Join(pats[f], ", ")+" read by "+link(f, f))
		}
		fmt.Fprintf(&b, "- **Inputs:** %s\n", strings.Join(ls, "; "))
	}
	if what == "report" && r.Model == p.RejectsReport().Model {
		s, err := c.rejected(p)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if len(r.Formats) > 0 {
		var files []string
		for _, f := range r.Formats {
			if !write.Registered(f) {
				return "", fmt.Errorf("report %s: format %q has no row in load/write/formats.go", r.Name, f)
			}
			files = append(files, code(r.Name+"."+string(f)))
		}
		w, err := c.funcLink(reportWriter)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "- **Files:** %s, under `<out>/%s/<period>/`, written by %s\n", strings.Join(files, ", "), p.Name, w)
	}
	var people []string
	if r.Title != "" && what != "document" {
		people = append(people, "titled *"+r.Title+"*")
	}
	if r.SheetBy != "" {
		people = append(people, "a sheet per "+code(r.SheetBy))
	} else if r.Sheet != "" && what != "document" {
		people = append(people, "sheet *"+r.Sheet+"*")
	}
	if len(r.Totals) > 0 {
		var cols []string
		for _, col := range r.Columns {
			if _, ok := r.Totals[col.Name]; ok {
				cols = append(cols, code(col.Name))
			}
		}
		people = append(people, "a totals row ("+strings.Join(cols, ", ")+")")
	}
	for _, ch := range r.Charts {
		people = append(people, "a chart, *"+ch.Title+"*")
	}
	if r.Oversize != nil {
		people = append(people, "past Excel's row limit the sheet keeps "+r.Oversize.Kept+" (CSV and Parquet keep every row)")
	}
	if len(people) > 0 {
		fmt.Fprintf(&b, "- **For people:** %s\n", cell(strings.Join(people, "; ")))
	}
	cols, err := columns(r)
	if err != nil {
		return "", err
	}
	return b.String() + cols, nil
}

// rejected says which kinds' rejected rows p's rejects.csv lists, from
// which staging model, gathered where.
func (c *catalog) rejected(p *pipelines.Pipeline) (string, error) {
	var ls []string
	for _, name := range p.RejectedKinds() {
		k, err := c.kind(name)
		if err != nil {
			return "", err
		}
		if k.Errors == "" {
			continue // a bad row fails the file
		}
		f, err := c.sqlFile(k.Errors)
		if err != nil {
			return "", err
		}
		ls = append(ls, code(name)+" ("+link(code(k.Errors), f)+")")
	}
	file, _, err := funcSource(c.root, (*pipelines.Pipeline).RejectedKinds)
	if err != nil {
		return "", err
	}
	s := fmt.Sprintf("- **Rejected rows of:** %s, with what the loader rejected of the pipeline's files, gathered per run in `kind_rejects` (%s)",
		strings.Join(ls, ", "), link(file, file))
	if len(p.RejectedElsewhere) > 0 {
		var others []string
		for _, k := range p.RejectedElsewhere {
			others = append(others, code(k))
		}
		s += "; not " + strings.Join(others, ", ") + ", whose rejected rows another pipeline lists"
	}
	return s + "\n", nil
}

// columns is a report's columns as a table.
func columns(r reports.Report) (string, error) {
	var b strings.Builder
	b.WriteString("\n| column | type | title (pt-BR) |\n|---|---|---|\n")
	for _, col := range r.Columns {
		t, ok := typeNames[col.Type]
		if !ok {
			return "", fmt.Errorf("report %s: column %s: type %d has no name in cmd/salesops-docs (var typeNames)", r.Name, col.Name, col.Type)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", code(col.Name), t, cell(col.Title))
	}
	return b.String(), nil
}

// dossier documents the sections of `salesops customer`: queries read at
// the time of the call, not published reports.
func (c *catalog) dossier(index *strings.Builder, documented map[string]bool) (string, error) {
	var b strings.Builder
	for _, r := range reports.Dossier {
		d, ok := c.vars[r.Model]
		if !ok {
			return "", fmt.Errorf("dossier section %s: no var in reports/*.go declares it", r.Name)
		}
		f, err := c.sqlFile(r.Model)
		if err != nil {
			return "", err
		}
		h := "dossier: " + code(r.Name)
		fmt.Fprintf(&b, "\n### %s\n\n", h)
		if d.Doc != "" {
			b.WriteString(text(sentence(d.Var, code(r.Name), d.Doc)) + "\n\n")
		}
		fmt.Fprintf(&b, "- **Declared:** %s in %s\n- **SQL:** %s\n", code("reports."+d.Var), link(d.File, d.File), link(f, f))
		if r.Sheet != "" {
			fmt.Fprintf(&b, "- **For people:** sheet *%s* with `--xlsx`\n", r.Sheet)
		}
		cols, err := columns(r)
		if err != nil {
			return "", err
		}
		b.WriteString(cols)
		documented[r.Model] = true
		fmt.Fprintf(index, "| [%s](#%s) | `salesops customer` | %s | %s |\n", h, slug(h), link(f, f), link("cmd/salesops/customer.go", "cmd/salesops/customer.go"))
	}
	return b.String() + "\n", nil
}
