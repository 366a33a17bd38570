package extract

import (
	"context"
	"slices"

	"github.com/salesops/salesops/transform"
)

// ERP exports are Brazilian CSV: ';' separated, decimal comma with dot
// thousands, dd/mm/aaaa dates, a header row, UTF-8 or Windows-1252 (the
// config's reconciliation.erp_encoding, or detected). Columns are matched by
// name, case-insensitively; extra columns are ignored. Values stay text here:
// the stg_erp_* models type them and reject what does not parse.

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
		"po_number", "contract_id", "order_type", "sku_id", "vendor_subscription_id", "status"),
		column{Field: "order_line", Names: []string{"line"}, Required: true})
	erpInvoiceColumns = cols([]string{"nf_number", "kind", "issue_date", "customer_cnpj", "gross", "net", "status"},
		"series", "so_number", "discount", "taxes_withheld", "due_date", "paid_date", "paid_amount", "portal_posted_date", "replaces_nf")
	erpVendorAccountColumns = cols([]string{"vendor", "vendor_customer_id", "customer_id"})
	// True-up orders and update statements submitted to the vendor: each
	// closes the true-up event of its contract's anniversary.
	erpStatementColumns = cols([]string{"contract_id", "anniversary", "kind", "submitted_on"}, "reference")
)

func erpLoader(table string, columns []column) func(context.Context, *transform.Warehouse, source, Options) (int64, error) {
	return func(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
		return loadCSV(ctx, w, s, table, csvLayout{Delim: ';', Header: true, Encoding: opts.ERPEncoding, Columns: columns, MaxLine: opts.Limits.MaxLineBytes}, nil)
	}
}
