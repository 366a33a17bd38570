package write

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWriteProposalsSafeNames: a proposal whose number holds "../" or "/"
// is written inside dir/proposals under a safe name (filename.Safe of the
// mart's name; hashes by sha256sum), the manifest paths are those, and the
// document still shows the real number; a mart whose proposal column is
// not under proposals/ is refused.
func TestWriteProposalsSafeNames(t *testing.T) {
	ctx := context.Background()
	w := testWarehouse(t)
	heads := `CREATE TABLE heads AS SELECT * FROM (VALUES
		('../../../../PWN_Q-r1', 'proposals/../../../../PWN_Q-r1'),
		('Q-102-r1', 'proposals/Q-102-r1'),
		('Q/101-r1', 'proposals/Q/101-r1')) t(proposal_number, proposal)`
	lines := `CREATE TABLE lines AS SELECT * FROM (VALUES
		('../../../../PWN_Q-r1', 1, 'Microsoft', 'Teams Rooms', 'CFQ7TTC0QW7C', '', 'P1M', 'Monthly', 10.0, 40.00, 400.00, NULL::DATE, NULL::DATE, NULL::INTEGER, NULL::INTEGER))
		t(proposal_number, item, vendor, product, product_id, sku_id, term, billing_plan, quantity, unit_price_brl, total_brl, period_start, period_end, prorated_days, term_days)`
	for _, q := range []string{heads, lines,
		`CREATE VIEW heads_v AS SELECT proposal_number, 'Proposta comercial' AS title, DATE '2025-12-01' AS proposal_date, DATE '2025-12-31' AS valid_until,
			'Ana' AS seller, 'Cliente' AS customer_name, NULL AS customer_cnpj, 400.00 AS total_brl, proposal, 30 AS payment_terms_days, false AS is_po_required,
			false AS is_draft, NULL::VARCHAR AS taxes_note FROM heads`,
		`CREATE VIEW bad_v AS SELECT * REPLACE ('elsewhere/' || proposal_number AS proposal) FROM heads_v`,
	} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	root := t.TempDir()
	dir := filepath.Join(root, "set")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stamp := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	outs, err := Proposals(ctx, w, dir, "heads_v", "lines", Company{Name: "Licenças Minas"}, stamp)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, o := range outs {
		paths = append(paths, o.Path)
	}
	want := []string{
		"proposals/PWN_Q-r1-6bbfa34748ec75ec.pdf", "proposals/PWN_Q-r1-6bbfa34748ec75ec.xlsx",
		"proposals/Q-102-r1.pdf", "proposals/Q-102-r1.xlsx",
		"proposals/Q_101-r1-c43dab1e326760d7.pdf", "proposals/Q_101-r1-c43dab1e326760d7.xlsx",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("outputs %q\nwant    %q", paths, want)
	}
	if got := listDir(t, root); !slices.Equal(got, []string{"set"}) {
		t.Errorf("beside the set: %v, want only set", got)
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"proposals"}) {
		t.Errorf("in the set: %v, want only proposals", got)
	}
	var names []string
	for _, p := range want {
		names = append(names, strings.TrimPrefix(p, "proposals/"))
	}
	if got := listDir(t, filepath.Join(dir, "proposals")); !slices.Equal(got, names) {
		t.Errorf("proposals/ holds %v, want %v", got, names)
	}
	// The workbook shows the real number.
	z, err := zip.OpenReader(filepath.Join(dir, "proposals", "PWN_Q-r1-6bbfa34748ec75ec.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var sheet string
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			sheet = string(b)
		}
	}
	if !strings.Contains(sheet, "<t>../../../../PWN_Q-r1</t>") {
		t.Errorf("the proposal's sheet does not show its number ../../../../PWN_Q-r1:\n%s", sheet)
	}

	_, err = Proposals(ctx, w, t.TempDir(), "bad_v", "lines", Company{}, stamp)
	if want := `proposals: bad_v: proposal ../../../../PWN_Q-r1: file "elsewhere/../../../../PWN_Q-r1" is not under proposals/`; err == nil || err.Error() != want {
		t.Errorf("Proposals(bad_v) = %v\nwant %s", err, want)
	}
}
