package pipelines

import (
	"context"
	"path/filepath"
	"testing"
)

// The licensing rules of the reconciliation and the credit exposure
// (docs/licensing.md), on the example inbox at period 2025-12.

// runBilling runs the price list and the reconciliation on cfg and reads
// the named reconciliation reports by key.
func runBilling(t *testing.T, cfg Config) func(report string, key ...string) map[string]map[string]string {
	t.Helper()
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation}); err != nil {
		t.Fatal(err)
	}
	return func(report string, key ...string) map[string]map[string]string {
		return byKey(readCSV(t, filepath.Join(cfg.Out, "reconciliation", cfg.Period, report+".csv")), key...)
	}
}

// SO-1002 ordered 5 Teams Essentials; Microsoft billed 7 from 01/12/2025
// (ChargeStartDate). NCE seats can be reduced within 168 hours of the
// charge's start, 00:00: until 08/12/2025. At as-of 06/12/2025 (5 days
// in) the window is open and the seats can be reduced at the vendor; at
// 10/12/2025 (9 days) it is closed: rebill the customer or absorb.
func TestNCEWindow(t *testing.T) {
	for _, tt := range []struct {
		asOf, open, action string
	}{
		{"2025-12-06", "true", "reduce_at_vendor"},
		{"2025-12-10", "false", "rebill_or_absorb"},
	} {
		t.Run(tt.asOf, func(t *testing.T) {
			cfg := exampleConfig(t, exampleInbox(t), t.TempDir())
			cfg.AsOf = tt.asOf
			read := runBilling(t, cfg)
			nce := want{"nce_charge_start": "2025-12-01", "nce_window_closes": "2025-12-08", "is_nce_window_open": tt.open, "nce_action": tt.action}
			checkSome(t, "reconciliation", read("reconciliation", "line_key"), []struct {
				key  string
				want want
			}{
				{"SO-1002/1", with(want{"class": "quantity_mismatch"}, nce)},
				// Matched lines have no window to show.
				{"SO-1001/1", want{"class": "matched", "nce_window_closes": "", "nce_action": ""}},
			})
			checkSome(t, "credit_rebill", read("credit_rebill", "so_number"), []struct {
				key  string
				want want
			}{
				{"SO-1002", with(want{"class": "quantity_mismatch"}, nce)},
				{"SO-1005", want{"class": "amount_mismatch", "nce_window_closes": "", "nce_action": ""}},
			})
		})
	}
}

// with adds b's columns to a.
func with(a, b want) want {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// A P1Y subscription billed monthly is owed for its whole term: 100,00 a
// month (2 × ROUNDDOWN(10,00 × 5,0000)), December billed, ending
// 31/07/2026: 7 months (January to July) = 700,00 more in C001's exposure.
// The same charge billed annually, or a monthly term, owes nothing more.
// C001's other subscriptions owe 11 × 2.297,63 = 25.273,93 (December's
// 1.955,50 + 152,04 + 81,48 + 108,61, to 30/11/2026).
func TestCommittedMonths(t *testing.T) {
	const header = "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,InvoiceNumber,MPNID,ResellerMpnId,OrderId,OrderDate," +
		"ProductId,SkuId,AvailabilityId,SkuName,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency," +
		"PriceAdjustmentDescription,PublisherName,PublisherId,SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate," +
		"TermAndBillingCycle,EffectiveUnitPrice,UnitType,AlternateId,BillableQuantity,BillingFrequency,PricingCurrency," +
		"PCToBCExchangeRate,PCToBCExchangeRateDate,MeterDescription,ReservationOrderId,CreditReasonCode,SubscriptionStartDate," +
		"SubscriptionEndDate,ReferenceId,ProductQualifiers,PromotionId\n"
	line := func(sub, frequency, end string) string {
		return "p,aaaaaaaa-0000-4000-8000-000000000001,Construtora Acao,c.onmicrosoft.com,BR,G099,1,,ORD-9,11/28/2025," +
			"CFQ7TTC0LH16,0001,X,Exchange Online (Plan 1),Exchange Online (Plan 1),cycleCharge,10.00,2,100.00,0.00,100.00,BRL," +
			",Microsoft Corporation,,Exchange Online,11111111-0000-4000-8000-0000000000" + sub + ",12/1/2025,12/31/2025," +
			"One-Year commitment,10.00,Licenses,,2," + frequency + ",USD,5.0000,11/24/2025,,,,8/1/2025," + end + ",,,\n"
	}
	inbox := exampleInbox(t)
	writeInbox(t, inbox, map[string]string{"vendor_billing/microsoft/G099_recon_202512.csv": header +
		line("a1", "Monthly", "7/31/2026") + line("a2", "Annual", "7/31/2026") + line("a3", "Monthly", "12/31/2025")})
	read := runBilling(t, exampleConfig(t, inbox, t.TempDir()))
	checkSome(t, "credit_exposure", read("credit_exposure", "customer_id"), []struct {
		key  string
		want want
	}{
		// 5.425,00 open + 300,00 ordered (SO-1007) + 300,00 (SO-0904,
		// October's, never invoiced) + 25.973,93.
		{"C001", want{"committed_remaining_brl": "25973.93", "exposure_brl": "31998.93"}},
		// 11 × 391,10.
		{"C003", want{"committed_remaining_brl": "4302.10"}},
		{"C004", want{"committed_remaining_brl": "0.00"}},
	})
}

// The reconciliation reports each Microsoft bill line's rate against the
// rate that priced the published table: (5,4321 − 5,3216) × 36,00 × 10
// = 39,78 on SO-1001 when the table is priced at the PTAX, nothing when it
// is priced at Microsoft's own rate for the month (the example's
// fx.vendors.microsoft: vendor_rate). An unordered line of 5 × 4,00 costs
// 0,1105 × 20 = 2,21 more.
func TestFXEffect(t *testing.T) {
	for _, tt := range []struct {
		source, table, order, bill string
	}{
		{"ptax", "5.321600", "39.78", "2.21"},
		{"vendor_rate", "5.432100", "0.00", "0.00"},
	} {
		t.Run(tt.source, func(t *testing.T) {
			cfg := exampleConfig(t, exampleInbox(t), t.TempDir())
			cfg.FX.Vendors = map[string]string{"microsoft": tt.source}
			read := runBilling(t, cfg)
			checkSome(t, "reconciliation", read("reconciliation", "line_key"), []struct {
				key  string
				want want
			}{
				{"SO-1001/1", want{"bill_fx_rate": "5.432100", "table_fx_rate": tt.table, "fx_effect_brl": tt.order}},
				{"vendor_billing/microsoft/G012345678_recon_202512.csv:9", want{"bill_fx_rate": "5.432100", "fx_effect_brl": tt.bill}},
				// Not a vendor's bill: no rate.
				{"SO-1012/1", want{"bill_fx_rate": "", "fx_effect_brl": ""}},
			})
		})
	}
}

// K027 is indexed to USD (fx_rule ptax_d1): SO-1012's 2 units at the
// contract's USD 100,00 are checked against its invoice (R$ 1.068,00) at
// the PTAX sell of the business day before the invoice. Issued Tuesday
// 02/12/2025: Monday 01/12 (5,3400), 1.068,00, matched (the order's own
// R$ 1.064,32 would be an amount mismatch). Issued Monday 05/01/2026:
// Friday 02/01/2026 (5,4600) across the weekend, 1.092,00. Issued Friday
// 02/01/2026: Wednesday 31/12/2025 (5,4500), across New Year's Day,
// 1.090,00. ptax_month takes the period's PTAX (28/11/2025, 5,3216):
// 1.064,32. A mismatch is credited and rebilled at the indexed value:
// 1.092,00 − 1.068,00 = +24,00.
func TestPTAXD1(t *testing.T) {
	for _, tt := range []struct {
		name, rule, issued, rate, day, value, class, net string
	}{
		{"day before", "ptax_d1", "02/12/2025", "5.340000", "2025-12-01", "1068.00", "matched", ""},
		{"across a weekend", "ptax_d1", "05/01/2026", "5.460000", "2026-01-02", "1092.00", "amount_mismatch", "24.00"},
		{"across a holiday", "ptax_d1", "02/01/2026", "5.450000", "2025-12-31", "1090.00", "amount_mismatch", "22.00"},
		{"the month's", "ptax_month", "02/12/2025", "5.321600", "2025-11-28", "1064.32", "amount_mismatch", "-3.68"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inbox := exampleInbox(t)
			writeInbox(t, inbox, map[string]string{"fx/ptax_virada.csv": "31122025;220;A;USD;5,4490;5,4500;1,0000;1,0000\n" +
				"02012026;220;A;USD;5,4590;5,4600;1,0000;1,0000\n"})
			editInbox(t, inbox, "erp/invoices/notas_2025.csv", "204;1;NFSE;02/12/2025;", "204;1;NFSE;"+tt.issued+";")
			editInbox(t, inbox, "erp/contracts/contratos_usd.csv", ";ptax_d1\n", ";"+tt.rule+"\n")
			read := runBilling(t, exampleConfig(t, inbox, t.TempDir()))
			checkSome(t, "reconciliation", read("reconciliation", "line_key"), []struct {
				key  string
				want want
			}{{"SO-1012/1", want{"fx_rule": tt.rule, "indexed_fx_rate": tt.rate, "indexed_fx_date": tt.day,
				"indexed_value_brl": tt.value, "so_value_brl": "1064.32", "invoiced_brl": "1068.00", "class": tt.class}}})
			rebill, ok := read("credit_rebill", "so_number")["SO-1012"]
			if got := rebill["net_effect_brl"]; ok != (tt.net != "") || got != tt.net {
				t.Errorf("credit_rebill SO-1012: listed %v, net_effect_brl %q; want %q", ok, got, tt.net)
			}
			if ok && (rebill["credit_brl"] != "1068.00" || rebill["rebill_brl"] != tt.value) {
				t.Errorf("credit_rebill SO-1012: credit %s, rebill %s; want 1068.00, %s", rebill["credit_brl"], rebill["rebill_brl"], tt.value)
			}
		})
	}
}
