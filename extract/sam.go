package extract

// Deployment counts from the customers' SAM (software asset management)
// tools, sam/*.csv: Brazilian CSV like the ERP exports (';', decimal comma,
// dd/mm/aaaa, UTF-8 or Windows-1252), one row per contract and SKU counted:
//
//	customer_id;contract_id;product_id;sku_id;deployed_quantity;count_date
//	C001;K010;CFQ7TTC0LF8R;0001;112;15/01/2026
//
// The stg_sam_counts model types them; the true-up takes, per contract and
// SKU, the latest count on or before as-of.
var samColumns = cols([]string{"customer_id", "contract_id", "product_id", "deployed_quantity", "count_date"}, "sku_id")
