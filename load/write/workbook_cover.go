package write

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/ptbr"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// CoverSheet is the first sheet of a published workbook: what the reader
// holds (period, as-of, run), what went in, and how many rows were
// rejected, with links to the sheets.
const CoverSheet = "Sobre"

// WorkbookFor writes wb into dir as Workbook does, behind a
// cover sheet made from the run's manifest m (its inputs and rejects as
// known when the reports are written).
func WorkbookFor(ctx context.Context, w *transform.Warehouse, dir string, wb reports.Workbook, m publish.Manifest) (out publish.Output, notes []string, err error) {
	path := filepath.Join(dir, wb.File)
	rows, err := createXLSX(path, func(x *XLSXWriter) error {
		if err := writeCover(x, wb, m); err != nil {
			return fmt.Errorf("cover: %w", err)
		}
		var err error
		notes, err = writeWorkbookSheets(ctx, w, x, wb.File, wb.Sheets, wb.Main)
		return err
	})
	if err != nil {
		return out, nil, fmt.Errorf("workbook %s: %w", wb.File, err)
	}
	sum, size, err := finishFile(path)
	if err != nil {
		return out, nil, fmt.Errorf("workbook %s: %w", wb.File, err)
	}
	return publish.Output{Path: wb.File, Rows: rows, SHA256: sum, Bytes: size}, notes, nil
}

// writeCover writes the cover sheet. Its rows are not counted as data.
func writeCover(x *XLSXWriter, wb reports.Workbook, m publish.Manifest) error {
	// A document, not a table (no filter); column A as wide as the
	// inputs' paths it lists, up to the fitted maximum.
	if err := x.AddSheetWith(CoverSheet, []XLSXColumn{{Title: "Item", Kind: CellText}, {Title: "Valor", Kind: CellText}}, SheetOptions{Document: true}); err != nil {
		return err
	}
	note := func(k, v string) error { return x.writeStyled([]string{k, v}, rowTotals, -1, "") }
	line := func(k, v string) error { return x.writeStyled([]string{k, v}, rowInfo, -1, "") }
	link := func(k, v, sheet string) error { return x.writeStyled([]string{k, v}, rowInfo, 1, sheet) }
	title := wb.Title
	if title == "" {
		title = wb.File
	}
	if err := note("Relatório", title); err != nil {
		return err
	}
	for _, kv := range [][2]string{
		{"Período", ptbr.Period(m.Period)},
		{"Posição em", ptbr.Date(m.AsOf)},
		// Not the run id nor the time: the same inputs give the same bytes,
		// and the fingerprint of what was read identifies the set as well
		// (manifest.json names the run).
		{"Entradas (impressão digital)", inputsFingerprint(m)},
		{"Impostos", m.Taxes},
	} {
		if kv[1] == "" {
			continue
		}
		if err := line(kv[0], kv[1]); err != nil {
			return err
		}
	}
	currencies := make([]string, 0, len(m.FX))
	for c := range m.FX {
		currencies = append(currencies, c)
	}
	sort.Strings(currencies)
	for _, c := range currencies {
		if err := line("PTAX venda "+c, ptbr.Rate(m.FX[c].Rate)+" de "+ptbr.Date(m.FX[c].Date)); err != nil {
			return err
		}
	}
	rejects := fmt.Sprintf("%s linha(s) de entrada rejeitada(s)", ptbr.Int(m.Rejects))
	if wb.Rejects != "" {
		rejects += ": ver a planilha " + wb.Rejects
		if err := link("Rejeições", rejects, wb.Rejects); err != nil {
			return err
		}
	} else if err := line("Rejeições", rejects); err != nil {
		return err
	}
	if rv := m.Review; rv != nil {
		if err := line("Revisão", rv.Text); err != nil {
			return err
		}
		if rv.RefusedText != "" {
			if err := line("", rv.RefusedText); err != nil {
				return err
			}
		}
	}
	if err := note("Planilhas", ""); err != nil {
		return err
	}
	for _, r := range wb.Sheets {
		if r.SheetBy != "" {
			continue
		}
		if err := link("", sheetTitle(r), sheetTitle(r)); err != nil {
			return err
		}
	}
	if err := note(fmt.Sprintf("Arquivos lidos (%d)", len(m.Inputs)), "linhas · tipo"); err != nil {
		return err
	}
	for _, in := range m.Inputs {
		v := ptbr.Int(in.Rows) + " · " + reports.KindName(in.Kind)
		if in.DuplicateOf != "" {
			v += " · mesmo conteúdo de " + in.DuplicateOf
		}
		if err := line(in.Path, v); err != nil {
			return err
		}
	}
	return nil
}

// inputsFingerprint identifies what a set was made of: the first 12 hex
// digits of a SHA-256 over the period, the as-of and every input's path
// and content hash, in the manifest's order.
func inputsFingerprint(m publish.Manifest) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", m.Period, m.AsOf)
	for _, in := range m.Inputs {
		fmt.Fprintf(h, "%s\x00%s\n", in.Path, in.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
