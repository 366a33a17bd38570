package extract

import (
	"context"
	"strings"

	"github.com/salesops/salesops/transform"
)

// Sellers' quote requests, quotes/*.csv or *.xlsx: Brazilian CSV like the
// ERP exports (';', decimal comma, dd/mm/aaaa, UTF-8 or Windows-1252), or
// the first sheet of a workbook, one row per requested line:
//
//	request_id;requested_on;seller;customer;vendor;product_id;sku_id;segment;term;billing_plan;currency;quantity;discount_pct;notes
//	Q-101;01/12/2025;Ana;C001;Microsoft;CFQ7TTC0QW7C;;;;;;10;0;
//
// customer is our customer id or a CNPJ; sku_id, segment, term,
// billing_plan and currency narrow the match in the price table and may be
// empty; coterm_end (dd/mm/aaaa), when given, prorates the line to that
// day (an NCE addition co-termed to its subscription's end). The
// stg_quote_requests model types them.
var quoteColumns = dated(cols([]string{"request_id", "customer", "product_id", "quantity"},
	"requested_on", "seller", "vendor", "sku_id", "segment", "term", "billing_plan", "currency", "discount_pct", "notes", "coterm_end"),
	"requested_on", "coterm_end")

func loadQuotes(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	if strings.HasSuffix(strings.ToLower(s.Path), ".xlsx") {
		return loadXLSX(ctx, w, s, opts, "raw_quote_requests", "", quoteColumns, nil)
	}
	return loadCSV(ctx, w, s, "raw_quote_requests", csvLayout{Delim: ';', Header: true, Columns: quoteColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
