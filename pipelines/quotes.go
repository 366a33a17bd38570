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
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Quotes turns the sellers' quote requests (quotes/) into priced
// proposals: every line priced from the latest published price table of a
// period up to the run's (prorated to a co-term end or the customer's
// Adobe VIP anniversary), margins against the pricing rule's floor, the
// vendor incentive earned, the customer's credit against its limit; the
// customers' proposals as PDF and XLSX.
//
// The credit exposure is the reconciliation's model (credit_exposure),
// built here from the inbox's ERP exports as of the run's as-of: open
// receivables, every order open at as-of and, when vendor bills are in the
// inbox, what is still owed the vendor for commitments billed monthly. No
// vendor bill and no published reconciliation are needed.
//
// Needs: the customer master (a request for an unknown customer is
// rejected, so without the master every request would be), the pricing
// rules (the approval threshold is each rule's min_margin_pct), and the
// orders and invoices the exposure is made of (without them every
// customer's exposure would read as nothing). Checked before building: a
// published price table (run pricelist first). Quote requests are not
// needed: an inbox without any publishes an empty set that says so.
var Quotes = &Pipeline{
	Name:    "quotes",
	Title:   "Cotações",
	Summary: "sellers' quote requests + published prices + customer master + ERP exports (credit exposure) → priced quotes, approval and credit flags, customers' proposals (PDF, XLSX)",
	Kinds: []string{"quotes", "erp_customers", "pricing_rules", "tax_rules", "erp_contracts", "erp_contract_lines", "erp_orders",
		"erp_order_headers", "erp_invoices", "erp_invoice_items", "erp_receivables", "erp_vendor_accounts", "nf_xml", "ms_billing", "ptax", "approvals"},
	Needs: []Need{
		{Kinds: []string{"erp_customers"}, What: "customer master (erp/customers/)"},
		{Kinds: []string{"pricing_rules"}, What: "pricing rules (rules/pricing.csv)"},
		{Kinds: []string{"erp_orders"}, What: "sales orders (erp/orders/)"},
		{Kinds: []string{"erp_invoices", "nf_xml"}, What: "invoices (erp/invoices/ or nf/)"},
	},
	Reports: []reports.Report{reports.Quotes, reports.QuoteLines},
	// A month's requests accumulate in quotes/: a set with far fewer than
	// the one published for the period means files went missing
	// (--accept-shrink after a deliberate clean-up).
	Main:    reports.Quotes,
	Rejects: reports.QuotesRejects,
	// The sellers' rejects are their requests': the ERP exports' and bills'
	// rejected rows are the reconciliation's and the lifecycle's to list.
	RejectedElsewhere: []string{"erp_customers", "erp_contracts", "erp_contract_lines", "erp_orders", "erp_invoices",
		"erp_vendor_accounts", "nf_xml", "ms_billing", "ptax"},
	Workbook: &reports.QuotesWorkbook,
	Prepare:  prepareQuotes,
	Check:    checkQuotes,
	Write:    writeProposals,
	Commit:   keepRevisions,
	Reads:    quotesReads,
}

// prepareQuotes defines the published price history and request
// revisions the models read, and the validity setting.
func prepareQuotes(ctx context.Context, r *Run) error {
	if err := historyView(ctx, r); err != nil {
		return err
	}
	if err := revisionsTable(ctx, r); err != nil {
		return err
	}
	return r.W.SetVars(ctx, map[string]any{"quote_valid_days": r.Config.Quotes.ValidDays})
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

// checkQuotes fails the run without a published price table to price
// requests with, or a PTAX a commitment owed the vendor needs, and notes
// what was used.
func checkQuotes(ctx context.Context, r *Run) error {
	var prices sql.NullString
	if err := r.W.Conn.QueryRowContext(ctx, "SELECT max(period) FROM quote_prices_history WHERE period <= ?", r.Config.Period).Scan(&prices); err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	if !prices.Valid {
		return fmt.Errorf("price list: none published for a period up to %s (run pricelist first): nothing was published", r.Config.Period)
	}
	if err := requireFX(ctx, r, "committed_subscriptions", "true"); err != nil {
		return err
	}
	r.Manifest.Notes = append(r.Manifest.Notes, "requests priced from the price list published for "+prices.String,
		"credit exposure from the inbox's ERP exports at "+ptbr.DateOf(r.Config.AsOfDate()))
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
