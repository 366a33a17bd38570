package extract

import (
	"context"

	"github.com/salesops/salesops/transform"
)

// Approvals, approvals/*.csv: the decisions on the quote revisions that
// need one (a margin below the pricing rule's floor, a total over the
// customer's credit limit) and on renewal drafts below the floor,
// Brazilian CSV like the ERP exports (';', dd/mm/aaaa, UTF-8 or
// Windows-1252), one row per decision:
//
//	request_id;revision;decision;approver;decided_on;note
//	Q-102;1;aprovado;Roberto Lima;09/12/2025;desconto aceito pela diretoria
//
// revision is the number quotes.csv gives the revision (a renewal draft's
// is 1, its request_id RN-<contract_id>); decision is aprovado or
// recusado. The stg_quote_approvals model types them.
var approvalColumns = cols([]string{"request_id", "revision", "decision", "approver", "decided_on"}, "note")

func loadApprovals(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	return loadCSV(ctx, w, s, "raw_quote_approvals", csvLayout{Delim: ';', Header: true, Encoding: opts.ERPEncoding, Columns: approvalColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
