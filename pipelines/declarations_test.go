package pipelines

import (
	"slices"
	"strings"
	"testing"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// formats are the output formats load.WriteReport writes. Until formats
// are a registry of their own (issue 23.3), a format added to a report
// and not to load's writer fails here rather than at run time.
var formats = []reports.Format{reports.CSV, reports.Parquet, reports.XLSX, reports.CSVPeople}

// TestDeclarations: every pipeline of All holds together as declared, so
// one added with a part missing fails here instead of publishing without
// it: its kinds resolve, its rejects cover every kind it reads whose
// staging model rejects rows, its Main is one of its reports, every report
// it publishes has a title, a CSV, known formats and a file name of its
// own, and every model its publications read exists.
func TestDeclarations(t *testing.T) {
	models, err := transform.Models()
	if err != nil {
		t.Fatal(err)
	}
	// Every staging model that rejects rows is some kind's Errors: a kind
	// whose model is not named there would be left out of every rejects.csv.
	errorsOf := map[string]string{}
	for _, k := range extract.Kinds {
		if k.Errors == "" {
			continue
		}
		if m, ok := models[k.Errors]; !ok || m.Layer != "staging" || !strings.Contains(m.SQL, " as _errors") {
			t.Errorf("kind %s: Errors %q is no staging model with an _errors column", k.Name, k.Errors)
		}
		errorsOf[k.Errors] = k.Name
	}
	for name, m := range models {
		if m.Layer == "staging" && strings.Contains(m.SQL, " as _errors") && errorsOf[name] == "" {
			t.Errorf("staging model %s rejects rows (_errors) but no kind names it as its Errors", name)
		}
	}
	names := map[string]bool{}
	for _, p := range All {
		if p.Name == "" || p.Title == "" || p.Summary == "" || names[p.Name] {
			t.Errorf("pipeline %q: a name of its own, a title and a summary, want all three", p.Name)
		}
		names[p.Name] = true
		if _, err := p.kinds(p.Kinds); err != nil {
			t.Error(err)
		}
		for _, n := range p.Needs {
			checkKindsRead(t, p, "Needs", n.Kinds)
		}
		checkKindsRead(t, p, "Whole", p.Whole)
		checkKindsRead(t, p, "RejectedElsewhere", p.RejectedElsewhere)
		for _, k := range p.RejectedElsewhere {
			if !slices.ContainsFunc(All, func(o *Pipeline) bool { return o != p && slices.Contains(o.RejectedKinds(), k) }) {
				t.Errorf("pipeline %s: no other pipeline lists the rejects of %s (RejectedElsewhere)", p.Name, k)
			}
		}
		if m, ok := models[p.RejectsReport().Model]; !ok || !strings.Contains(m.SQL, kindRejectsView) {
			t.Errorf("pipeline %s: rejects model %q does not read %s: its kinds' rejects would be missing", p.Name, p.RejectsReport().Model, kindRejectsView)
		}
		if !slices.ContainsFunc(p.Reports, func(r reports.Report) bool { return r.Name == p.Main.Name && r.Model == p.Main.Model }) {
			t.Errorf("pipeline %s: Main %q is not one of its Reports", p.Name, p.Main.Name)
		}
		files := map[string]bool{}
		for _, r := range p.Published() {
			if r.Title == "" || !slices.Contains(r.Formats, reports.CSV) {
				t.Errorf("pipeline %s: report %s: a title and a CSV, want both", p.Name, r.Name)
			}
			for _, f := range r.Formats {
				if !slices.Contains(formats, f) {
					t.Errorf("pipeline %s: report %s: format %q has no writer", p.Name, r.Name, f)
				}
				if files[r.File(f)] {
					t.Errorf("pipeline %s: two reports write %s", p.Name, r.File(f))
				}
				files[r.File(f)] = true
			}
		}
		if _, err := transform.Plan(p.Targets()...); err != nil {
			t.Errorf("pipeline %s: %v", p.Name, err)
		}
	}
}

// checkKindsRead fails when a kind of field is not one p reads.
func checkKindsRead(t *testing.T, p *Pipeline, field string, kinds []string) {
	t.Helper()
	for _, k := range kinds {
		if !slices.Contains(p.Kinds, k) {
			t.Errorf("pipeline %s: %s names %q, which is not one of its Kinds", p.Name, field, k)
		}
	}
}
