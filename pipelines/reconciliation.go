package pipelines

import (
	"context"
	"database/sql/driver"
	"fmt"

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
	Needs: []Need{
		{Kinds: []string{"erp_customers"}, What: "customer master (erp/customers/)"},
		{Kinds: []string{"erp_orders"}, What: "sales orders (erp/orders/)"},
		{Kinds: []string{"erp_invoices", "nf_xml"}, What: "invoices (erp/invoices/ or nf/)"},
		{Kinds: []string{"ms_billing"}, What: "vendor bills (vendor_billing/microsoft/)"},
		{Kinds: []string{"erp_vendor_accounts"}, What: "vendor customer ids (erp/vendor_accounts/)"},
	},
	Whole: []string{"ms_billing"},
	Reports: []reports.Report{reports.Reconciliation, reports.ReconciliationSummary, reports.CreditRebill,
		reports.CutoffPortal, reports.ARAging, reports.CreditExposure, reports.DataQuality, reports.ReconciliationRejects},
	Workbook: &reports.ReconciliationWorkbook,
	Prepare:  prepareReconciliation,
	Check:    checkBillFX,
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
	return requireFX(ctx, r, "vendor_bill_lines", "is_in_period")
}
