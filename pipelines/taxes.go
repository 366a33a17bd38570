package pipelines

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// NoTaxes is what a set says when the inbox has no rules/taxes.csv: its
// prices and margins take no tax on revenue (the manifest's notes, the
// workbook's cover).
const NoTaxes = "sem impostos"

// noteTaxes says in the manifest which taxes on revenue the run's models
// take (core/taxes_in_force, for the period's first day), for people:
// Manifest.Taxes (the workbook's cover) and, without rules/taxes.csv, a
// note.
func noteTaxes(ctx context.Context, r *Run) error {
	if err := r.W.Build(ctx, "taxes_in_force"); err != nil {
		return err
	}
	rows, err := r.W.Conn.QueryContext(ctx, `SELECT goods, has_tax_table, included_text, added_text
		FROM taxes_in_force WHERE goods <> 'other' ORDER BY goods = 'hardware', goods`)
	if err != nil {
		return fmt.Errorf("taxes: %w", err)
	}
	defer rows.Close()
	var parts []string
	hasTable := false
	for rows.Next() {
		var goods string
		var included, added sql.NullString
		if err := rows.Scan(&goods, &hasTable, &included, &added); err != nil {
			return fmt.Errorf("taxes: %w", err)
		}
		parts = append(parts, goodsLabel[goods]+": "+TaxStatement(included.String, added.String))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("taxes: %w", err)
	}
	if !hasTable {
		r.Manifest.Taxes = NoTaxes + " (nenhum rules/taxes.csv na caixa de entrada)"
		r.Manifest.Notes = append(r.Manifest.Notes, NoTaxes+": no rules/taxes.csv in the inbox, so prices and margins take no tax on revenue")
		return nil
	}
	r.Manifest.Taxes = strings.Join(parts, " · ")
	return nil
}

var goodsLabel = map[string]string{"licence": "licenças", "hardware": "hardware"}

// TaxStatement says which taxes a price includes and which the invoice adds
// on top, as a proposal states it: "ISS 2% + PIS 0,65% inclusos; CBS 0,9%
// destacado na nota".
func TaxStatement(included, added string) string {
	var s []string
	switch {
	case included == "":
		s = append(s, "nenhum imposto incluso")
	case strings.Contains(included, "+"):
		s = append(s, included+" inclusos")
	default:
		s = append(s, included+" incluso")
	}
	switch {
	case added == "":
	case strings.Contains(added, "+"):
		s = append(s, added+" destacados na nota")
	default:
		s = append(s, added+" destacado na nota")
	}
	return strings.Join(s, "; ")
}
