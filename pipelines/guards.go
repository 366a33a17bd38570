package pipelines

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
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
// shrink too much, or a part of its set would be gone (see Part).
var ErrShrink = errors.New("would shrink")

// checkShrink fails a run whose set would be less than the previous one
// in a way an incomplete inbox makes: its main report (Pipeline.Main)
// would shrink by more than Config.MaxShrinkPct, or a part that had rows
// (a vendor, the period's orders; see Part) has none. The previous set is
// the one published for the same period, or, for a period not yet
// published, the latest earlier one: an inbox missing half its files, or a
// whole vendor, would otherwise publish a wrong set with exit 0.
// --accept-shrink lets a known shrink through.
func checkShrink(r *Run) error {
	if r.Config.AcceptShrink {
		return nil
	}
	main, ok := r.Pipeline.mainOutput(r.Manifest)
	if !ok {
		return fmt.Errorf("pipeline %s: main report %s is not among the outputs", r.Pipeline.Name, r.Pipeline.Main.File(reports.CSV))
	}
	prev, against, err := previousSet(r)
	if err != nil || against == "" {
		return err
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
	return checkParts(r.Pipeline.Parts, prev.Composition, r.Manifest.Composition, against)
}

// previousSet is the manifest of the set the run is checked against: the
// one published for the run's period, else the latest earlier one, with
// its period ("" when nothing is published yet).
func previousSet(r *Run) (publish.Manifest, string, error) {
	against := r.Config.Period
	prev, err := publish.ReadManifest(r.Dir)
	if errors.Is(err, os.ErrNotExist) {
		// A new period: compare with the latest published before it.
		against = previousPeriod(filepath.Dir(r.Dir), r.Config.Period)
		if against == "" {
			return prev, "", nil // nothing published yet
		}
		prev, err = publish.ReadManifest(filepath.Join(filepath.Dir(r.Dir), against))
	}
	if err != nil {
		return prev, "", fmt.Errorf("previous set: %w", err)
	}
	return prev, against, nil
}

// Part is one way to count what a set is made of: its rows by a key whose
// rows one missing input takes away whole (a vendor's price list, the
// period's orders). Each run records the counts in its manifest
// (Composition); a key that had rows in the previous set and has none now
// fails the run, whatever the total does (a month of orders missing makes
// the reconciliation grow: every bill and invoice is then unmatched).
type Part struct {
	// Name keys the counts in the manifest: "vendor", "period".
	Name string
	// Query counts the rows of the set being published, after its models
	// are built: one (key, rows) per key; a key it does not return has
	// none.
	Query string
	// Gone says that key, which had rows in the set published for
	// against, has none now, and which inbox folder to check.
	Gone func(key string, rows int64, against string) (what, check string)
}

// pricelistVendors counts the published prices by the vendor folder they
// were read from (pricelists/<vendor>/...).
var pricelistVendors = Part{
	Name:  "vendor",
	Query: "SELECT split_part(source_file, '/', 2), count(*) FROM quote_prices GROUP BY ALL",
	Gone: func(vendor string, rows int64, against string) (string, string) {
		return fmt.Sprintf("vendor %s had %s in quote_prices.csv of the set published for %s and has none now", vendor, countRows(rows), against),
			"pricelists/" + vendor + "/"
	},
}

// reconciliationPeriod counts what the reconciliation of a period
// reconciles, as its model scopes it: order lines (not cancelled) whose
// service period overlaps the month, invoices issued in it, and the
// month's bill lines.
var reconciliationPeriod = Part{
	Name: "period",
	Query: `SELECT 'orders', count(*) FROM orders
		WHERE NOT is_cancelled AND period_start < getvariable('period_start') + INTERVAL 1 MONTH AND period_end >= getvariable('period_start')
	UNION ALL SELECT 'invoices', count(*) FROM invoices
		WHERE issue_date >= getvariable('period_start') AND issue_date < getvariable('period_start') + INTERVAL 1 MONTH
	UNION ALL SELECT 'bills', count(*) FROM vendor_bill_lines`,
	Gone: func(kind string, rows int64, against string) (string, string) {
		check := map[string]string{"orders": "erp/orders/", "invoices": "erp/invoices/ and nf/", "bills": "vendor_billing/microsoft/"}[kind]
		return fmt.Sprintf("the period's %s had %s in the set published for %s and have none now", kind, countRows(rows), against), check
	},
}

// lifecyclePeriod counts the period's order lines, as the reconciliation
// scopes them: the lifecycle closes the month's T-36 events (annual orders,
// true-ups, recurrences) with them, so a month of orders gone would make
// every one of those events overdue in a set that looks complete.
var lifecyclePeriod = Part{
	Name: "period",
	Query: `SELECT 'orders', count(*) FROM orders
		WHERE NOT is_cancelled AND period_start < getvariable('period_start') + INTERVAL 1 MONTH AND period_end >= getvariable('period_start')`,
	Gone: reconciliationPeriod.Gone,
}

// countRows says "1 row", "3 rows".
func countRows(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// countParts records in the manifest what the set is made of, by each of
// the pipeline's parts.
func countParts(ctx context.Context, r *Run) error {
	for _, p := range r.Pipeline.Parts {
		counts := map[string]int64{}
		rows, err := r.W.Conn.QueryContext(ctx, p.Query)
		if err != nil {
			return fmt.Errorf("count the set by %s: %w", p.Name, err)
		}
		for rows.Next() {
			var key sql.NullString
			var n int64
			if err := rows.Scan(&key, &n); err != nil {
				rows.Close()
				return fmt.Errorf("count the set by %s: %w", p.Name, err)
			}
			counts[key.String] += n
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("count the set by %s: %w", p.Name, err)
		}
		if r.Manifest.Composition == nil {
			r.Manifest.Composition = map[string]map[string]int64{}
		}
		r.Manifest.Composition[p.Name] = counts
	}
	return nil
}

// checkParts fails when a key of parts that had rows in prev (the
// composition of the set published for against) has none in cur. A part
// prev does not record (a set published before it was counted) is not
// compared.
func checkParts(parts []Part, prev, cur map[string]map[string]int64, against string) error {
	var gone, checks []string
	for _, p := range parts {
		before, ok := prev[p.Name]
		if !ok {
			continue
		}
		for _, key := range slices.Sorted(maps.Keys(before)) {
			if before[key] > 0 && cur[p.Name][key] == 0 {
				what, check := p.Gone(key, before[key], against)
				gone, checks = append(gone, what), append(checks, check)
			}
		}
	}
	if len(gone) == 0 {
		return nil
	}
	return &partsGone{fmt.Sprintf("%s: check %s, or run again with --accept-shrink", strings.Join(gone, "; "), strings.Join(checks, ", "))}
}

// partsGone is checkParts' error: errors.Is(err, ErrShrink) holds, and its
// text says which part is gone rather than "would shrink".
type partsGone struct{ msg string }

func (e *partsGone) Error() string        { return e.msg }
func (e *partsGone) Is(target error) bool { return target == ErrShrink }

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
