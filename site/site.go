// Package site builds the static report site under <out>/site/: an index
// of the published pipelines, periods and runs (from their manifests), and
// one page per published report with its key figures, charts and a
// sortable, filterable table of its exceptions. Assets are embedded; the
// pages work from a folder or a static-website bucket, with no server.
package site

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
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
	Manifest publish.Manifest
	Pages    []Page
	manifest []byte // manifest.json as read
}

// Page is one report's page.
type Page struct {
	Report   reports.Report
	File     string // page file, relative to the site folder
	Rows     int64
	Problems int // problems the page shows (missing columns, unreadable values)
}

// Build is BuildContext without a deadline.
func Build(out string, pipelines []Pipeline) ([]Publication, error) {
	return BuildContext(context.Background(), out, pipelines)
}

// BuildContext writes the site for every publication found under out into
// out/site, replacing what was there, reading the CSV through a scratch
// DuckDB (see BuildWith).
func BuildContext(ctx context.Context, out string, pipelines []Pipeline) ([]Publication, error) {
	// The scratch database spills beside the site being built, and goes
	// with it.
	scratch, err := os.MkdirTemp(out, scratchPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	db, err := transform.OpenScratch(ctx, scratch)
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	defer db.Close()
	return BuildWith(ctx, db.Conn, out, pipelines)
}

// BuildWith writes the site for every publication found under out into
// out/site, replacing what was there; the pages of a publication that did
// not change since the site was last built are taken from it (cache.go).
// It reads only published files
// (manifest.json and the reports' CSV), through db: a DuckDB connection
// with the project's macros, which the declarations' SQL may call (an
// open warehouse's, or a scratch one); it creates nothing in it. A published
// CSV that lacks a column its report declares (*ColumnError), or holds
// values that are not of their column's type (*ValueError), still gets its
// page, which says what is wrong; the whole site is written and those
// errors are returned, joined, so the caller fails rather than the pages
// showing less than was published without a word.
func BuildWith(ctx context.Context, db *sql.Conn, out string, pipelines []Pipeline) ([]Publication, error) {
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
			var m publish.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("%s/%s/manifest.json: %w", p.Name, e.Name(), err)
			}
			pubs = append(pubs, Publication{Pipeline: p, Manifest: m, manifest: b})
		}
	}
	sort.SliceStable(pubs, func(i, j int) bool { return pubs[i].Manifest.Period > pubs[j].Manifest.Period })

	tmp, err := os.MkdirTemp(out, stagePrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := copyAssets(tmp); err != nil {
		return nil, err
	}
	code, err := publish.CodeVersion()
	if err != nil {
		return nil, err
	}
	var problems []error
	for i := range pubs {
		pub := &pubs[i]
		key, err := pagesKey(out, *pub, pub.manifest, code)
		if err != nil {
			return nil, fmt.Errorf("site %s/%s: %w", pub.Pipeline.Name, pub.Manifest.Period, err)
		}
		errs, reused, err := reusePages(filepath.Join(out, Dir), tmp, pub, key)
		if err == nil && !reused {
			if errs, err = writePublication(ctx, db, out, tmp, pub); err == nil {
				err = writeRecord(tmp, *pub, key, errs)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("site %s/%s: %w", pub.Pipeline.Name, pub.Manifest.Period, err)
		}
		problems = append(problems, errs...)
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
	if err := os.RemoveAll(old); err != nil {
		return nil, err
	}
	return pubs, errors.Join(problems...)
}

// The site is built in out/.site.tmp-<digits> and swapped in for out/site
// (the old one renamed out/site.old for the instant), reading through a
// scratch database spilling to out/.site.db-<digits> for salesops site.
const (
	stagePrefix   = ".site.tmp-"
	scratchPrefix = ".site.db-"
)

// ClearStale removes what killed site builds left in out: their staging
// and scratch folders (whatever follows the dash), and the old site set
// aside, which is renamed back to out/site when a build died between the
// two renames that swap it. Every run calls it, whether it rebuilds the
// site or not. The caller must hold the lock of out's warehouse: a run
// builds the site while it holds it, and so does salesops site
// (transform.Lock), so every such folder found is a dead build's (see
// publish.ClearStale).
func ClearStale(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !(strings.HasPrefix(name, stagePrefix) || strings.HasPrefix(name, scratchPrefix)) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, name)); err != nil {
			return fmt.Errorf("site: remove a stale build: %w", err)
		}
	}
	dst := filepath.Join(out, Dir)
	old := dst + ".old"
	if _, err := os.Lstat(old); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(old, dst); err != nil {
			return fmt.Errorf("site: restore the site left aside: %w", err)
		}
		return nil
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("site: remove the old site: %w", err)
	}
	return nil
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

func hasReport(p Pipeline, name string) bool {
	_, ok := reportNamed(p, name)
	return ok
}

// ownXLSX is whether p has a report named name published as its own XLSX.
func ownXLSX(p Pipeline, name string) bool {
	for _, r := range p.Reports {
		if r.Name == name && slices.Contains(r.Formats, reports.XLSX) {
			return true
		}
	}
	return false
}

// writePublication writes a page per report of pub that has a CSV, and
// returns the problems the pages show, each naming its file.
func writePublication(ctx context.Context, db *sql.Conn, out, site string, pub *Publication) ([]error, error) {
	m := pub.Manifest
	rel := filepath.Join(m.Pipeline, m.Period)
	if err := os.MkdirAll(filepath.Join(site, rel), 0o755); err != nil {
		return nil, err
	}
	published := map[string]bool{}
	var workbooks []fileLink
	data := "../../../" + m.Pipeline + "/" + m.Period + "/"
	for _, o := range m.Outputs {
		published[o.Path] = true
		// The workbooks gathering several reports, not another report's own XLSX.
		if strings.HasSuffix(o.Path, ".xlsx") && !strings.Contains(o.Path, "/") && !ownXLSX(pub.Pipeline, strings.TrimSuffix(o.Path, ".xlsx")) {
			workbooks = append(workbooks, fileLink{Name: o.Path, Href: data + o.Path})
		}
	}
	var problems []error
	for _, r := range pub.Pipeline.Reports {
		if !published[r.Name+".csv"] {
			continue
		}
		file := m.Pipeline + "/" + m.Period + "/" + r.Name + ".csv"
		page, errs, err := buildPage(ctx, db, filepath.Join(out, rel, r.Name+".csv"), file, r)
		if err != nil {
			return nil, fmt.Errorf("%s.csv: %w", r.Name, err)
		}
		problems = append(problems, errs...)
		page.Pub = pub
		if published["rejects.csv"] && hasReport(pub.Pipeline, "rejects") {
			page.Rejects = "rejects.html"
		}
		page.Root = "../../"
		page.Data = data
		for _, f := range r.Formats {
			if f == reports.CSV || published[r.Name+"."+string(f)] {
				page.Files = append(page.Files, fileLink{Name: r.Name + "." + string(f), Href: data + r.Name + "." + string(f)})
			}
		}
		page.Files = append(page.Files, workbooks...)
		html := r.Name + ".html"
		if err := render(filepath.Join(site, rel, html), "report", page); err != nil {
			return nil, err
		}
		pub.Pages = append(pub.Pages, Page{Report: r, File: m.Pipeline + "/" + m.Period + "/" + html, Rows: page.Total, Problems: len(page.Problems)})
	}
	return problems, nil
}

type indexData struct {
	Title string
	Pubs  []Publication
	Root  string
}

// Problems counts the pages that show a problem.
func (d indexData) Problems() int {
	n := 0
	for _, p := range d.Pubs {
		for _, pg := range p.Pages {
			if pg.Problems > 0 {
				n++
			}
		}
	}
	return n
}

// indexFiles are the files of pub people open rather than machines read:
// its workbooks and calendars (XLSX, ICS), and its manifest.
func indexFiles(pub Publication) []fileLink {
	m := pub.Manifest
	dir := "../" + m.Pipeline + "/" + m.Period + "/"
	var out []fileLink
	for _, o := range m.Outputs {
		if !strings.Contains(o.Path, "/") && (strings.HasSuffix(o.Path, ".xlsx") || strings.HasSuffix(o.Path, ".ics")) {
			out = append(out, fileLink{Name: o.Path, Href: dir + o.Path})
		}
	}
	return append(out, fileLink{Name: "manifest.json", Href: dir + "manifest.json"})
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
	"period":  ptbr.Period,
	"date":    ptbr.Date,
	"time":    ptbr.Time,
	"int":     ptbr.Int,
	"note":    reports.Note,
	"files":   indexFiles,
	"chartjs": func(c chartSpec) (template.JS, error) { b, err := json.Marshal(c); return template.JS(b), err },
}).ParseFS(templates, "templates/*.tmpl"))
