package transform

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSources checks models/sources.yml against the code: the file each
// source is made by creates it (a migration's CREATE TABLE, or the named
// Go function in a file naming it), the Go function named for its rows
// exists, and every source is read by some model, so the list can neither
// miss a name (Models would fail) nor keep one nothing reads.
func TestSources(t *testing.T) {
	models, srcs := testCatalog(t)
	read := map[string]bool{}
	for _, m := range models {
		for _, s := range m.Sources {
			read[s] = true
		}
	}
	for name, s := range srcs {
		if !read[name] {
			t.Errorf("source %s: no model reads it", name)
		}
		if err := checkMadeBy(name, s.MadeBy, true); err != "" {
			t.Errorf("source %s: made_by %q: %s", name, s.MadeBy, err)
		}
		if strings.HasSuffix(strings.Fields(s.RowsBy + " x")[0], ".go") {
			if err := checkMadeBy(name, s.RowsBy, false); err != "" {
				t.Errorf("source %s: rows_by %q: %s", name, s.RowsBy, err)
			}
		}
	}
}

// checkMadeBy checks that by, "<file> [<func>]" relative to the module,
// makes relation name (a SQL file creating it, a Go file naming it, with
// that function), or with create false only that the function exists.
func checkMadeBy(name, by string, create bool) string {
	f := strings.Fields(by)
	body, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(f[0])))
	if err != nil {
		return err.Error()
	}
	text := string(body)
	if strings.HasSuffix(f[0], ".sql") {
		if create && !regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+`+name+`\s*\(`).MatchString(text) {
			return "it does not CREATE TABLE " + name
		}
		return ""
	}
	if len(f) < 2 {
		return "a Go file without the function"
	}
	if !regexp.MustCompile(`(?m)^func (\([^)]*\) )?` + regexp.QuoteMeta(f[1]) + `\(`).MatchString(text) {
		return "no func " + f[1] + " in " + f[0]
	}
	if create && !regexp.MustCompile(`\b`+name+`\b`).MatchString(text) {
		return f[0] + " does not name " + name
	}
	return ""
}

// TestQueriesRead checks the queries of models/dossier (not models, see
// DefineQueryView) as the models are checked: every name they read is a
// model, a CTE or a declared source.
func TestQueriesRead(t *testing.T) {
	models, srcs := testCatalog(t)
	p := newTestParser(t)
	files, err := fs.Glob(modelFS, "models/dossier/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dossier queries (%v)", err)
	}
	for _, f := range files {
		body, err := modelFS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(path.Base(f), ".sql")
		refs, _, err := resolveReads(context.Background(), p, "transform/"+f, name, string(body), models, srcs)
		if err != nil {
			t.Error(err)
		} else if len(refs) == 0 {
			t.Errorf("%s reads no model", f)
		}
	}
}

// TestParseSources checks the errors of a sources file.
func TestParseSources(t *testing.T) {
	tests := []struct {
		name, yml, err string
	}{
		{"two groups", "sources:\n  - name: a\n    tables:\n      - {name: Runs, made_by: m.sql}\n  - name: b\n    tables:\n      - {name: files, made_by: m.sql}\n", ""},
		{"declared twice", "sources:\n  - name: a\n    tables:\n      - {name: runs, made_by: m.sql}\n      - {name: RUNS, made_by: n.sql}\n",
			"transform/models/sources.yml: source runs declared twice"},
		{"no made_by", "sources:\n  - name: a\n    tables:\n      - {name: runs}\n",
			"transform/models/sources.yml: source runs: no made_by (the file that creates it)"},
		{"no name", "sources:\n  - name: a\n    tables:\n      - {made_by: m.sql}\n",
			"transform/models/sources.yml: source group a: a table without a name"},
		{"unknown field", "sources:\n  - name: a\n    tables:\n      - {name: runs, made_by: m.sql, kind: x}\n",
			"transform/models/sources.yml: yaml: unmarshal errors:\n  line 4: field kind not found in type transform.Source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSources([]byte(tt.yml))
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if msg != tt.err {
				t.Fatalf("error %q, want %q", msg, tt.err)
			}
			if err == nil && (got["runs"] == nil || got["runs"].Group != "a" || got["files"] == nil || got["files"].Group != "b") {
				t.Errorf("sources %v, want runs in group a and files in group b", got)
			}
		})
	}
}
