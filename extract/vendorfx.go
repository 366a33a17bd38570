package extract

import (
	"context"

	"github.com/salesops/salesops/transform"
)

// A vendor's monthly exchange rates, fx/<vendor>_rates*.csv (Partner
// Center's monthly foreign-exchange rate for Microsoft): a header row,
// ';', decimal comma, the vendor named by the file:
//
//	month;from_currency;to_currency;rate
//	2025-12;USD;BRL;5,4321
//
// The rate of a month prices that month's price list when the config says
// fx.vendors.<vendor>: vendor_rate. The stg_vendor_fx model types them.
var vendorFXColumns = cols([]string{"month", "from_currency", "to_currency", "rate"})

func loadVendorFX(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	return loadCSV(ctx, w, s, "raw_vendor_fx", csvLayout{Delim: ';', Header: true, Columns: vendorFXColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
