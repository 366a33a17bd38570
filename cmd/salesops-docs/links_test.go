package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBrokenLinks: the checker finds a missing file, a missing anchor and a
// missing anchor of the page itself, and nothing in code.
func TestBrokenLinks(t *testing.T) {
	files := map[string]string{
		"README.md": "# Top\n\n[ok](docs/a.md#a-heading) [gone](docs/gone.md) [web](https://example.com/x)\n" +
			"`[not a link](nowhere.md)`\n\n```\n[nor this](nowhere.md)\n```\n",
		"docs/a.md": "# A heading\n\n## A heading\n\n[up](../README.md#top) [bad](../README.md#bottom) [self](#a-heading-1) [selfbad](#none)\n" +
			"[folder](.) [file](a.md)\n",
	}
	dir := writeFiles(t, files)
	got := brokenLinks(dir, []string{"README.md", "docs/a.md"})
	want := []string{
		"README.md:3: docs/gone.md: no such file",
		"docs/a.md:5: ../README.md#bottom: no heading has this anchor",
		"docs/a.md:5: #none: no heading has this anchor",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// GitHub numbers the second "A heading" a-heading-1, which the link
	// to it found, but TestLinks wants no such pair in the docs.
	if d := duplicateAnchors(files["docs/a.md"]); strings.Join(d, ",") != "a-heading" {
		t.Errorf("duplicates %v, want a-heading", d)
	}
	if d := duplicateAnchors("## Outputs\n\n```\n## Outputs\n```\n## Inputs\n"); len(d) != 0 {
		t.Errorf("duplicates %v, want none: the second is in code", d)
	}
}

func markdownFiles(root string) ([]string, error) {
	files := []string{"README.md", "BENCHMARKS.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files, err
}

var (
	linkRE     = regexp.MustCompile(`\]\(([^()\s]+)\)`)
	codeSpanRE = regexp.MustCompile("`[^`]*`")
)

// brokenLinks lists, as "file:line: target: why", every relative link of
// files (module-relative) that leads nowhere.
func brokenLinks(root string, files []string) []string {
	var out []string
	pageAnchors := map[string]map[string]bool{}
	anchorsOf := func(f string) (map[string]bool, error) {
		if a, ok := pageAnchors[f]; ok {
			return a, nil
		}
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, err
		}
		pageAnchors[f] = anchors(string(b))
		return pageAnchors[f], nil
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %v", f, err))
			continue
		}
		fence := ""
		for n, l := range strings.Split(string(b), "\n") {
			if fence, _ = fenced(fence, strings.TrimSpace(l)); fence != "" || isFence(strings.TrimSpace(l)) {
				continue
			}
			for _, m := range linkRE.FindAllStringSubmatch(codeSpanRE.ReplaceAllString(l, ""), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				file, frag, _ := strings.Cut(target, "#")
				dest := f
				if file != "" {
					dest = filepath.ToSlash(filepath.Join(filepath.Dir(f), file))
					if _, err := os.Stat(filepath.Join(root, dest)); err != nil {
						out = append(out, fmt.Sprintf("%s:%d: %s: no such file", f, n+1, target))
						continue
					}
				}
				if frag == "" {
					continue
				}
				if !strings.HasSuffix(dest, ".md") {
					out = append(out, fmt.Sprintf("%s:%d: %s: an anchor into a file that is not Markdown", f, n+1, target))
					continue
				}
				a, err := anchorsOf(dest)
				if err != nil {
					out = append(out, fmt.Sprintf("%s:%d: %s: %v", f, n+1, target, err))
					continue
				}
				if !a[frag] {
					out = append(out, fmt.Sprintf("%s:%d: %s: no heading has this anchor", f, n+1, target))
				}
			}
		}
	}
	return out
}

// headings returns the slug of every heading of a Markdown page, in
// order, skipping fenced code.
func headings(doc string) []string {
	var out []string
	fence := ""
	for _, l := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(l)
		var wasFence bool
		if fence, wasFence = fenced(fence, t); fence != "" || wasFence {
			continue
		}
		text := strings.TrimLeft(t, "#")
		if level := len(t) - len(text); level == 0 || level > 6 || (text != "" && text[0] != ' ') {
			continue
		}
		out = append(out, slug(strings.TrimSpace(text)))
	}
	return out
}

// anchors are the anchors GitHub gives a page's headings: a slug already
// taken gets "-1", "-2"…
func anchors(doc string) map[string]bool {
	out := map[string]bool{}
	count := map[string]int{}
	for _, s := range headings(doc) {
		if n := count[s]; n > 0 {
			out[s+"-"+strconv.Itoa(n)] = true
		} else {
			out[s] = true
		}
		count[s]++
	}
	return out
}

func duplicateAnchors(doc string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range headings(doc) {
		if seen[s] {
			out = append(out, s)
		}
		seen[s] = true
	}
	return out
}

// fenced follows fenced code blocks line by line: given the fence open
// before line t ("" for none), it returns the fence open after it, and
// whether t itself opened or closed one.
func fenced(open, t string) (string, bool) {
	f := fenceOf(t)
	switch {
	case f == "":
		return open, false
	case open == "":
		return f, true
	case strings.HasPrefix(f, open) && strings.Trim(t, open[:1]) == "":
		return "", true
	}
	return open, false
}

func isFence(t string) bool { return fenceOf(t) != "" }

// fenceOf is the fence a line starts with (``` or ~~~, three or more), or "".
func fenceOf(t string) string {
	for _, c := range []string{"`", "~"} {
		if n := len(t) - len(strings.TrimLeft(t, c)); n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}
