package extract

import (
	"context"
	"strings"

	"github.com/salesops/salesops/transform"
)

// Adobe VIP Marketplace price list, CSV or XLSX, columns named as Adobe's
// price-list API names them.
var adobePriceColumns = []column{
	{Field: "part_number", Names: []string{"partNumber", "Part Number"}, Required: true},
	{Field: "product_family", Names: []string{"productFamily"}, Required: true},
	{Field: "product_type", Names: []string{"productType"}},
	{Field: "level_details", Names: []string{"levelDetails"}},
	{Field: "duration", Names: []string{"duration"}},
	{Field: "market_segment", Names: []string{"marketSegment"}, Required: true},
	{Field: "currency", Names: []string{"currency"}, Required: true},
	{Field: "partner_price", Names: []string{"partnerPrice"}, Required: true},
	{Field: "estimated_street_price", Names: []string{"estimatedStreetPrice"}},
	{Field: "price_list_month", Names: []string{"priceListMonth"}},
	{Field: "acd_indicator", Names: []string{"acdIndicator"}},
}

func loadAdobePrices(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	if strings.HasSuffix(strings.ToLower(s.Path), ".xlsx") {
		return loadXLSX(ctx, w, s, opts, "raw_adobe_prices", "", adobePriceColumns, nil)
	}
	return loadCSV(ctx, w, s, "raw_adobe_prices", csvLayout{Delim: sniffDelim(s), Header: true, Columns: adobePriceColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
