package pipelines

import (
	"context"
	"database/sql"

	"github.com/salesops/salesops/reports"
)

// Pricelist publishes the month's ready-to-quote prices and their changes
// since the previous published month.
var Pricelist = &Pipeline{
	Name:     "pricelist",
	Summary:  "vendor price lists + PTAX + rules → ready-to-quote prices and month-over-month changes",
	Kinds:    []string{"ms_prices", "adobe_prices", "vendor_prices", "ptax", "pricing_rules", "incentive_rules"},
	Required: []string{"rules/pricing.csv"},
	Targets:  []string{"quote_prices", "price_changes", "pricelist_rejects"},
	Reports:  []reports.Report{reports.QuotePrices, reports.PriceChanges, reports.PricelistRejects},
	Check:    checkFX,
	Commit:   keepQuotePrices,
}

// checkFX fails the run when a currency to be quoted has no usable PTAX,
// and records the rates used in the manifest.
func checkFX(ctx context.Context, r *Run) error {
	if err := requireFX(ctx, r, "priced_skus", "unpriced_reason IS NULL"); err != nil {
		return err
	}
	return notePreviousPeriod(ctx, r)
}

// notePreviousPeriod says in the manifest what the changes compare with.
func notePreviousPeriod(ctx context.Context, r *Run) error {
	var prev sql.NullString
	if err := r.W.Conn.QueryRowContext(ctx, "SELECT max(period) FROM quote_prices_history WHERE period < ?", r.Config.Period).Scan(&prev); err != nil {
		return err
	}
	if prev.Valid {
		r.Manifest.Notes = append(r.Manifest.Notes, "price_changes compares with "+prev.String)
	} else {
		r.Manifest.Notes = append(r.Manifest.Notes, "no earlier period in the warehouse: price_changes is empty")
	}
	return nil
}

// keepQuotePrices stores the published prices of the period: the base of
// next month's price changes.
func keepQuotePrices(ctx context.Context, r *Run) error {
	if _, err := r.W.Conn.ExecContext(ctx, "DELETE FROM quote_prices_history WHERE period = ?", r.Config.Period); err != nil {
		return err
	}
	_, err := r.W.Conn.ExecContext(ctx, `
		INSERT INTO quote_prices_history
		SELECT ?, vendor, product_id, sku_id, product, sku_title, product_family, segment, market,
		       term, billing_plan, currency, cost, list_price, net_cost, sell_price, cost_brl, sell_price_brl
		FROM quote_prices`, r.Config.Period)
	return err
}
