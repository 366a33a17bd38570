// Command salesops-docs writes the generated parts of the docs from the
// declarations they describe, so nothing there is typed twice:
// docs/reports.md from the pipelines and their reports (packages pipelines,
// reports, transform, extract and load), docs/config.md from the comments on
// the fields of pipelines.Config, docs/erp.md's profile from the one
// extract ships.
//
//	go run ./cmd/salesops-docs           # rewrite them (also: go generate ./...)
//	go run ./cmd/salesops-docs -check    # exit 1 naming each stale page
//
// A page keeps its hand-written text; the generator owns only what lies
// between a pair of markers,
//
//	<!-- salesops-docs: NAME: begin -->
//	<!-- salesops-docs: NAME: end -->
//
// and fails on a marker it does not know or a block it needs that the page
// lacks, so a new pipeline cannot go undocumented. TestDocsUpToDate fails
// when a committed page differs from what the generator writes.
package main

//go:generate go run .

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// regenerateCmd is what a stale page tells its reader to run.
const regenerateCmd = "go generate ./cmd/salesops-docs (or go run ./cmd/salesops-docs)"

// A page is one Markdown file with generated blocks.
type page struct {
	Path   string // relative to the module root
	Blocks func(root string) (map[string]string, error)
}

var pages = []page{
	{Path: "docs/reports.md", Blocks: reportBlocks},
	{Path: "docs/config.md", Blocks: configBlocks},
	{Path: "docs/erp.md", Blocks: erpBlocks},
}

func main() {
	check := flag.Bool("check", false, "write nothing; exit 1 if a page is not what the generator writes")
	root := flag.String("root", "", "module root (default: the folder holding go.mod, from the working directory up)")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "salesops-docs:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	if root == "" {
		var err error
		if root, err = moduleRoot(); err != nil {
			return err
		}
	}
	var stale []string
	for _, p := range pages {
		old, updated, err := regenerate(root, p)
		if err != nil {
			return err
		}
		if bytes.Equal(old, updated) {
			continue
		}
		if check {
			stale = append(stale, p.Path)
			continue
		}
		if err := os.WriteFile(filepath.Join(root, p.Path), updated, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", p.Path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("stale: %s; run %s", strings.Join(stale, ", "), regenerateCmd)
	}
	return nil
}

// regenerate returns p's file as committed and as the generator writes it.
func regenerate(root string, p page) (old, updated []byte, err error) {
	old, err = os.ReadFile(filepath.Join(root, p.Path))
	if err != nil {
		return nil, nil, err
	}
	blocks, err := p.Blocks(root)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	doc, err := fill(string(old), blocks)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	return old, []byte(doc), nil
}

const markerPrefix = "<!-- salesops-docs: "

func beginMarker(name string) string { return markerPrefix + name + ": begin -->" }
func endMarker(name string) string   { return markerPrefix + name + ": end -->" }

// fill replaces the body of every marked block of doc with blocks[name].
// Markers stand on lines of their own. A block the page has and blocks
// lacks, a block of blocks the page lacks, a begin without its end, and a
// block opened twice are errors naming the line.
func fill(doc string, blocks map[string]string) (string, error) {
	lines := strings.SplitAfter(doc, "\n")
	var out strings.Builder
	seen := map[string]bool{}
	open, openLine := "", 0
	for i, l := range lines {
		t := strings.TrimRight(l, "\r\n")
		if !strings.HasPrefix(t, markerPrefix) {
			if open == "" {
				out.WriteString(l)
			}
			continue
		}
		name, end, ok := parseMarker(t)
		switch {
		case !ok:
			return "", fmt.Errorf("line %d: marker %q: want %q or %q", i+1, t, beginMarker("NAME"), endMarker("NAME"))
		case !end && open != "":
			return "", fmt.Errorf("line %d: block %q begins inside block %q (line %d)", i+1, name, open, openLine)
		case !end:
			body, known := blocks[name]
			if !known {
				return "", fmt.Errorf("line %d: no generated block is named %q", i+1, name)
			}
			if seen[name] {
				return "", fmt.Errorf("line %d: block %q appears twice", i+1, name)
			}
			seen[name] = true
			open, openLine = name, i+1
			out.WriteString(l)
			out.WriteString(body)
		case name != open:
			return "", fmt.Errorf("line %d: end of block %q, which is not open", i+1, name)
		default:
			open = ""
			out.WriteString(l)
		}
	}
	if open != "" {
		return "", fmt.Errorf("line %d: block %q has no end marker", openLine, open)
	}
	var missing []string
	for name := range blocks {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("no block for %s: add %q and %q where it belongs", strings.Join(sorted(missing), ", "),
			beginMarker(sorted(missing)[0]), endMarker(sorted(missing)[0]))
	}
	return out.String(), nil
}

// parseMarker reads "<!-- salesops-docs: NAME: begin|end -->".
func parseMarker(s string) (name string, end, ok bool) {
	s, ok = strings.CutSuffix(strings.TrimPrefix(s, markerPrefix), " -->")
	if !ok {
		return "", false, false
	}
	i := strings.LastIndex(s, ": ")
	if i <= 0 {
		return "", false, false
	}
	switch s[i+2:] {
	case "begin":
		return s[:i], false, true
	case "end":
		return s[:i], true, true
	}
	return "", false, false
}

// moduleRoot is the folder holding go.mod, from the working directory up
// (go generate runs the generator in its own package's folder).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod in the working directory or above it (use -root)")
		}
		dir = parent
	}
}
