package extract

import (
	"context"

	"github.com/salesops/salesops/transform"
)

// Microsoft Partner Center invoice reconciliation file (NCE license-based),
// as downloaded: ',' separated, US decimals, columns by name. Header matching
// is case-insensitive, so both the "MpnId" and the "MPNID" spellings load;
// columns added by newer files are ignored.
var msBillingColumns = []column{
	{Field: "partner_id", Names: []string{"PartnerId"}},
	{Field: "customer_id", Names: []string{"CustomerId"}, Required: true},
	{Field: "customer_name", Names: []string{"CustomerName"}},
	{Field: "customer_domain_name", Names: []string{"CustomerDomainName"}},
	{Field: "customer_country", Names: []string{"CustomerCountry"}},
	{Field: "invoice_number", Names: []string{"InvoiceNumber"}, Required: true},
	{Field: "mpn_id", Names: []string{"MpnId"}},
	{Field: "reseller_mpn_id", Names: []string{"ResellerMpnId"}},
	{Field: "order_id", Names: []string{"OrderId"}},
	{Field: "order_date", Names: []string{"OrderDate"}},
	{Field: "product_id", Names: []string{"ProductId"}, Required: true},
	{Field: "sku_id", Names: []string{"SkuId"}, Required: true},
	{Field: "availability_id", Names: []string{"AvailabilityId"}},
	{Field: "sku_name", Names: []string{"SkuName"}},
	{Field: "product_name", Names: []string{"ProductName"}},
	{Field: "charge_type", Names: []string{"ChargeType"}, Required: true},
	{Field: "unit_price", Names: []string{"UnitPrice"}},
	{Field: "quantity", Names: []string{"Quantity"}},
	{Field: "subtotal", Names: []string{"Subtotal"}, Required: true},
	{Field: "tax_total", Names: []string{"TaxTotal"}, Required: true},
	{Field: "total", Names: []string{"Total"}, Required: true},
	{Field: "currency", Names: []string{"Currency"}, Required: true},
	{Field: "price_adjustment_description", Names: []string{"PriceAdjustmentDescription"}},
	{Field: "publisher_name", Names: []string{"PublisherName"}},
	{Field: "publisher_id", Names: []string{"PublisherId"}},
	{Field: "subscription_description", Names: []string{"SubscriptionDescription"}},
	{Field: "subscription_id", Names: []string{"SubscriptionId"}, Required: true},
	{Field: "charge_start_date", Names: []string{"ChargeStartDate"}, Required: true},
	{Field: "charge_end_date", Names: []string{"ChargeEndDate"}, Required: true},
	{Field: "term_and_billing_cycle", Names: []string{"TermAndBillingCycle"}},
	{Field: "effective_unit_price", Names: []string{"EffectiveUnitPrice"}, Required: true},
	{Field: "unit_type", Names: []string{"UnitType"}},
	{Field: "alternate_id", Names: []string{"AlternateId"}},
	{Field: "billable_quantity", Names: []string{"BillableQuantity"}, Required: true},
	{Field: "billing_frequency", Names: []string{"BillingFrequency"}},
	{Field: "pricing_currency", Names: []string{"PricingCurrency"}},
	{Field: "pc_to_bc_exchange_rate", Names: []string{"PCToBCExchangeRate"}, Required: true},
	{Field: "pc_to_bc_exchange_rate_date", Names: []string{"PCToBCExchangeRateDate"}},
	{Field: "meter_description", Names: []string{"MeterDescription"}},
	{Field: "reservation_order_id", Names: []string{"ReservationOrderId"}},
	{Field: "credit_reason_code", Names: []string{"CreditReasonCode"}},
	{Field: "subscription_start_date", Names: []string{"SubscriptionStartDate"}},
	{Field: "subscription_end_date", Names: []string{"SubscriptionEndDate"}},
	{Field: "reference_id", Names: []string{"ReferenceId"}},
	{Field: "product_qualifiers", Names: []string{"ProductQualifiers"}},
	{Field: "promotion_id", Names: []string{"PromotionId"}},
}

func loadMSBilling(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	return loadCSV(ctx, w, s, "raw_ms_billing", csvLayout{Delim: ',', Header: true, Encoding: "utf-8", Columns: msBillingColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
