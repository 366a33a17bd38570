package pipelines

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Finance's review loop over the reconciliation's exceptions (docs/review.md).
//
// Where the memory of earlier periods lives: in the published sets. Each
// reconciliation set publishes exception_register, every exception the
// loop knows with when it was first listed, how it closed and the latest
// decision; a run reads the register of the latest period published
// before its own, and re-evaluates on today's data (the warehouse holds
// every period's loaded files) the periods that register has open
// exceptions of, building the reconciliation of each again (period_exceptions).
// The data says whether an exception still stands; the published register
// says that it was one, since when, and what finance decided. The
// warehouse alone could not: rebuilt from today's files an October whose
// missing invoice arrived in November has no exception at all, where
// finance saw one, reviewed it, and must see it resolved by data in
// November. And publishing December needs no re-run of November: its
// published register is read as it is.
//
// A period published again reads its own register too: it forgets nothing
// it listed (an August whose missing invoice arrived in September, published
// again with September's decisions, still lists the exception, resolved by
// data, and the decisions on it apply). That register is the set the run
// replaces, not an input of its fingerprint: a set up to date with its
// inputs holds the register it would read.
//
// Periods after the latest register (or from review.start when none was
// published) up to the run's are evaluated from the data as well, so a
// first run, or a month skipped, starts with what the data says of them.

// reviewSeen is the temp table a run gathers the evaluated periods' rows
// of period_exceptions in; reviewHistory the temp view over the register
// published before.
const (
	reviewSeen    = "exceptions_seen"
	reviewHistory = "exception_history"
)

// checkReconciliation evaluates the review loop's periods, then checks
// the bills' exchange rates (checkBillFX).
func checkReconciliation(ctx context.Context, r *Run) error {
	if err := evaluateReview(ctx, r); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	if err := checkBillFX(ctx, r); err != nil {
		return err
	}
	return reviewStatus(ctx, r)
}

// reconciliationName is Reconciliation's Name (which the declaration,
// through its Check, cannot refer to).
const reconciliationName = "reconciliation"

// publishedRegisters lists the periods before cfg's a reconciliation set
// published exception_register for, oldest first, with their files.
func publishedRegisters(cfg Config) (periods, files []string, err error) {
	found, err := filepath.Glob(filepath.Join(cfg.Out, reconciliationName, "*", reports.ExceptionRegister.File(reports.Parquet)))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(found)
	for _, f := range found {
		p := filepath.Base(filepath.Dir(f))
		if isPeriod(p) && p < cfg.Period {
			periods, files = append(periods, p), append(files, f)
		}
	}
	return periods, files, nil
}

func isPeriod(p string) bool {
	_, err := time.Parse("2006-01", p)
	return err == nil && len(p) == len("2006-01")
}

// evaluateReview defines the registers published before (exception_history),
// sets the loop's variables, and builds period_exceptions for each period
// to evaluate, the run's last, gathering their rows in exceptions_seen.
func evaluateReview(ctx context.Context, r *Run) error {
	cfg := r.Config
	periods, files, err := publishedRegisters(cfg)
	if err != nil {
		return err
	}
	// The memory: the register the period's own set published, if any (a
	// period published again forgets nothing it listed), then the one of
	// the latest period before.
	var memory []string
	own := filepath.Join(cfg.Out, reconciliationName, cfg.Period, reports.ExceptionRegister.File(reports.Parquet))
	if _, err := os.Stat(own); err == nil {
		memory = append(memory, own)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	prev := ""
	if len(periods) > 0 {
		prev = periods[len(periods)-1]
		memory = append(memory, files[len(files)-1])
	}
	if err := registerView(ctx, r.W, memory...); err != nil {
		return err
	}
	start := cfg.Review.Start
	if start == "" && len(periods) > 0 {
		start = periods[0]
	}
	if start == "" || start > cfg.Period {
		start = cfg.Period
	}
	if err := r.W.SetVars(ctx, map[string]any{
		"review_start":          start,
		"review_min_amount_brl": strconv.FormatFloat(cfg.Review.MinAmountBRL, 'f', 2, 64),
	}); err != nil {
		return err
	}
	evaluate, err := reviewPeriods(ctx, r.W, cfg.Period, start, prev)
	if err != nil {
		return err
	}
	if prev != "" {
		r.Manifest.Notes = append(r.Manifest.Notes, "review: exceptions carried from the register published for "+prev)
	}
	if len(evaluate) > 0 {
		r.Manifest.Notes = append(r.Manifest.Notes, "review: evaluated again on today's data: "+strings.Join(evaluate, ", "))
	}
	return seeExceptions(ctx, r, append(evaluate, cfg.Period))
}

// registerView defines exception_history over the registers in files (none:
// an empty one), with the columns the register declares (a column an older
// register lacks is NULL): an exception in several takes its row in the
// first.
func registerView(ctx context.Context, w *transform.Warehouse, files ...string) error {
	parts := make([]string, 0, len(files))
	for i, file := range files {
		from := "read_parquet(" + transform.QuoteString(file) + ")"
		have := map[string]bool{}
		rows, err := w.Conn.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+from+")")
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			have[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		parts = append(parts, fmt.Sprintf("SELECT %s, %d AS __rank FROM %s", registerColumns(have), i, from))
	}
	q := "SELECT " + registerColumns(nil) + " WHERE false"
	if len(parts) > 0 {
		q = "SELECT * EXCLUDE (__rank) FROM (" + strings.Join(parts, " UNION ALL ") + ") QUALIFY row_number() OVER (PARTITION BY exception_id ORDER BY __rank) = 1"
	}
	_, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+reviewHistory+" AS "+q)
	return err
}

// registerColumns is the register's declared columns, typed, each NULL
// unless have names it.
func registerColumns(have map[string]bool) string {
	cols := make([]string, len(reports.ExceptionRegister.Columns))
	for i, c := range reports.ExceptionRegister.Columns {
		v := "NULL"
		if have[c.Name] {
			v = transform.QuoteIdent(c.Name)
		}
		cols[i] = v + "::" + sqlTypes[c.Type] + " AS " + transform.QuoteIdent(c.Name)
	}
	return strings.Join(cols, ", ")
}

// sqlTypes is the DuckDB type a register column is read back as, by its
// declared type.
var sqlTypes = map[reports.Type]string{
	reports.Text: "VARCHAR", reports.Integer: "BIGINT", reports.Money: "DECIMAL(18,2)", reports.MoneyBRL: "DECIMAL(18,2)",
	reports.Percent: "DECIMAL(18,2)", reports.Rate: "DECIMAL(18,6)", reports.Date: "DATE", reports.Bool: "BOOLEAN",
}

// reviewPeriods are the periods before period to evaluate again: those the
// register published for prev has open exceptions of, and every period
// after prev (from start, when no register was published) up to period.
func reviewPeriods(ctx context.Context, w *transform.Warehouse, period, start, prev string) ([]string, error) {
	set := map[string]bool{}
	rows, err := w.Conn.QueryContext(ctx, "SELECT DISTINCT line_period FROM "+reviewHistory+" WHERE status = 'open' AND line_period < ?", period)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, err
		}
		set[p] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	from, _ := time.Parse("2006-01", start)
	if prev != "" {
		if t, _ := time.Parse("2006-01", prev); !t.Before(from) {
			from = t.AddDate(0, 1, 0)
		}
	}
	for t := from; t.Format("2006-01") < period; t = t.AddDate(0, 1, 0) {
		set[t.Format("2006-01")] = true
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// seeExceptions builds period_exceptions for each period (the run's last,
// so the models stand built for it afterwards) and gathers the rows in
// exceptions_seen.
func seeExceptions(ctx context.Context, r *Run, periods []string) error {
	for i, p := range periods {
		start, _ := time.Parse("2006-01", p)
		if err := r.W.SetVars(ctx, map[string]any{"period": p, "period_start": start}); err != nil {
			return err
		}
		r.W.ResetBuilt()
		if err := r.W.Build(ctx, "period_exceptions"); err != nil {
			return fmt.Errorf("period %s: %w", p, err)
		}
		q := "INSERT INTO " + reviewSeen + " SELECT * FROM period_exceptions"
		if i == 0 {
			q = "CREATE OR REPLACE TEMP TABLE " + reviewSeen + " AS SELECT * FROM period_exceptions"
		}
		if _, err := r.W.Conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("period %s: %w", p, err)
		}
	}
	return nil
}

// reviewStatus puts the review of the period in the manifest (its cover
// and the site show it): signed off, or waiting, and a refused sign-off's
// reason, which rejects.csv lists too.
func reviewStatus(ctx context.Context, r *Run) error {
	if err := r.W.Build(ctx, "review_signoff"); err != nil {
		return err
	}
	var (
		rv                          publish.Review
		minAmount                   string
		signedBy, refusal, firstIDs sql.NullString
		signedOn                    sql.NullTime
		accepted                    sql.NullBool
		undecided                   sql.NullInt64
	)
	err := r.W.Conn.QueryRowContext(ctx, `SELECT open_exceptions, open_brl::VARCHAR, min_amount_brl::VARCHAR, signed_by, signed_on,
		is_accepted, undecided, first_undecided, refusal FROM review_signoff`).
		Scan(&rv.OpenExceptions, &rv.OpenBRL, &minAmount, &signedBy, &signedOn, &accepted, &undecided, &firstIDs, &refusal)
	if err != nil {
		return err
	}
	rv.Status = publish.ReviewPending
	switch {
	case accepted.Valid && accepted.Bool:
		rv.Status, rv.SignedBy, rv.SignedOn = publish.ReviewSignedOff, signedBy.String, signedOn.Time.Format("2006-01-02")
	case refusal.Valid:
		rv.Refused = refusal.String
		rv.RefusedText = fmt.Sprintf("Aprovação de %s em %s recusada: %s exceção(ões) acima de %s sem decisão até essa data (%s)",
			signedBy.String, ptbr.DateOf(signedOn.Time), ptbr.Int(undecided.Int64), ptbr.Money(minAmount), firstIDs.String)
		if undecided.Int64 > 5 {
			rv.RefusedText += ", …"
		}
		r.Manifest.Notes = append(r.Manifest.Notes, "review: "+refusal.String)
	}
	rv.Text = ReviewText(rv)
	r.Manifest.Review = &rv
	return nil
}

// ReviewText is the line people read of a review: "Revisado e aprovado por
// X em dd/mm/aaaa", or "Aguardando revisão: N exceções (R$ …)" (the
// exceptions open at the period, and their amount).
func ReviewText(rv publish.Review) string {
	if rv.Status == publish.ReviewSignedOff {
		return "Revisado e aprovado por " + rv.SignedBy + " em " + ptbr.Date(rv.SignedOn)
	}
	noun := "exceções"
	if rv.OpenExceptions == 1 {
		noun = "exceção"
	}
	return fmt.Sprintf("Aguardando revisão: %s %s (%s)", ptbr.Int(rv.OpenExceptions), noun, ptbr.Money(rv.OpenBRL))
}

// DisputesDir is the folder of a reconciliation set holding each vendor's
// disputes, disputes/<vendor>.csv.
const DisputesDir = "disputes"

// writeDisputes writes each vendor's rows of vendor_disputes to
// disputes/<vendor>.csv.
func writeDisputes(ctx context.Context, r *Run, dir string) ([]publish.Output, error) {
	return write.CSVBy(ctx, r.W, dir, DisputesDir, reports.VendorDisputes, "file")
}

// reviewReads: the registers the reconciliation sets published before the
// run's period (the loop's memory, and where it starts).
func reviewReads(_ context.Context, r *Run) ([]Read, error) {
	periods, files, err := publishedRegisters(r.Config)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for i, f := range files {
		sum, err := publish.SHA256File(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("exception register: %w", err)
		}
		fmt.Fprintf(h, "%s %s\n", periods[i], sum)
	}
	return []Read{{What: "exception registers published before", SHA256: hex.EncodeToString(h.Sum(nil))}}, nil
}
