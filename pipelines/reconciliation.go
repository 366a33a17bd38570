package pipelines

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/salesops/salesops/load"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/scheduler"
)

// Reconciliation publishes the month's three-way reconciliation (vendor
// bills ↔ sales orders ↔ invoices) and the checks finance runs with it.
var Reconciliation = &Pipeline{
	Name:    "reconciliation",
	Summary: "ERP exports + NF-e/NFS-e XML + vendor bills → billing reconciliation, credit & rebill, cutoff/portal, AR aging, credit exposure, data quality",
	Kinds: []string{"erp_customers", "erp_contracts", "erp_contract_lines", "erp_orders", "erp_invoices",
		"erp_vendor_accounts", "nf_xml", "ms_billing", "ptax"},
	Targets: []string{"reconciliation", "reconciliation_summary", "credit_rebill", "cutoff_portal", "ar_aging",
		"credit_exposure", "data_quality", "reconciliation_overview", "reconciliation_rejects"},
	Reports: []reports.Report{reports.Reconciliation, reports.ReconciliationSummary, reports.CreditRebill,
		reports.CutoffPortal, reports.ARAging, reports.CreditExposure, reports.DataQuality, reports.ReconciliationRejects},
	Prepare: prepareReconciliation,
	Check:   checkBillFX,
	Write:   writeReconciliationWorkbook,
}

// prepareReconciliation writes the national holidays of every year the
// models look at (the year before the period to the year after as-of) and
// the portal deadline, so SQL counts business days with the calendar the
// scheduler uses.
func prepareReconciliation(ctx context.Context, r *Run) error {
	first := r.Config.PeriodStart().Year() - 1
	last := r.Config.AsOfDate().Year() + 1
	if y := r.Config.PeriodStart().Year() + 1; y > last {
		last = y
	}
	err := r.W.InTx(ctx, func() error {
		if _, err := r.W.Conn.ExecContext(ctx, "DELETE FROM holidays"); err != nil {
			return err
		}
		return r.W.Append(ctx, "holidays", func(add func(...driver.Value) error) error {
			for y := first; y <= last; y++ {
				for _, h := range scheduler.Holidays(y) {
					if err := add(h.Date, h.Name); err != nil {
						return err
					}
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("holidays: %w", err)
	}
	return r.W.SetVars(ctx, map[string]any{"portal_business_days": r.Config.Reconciliation.PortalBusinessDays})
}

// checkBillFX fails the run when a bill of the period is in a currency with
// no usable PTAX (its BRL cost would be missing), and records the rates used.
func checkBillFX(ctx context.Context, r *Run) error {
	if err := r.W.Build(ctx, "vendor_bill_lines"); err != nil {
		return err
	}
	rows, err := r.W.Conn.QueryContext(ctx, `
		SELECT DISTINCT currency FROM vendor_bill_lines
		WHERE is_in_period AND cost_brl IS NULL ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var missing []string
	for rows.Next() {
		var cur string
		if err := rows.Scan(&cur); err != nil {
			return err
		}
		missing = append(missing, cur)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("fx: no usable PTAX sell rate before %s for vendor bills in %s", r.Config.PeriodStart().Format("02/01/2006"), strings.Join(missing, ", "))
	}
	rates, err := r.W.Conn.QueryContext(ctx, `
		SELECT currency, sell_rate::VARCHAR, strftime(rate_date, '%Y-%m-%d')
		FROM period_fx
		WHERE currency <> 'BRL' AND currency IN (SELECT currency FROM vendor_bill_lines WHERE is_in_period)
		ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rates.Close()
	for rates.Next() {
		var cur string
		var fx load.FXRate
		if err := rates.Scan(&cur, &fx.Rate, &fx.Date); err != nil {
			return err
		}
		if r.Manifest.FX == nil {
			r.Manifest.FX = map[string]load.FXRate{}
		}
		r.Manifest.FX[cur] = fx
	}
	return rates.Err()
}

// writeReconciliationWorkbook writes reconciliation.xlsx: the overview by
// class first, then one sheet per report.
func writeReconciliationWorkbook(ctx context.Context, r *Run, dir string) ([]load.Output, error) {
	out, notes, err := load.WriteWorkbook(ctx, r.W, dir, "reconciliation.xlsx", reports.ReconciliationSheets)
	if err != nil {
		return nil, err
	}
	r.Manifest.Notes = append(r.Manifest.Notes, notes...)
	return []load.Output{out}, nil
}
