package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
)

// A publication's pages are made again only when what they show may have
// changed. Reading a big report's CSV is most of the site's cost (see
// docs/bench/2026-11-30-status.md, "The report site"), and a run publishes
// one period: the other periods' pages are taken from the site being replaced,
// as hard links, when their key is the one recorded beside them.
//
// The key hashes the executable (templates, declarations and code are in
// it), the publication's manifest.json (every output's SHA-256) and the
// size and modification time of each CSV the pages read, so a file
// replaced by hand is read again.

// pagesRecord is what a publication's pages need of their build: the key
// they were made for, the index's summary of each page and the problems
// they show. It is written beside the pages.
type pagesRecord struct {
	Key      string        `json:"key"`
	Pages    []recordPage  `json:"pages"`
	Problems []pageProblem `json:"problems,omitempty"`
}

type recordPage struct {
	Report   string `json:"report"`
	File     string `json:"file"`
	Rows     int64  `json:"rows"`
	Problems int    `json:"problems"`
}

// pageProblem is one of the errors a page shows, as it was returned.
type pageProblem struct {
	Column *ColumnError `json:"column,omitempty"`
	Value  *ValueError  `json:"value,omitempty"`
}

// recordFile names the record in a publication's folder of the site (a
// dot file: a static-website listing does not show it).
const recordFile = ".pages.json"

// pagesKey is the key of pub's pages; manifest is its manifest.json as read.
func pagesKey(out string, pub Publication, manifest []byte, code string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "code %s\n%d manifest bytes\n", code, len(manifest))
	h.Write(manifest)
	m := pub.Manifest
	for _, r := range pub.Pipeline.Reports {
		path := filepath.Join(out, m.Pipeline, m.Period, r.Name+".csv")
		st, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(h, "%s.csv none\n", r.Name)
			continue
		}
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s.csv %d %d\n", r.Name, st.Size(), st.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// reusePages links the pages of pub from the old site folder into the new
// one when they were made for key, and returns their problems; ok is false
// when they must be made again.
func reusePages(oldSite, newSite string, pub *Publication, key string) (problems []error, ok bool, err error) {
	rel := filepath.Join(pub.Manifest.Pipeline, pub.Manifest.Period)
	b, err := os.ReadFile(filepath.Join(oldSite, rel, recordFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var rec pagesRecord
	if json.Unmarshal(b, &rec) != nil || rec.Key != key {
		return nil, false, nil
	}
	var pages []Page
	for _, rp := range rec.Pages {
		r, found := reportNamed(pub.Pipeline, rp.Report)
		if !found {
			return nil, false, nil
		}
		pages = append(pages, Page{Report: r, File: rp.File, Rows: rp.Rows, Problems: rp.Problems})
	}
	if err := os.MkdirAll(filepath.Join(newSite, rel), 0o755); err != nil {
		return nil, false, err
	}
	entries, err := os.ReadDir(filepath.Join(oldSite, rel))
	if err != nil {
		return nil, false, err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := publish.LinkOrCopy(filepath.Join(oldSite, rel, e.Name()), filepath.Join(newSite, rel, e.Name())); err != nil {
			return nil, false, err
		}
	}
	for _, p := range rec.Problems {
		switch {
		case p.Column != nil:
			problems = append(problems, p.Column)
		case p.Value != nil:
			problems = append(problems, p.Value)
		}
	}
	pub.Pages = pages
	return problems, true, nil
}

// writeRecord records the pages of pub just written to newSite, with the
// problems they show, for the next build to reuse.
func writeRecord(newSite string, pub Publication, key string, problems []error) error {
	rec := pagesRecord{Key: key}
	for _, p := range pub.Pages {
		rec.Pages = append(rec.Pages, recordPage{Report: p.Report.Name, File: p.File, Rows: p.Rows, Problems: p.Problems})
	}
	for _, e := range problems {
		var ce *ColumnError
		var ve *ValueError
		switch {
		case errors.As(e, &ce):
			rec.Problems = append(rec.Problems, pageProblem{Column: ce})
		case errors.As(e, &ve):
			rec.Problems = append(rec.Problems, pageProblem{Value: ve})
		default:
			// Not a problem a page shows: make the pages again next time.
			return nil
		}
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	rel := filepath.Join(pub.Manifest.Pipeline, pub.Manifest.Period)
	return os.WriteFile(filepath.Join(newSite, rel, recordFile), append(b, '\n'), 0o644)
}

// reportNamed is p's report called name.
func reportNamed(p Pipeline, name string) (r reports.Report, ok bool) {
	for _, r := range p.Reports {
		if r.Name == name {
			return r, true
		}
	}
	return r, false
}
