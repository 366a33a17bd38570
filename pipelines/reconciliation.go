package pipelines

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/salesops/salesops/calendar"
	"github.com/salesops/salesops/reports"
)

// Reconciliation publishes the month's three-way reconciliation (vendor
// bills ↔ sales orders ↔ invoices) and the checks finance runs with it.
var Reconciliation = &Pipeline{
	Name:    reconciliationName,
	Title:   "Conciliação de faturamento",
	Summary: "ERP exports + NF-e/NFS-e XML + vendor bills → billing reconciliation, credit & rebill, cutoff/portal, AR aging, credit exposure, data quality",
	Kinds: []string{"erp_customers", "erp_contracts", "erp_contract_lines", "erp_orders", "erp_order_headers", "erp_invoices",
		"erp_invoice_items", "erp_receivables", "erp_vendor_accounts", "nf_xml", "ms_billing", "ptax", "tax_rules",
		"review_signoffs", "review_decisions"},
	Needs: []Need{
		{Kinds: []string{"erp_customers"}, What: "customer master (erp/customers/)"},
		{Kinds: []string{"erp_orders"}, What: "sales orders (erp/orders/)"},
		{Kinds: []string{"erp_invoices", "nf_xml"}, What: "invoices (erp/invoices/ or nf/)"},
		{Kinds: []string{"ms_billing"}, What: "vendor bills (vendor_billing/microsoft/)"},
		{Kinds: []string{"erp_vendor_accounts"}, What: "vendor customer ids (erp/vendor_accounts/)"},
	},
	Whole: []string{"ms_billing"},
	Parts: []Part{reconciliationPeriod},
	Reports: []reports.Report{reports.Reconciliation, reports.ReconciliationSummary, reports.CreditRebill,
		reports.FiscalEvents, reports.CutoffPortal, reports.ARAging, reports.CreditExposure, reports.DataQuality,
		reports.OpenExceptions, reports.ExceptionRegister, reports.ReviewTrend, reports.ReviewAging, reports.VendorDisputes},
	Main:     reports.Reconciliation,
	Rejects:  reports.ReconciliationRejects,
	Workbook: &reports.ReconciliationWorkbook,
	Prepare:  prepareBilling,
	// The review loop (review.go): the periods it evaluates again, the
	// bills' rates, where the review stands.
	Check: checkReconciliation,
	Write: writeDisputes,
	Reads: reconciliationReads,
}

// prepareBilling is prepareReconciliationTaxes plus what the licensing
// rules read: the rate that priced each vendor's currency in the published
// price table (table_fx_rates, for the FX effect) and the NCE cancellation
// window.
func prepareBilling(ctx context.Context, r *Run) error {
	if err := prepareReconciliationTaxes(ctx, r); err != nil {
		return err
	}
	rates, err := tableRates(ctx, r)
	if err != nil {
		return err
	}
	rows := make([][]any, len(rates))
	for i, t := range rates {
		rows[i] = []any{t.vendor, t.currency, t.rate, t.period}
	}
	if err := replaceRows(ctx, r, "table_fx_rates", "(?, ?, ?::DECIMAL(18,6), ?)", rows); err != nil {
		return fmt.Errorf("price table rates: %w", err)
	}
	return r.W.SetVars(ctx, map[string]any{"nce_cancel_hours": r.Config.Reconciliation.NCECancelHours})
}

// tableRate is the rate that priced a vendor's currency in a published
// price table.
type tableRate struct{ vendor, currency, rate, period string }

// tableRates reads, from the price history (quote_prices_history, defined
// by prepareReconciliationTaxes) of the latest period kept up to the
// run's, the rate of each vendor and currency (one per pair: the table
// converts a vendor's currency at one rate). A period kept before the
// rates were has none.
func tableRates(ctx context.Context, r *Run) ([]tableRate, error) {
	h, err := latestHistory(r.Config, true)
	if err != nil || h.Path == "" {
		return nil, err
	}
	period := strings.TrimPrefix(h.Path, "period=")
	rows, err := r.W.Conn.QueryContext(ctx, `SELECT lower(vendor), upper(currency), max(fx_rate)::VARCHAR
		FROM quote_prices_history WHERE period = ? AND fx_rate IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`, period)
	if err != nil {
		return nil, fmt.Errorf("price table rates %s: %w", period, err)
	}
	defer rows.Close()
	var out []tableRate
	for rows.Next() {
		t := tableRate{period: period}
		if err := rows.Scan(&t.vendor, &t.currency, &t.rate); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// prepareReconciliationTaxes is prepareReconciliation and the products of
// the latest price table published up to the period with their kind of
// sale (listed_products), which tells a licence from hardware for the
// taxes on revenue (core/product_goods). A stored table, not the history's
// temp view: the models reading it are built again only when it changes.
func prepareReconciliationTaxes(ctx context.Context, r *Run) error {
	if err := prepareReconciliation(ctx, r); err != nil {
		return err
	}
	if err := historyView(ctx, r); err != nil {
		return err
	}
	err := r.W.InTx(ctx, func() error {
		if _, err := r.W.Conn.ExecContext(ctx, "DELETE FROM listed_products"); err != nil {
			return err
		}
		_, err := r.W.Conn.ExecContext(ctx, `INSERT INTO listed_products
			SELECT product_id, max(coalesce(goods, 'licence')) FROM quote_prices_history
			WHERE period = (SELECT max(period) FROM quote_prices_history WHERE period <= ?) AND product_id IS NOT NULL
			GROUP BY product_id ORDER BY product_id`, r.Config.Period)
		return err
	})
	if err != nil {
		return fmt.Errorf("listed products: %w", err)
	}
	return nil
}

// reconciliationReads: the price table the products' kinds of sale come
// from (core/product_goods) and whose rates the FX effect compares with
// the bills' (table_fx_rates), and the registers of the review loop
// (reviewReads).
func reconciliationReads(ctx context.Context, r *Run) ([]Read, error) {
	h, err := latestHistory(r.Config, true)
	if err != nil {
		return nil, err
	}
	reg, err := reviewReads(ctx, r)
	if err != nil {
		return nil, err
	}
	return append([]Read{h}, reg...), nil
}

// prepareReconciliation writes the calendar of every day the models look
// at (the year before the period to the year after as-of) and the portal
// deadline, so SQL counts business days by package calendar's rule, with
// the local holidays of the config, as the daemon schedules by it.
func prepareReconciliation(ctx context.Context, r *Run) error {
	cal, err := calendar.New(r.Config.Schedule.Holidays)
	if err != nil {
		return &UsageError{fmt.Errorf("schedule.holidays: %w", err)}
	}
	first := r.Config.PeriodStart().Year() - 1
	last := r.Config.AsOfDate().Year() + 1
	if y := r.Config.PeriodStart().Year() + 1; y > last {
		last = y
	}
	days := cal.Days(time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(last, 12, 31, 0, 0, 0, 0, time.UTC))
	err = r.W.InTx(ctx, func() error {
		if _, err := r.W.Conn.ExecContext(ctx, "DELETE FROM calendar_days"); err != nil {
			return err
		}
		return r.W.Append(ctx, "calendar_days", func(add func(...driver.Value) error) error {
			for _, d := range days {
				var holiday driver.Value
				if d.Holiday != "" {
					holiday = d.Holiday
				}
				if err := add(d.Date, d.IsBusinessDay, holiday); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	return r.W.SetVars(ctx, map[string]any{"portal_business_days": r.Config.Reconciliation.PortalBusinessDays})
}

// checkBillFX fails the run when a bill of the period, or a commitment
// still owed, is in a currency with no usable PTAX (its BRL cost would be
// missing), and records the rates used.
func checkBillFX(ctx context.Context, r *Run) error {
	if err := requireFX(ctx, r, "vendor_bill_lines", "true"); err != nil { // the period's lines only
		return err
	}
	return requireFX(ctx, r, "committed_subscriptions", "true")
}
