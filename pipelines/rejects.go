package pipelines

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/transform"
)

// A pipeline's rejects.csv follows the kinds it reads. Each kind names the
// staging model whose _errors column says why a row was rejected
// (extract.Kind.Errors), and the loader records what it rejects of a file
// (an XML that is no NF-e) in load_rejects by file. Before its models are
// built, a run defines the temporary view kind_rejects over its kinds
// (file_id, line, e: a reject() entry); the rejects marts read it
// (marts/rejects.sql, or a pipeline's own adding what its checks find), so
// no mart lists kinds by hand and a kind a pipeline reads cannot be left
// out of its rejects.

// kindRejectsView is the view's name, as the rejects marts read it.
const kindRejectsView = "kind_rejects"

// RejectedKinds are the kinds whose rejected rows p's rejects.csv lists:
// those it reads but the ones another pipeline lists (RejectedElsewhere).
func (p *Pipeline) RejectedKinds() []string {
	return slices.DeleteFunc(slices.Clone(p.Kinds), func(k string) bool { return slices.Contains(p.RejectedElsewhere, k) })
}

// kindRejectsSQL is the query of kind_rejects over kinds.
func kindRejectsSQL(kinds []extract.Kind) string {
	var parts, names []string
	for _, k := range kinds {
		if k.Errors != "" {
			parts = append(parts, "select file_id, line, unnest(_errors) as e from "+transform.QuoteIdent(k.Errors)+" where len(_errors) > 0")
		}
		names = append(names, transform.QuoteString(k.Name))
	}
	where := "false" // a pipeline of no kind; () is no list to DuckDB
	if len(names) > 0 {
		where = "f.kind in (" + strings.Join(names, ", ") + ")"
	}
	loader := "select r.file_id, r.line, {'field': r.field, 'value': r.value, 'reason': r.reason} as e\n" +
		"from load_rejects r join files f on f.file_id = r.file_id\nwhere " + where
	return strings.Join(append(parts, loader), "\nunion all\n")
}

// kindRejects builds the staging models of the kinds whose rejects the
// run lists and defines kind_rejects over them.
func kindRejects(ctx context.Context, r *Run) error {
	kinds, err := r.Pipeline.kinds(r.Pipeline.RejectedKinds())
	if err != nil {
		return err
	}
	var models []string
	for _, k := range kinds {
		if k.Errors != "" {
			models = append(models, k.Errors)
		}
	}
	if err := r.W.Build(ctx, models...); err != nil {
		return err
	}
	if _, err := r.W.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+kindRejectsView+" AS\n"+kindRejectsSQL(kinds)); err != nil {
		return fmt.Errorf("%s: %w", kindRejectsView, err)
	}
	return nil
}
