package extract

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/salesops/salesops/transform"
)

// ERP exports are Brazilian CSV: ';' separated, decimal comma with dot
// thousands, dd/mm/aaaa dates, a header row, UTF-8 or Windows-1252 (the
// config's reconciliation.erp_encoding, or detected). Columns are matched by
// name, case-insensitively; extra columns are ignored. Values stay text here:
// the stg_erp_* models type them and reject what does not parse. An ERP's
// own exports are read through a mapping of the config's erp: block
// (erpmap.go, erpload.go) into the same raw shape.

// cols builds the column map of an ERP export whose headers are the field
// names; required names fail the load when missing.
func cols(required []string, optional ...string) []column {
	var c []column
	for _, n := range required {
		c = append(c, column{Field: n, Names: []string{n}, Required: true})
	}
	for _, n := range optional {
		c = append(c, column{Field: n, Names: []string{n}})
	}
	return c
}

// dated marks the named columns of c as dates.
func dated(c []column, fields ...string) []column {
	for i := range c {
		c[i].Date = slices.Contains(fields, c[i].Field)
	}
	return c
}

var (
	erpCustomerColumns = cols([]string{"customer_id", "name", "cnpj"},
		"segment", "billing_cutoff_day", "payment_terms_days", "credit_limit", "restrictions", "portal", "account_manager", "status")
	erpContractColumns = cols([]string{"contract_id", "customer_id", "vendor", "start_date", "end_date"},
		"program", "agreement_number", "billing_frequency", "currency", "status", "onboarding_date", "true_up_program", "fx_rule")
	erpContractLineColumns = cols([]string{"contract_id", "product_id", "quantity"},
		"sku_id", "description", "unit_price", "license_price", "annual_price", "currency", "product_class", "sa_price")
	// The export's "line" is the order line number; "line" in raw tables is
	// the file line.
	erpOrderColumns = append(cols([]string{"so_number", "customer_id", "order_date", "product_id", "quantity", "unit_price_brl", "period_start", "period_end"},
		"po_number", "contract_id", "order_type", "sku_id", "vendor_subscription_id", "status", "invoice_number", "invoiced_quantity"),
		column{Field: "order_line", Names: []string{"line"}, Required: true})
	erpInvoiceColumns = cols([]string{"nf_number", "kind", "issue_date", "customer_cnpj", "gross", "net", "status"},
		"series", "so_number", "discount", "taxes_withheld", "due_date", "paid_date", "paid_amount", "portal_posted_date", "replaces_nf",
		"customer_id", "access_key")
	erpVendorAccountColumns = cols([]string{"vendor", "vendor_customer_id", "customer_id"})
	// True-up orders and update statements submitted to the vendor: each
	// closes the true-up event of its contract's anniversary.
	erpStatementColumns = cols([]string{"contract_id", "anniversary", "kind", "submitted_on"}, "reference")
	// Receivables by title / installment: the invoice the title collects
	// (nf_number, series), its installment (parcela), type (NF; an
	// abatement ends in "-"), customer, dates and amounts.
	erpReceivableColumns = cols([]string{"nf_number", "due_date", "amount"},
		"series", "installment", "title_type", "customer_id", "issue_date", "balance", "paid_date")
)

// erpLoader loads a file of an ERP kind: through the config's mapping
// when one reads it, else in the native layout (';' separated, decimal
// comma, dd/mm/aaaa dates, salesops' column names).
func erpLoader(kind, table string, columns []column) func(context.Context, *transform.Warehouse, source, Options) (int64, error) {
	return func(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
		if f, _ := opts.ERP.format(kind, s.Path); f != nil {
			return loadMapped(ctx, w, s, opts, kind, table, f)
		}
		if err := nativeERP(kind, s.Path); err != nil {
			return 0, err
		}
		return loadCSV(ctx, w, s, table, csvLayout{Delim: ';', Header: true, Encoding: opts.ERPEncoding, Columns: columns, MaxLine: opts.Limits.MaxLineBytes}, nil)
	}
}

// nativeERP fails an ERP file that only a mapping can read: one outside
// its kind's own folder (erp/protheus/), or a workbook.
func nativeERP(kind, p string) error {
	k, ok := erpKindOf(kind)
	if !ok {
		return nil
	}
	if path.Dir(p) != "erp/"+k.folder {
		return &PosError{File: p, Err: fmt.Errorf("%w: for TOTVS Protheus' tables set erp: {profile: protheus}, or map the file under erp.%s (files: %s)",
			ErrNoFormat, k.block, strings.TrimPrefix(path.Dir(p), "erp/")+"/"+path.Base(p))}
	}
	if strings.EqualFold(path.Ext(p), ".xlsx") {
		return &PosError{File: p, Err: because(ErrNoFormat, "a workbook: the native layout is a CSV (save it as CSV UTF-8, ';' separated), or map the workbook under erp.%s in the config file", k.block)}
	}
	return nil
}
