package extract

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzXLSXLikeExcelize writes fuzzed text and numbers into a workbook with
// excelize (shared strings, inline rich text, numbers, booleans, a far
// column) and reads it with workbook and with excelize, as loadXLSX did
// before. Property: the same rows, line numbers and cells.
func FuzzXLSXLikeExcelize(f *testing.F) {
	f.Add("partNumber", "Acrobat Pro", "rich", " text", 1234.56, true, uint16(3))
	f.Add("a_x000D_b", "_x005F_x0041_", "\t", "ç", -0.5, false, uint16(16383))
	f.Add("", " ", "<&>", "]]>", 1e300, true, uint16(0))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, a, b, r1, r2 string, n float64, flag bool, col uint16) {
		if len(a) > 32767 || len(b) > 32767 || len(r1)+len(r2) > 32767 {
			t.Skip("over MaxCellBytes, where workbook fails by design")
		}
		x := excelize.NewFile()
		defer x.Close()
		far, err := excelize.CoordinatesToCellName(int(col%xlsxMaxCols)+1, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, set := range []func() error{
			func() error { return x.SetCellValue("Sheet1", "A1", a) },
			func() error { return x.SetCellStr("Sheet1", "B1", b) },
			func() error { return x.SetCellValue("Sheet1", "C2", n) },
			func() error { return x.SetCellValue("Sheet1", "D2", flag) },
			func() error {
				return x.SetCellRichText("Sheet1", "A3", []excelize.RichTextRun{{Text: r1}, {Text: r2, Font: &excelize.Font{Italic: true}}})
			},
			func() error { return x.SetCellValue("Sheet1", far, a+b) },
		} {
			if err := set(); err != nil {
				t.Skip("excelize will not write it:", err)
			}
		}
		p := filepath.Join(dir, "f.xlsx")
		if err := x.SaveAs(p); err != nil {
			t.Skip("excelize will not save it:", err)
		}
		got, _, err := readSheet(p, "", Limits{MaxLineBytes: 1 << 20})
		if err != nil {
			t.Fatalf("workbook: %v", err)
		}
		if want := excelizeRows(t, p, "Sheet1"); !reflect.DeepEqual(got, want) {
			t.Fatalf("rows\n%v\nexcelize reads\n%v", got, want)
		}
	})
}

// FuzzXLSXParts reads a workbook whose sheet and shared strings are fuzzed
// XML, under small limits. Properties: no panic; an error is a *PosError
// on the file; no cell, row or inflated total is over its limit; rows are
// within Excel's bounds and carry no trailing empty cells.
func FuzzXLSXParts(f *testing.F) {
	f.Add(xlSheet1, xlSST)
	f.Add(xlSheet2, "")
	f.Add(`<worksheet><sheetData><row r="2"><c r="XFD2" t="s"><v>0</v></c></row><row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c></row></sheetData></worksheet>`,
		`<sst><si><t>`+strings.Repeat("x", 70)+`</t></si></sst>`)
	f.Add(`<!DOCTYPE w [<!ENTITY e "x">]><worksheet><sheetData><row><c><v>&e;</v></c></row></sheetData></worksheet>`, `<sst><si><t>&amp;&#65;&#x1F600;</t></si></sst>`)
	lim := Limits{MaxCellBytes: 64, MaxLineBytes: 256, MaxUnzippedBytes: 1 << 16}.WithDefaults()
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		parts := minimalParts()
		parts["xl/worksheets/sheet1.xml"] = zipEntry{body: sheet}
		parts["xl/sharedStrings.xml"] = zipEntry{body: sst}
		p := writeZipIn(t, dir, parts)
		rows, wb, err := readSheet(p, "", lim)
		if err != nil {
			var pe *PosError
			if !errors.As(err, &pe) || pe.File != "pricelists/adobe/x.xlsx" {
				t.Fatalf("error %v (%T) is not a *PosError on the file", err, err)
			}
		}
		if wb != nil && wb.unzipped > lim.MaxUnzippedBytes+1 {
			t.Fatalf("inflated %d bytes, limit %d", wb.unzipped, lim.MaxUnzippedBytes)
		}
		for _, r := range rows {
			if r.Line < 1 || r.Line > xlsxMaxRows || len(r.Cells) > xlsxMaxCols {
				t.Fatalf("row %v out of Excel's bounds", r)
			}
			if n := len(r.Cells); n > 0 && r.Cells[n-1] == "" {
				t.Fatalf("row %v ends in an empty cell", r)
			}
			var sum int64
			for _, c := range r.Cells {
				if int64(len(c)) > lim.MaxCellBytes {
					t.Fatalf("row %v: a cell over %d bytes", r, lim.MaxCellBytes)
				}
				sum += int64(len(c))
			}
			if sum > lim.MaxLineBytes {
				t.Fatalf("row %v: %d bytes, over %d", r, sum, lim.MaxLineBytes)
			}
		}
	})
}
