package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/salesops/salesops/extract"
)

// TestDocsUpToDate regenerates every page in memory and fails, naming the
// command, where the committed file differs.
func TestDocsUpToDate(t *testing.T) {
	r := root(t)
	for _, p := range pages {
		old, updated, err := regenerate(r, p)
		if err != nil {
			t.Fatalf("%s: %v", p.Path, err)
		}
		if string(old) == string(updated) {
			continue
		}
		a, b := strings.Split(string(old), "\n"), strings.Split(string(updated), "\n")
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		line := func(s []string) string {
			if i < len(s) {
				return s[i]
			}
			return "(end of file)"
		}
		t.Errorf("%s is stale: run %s\nfirst difference, line %d:\n  committed: %s\n  generated: %s",
			p.Path, regenerateCmd, i+1, line(a), line(b))
	}
}

// TestLinks: every relative link of README.md, BENCHMARKS.md and docs/
// leads to a file or folder of the checkout, and every #anchor to a
// heading of its page. Within README.md and docs/*.md, no two headings of
// a page share an anchor, so a link cannot land on the wrong one.
func TestLinks(t *testing.T) {
	r := root(t)
	files, err := markdownFiles(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found %d Markdown files: %v", len(files), files)
	}
	for _, p := range brokenLinks(r, files) {
		t.Error(p)
	}
	for _, f := range files {
		if strings.HasPrefix(f, "docs/bench/") || f == "BENCHMARKS.md" {
			continue // measured notes and generated tables repeat their headings
		}
		b, err := os.ReadFile(filepath.Join(r, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range duplicateAnchors(string(b)) {
			t.Errorf("%s: two headings have the anchor #%s", f, d)
		}
	}
}

// TestInboxLayout: docs/inbox.md's layout lists exactly the patterns of
// extract.Kinds, one per line.
func TestInboxLayout(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "docs", "inbox.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## Layout\n")
	if start < 0 {
		t.Fatal(`docs/inbox.md has no "## Layout"`)
	}
	block := doc[start:]
	i := strings.Index(block, "```\n")
	j := strings.Index(block[i+4:], "```")
	if i < 0 || j < 0 {
		t.Fatal("no code block under ## Layout")
	}
	var listed []string
	for _, l := range strings.Split(strings.TrimSpace(block[i+4:i+4+j]), "\n") {
		listed = append(listed, strings.Fields(l)[0])
	}
	var want []string
	for _, k := range extract.Kinds {
		want = append(want, k.Patterns...)
	}
	if !slices.Equal(sorted(listed), sorted(want)) {
		t.Errorf("docs/inbox.md lists\n%v\nextract.Kinds has\n%v", sorted(listed), sorted(want))
	}
}
