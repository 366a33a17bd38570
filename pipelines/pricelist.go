package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// Pricelist publishes the month's ready-to-quote prices and their changes
// since the previous published month.
var Pricelist = &Pipeline{
	Name:    "pricelist",
	Title:   "Tabela de preços",
	Summary: "vendor price lists + PTAX + rules → ready-to-quote prices and month-over-month changes",
	Kinds:   []string{"ms_prices", "adobe_prices", "vendor_prices", "vendor_fx", "ptax", "pricing_rules", "incentive_rules", "tax_rules"},
	Needs: []Need{
		{Kinds: []string{"ms_prices", "adobe_prices", "vendor_prices"}, What: "vendor price lists (pricelists/<vendor>/)"},
		{Kinds: []string{"pricing_rules"}, What: "margin rules (rules/pricing.csv)"},
	},
	Whole:   []string{"ms_prices", "adobe_prices", "vendor_prices"},
	Parts:   []Part{pricelistVendors},
	Reports: []reports.Report{reports.QuotePrices, reports.PriceChanges},
	Main:    reports.QuotePrices,
	Rejects: reports.PricelistRejects,
	// pricelist.xlsx: a cover, summaries by vendor and the rejects; the
	// million-row table stays in quote_prices.xlsx.
	Workbook: &reports.PricelistWorkbook,
	Prepare:  preparePricelist,
	Check:    checkFX,
	Commit:   keepQuotePrices,
	Restore:  restoreQuotePrices,
	Reads:    pricelistReads,
}

// preparePricelist defines the price history price_changes compares with
// and writes which rate prices each vendor (fx.vendors).
func preparePricelist(ctx context.Context, r *Run) error {
	if err := historyView(ctx, r); err != nil {
		return err
	}
	return writeVendorFX(ctx, r)
}

// checkFX fails the run when a currency to be quoted has no usable PTAX,
// or no rate of its vendor's for the month when the vendor is priced at
// its own, and records the rates used in the manifest.
func checkFX(ctx context.Context, r *Run) error {
	if err := requireFX(ctx, r, "priced_skus", "unpriced_reason IS NULL AND fx_source IS DISTINCT FROM 'vendor_rate'"); err != nil {
		return err
	}
	if err := requireVendorFX(ctx, r); err != nil {
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

// The published prices of each period are kept as Parquet beside the
// warehouse, <warehouse dir>/history/quote_prices/period=YYYY-MM/: the base
// of the next month's price changes. A copy of the published file costs
// nothing, where writing a million rows into the warehouse took a second.
func historyDir(cfg Config) string {
	return filepath.Join(filepath.Dir(cfg.Warehouse), "history", "quote_prices")
}

// historyColumns is what price_changes (and the lifecycle's current
// prices and the reconciliation's FX effect) read of an earlier period,
// typed for the empty history of a first run.
const historyColumns = `NULL::VARCHAR AS period, NULL::VARCHAR AS vendor, NULL::VARCHAR AS product_id,
	NULL::VARCHAR AS sku_id, NULL::VARCHAR AS product, NULL::VARCHAR AS sku_title, NULL::VARCHAR AS segment,
	NULL::VARCHAR AS market, NULL::VARCHAR AS term, NULL::VARCHAR AS billing_plan, NULL::VARCHAR AS currency,
	NULL::DECIMAL(18,2) AS cost, NULL::DECIMAL(18,2) AS sell_price, NULL::DECIMAL(18,2) AS cost_brl,
	NULL::DECIMAL(18,2) AS sell_price_brl, NULL::DECIMAL(18,2) AS net_cost_brl, NULL::VARCHAR AS pricing_rule, NULL::DECIMAL(18,2) AS margin_pct,
	NULL::VARCHAR AS goods, NULL::DECIMAL(9,2) AS tax_pct, NULL::VARCHAR AS taxes_included, NULL::DECIMAL(18,6) AS fx_rate`

// historyView defines quote_prices_history, which price_changes reads, over
// the kept periods. Prices an earlier version kept in a warehouse table
// move to the Parquet history first.
func historyView(ctx context.Context, r *Run) error {
	dir := historyDir(r.Config)
	var stored int
	if err := r.W.Conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'quote_prices_history' AND NOT temporary").Scan(&stored); err != nil {
		return err
	}
	if stored > 0 {
		if err := moveHistory(ctx, r.W, dir); err != nil {
			return fmt.Errorf("price history: %w", err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "period=*", "quote_prices.parquet"))
	if err != nil {
		return err
	}
	src := "SELECT " + historyColumns + " WHERE false"
	if len(files) > 0 {
		quoted := make([]string, len(files))
		for i, f := range files {
			quoted[i] = transform.QuoteString(f)
		}
		// By name, over the typed empty history: a period kept before a
		// column was added (the taxes) reads it as NULL.
		src += " UNION ALL BY NAME SELECT * FROM read_parquet([" + strings.Join(quoted, ", ") + "], hive_partitioning = true, hive_types = {'period': VARCHAR}, union_by_name = true)"
	}
	_, err = r.W.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW quote_prices_history AS "+src)
	return err
}

// moveHistory writes each period of the warehouse table quote_prices_history
// (kept there before the Parquet history) to dir, then drops the table.
func moveHistory(ctx context.Context, w *transform.Warehouse, dir string) error {
	rows, err := w.Conn.QueryContext(ctx, "SELECT DISTINCT period FROM main.quote_prices_history ORDER BY 1")
	if err != nil {
		return err
	}
	var periods []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		periods = append(periods, p)
	}
	rows.Close()
	for _, p := range periods {
		target := filepath.Join(dir, "period="+p, "quote_prices.parquet")
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		q := fmt.Sprintf("COPY (SELECT * EXCLUDE (period) FROM main.quote_prices_history WHERE period = %s) TO %s (FORMAT parquet, COMPRESSION zstd)",
			transform.QuoteString(p), transform.QuoteString(target+".tmp"))
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			return err
		}
		if err := os.Rename(target+".tmp", target); err != nil {
			return err
		}
	}
	_, err = w.Conn.ExecContext(ctx, "DROP TABLE main.quote_prices_history")
	return err
}

// keepQuotePrices keeps a copy of the period's published quote_prices.parquet
// in the history (replacing an earlier publication of the same period).
func keepQuotePrices(ctx context.Context, r *Run) error {
	target := filepath.Join(historyDir(r.Config), "period="+r.Config.Period, "quote_prices.parquet")
	if err := publish.CopyFile(filepath.Join(r.Dir, "quote_prices.parquet"), target); err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	return nil
}

// restoreQuotePrices keeps the period's published prices in the history
// again when they are missing there or are not the published file (by
// SHA-256, as the manifest records it).
func restoreQuotePrices(ctx context.Context, r *Run, m publish.Manifest) error {
	target := filepath.Join(historyDir(r.Config), "period="+r.Config.Period, "quote_prices.parquet")
	i := slices.IndexFunc(m.Outputs, func(o publish.Output) bool { return o.Path == "quote_prices.parquet" })
	if i < 0 {
		return fmt.Errorf("price history: quote_prices.parquet is not in %s", filepath.Join(r.Dir, "manifest.json"))
	}
	if sum, err := publish.SHA256File(target); err == nil && sum == m.Outputs[i].SHA256 {
		return nil
	}
	return keepQuotePrices(ctx, r)
}
