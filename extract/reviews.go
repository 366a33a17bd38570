package extract

import (
	"context"
	"strings"

	"github.com/salesops/salesops/transform"
)

// Finance's review of the reconciliation's exceptions, reviews/:
//
// Decisions, reviews/*.csv: Brazilian CSV like the ERP exports (';',
// dd/mm/aaaa, UTF-8 or Windows-1252), one decision per row:
//
//	exception_id;decision;owner;due;note;decided_by;decided_on
//	EX-0123456789ABCDEF;corrigir;Marina (faturamento);20/12/2025;emitir a nota;Carla;05/11/2025
//
// or reviews/*.xlsx: the "Revisão" sheet of reconciliation.xlsx as finance
// saved it (any other sheet of the workbook is not read; a workbook
// without that sheet is read from its first sheet), whose columns carry
// the pt-BR titles the workbook gives them, or the names above. Date cells
// are Excel dates. stg_review_decisions types and checks them.
//
// Sign-offs, reviews/signoff.csv, the same CSV: period;signed_by;signed_on;note
// (period AAAA-MM).

// ReviewSheet is the sheet of a reviews/ workbook that holds the
// decisions: the one reconciliation.xlsx names so (reports.OpenExceptions).
const ReviewSheet = "Revisão"

// reviewColumns read a decision by its machine name or by the title of
// the Revisão sheet's column (TestReviewSheetTitles keeps the two in step).
var reviewColumns = []column{
	{Field: "exception_id", Names: []string{"exception_id", "Exceção (ID)"}, Required: true},
	{Field: "decision", Names: []string{"decision", "Decisão"}, Required: true},
	{Field: "owner", Names: []string{"owner", "Responsável"}},
	{Field: "due", Names: []string{"due", "Prazo"}, Date: true},
	{Field: "note", Names: []string{"note", "Observação"}},
	{Field: "decided_by", Names: []string{"decided_by", "Decidido por"}},
	{Field: "decided_on", Names: []string{"decided_on", "Decidido em"}, Required: true, Date: true},
}

// ReviewColumnNames lists the headers a reviews/ file may give field.
func ReviewColumnNames(field string) []string {
	for _, c := range reviewColumns {
		if c.Field == field {
			return c.Names
		}
	}
	return nil
}

var signoffColumns = cols([]string{"period", "signed_by", "signed_on"}, "note")

func loadReviews(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	if strings.HasSuffix(strings.ToLower(s.Path), ".xlsx") {
		return loadXLSXSheet(ctx, w, s, opts, "raw_review_decisions", sheetOr(ReviewSheet), reviewColumns, nil)
	}
	return loadCSV(ctx, w, s, "raw_review_decisions", csvLayout{Delim: ';', Header: true, Columns: reviewColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}

func loadSignoffs(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	return loadCSV(ctx, w, s, "raw_review_signoffs", csvLayout{Delim: ';', Header: true, Columns: signoffColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
