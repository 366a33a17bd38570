package pipelines

import (
	"context"
	"path/filepath"
	"testing"
)

// TestLargeAmounts: DuckDB multiplies two DECIMAL(18,6) into a DECIMAL(18,12),
// which overflows from 1.000.000,00; a reseller's enterprise order or
// contract line is that big. Each product is taken as DECIMAL(38,…) first.
func TestLargeAmounts(t *testing.T) {
	inbox := exampleInbox(t)
	replace := func(rel, old, new string) { editInbox(t, inbox, rel, old, new) }
	// SO-1001: 6.000 × R$ 230,00 = R$ 1.380.000,00.
	replace("erp/orders/pedidos_2025-12.csv", "SO-1001;PO-81;C001;K001;28/11/2025;recurrence;1;CFQ7TTC0LF8R;0001;10;230,00",
		"SO-1001;PO-81;C001;K001;28/11/2025;recurrence;1;CFQ7TTC0LF8R;0001;6000;230,00")
	// K001: 12.000 × R$ 230,00 a month × 12 = R$ 33.120.000,00 a year.
	replace("erp/contract_lines/itens_contrato.csv", "K001;CFQ7TTC0LF8R;0001;Licença Microsoft 365 E3;10;230,00",
		"K001;CFQ7TTC0LF8R;0001;Licença Microsoft 365 E3;12000;230,00")

	cfg := exampleConfig(t, inbox, t.TempDir())
	if _, err := RunAll(context.Background(), cfg, []*Pipeline{Pricelist, Reconciliation, Lifecycle}); err != nil {
		t.Fatal(err)
	}
	recon := byKey(readCSV(t, filepath.Join(cfg.Out, "reconciliation", "2025-12", "reconciliation.csv")), "line_key")
	if got := recon["SO-1001/1"]["ordered_brl"]; got != "1380000.00" {
		t.Errorf("SO-1001/1 ordered_brl = %q, want 1380000.00", got)
	}
	lines := byKey(readCSV(t, filepath.Join(cfg.Out, "lifecycle", "2025-12", "renewal_lines.csv")), "contract_id", "line_no")
	if got := lines["K001|1"]["previous_value_brl"]; got != "33120000.00" {
		t.Errorf("K001 line 1 previous_value_brl = %q, want 33120000.00", got)
	}
}
