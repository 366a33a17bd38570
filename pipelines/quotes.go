package pipelines

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Quotes turns the sellers' quote requests (quotes/) into priced
// proposals: every line priced from the latest published price table of a
// period up to the run's, margins against the pricing rule's floor, the
// vendor incentive earned, the customer's credit against its limit; the
// customers' proposals as PDF and XLSX.
//
// Needs: the customer master (a request for an unknown customer is
// rejected, so without the master every request would be) and the pricing
// rules (the approval threshold is each rule's min_margin_pct). Checked
// before building: a published price table (run pricelist first) and a
// published reconciliation (the credit exposure). Quote requests are not
// needed: an inbox without any publishes an empty set that says so.
var Quotes = &Pipeline{
	Name:    "quotes",
	Title:   "Cotações",
	Summary: "sellers' quote requests + published prices + customer master + credit exposure → priced quotes, approval and credit flags, customers' proposals (PDF, XLSX)",
	Kinds:   []string{"quotes", "erp_customers", "pricing_rules", "tax_rules", "approvals"},
	Needs: []Need{
		{Kinds: []string{"erp_customers"}, What: "customer master (erp/customers/)"},
		{Kinds: []string{"pricing_rules"}, What: "pricing rules (rules/pricing.csv)"},
	},
	Reports: []reports.Report{reports.Quotes, reports.QuoteLines},
	// A month's requests accumulate in quotes/: a set with far fewer than
	// the one published for the period means files went missing
	// (--accept-shrink after a deliberate clean-up).
	Main:    reports.Quotes,
	Rejects: reports.QuotesRejects,
	// The sellers' rejects are their requests': the customer master's
	// rejected rows are the reconciliation's and the lifecycle's to list.
	RejectedElsewhere: []string{"erp_customers"},
	Workbook:          &reports.QuotesWorkbook,
	Prepare:           prepareQuotes,
	Check:             checkQuotes,
	Write:             writeProposals,
	Commit:            keepRevisions,
	Reads:             quotesReads,
}

// prepareQuotes defines the published price history, credit exposure and
// request revisions the models read, and the validity setting.
func prepareQuotes(ctx context.Context, r *Run) error {
	if err := historyView(ctx, r); err != nil {
		return err
	}
	if err := exposureView(ctx, r); err != nil {
		return err
	}
	if err := revisionsTable(ctx, r); err != nil {
		return err
	}
	return r.W.SetVars(ctx, map[string]any{"quote_valid_days": r.Config.Quotes.ValidDays})
}

// exposureView defines quote_credit_exposure over the credit_exposure of the
// latest reconciliation published for a period up to the run's (empty when
// there is none: checkQuotes fails the run then), with the customer's
// conflicting sources (NULL in a set published before that column).
func exposureView(ctx context.Context, r *Run) error {
	_, file, err := latestExposure(r.Config)
	if err != nil {
		return err
	}
	src := "SELECT NULL::VARCHAR AS customer_id, NULL::DECIMAL(18,2) AS exposure_brl, NULL::VARCHAR AS conflicting_sources WHERE false"
	if file != "" {
		from := "read_parquet(" + transform.QuoteString(file) + ")"
		var has bool
		if err := r.W.Conn.QueryRowContext(ctx, "SELECT count(*) > 0 FROM (DESCRIBE SELECT * FROM "+from+") WHERE column_name = 'conflicting_sources'").Scan(&has); err != nil {
			return fmt.Errorf("credit exposure %s: %w", file, err)
		}
		conflicts := "NULL::VARCHAR"
		if has {
			conflicts = "conflicting_sources"
		}
		src = "SELECT customer_id, exposure_brl::DECIMAL(18,2) AS exposure_brl, " + conflicts + " AS conflicting_sources FROM " + from
	}
	_, err = r.W.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW quote_credit_exposure AS "+src)
	return err
}

// publishedQuotes lists the quotes sets published for a period up to the
// run's (<out>/quotes/<period>/, with quotes.parquet), oldest first.
func publishedQuotes(r *Run) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(r.Config.Out, r.Pipeline.Name, "*", reports.Quotes.Name+".parquet"))
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, f := range files {
		dir := filepath.Dir(f)
		if p := filepath.Base(dir); len(p) == len("2006-01") && p <= r.Config.Period {
			dirs = append(dirs, dir)
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

// revisionsTable writes quote_published_revisions: every request revision
// published, with its date, the file it was read from and that file's
// SHA-256. It is the warehouse's record (quote_revisions, kept at each
// publication by keepRevisions) and what the quotes sets published for a
// period up to the run's hold (the file's SHA-256 as the set's manifest
// lists it), so either survives the other's loss. core/quote_requests
// keeps a published number for the same request in the same file with the
// same bytes, and numbers other files after the highest published, so a
// number a customer holds never changes what it stands for, even when a
// file dated earlier arrives later or an old file leaves the inbox.
func revisionsTable(ctx context.Context, r *Run) error {
	dirs, err := publishedQuotes(r)
	if err != nil {
		return err
	}
	if _, err := r.W.Conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE quote_published_revisions AS
		SELECT period, request_id, revision, requested_on, source_file, source_sha256 FROM quote_revisions WHERE period <= ?`, r.Config.Period); err != nil {
		return fmt.Errorf("published revisions: %w", err)
	}
	for _, dir := range dirs {
		m, err := publish.ReadManifest(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue // not a finished set
		}
		if err != nil {
			return fmt.Errorf("published revisions: %w", err)
		}
		period := filepath.Base(dir)
		file := filepath.Join(dir, reports.Quotes.Name+".parquet")
		if _, err := r.W.Conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE quote_published_set AS
			SELECT DISTINCT request_id, revision, requested_on, source_file, NULL::VARCHAR AS source_sha256
			FROM read_parquet(`+transform.QuoteString(file)+`)`); err != nil {
			return fmt.Errorf("published revisions %s: %w", file, err)
		}
		for _, in := range m.Inputs {
			if _, err := r.W.Conn.ExecContext(ctx, "UPDATE quote_published_set SET source_sha256 = ? WHERE source_file = ?", in.SHA256, in.Path); err != nil {
				return fmt.Errorf("published revisions: %w", err)
			}
		}
		if _, err := r.W.Conn.ExecContext(ctx, `INSERT INTO quote_published_revisions
			SELECT ?, request_id, revision, requested_on, source_file, source_sha256 FROM quote_published_set
			WHERE source_sha256 IS NOT NULL`, period); err != nil {
			return fmt.Errorf("published revisions: %w", err)
		}
	}
	_, err = r.W.Conn.ExecContext(ctx, "DROP TABLE IF EXISTS quote_published_set")
	return err
}

// keepRevisions records the revision numbers this run published in
// quote_revisions (those not there yet), for every later run to keep.
func keepRevisions(ctx context.Context, r *Run) error {
	_, err := r.W.Conn.ExecContext(ctx, `INSERT INTO quote_revisions
		SELECT DISTINCT q.request_id, q.revision, q.requested_on, q.source_file, f.sha256, ?
		FROM (SELECT request_id, revision, file_id, any_value(source_file) AS source_file, min(requested_on) AS requested_on
		      FROM quote_requests GROUP BY request_id, revision, file_id) q
		JOIN files f USING (file_id)
		WHERE NOT EXISTS (SELECT 1 FROM quote_revisions k WHERE k.request_id = q.request_id AND k.revision = q.revision
		                  AND k.source_file = q.source_file AND k.source_sha256 = f.sha256)`, r.Config.Period)
	if err != nil {
		return fmt.Errorf("quote revisions: %w", err)
	}
	return nil
}

// latestExposure finds <out>/reconciliation/<period>/credit_exposure.parquet
// of the latest period up to the run's.
func latestExposure(cfg Config) (period, file string, err error) {
	files, err := filepath.Glob(filepath.Join(cfg.Out, Reconciliation.Name, "*", "credit_exposure.parquet"))
	if err != nil {
		return "", "", err
	}
	sort.Strings(files)
	for _, f := range files {
		p := filepath.Base(filepath.Dir(f))
		if len(p) == len("2006-01") && p <= cfg.Period {
			period, file = p, f
		}
	}
	return period, file, nil
}

// checkQuotes fails the run without a published price table or credit
// exposure to price and check requests with, and notes what was used.
func checkQuotes(ctx context.Context, r *Run) error {
	var prices sql.NullString
	if err := r.W.Conn.QueryRowContext(ctx, "SELECT max(period) FROM quote_prices_history WHERE period <= ?", r.Config.Period).Scan(&prices); err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	if !prices.Valid {
		return fmt.Errorf("price list: none published for a period up to %s (run pricelist first): nothing was published", r.Config.Period)
	}
	period, file, err := latestExposure(r.Config)
	if err != nil {
		return err
	}
	if file == "" {
		return fmt.Errorf("credit exposure: no reconciliation published for a period up to %s (run reconciliation first): nothing was published", r.Config.Period)
	}
	r.Manifest.Notes = append(r.Manifest.Notes, "requests priced from the price list published for "+prices.String,
		"credit exposure from the reconciliation published for "+period)
	var requests int
	if err := r.W.Conn.QueryRowContext(ctx, "SELECT count(*) FROM raw_quote_requests JOIN files USING (file_id) WHERE files.kind = 'quotes'").Scan(&requests); err != nil {
		return err
	}
	if requests == 0 {
		r.Manifest.Notes = append(r.Manifest.Notes, "no quote requests in the inbox (quotes/): nothing to price")
	}
	return nil
}

// writeProposals writes each proposal issued as
// proposals/<request_id>-r<revision>.pdf and .xlsx, and each waiting for an
// approval as a draft under proposals/rascunhos/.
func writeProposals(ctx context.Context, r *Run, dir string) ([]publish.Output, error) {
	if err := r.W.Build(ctx, reports.Proposal.Model, reports.ProposalLines.Model); err != nil {
		return nil, err
	}
	return write.Proposals(ctx, r.W, dir, reports.Proposal.Model, reports.ProposalLines.Model, r.Config.Quotes.company(), r.Config.AsOfDate())
}
