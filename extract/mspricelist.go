package extract

import (
	"context"

	"github.com/salesops/salesops/transform"
)

// Microsoft Partner Center new-commerce (NCE) license-based price list, as
// downloaded: comma-separated, double-quoted, maybe with a BOM; columns
// matched by name. Segment is missing from older files (staging defaults it
// to Commercial). Publisher, descriptions, units, tiers and tags are not
// loaded: nothing reads them, and they are a third of a 240 MB file.
var msPriceColumns = []column{
	{Field: "product_title", Names: []string{"ProductTitle"}, Required: true},
	{Field: "product_id", Names: []string{"ProductId"}, Required: true},
	{Field: "sku_id", Names: []string{"SkuId"}, Required: true},
	{Field: "sku_title", Names: []string{"SkuTitle"}, Required: true},
	{Field: "term_duration", Names: []string{"TermDuration"}, Required: true},
	{Field: "billing_plan", Names: []string{"BillingPlan"}, Required: true},
	{Field: "market", Names: []string{"Market"}, Required: true},
	{Field: "currency", Names: []string{"Currency"}, Required: true},
	{Field: "unit_price", Names: []string{"UnitPrice"}, Required: true},
	{Field: "effective_start", Names: []string{"EffectiveStartDate"}, Required: true},
	{Field: "effective_end", Names: []string{"EffectiveEndDate"}, Required: true},
	{Field: "erp_price", Names: []string{"ERP Price", "ERPPrice"}},
	{Field: "segment", Names: []string{"Segment"}},
}

func loadMSPrices(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	return loadCSV(ctx, w, s, "raw_ms_prices", csvLayout{Delim: ',', Header: true, Encoding: "utf-8", Columns: msPriceColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
