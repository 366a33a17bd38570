package pipelines

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/reports"
)

// Lifecycle publishes the contracts' lifecycle at as-of: renewals due,
// the T-36 calendar (with t36.ics), the next true-ups and the update
// statements.
//
// Needs: customers, contracts, contract lines and orders. The statements
// the ERP records (erp/statements) close true-up events, when there are
// any. Without lines
// every renewal would be valued at nothing; without orders every annual
// order, true-up, recurrence and renewal would show as overdue: a set
// that looks complete and is wrong. SAM counts are not needed: a SKU
// without a count is listed as such ("no SAM count") and its contract's
// true-up marked incomplete, never counted as zero, so the set stays right
// and says what is missing. PTAX is needed only for contract lines not in
// BRL, which checkLifecycleFX enforces.
var Lifecycle = &Pipeline{
	Name:    "lifecycle",
	Title:   "Ciclo de vida dos contratos",
	Summary: "ERP contracts + orders + SAM counts + published prices → renewals, T-36 calendar (.ics), true-up, update statements",
	Kinds:   []string{"erp_customers", "erp_contracts", "erp_contract_lines", "erp_orders", "erp_order_headers", "sam", "ptax", "pricing_rules", "tax_rules", "approvals", "erp_statements"},
	Needs: []Need{
		{Kinds: []string{"erp_customers"}, What: "customer master (erp/customers/)"},
		{Kinds: []string{"erp_contracts"}, What: "contracts (erp/contracts/)"},
		{Kinds: []string{"erp_contract_lines"}, What: "contract lines (erp/contract_lines/)"},
		{Kinds: []string{"erp_orders"}, What: "sales orders (erp/orders/)"},
	},
	Parts: []Part{lifecyclePeriod},
	Reports: []reports.Report{reports.Renewals, reports.RenewalsByMonth, reports.RenewalLines, reports.T36NextDays, reports.T36Calendar, reports.TrueUp,
		reports.TrueUpSummary, reports.UpdateStatements, reports.LifecycleDataQuality},
	// Not the renewals: they leave the list as they are renewed or fall
	// out of the horizon, where every active contract keeps its events in
	// the calendar.
	Main:      reports.T36Calendar,
	Rejects:   reports.LifecycleRejects,
	Workbook:  &reports.LifecycleWorkbook,
	Calendars: []reports.Calendar{reports.T36ICS},
	Prepare:   prepareLifecycle,
	Check:     checkLifecycleFX,
	Write:     writeRenewalDrafts,
	Commit:    keepSequences,
	Reads:     lifecycleReads,
}

// keepSequences records the SEQUENCE and content of every event t36.ics
// published, so an event whose content changes next time gets the next
// number (t36_ics).
func keepSequences(ctx context.Context, r *Run) error {
	if _, err := r.W.Conn.ExecContext(ctx, `INSERT OR REPLACE INTO t36_ics_sequences
		SELECT uid, content_hash, sequence FROM t36_ics`); err != nil {
		return fmt.Errorf("t36.ics sequences: %w", err)
	}
	return nil
}

// writeRenewalDrafts writes a draft renewal proposal, in the quotes'
// proposal layout, for each contract renewals names in draft_proposal.
func writeRenewalDrafts(ctx context.Context, r *Run, dir string) ([]publish.Output, error) {
	if err := r.W.Build(ctx, reports.RenewalProposal.Model, reports.RenewalProposalLines.Model); err != nil {
		return nil, err
	}
	return write.Proposals(ctx, r.W, dir, reports.RenewalProposal.Model, reports.RenewalProposalLines.Model, r.Config.Quotes.company(), r.Config.AsOfDate())
}

// prepareLifecycle writes what the models read besides the inbox: the
// business-day calendar (for the T-36 and reconciliation deadlines), the published
// price history, the true-up factors of the config, the renewal horizon,
// the true-up windows and the days a lapsed renewal stays listed, and the
// name of the pipeline whose runs close the monthly reconciliation events.
func prepareLifecycle(ctx context.Context, r *Run) error {
	if err := prepareReconciliation(ctx, r); err != nil {
		return err
	}
	if err := historyView(ctx, r); err != nil {
		return err
	}
	var rows [][]any
	for _, p := range slices.Sorted(maps.Keys(r.Config.Lifecycle.TrueUp)) {
		f := r.Config.Lifecycle.TrueUp[p]
		rows = append(rows, []any{p, strconv.FormatFloat(*f.LicenseFactor, 'f', -1, 64), strconv.FormatFloat(*f.AdditionYearFactor, 'f', -1, 64)})
	}
	if err := replaceRows(ctx, r, "true_up_factors", "(?, ?::DECIMAL(9,4), ?::DECIMAL(9,4))", rows); err != nil {
		return fmt.Errorf("true-up factors: %w", err)
	}
	l := r.Config.Lifecycle
	return r.W.SetVars(ctx, map[string]any{
		"renewal_horizon_days":    l.RenewalHorizonDays,
		"lapsed_days":             l.LapsedDays,
		"true_up_opens_days":      l.TrueUpOpensDays,
		"true_up_due_days":        l.TrueUpDueDays,
		"final_true_up_days":      l.FinalTrueUpDays,
		"reconciliation_pipeline": Reconciliation.Name,
		// the zero time, year 1: every event tracked
		"track_from": r.Config.Lifecycle.TrackFromDate(),
	})
}

// checkLifecycleFX fails the run when a contract line to value (a renewal,
// or a true-up) is in a currency with no usable PTAX, and records the
// rates used.
func checkLifecycleFX(ctx context.Context, r *Run) error {
	if err := r.W.Build(ctx, "renewals_due", "t36_calendar"); err != nil {
		return err
	}
	return requireFX(ctx, r, "contract_lines",
		"contract_id IN (SELECT contract_id FROM renewals_due UNION SELECT contract_id FROM t36_calendar WHERE event = 'true_up' AND status <> 'done')")
}
