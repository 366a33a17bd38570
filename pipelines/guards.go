package pipelines

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load"
)

// checkNeeds fails a run that lacks an input its set cannot be right
// without: a needed kind with no file or no rows, or a file of a Whole kind
// with no rows (a header-only export). Duplicates count through the file
// whose rows they share.
func checkNeeds(p *Pipeline, inputs []extract.Input) error {
	rows := map[string]int64{}
	files := map[string]int{}
	whole := map[string]bool{}
	for _, k := range p.Whole {
		whole[k] = true
	}
	var empty []string
	for _, in := range inputs {
		files[in.Kind]++
		if in.DuplicateOf != "" {
			continue
		}
		rows[in.Kind] += in.Rows
		if whole[in.Kind] && in.Rows == 0 {
			empty = append(empty, in.Path)
		}
	}
	if len(empty) > 0 {
		return fmt.Errorf("%s: %w: the file holds a header only (remove it, or export it again)", strings.Join(empty, ", "), extract.ErrNoRows)
	}
	for _, n := range p.Needs {
		var nfiles int
		var nrows int64
		for _, k := range n.Kinds {
			nfiles += files[k]
			nrows += rows[k]
		}
		switch {
		case nfiles == 0:
			return fmt.Errorf("%s: missing from the inbox: nothing was published", n.What)
		case nrows == 0:
			return fmt.Errorf("%s: %w in its %d files: nothing was published", n.What, extract.ErrNoRows, nfiles)
		}
	}
	return nil
}

// ErrShrink is the cause of a run stopped because its main report would
// shrink too much.
var ErrShrink = errors.New("would shrink")

// checkShrink fails a run whose main report (Pipeline.Guarded) would
// shrink by more than Config.MaxShrinkPct against the set published for the
// same period, or, for a period not yet published, the latest earlier one:
// an inbox missing half its files would otherwise publish a wrong set with
// exit 0. --accept-shrink lets a known shrink through.
func checkShrink(r *Run) error {
	if r.Config.AcceptShrink || len(r.Manifest.Outputs) == 0 {
		return nil
	}
	main := r.Manifest.Outputs[0]
	if g := r.Pipeline.Guarded; g != "" {
		i := slices.IndexFunc(r.Manifest.Outputs, func(o load.Output) bool { return o.Path == g+".csv" })
		if i < 0 {
			return fmt.Errorf("pipeline %s: guarded report %s.csv is not among the outputs", r.Pipeline.Name, g)
		}
		main = r.Manifest.Outputs[i]
	}
	against := r.Config.Period
	prev, err := load.ReadManifest(r.Dir)
	if errors.Is(err, os.ErrNotExist) {
		// A new period: compare with the latest published before it.
		against = previousPeriod(filepath.Dir(r.Dir), r.Config.Period)
		if against == "" {
			return nil // nothing published yet
		}
		prev, err = load.ReadManifest(filepath.Join(filepath.Dir(r.Dir), against))
	}
	if err != nil {
		return fmt.Errorf("previous set: %w", err)
	}
	for _, o := range prev.Outputs {
		if o.Path != main.Path || o.Rows == 0 {
			continue
		}
		lost := o.Rows - main.Rows
		if lost*100 > o.Rows*int64(r.Config.MaxShrinkPct) {
			return fmt.Errorf("%s %w from %d to %d rows (−%d %%, more than max_shrink_pct %d %% against the set published for %s): check the inbox, or run again with --accept-shrink",
				main.Path, ErrShrink, o.Rows, main.Rows, lost*100/o.Rows, r.Config.MaxShrinkPct, against)
		}
	}
	return nil
}

// previousPeriod is the latest period before period published under dir
// (<out>/<pipeline>), or "".
func previousPeriod(dir, period string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	latest := ""
	for _, e := range entries {
		if p := e.Name(); e.IsDir() && periodRE.MatchString(p) && p < period && p > latest {
			if _, err := os.Stat(filepath.Join(dir, p, "manifest.json")); err == nil {
				latest = p
			}
		}
	}
	return latest
}
