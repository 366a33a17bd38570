package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/salesops/salesops/transform"
)

// Parts of a minimal workbook, as Excel writes them; a test replaces or
// adds parts by name.
const (
	xlContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`
	xlPackageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	xlWorkbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Preços" sheetId="1" r:id="rId1"/><sheet name="Notas" sheetId="2" r:id="rId2"/></sheets></workbook>`
	xlWorkbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	xlSST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>partNumber</t></si><si><t>currency</t></si><si><r><rPr><b/></rPr><t>Acrobat </t></r><r><t xml:space="preserve">Pro</t></r><rPh sb="0" eb="1"><t>アクロバット</t></rPh></si><si><t>Linha_x000D__x000A_dois _x005F_x0041_ _xD800_</t></si></sst>`
	xlSheet1 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D4"/><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>partnerPrice</t></is></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>1234.5600000000001</v></c><c r="E3" t="b"><v>1</v></c></row>` +
		`<row><c t="inlineStr"><is><r><t>x</t></r><r><t>y</t></r></is></c><c t="str"><f>A1</f><v>formula &amp; cached</v></c><c><f>B2</f></c><c t="s"><v> 3 </v></c></row>` +
		`</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`
	xlSheet2 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>nota</t></is></c></row></sheetData></worksheet>`
)

// zipEntry is one part of a test workbook. body is deflated as written,
// unless raw is set: then raw is the deflated body and claim the
// uncompressed size the headers state, so a test can make them lie.
type zipEntry struct {
	body  string
	raw   []byte
	claim uint64
}

func minimalParts() map[string]zipEntry {
	return map[string]zipEntry{
		"[Content_Types].xml":        {body: xlContentTypes},
		"_rels/.rels":                {body: xlPackageRels},
		"xl/workbook.xml":            {body: xlWorkbook},
		"xl/_rels/workbook.xml.rels": {body: xlWorkbookRels},
		"xl/sharedStrings.xml":       {body: xlSST},
		"xl/worksheets/sheet1.xml":   {body: xlSheet1},
		"xl/worksheets/sheet2.xml":   {body: xlSheet2},
	}
}

func writeZip(t testing.TB, parts map[string]zipEntry) string {
	t.Helper()
	return writeZipIn(t, t.TempDir(), parts)
}

// writeZipIn writes the workbook as dir/x.xlsx.
func writeZipIn(t testing.TB, dir string, parts map[string]zipEntry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, e := range parts {
		if e.raw == nil {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(w, e.body); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
			CompressedSize64: uint64(len(e.raw)), UncompressedSize64: e.claim})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "x.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// deflated compresses prefix, then n bytes of fill, then suffix, without
// holding the n bytes: a few MiB of output stand for what the test claims.
func deflated(t testing.TB, prefix string, fill byte, n int64, suffix string) []byte {
	t.Helper()
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, prefix)
	chunk := bytes.Repeat([]byte{fill}, 64<<10)
	for ; n > 0; n -= int64(len(chunk)) {
		fw.Write(chunk[:min(n, int64(len(chunk)))])
	}
	io.WriteString(fw, suffix)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// row is a sheet row as read, for comparisons.
type row struct {
	Line  int64
	Cells []string
}

func (r row) String() string { return fmt.Sprintf("%d:%q", r.Line, r.Cells) }

// readSheet reads a sheet the way loadXLSX does, minus the warehouse.
func readSheet(local string, sheet string, lim Limits) ([]row, *workbook, error) {
	return readSheetWithin(local, sheet, lim, memoryBudget{})
}

// readSheetWithin is readSheet under a memory budget. Rows have their
// trailing empty cells left out, unsaved formulas' included.
func readSheetWithin(local string, sheet string, lim Limits, budget memoryBudget) ([]row, *workbook, error) {
	wb, err := openWorkbook(local, "pricelists/adobe/x.xlsx", lim.WithDefaults(), budget)
	if err != nil {
		return nil, nil, err
	}
	defer wb.Close()
	part, _, err := wb.sheet(sheet)
	if err != nil {
		return nil, wb, err
	}
	sst, err := wb.sharedStrings()
	if err != nil {
		return nil, wb, err
	}
	var rows []row
	err = wb.rows(context.Background(), part, sst, func(r *sheetRow) error {
		cells := r.cells
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		rows = append(rows, row{r.line, append([]string(nil), cells...)})
		return nil
	})
	return rows, wb, err
}

func TestWorkbookRows(t *testing.T) {
	strict := minimalParts()
	// Strict OOXML: other namespace URIs, same local names.
	strict["xl/workbook.xml"] = zipEntry{body: strings.NewReplacer(
		"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main",
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships",
	).Replace(xlWorkbook)}
	backslash := minimalParts()
	backslash[`xl\worksheets\sheet1.xml`] = backslash["xl/worksheets/sheet1.xml"]
	delete(backslash, "xl/worksheets/sheet1.xml")
	noSST := minimalParts()
	delete(noSST, "xl/sharedStrings.xml")
	noSST["xl/worksheets/sheet1.xml"] = zipEntry{body: `<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>`}

	first := []row{
		{1, []string{"partNumber", "currency", "partnerPrice"}},
		{3, []string{"Acrobat Pro", "", "1234.5600000000001", "", "1"}},
		{4, []string{"xy", "formula & cached", "", "Linha\r\ndois _x0041_ "}},
	}
	tests := []struct {
		name  string
		parts map[string]zipEntry
		sheet string
		want  []row
	}{
		{"first sheet", minimalParts(), "", first},
		{"sheet by name, any case", minimalParts(), "NOTAS", []row{{2, []string{"", "nota"}}}},
		{"strict OOXML namespaces", strict, "", first},
		{"backslashes in part names", backslash, "", first},
		{"no shared strings part", noSST, "", []row{{1, []string{"1"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := readSheet(writeZip(t, tt.parts), tt.sheet, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

// TestWorkbookLikeExcelize reads workbooks excelize writes, with every
// kind of cell, both with excelize (as loadXLSX did before) and with
// workbook, and wants the same rows.
func TestWorkbookLikeExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "partNumber")
	set("B1", "  espaços  ")
	set("D1", 1234.5)
	set("E1", true)
	set("A2", "65304129BA01A12")
	set("B2", "a_x000D_b\r\nc") // excelize escapes the _x, reads it back
	set("C2", int64(-7))
	set("AA5", "longe")
	if err := f.SetCellFormula("Sheet1", "F2", "C2*2"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellRichText("Sheet1", "A7", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr("Sheet1", "C9", strings.Repeat("ç", 1000)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Outra"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Outra", "B3", "x"); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "e.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	for _, sheet := range []string{"Sheet1", "Outra"} {
		want := excelizeRows(t, p, sheet)
		got, _, err := readSheet(p, sheet, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: rows\n%v\nexcelize reads\n%v", sheet, got, want)
		}
	}
}

// excelizeRows reads a sheet as loadXLSX did with excelize: raw values,
// empty rows left out, trailing empty cells trimmed.
func excelizeRows(t testing.TB, p, sheet string) []row {
	t.Helper()
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []row
	var line int64
	for rows.Next() {
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) > 0 {
			out = append(out, row{line, cells})
		}
	}
	return out
}

// TestWorkbookLimits reads hostile and broken workbooks and checks the
// whole error, and that the limit stopped the reading: no more inflated
// than the limit allows, and memory near what the limits allow, not near
// what the file claims to hold.
func TestWorkbookLimits(t *testing.T) {
	with := func(name string, e zipEntry) map[string]zipEntry {
		p := minimalParts()
		p[name] = e
		return p
	}
	sheetOf := func(rows string) zipEntry {
		return zipEntry{body: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`}
	}
	const sstStart = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`
	// 16 MiB of text as the only shared string, deflated to some 16 KiB.
	bigSST := deflated(t, sstStart, 'a', 16<<20, `</t></si></sst>`)
	// 64 MiB of small rows.
	const aRow = `<row><c><v>1</v></c></row>`
	bomb := deflated(t, `<worksheet><sheetData>`, 0, 0, strings.Repeat(aRow, (64<<20)/len(aRow))+`</sheetData></worksheet>`)
	bombSize := uint64(len(`<worksheet><sheetData>`) + (64<<20)/len(aRow)*len(aRow) + len(`</sheetData></worksheet>`))

	tests := []struct {
		name  string
		parts map[string]zipEntry
		file  []byte // instead of parts
		sheet string
		lim   Limits
		want  string // whole error
		is    error  // errors.As target's type, if any
		// most bytes the reader may inflate before it stops; 0: the limit
		maxUnzipped int64
		// most bytes it may allocate, garbage included; 0: 16 MiB. The
		// decoder allocates some 30 bytes per byte of tiny rows.
		maxAlloc uint64
	}{
		{
			name:  "a shared string of 2 GiB (as the header claims; the body ends long after the reader stopped)",
			parts: with("xl/sharedStrings.xml", zipEntry{raw: bigSST, claim: 2 << 30}),
			want:  "pricelists/adobe/x.xlsx: xl/sharedStrings.xml: a cell longer than 32767 bytes (limits.max_cell_bytes)",
			is:    &LimitError{}, maxUnzipped: 6*32767 + 64<<10,
		},
		{
			name:  "a shared string of 16 MiB, small cell limit",
			parts: with("xl/sharedStrings.xml", zipEntry{raw: bigSST, claim: uint64(len(sstStart)) + 16<<20 + uint64(len(`</t></si></sst>`))}),
			lim:   Limits{MaxCellBytes: 100},
			want:  "pricelists/adobe/x.xlsx: xl/sharedStrings.xml: a cell longer than 100 bytes (limits.max_cell_bytes)",
			is:    &LimitError{}, maxUnzipped: 600 + 64<<10,
		},
		{
			name:  "zip bomb, the header claiming 4 EiB",
			parts: with("xl/worksheets/sheet1.xml", zipEntry{raw: bomb, claim: 1 << 62}),
			lim:   Limits{MaxUnzippedBytes: 1 << 20},
			want:  "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml: unzipped parts longer than 1048576 bytes (limits.max_unzipped_bytes)",
			is:    &LimitError{}, maxAlloc: 64 << 20,
		},
		{
			name:  "zip bomb, the header telling the truth",
			parts: with("xl/worksheets/sheet1.xml", zipEntry{raw: bomb, claim: bombSize}),
			lim:   Limits{MaxUnzippedBytes: 1 << 20},
			want:  "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml: unzipped parts longer than 1048576 bytes (limits.max_unzipped_bytes)",
			is:    &LimitError{}, maxAlloc: 64 << 20,
		},
		{
			name:  "zip bomb, the header claiming less than the body holds",
			parts: with("xl/worksheets/sheet1.xml", zipEntry{raw: bomb, claim: 1000}),
			lim:   Limits{MaxUnzippedBytes: 1 << 20},
			want:  "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml: zip: not a valid zip file",
		},
		{
			name:  "inline string over the cell limit",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="7"><c r="C7" t="inlineStr"><is><t>`+strings.Repeat("b", 101)+`</t></is></c></row>`)),
			lim:   Limits{MaxCellBytes: 100},
			want:  "pricelists/adobe/x.xlsx:7:3: a cell longer than 100 bytes (limits.max_cell_bytes)",
			is:    &LimitError{},
		},
		{
			name:  "inline string runs, together over the cell limit",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="2"><c r="B2" t="inlineStr"><is>`+strings.Repeat(`<r><t>0123456789</t></r>`, 11)+`</is></c></row>`)),
			lim:   Limits{MaxCellBytes: 100},
			want:  "pricelists/adobe/x.xlsx:2:2: a cell longer than 100 bytes (limits.max_cell_bytes)",
			is:    &LimitError{},
		},
		{
			name:  "value over the cell limit",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="2"><c r="D2"><v>`+strings.Repeat("9", 101)+`</v></c></row>`)),
			lim:   Limits{MaxCellBytes: 100},
			want:  "pricelists/adobe/x.xlsx:2:4: a cell longer than 100 bytes (limits.max_cell_bytes)",
			is:    &LimitError{},
		},
		{
			name: "a row of one shared string, repeated, over the row limit",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="5">`+
				strings.Repeat(`<c t="s"><v>0</v></c>`, 100)+`</row>`)), // "partNumber", 10 bytes each
			lim:  Limits{MaxLineBytes: 500},
			want: "pricelists/adobe/x.xlsx:5:51: a row longer than 500 bytes (limits.max_line_bytes)",
			is:   &LimitError{},
		},
		{
			name:  "a tag over the token bound",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="1" x="`+strings.Repeat("x", 700)+`"/>`)),
			lim:   Limits{MaxCellBytes: 100},
			want:  "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml:1:89: an XML token longer than 600 bytes (limits.max_cell_bytes × 6)",
			is:    &LimitError{},
		},
		{
			// No escape of XML's grows a character more than six times
			// (&quot;), but a character reference may have leading zeros.
			name:  "text over the token bound, under the cell limit once unescaped",
			parts: with("xl/sharedStrings.xml", zipEntry{body: sstStart + strings.Repeat("&#0000000065;", 50) + `</t></si></sst>`}),
			lim:   Limits{MaxCellBytes: 100},
			want:  "pricelists/adobe/x.xlsx: xl/sharedStrings.xml:1:117: an XML token longer than 600 bytes (limits.max_cell_bytes × 6)",
			is:    &LimitError{},
		},
		{
			name:  "elements nested too deep",
			parts: with("xl/worksheets/sheet1.xml", zipEntry{body: strings.Repeat("<a>", 65)}),
			want:  "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml:1:193: elements nested more than 64 deep",
		},
		{
			name: "billion laughs in the shared strings: the entity is not expanded",
			parts: with("xl/sharedStrings.xml", zipEntry{body: `<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">` +
				`<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><sst><si><t>&c;</t></si></sst>`}),
			want: "pricelists/adobe/x.xlsx: xl/sharedStrings.xml: XML syntax error on line 1: invalid character entity &c;",
		},
		{
			name: "XXE in the sheet: the external entity is not read",
			parts: with("xl/worksheets/sheet1.xml", zipEntry{body: `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
				`<worksheet><sheetData><row><c t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>`}),
			want: "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml: XML syntax error on line 1: invalid character entity &x;",
		},
		{
			name:  "truncated sheet",
			parts: with("xl/worksheets/sheet1.xml", zipEntry{body: xlSheet1[:len(xlSheet1)/2]}),
			want:  "pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml: XML syntax error on line 2: unexpected EOF",
		},
		{
			name:  "cell beyond column XFD",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="4"><c r="XFE4"><v>1</v></c></row>`)),
			want:  `pricelists/adobe/x.xlsx:4:1: cell reference "XFE4": not a column (A to XFD) and a row number`,
		},
		{
			name:  "row beyond 1048576",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="1048577"/>`)),
			want:  `pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml:1:89: row number "1048577": not between 1 and 1048576`,
		},
		{
			name:  "shared string that is not there",
			parts: with("xl/worksheets/sheet1.xml", sheetOf(`<row r="2"><c r="B2" t="s"><v>4</v></c></row>`)),
			want:  "pricelists/adobe/x.xlsx:2:2: shared string 4: no such string (the workbook has 4)",
		},
		{
			name:  "no such sheet",
			parts: minimalParts(), sheet: "Vendas",
			want: `pricelists/adobe/x.xlsx: sheet "Vendas": no such sheet (the workbook has "Preços", "Notas")`,
		},
		{
			name: "not a zip", file: []byte("partNumber;currency\n"),
			want: "pricelists/adobe/x.xlsx: open workbook: zip: not a valid zip file",
		},
		{
			name: "a zip, not a workbook", parts: map[string]zipEntry{"a.txt": {body: "a"}},
			want: "pricelists/adobe/x.xlsx: open workbook: no xl/workbook.xml: not an XLSX workbook",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p string
			if tt.file != nil {
				p = filepath.Join(t.TempDir(), "x.xlsx")
				if err := os.WriteFile(p, tt.file, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				p = writeZip(t, tt.parts)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, wb, err := readSheet(p, tt.sheet, tt.lim)
			runtime.ReadMemStats(&after)
			var pe *PosError
			if err == nil || err.Error() != tt.want || !errors.As(err, &pe) {
				t.Fatalf("err = %v, want the *PosError %q", err, tt.want)
			}
			if tt.is != nil {
				if le := new(*LimitError); !errors.As(err, le) {
					t.Errorf("err = %v, want a *LimitError in it", err)
				}
			}
			lim := tt.lim.WithDefaults()
			most := tt.maxUnzipped
			if most == 0 {
				most = lim.MaxUnzippedBytes + 1
			}
			if wb != nil && wb.unzipped > most {
				t.Errorf("inflated %d bytes, want at most %d", wb.unzipped, most)
			}
			// Reading the whole of what the file claims would allocate
			// gigabytes.
			bound := tt.maxAlloc
			if bound == 0 {
				bound = 16 << 20
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > bound {
				t.Errorf("allocated %d bytes, want at most %d", got, bound)
			}
		})
	}
}

// TestWorkbookUnzippedExact checks the unzipped limit to the byte: the
// minimal workbook reads within exactly the bytes its parts hold, and
// fails with one byte less.
func TestWorkbookUnzippedExact(t *testing.T) {
	p := writeZip(t, minimalParts())
	_, wb, err := readSheet(p, "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	need := wb.unzipped
	if _, _, err := readSheet(p, "", Limits{MaxUnzippedBytes: need}); err != nil {
		t.Errorf("limit %d (what the parts hold): %v", need, err)
	}
	want := fmt.Sprintf("pricelists/adobe/x.xlsx: xl/worksheets/sheet1.xml: unzipped parts longer than %d bytes (limits.max_unzipped_bytes)", need-1)
	if _, _, err := readSheet(p, "", Limits{MaxUnzippedBytes: need - 1}); err == nil || err.Error() != want {
		t.Errorf("limit %d: err = %v, want %q", need-1, err, want)
	}
	var sum int64
	for _, e := range minimalParts() {
		sum += int64(len(e.body))
	}
	// All parts but the content types and the second sheet are read.
	if want := sum - int64(len(xlContentTypes)) - int64(len(xlSheet2)); need != want {
		t.Errorf("inflated %d bytes, want %d (the parts read)", need, want)
	}
}

// TestSharedStringTable adds strings that fill chunks unevenly and reads
// each back: 40 KiB strings leave the first chunk (64 KiB) after one, the
// second (128 KiB) after three.
func TestSharedStringTable(t *testing.T) {
	var sst sharedStringTable
	var want []string
	for i := range 6 {
		s := strings.Repeat(string(rune('a'+i)), 40<<10)
		if i == 5 {
			s = "" // an empty string at the end of a chunk
		}
		if !sst.add([]byte(s)) {
			t.Fatalf("add %d: over no budget", i)
		}
		want = append(want, s)
	}
	if got := len(sst.chunks); got != 3 {
		t.Errorf("%d chunks, want 3 (64 KiB: a; 128 KiB: b c d; 256 KiB: e and the empty string)", got)
	}
	for i, w := range want {
		if got, ok := sst.get(i); !ok || got != w {
			t.Errorf("get(%d) = %d bytes of %.1q, %t; want %d bytes of %.1q", i, len(got), got, ok, len(w), w)
		}
	}
	if _, ok := sst.get(6); ok {
		t.Error("get(6) found a string, want none")
	}
	// 64 + 128 + 256 KiB of chunks and 1,024 offsets of 4 bytes.
	if want := int64(448<<10 + 4096); sst.held != want {
		t.Errorf("held %d bytes, want %d", sst.held, want)
	}
}

// TestWorkbookMemoryBudget reads 8,000 shared strings of 1,000 bytes each
// (8 MB) under budgets that hold them and one that does not: the reader
// stops once the table would pass a quarter of memory_limit, naming the
// part and the setting.
func TestWorkbookMemoryBudget(t *testing.T) {
	parts := minimalParts()
	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for i := range 8000 {
		fmt.Fprintf(&sst, "<si><t>%04d%s</t></si>", i, strings.Repeat("x", 996))
	}
	sst.WriteString(`</sst>`)
	parts["xl/sharedStrings.xml"] = zipEntry{body: sst.String()}
	parts["xl/worksheets/sheet1.xml"] = zipEntry{body: `<worksheet><sheetData><row><c t="s"><v>7999</v></c></row></sheetData></worksheet>`}
	p := writeZip(t, parts)
	tests := []struct {
		memoryLimit string
		want        string // the error, or the cell read
	}{
		{"", "7999" + strings.Repeat("x", 996)},
		{"40MB", "7999" + strings.Repeat("x", 996)},
		// 4,000,000 bytes: chunks of 64, 128, 256, 512 KiB, 1 and 1 MiB
		// hold 3,080,192 (some 3,000 strings, 16 KiB of offsets); the
		// next MiB passes the budget.
		{"16MB", "pricelists/adobe/x.xlsx: xl/sharedStrings.xml: the shared strings need more than 4000000 bytes, the 25 % of memory_limit (16MB) left beside DuckDB: save the sheet as CSV UTF-8, or raise memory_limit"},
	}
	for _, tt := range tests {
		t.Run(tt.memoryLimit, func(t *testing.T) {
			rows, wb, err := readSheetWithin(p, "", Limits{}, readerBudget(tt.memoryLimit))
			got := ""
			switch {
			case err != nil:
				got = err.Error()
				if !errors.Is(err, ErrOverBudget) {
					t.Errorf("errors.Is(%v, ErrOverBudget) = false", err)
				}
			case len(rows) == 1 && len(rows[0].Cells) == 1:
				got = rows[0].Cells[0]
			default:
				t.Fatalf("rows %v, want one of one cell", rows)
			}
			if got != tt.want {
				t.Errorf("got  %.120s\nwant %.120s", got, tt.want)
			}
			if b := readerBudget(tt.memoryLimit).bytes; b > 0 && wb.unzipped > b {
				t.Errorf("inflated %d bytes under a budget of %d: the reading did not stop", wb.unzipped, b)
			}
		})
	}
}

// TestWorkbookDate reads cells as dates, against serial numbers worked out
// by hand: Excel's 1 January 2025 is 45658, so 1 December 2025, 334 days
// on, is 45992, and 44530 (45992 less the 1,462 days from 1900 to 1904)
// in a workbook of the 1904 system.
func TestWorkbookDate(t *testing.T) {
	tests := []struct {
		v        string
		kind     cellKind
		date1904 bool
		want     string // "" for not a date
	}{
		{"45992", cellNumber, false, "2025-12-01"},
		{"45992.5", cellNumber, false, "2025-12-01"},      // noon
		{"45992.999988", cellNumber, false, "2025-12-01"}, // 23:59:59
		{" 4.5992E4 ", cellNumber, false, "2025-12-01"},   // as some writers store it
		{"45658", cellNumber, false, "2025-01-01"},        //
		{"61", cellNumber, false, "1900-03-01"},           // the first day after Excel's 29/02/1900
		{"60", cellNumber, false, ""},                     // that 29 February
		{"2958465", cellNumber, false, "9999-12-31"},      // Excel's last day
		{"2958466", cellNumber, false, ""},                //
		{"-1", cellNumber, false, ""},                     //
		{"NaN", cellNumber, false, ""},                    //
		{"1e400", cellNumber, false, ""},                  // +Inf
		{"45992", cellText, false, ""},                    // text is not a serial
		{"2025-12-01T10:30:00", cellDate, false, "2025-12-01"},
		{"2025-12-01", cellDate, false, "2025-12-01"},
		{"2025-13-01", cellDate, false, ""},
		{"44530", cellNumber, true, "2025-12-01"},
		{"0", cellNumber, true, "1904-01-01"},
	}
	for _, tt := range tests {
		wb := &workbook{date1904: tt.date1904}
		got := ""
		if d, ok := wb.date(tt.v, tt.kind); ok {
			got = d.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("date(%q, kind %d, 1904 %t) = %q, want %q", tt.v, tt.kind, tt.date1904, got, tt.want)
		}
	}
	for format, want := range map[string]string{"": "01/12/2025", "%d/%m/%Y": "01/12/2025", "%m/%d/%Y": "12/01/2025",
		"%Y-%m-%d": "2025-12-01", "%d.%m.%Y": "01.12.2025", "%d-%m-%Y": "01-12-2025", "%Y%m%d": "20251201"} {
		if got := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).Format(strftimeLayout(format)); got != want {
			t.Errorf("1 December 2025 in %q: %q, want %q", format, got, want)
		}
	}
}

// quoteHeader is the header row of a quote-request workbook, "calc" a
// column no load reads.
var quoteHeader = xlRow("s:request_id", "s:requested_on", "s:customer", "s:product_id", "s:quantity", "s:discount_pct", "s:calc")

// workbookOf is a workbook whose first sheet holds rows,
// each the XML of its cells (xlRow), the first the header, and workbookPr
// (empty, or a workbookPr element) in its workbook part.
func workbookOf(t *testing.T, workbookPr, header string, rows ...string) []byte {
	t.Helper()
	parts := minimalParts()
	delete(parts, "xl/sharedStrings.xml")
	parts["xl/workbook.xml"] = zipEntry{body: strings.Replace(xlWorkbook, "<sheets>", workbookPr+"<sheets>", 1)}
	var b strings.Builder
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, r := range append([]string{header}, rows...) {
		fmt.Fprintf(&b, `<row r="%d">%s</row>`, i+1, strings.ReplaceAll(r, "{row}", fmt.Sprint(i+1)))
	}
	b.WriteString(`</sheetData></worksheet>`)
	parts["xl/worksheets/sheet1.xml"] = zipEntry{body: b.String()}
	return readAll(t, writeZip(t, parts))
}

// xlCell is the XML of a cell of column col (A to Z): "s:text" an inline string,
// "d:text" a date cell (t="d"), "f:formula" a formula with no saved value,
// "f:formula=v" one with v saved, anything else a number.
func xlCell(col int, v string) string {
	ref := string(rune('A'+col-1)) + "{row}" // workbookOf puts the row number
	kind, text, _ := strings.Cut(v, ":")
	switch kind {
	case "s":
		return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, text)
	case "d":
		return fmt.Sprintf(`<c r="%s" t="d"><v>%s</v></c>`, ref, text)
	case "f":
		f, saved, ok := strings.Cut(text, "=")
		if ok {
			return fmt.Sprintf(`<c r="%s"><f>%s</f><v>%s</v></c>`, ref, f, saved)
		}
		return fmt.Sprintf(`<c r="%s"><f>%s</f></c>`, ref, f)
	}
	return fmt.Sprintf(`<c r="%s"><v>%s</v></c>`, ref, v)
}

// xlRow is the XML of a row's cells, from column A.
func xlRow(cells ...string) string {
	var b strings.Builder
	for i, c := range cells {
		if c != "" {
			b.WriteString(xlCell(i+1, c))
		}
	}
	return b.String()
}

// TestLoadXLSXDates loads quote requests whose requested_on is a date
// cell (a serial number, with a time of day or without; an ISO date cell;
// text) and checks the raw text and the date stg_quote_requests makes of
// it; a formula with no saved value outside the columns read does not
// stop the load, and a saved one reads as its value.
func TestLoadXLSXDates(t *testing.T) {
	w := openWarehouse(t)
	ctx := context.Background()
	tests := []struct {
		name, workbookPr string
		rows             []string
		want             []string // line: requested_on raw → typed, quantity
	}{
		{"1900 system", "", []string{
			xlRow("s:Q-1", "45992", "s:C001", "s:P1", "10", "0", "f:E2*2"),
			xlRow("s:Q-1", "45992.5", "s:C001", "s:P1", "f:5*2=10"),
			xlRow("s:Q-1", "45992.999988", "s:C001", "s:P1", "10"),
			xlRow("s:Q-1", "d:2025-12-02T10:30:00", "s:C001", "s:P1", "10"),
			xlRow("s:Q-1", "s:05/12/2025", "s:C001", "s:P1", "10"),
		}, []string{
			"2: 01/12/2025 → 2025-12-01, 10",
			"3: 01/12/2025 → 2025-12-01, 10",
			"4: 01/12/2025 → 2025-12-01, 10",
			"5: 02/12/2025 → 2025-12-02, 10",
			"6: 05/12/2025 → 2025-12-05, 10",
		}},
		{"1904 system", `<workbookPr date1904="1"/>`, []string{
			xlRow("s:Q-1", "44530.25", "s:C001", "s:P1", "3"),
		}, []string{
			"2: 01/12/2025 → 2025-12-01, 3",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := w.Conn.ExecContext(ctx, "DELETE FROM raw_quote_requests"); err != nil {
				t.Fatal(err)
			}
			if _, err := syncFile(t, w, "quotes/q.xlsx", workbookOf(t, tt.workbookPr, quoteHeader, tt.rows...), Options{}); err != nil {
				t.Fatal(err)
			}
			if err := w.Build(ctx, "stg_quote_requests"); err != nil {
				t.Fatal(err)
			}
			rows, err := w.Conn.QueryContext(ctx, `
				SELECT s.line, r.requested_on, strftime(s.requested_on, '%Y-%m-%d'), r.quantity
				FROM stg_quote_requests s JOIN raw_quote_requests r USING (file_id, line)
				ORDER BY s.line`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var line int64
				var raw, typed, qty string
				if err := rows.Scan(&line, &raw, &typed, &qty); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%d: %s → %s, %s", line, raw, typed, qty))
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestLoadXLSXVendorDates loads a vendor's workbook whose effective_from
// is a date-time cell (45992.75: 18:00 on 1 December 2025) under the
// vendor's date format (%m/%d/%Y: the loader writes 12/01/2025), and
// reads the date stg_vendor_prices makes of it.
func TestLoadXLSXVendorDates(t *testing.T) {
	w := openWarehouse(t)
	ctx := context.Background()
	opts := Options{Vendors: map[string]VendorFormat{"acme": {
		Columns:    map[string]string{"product_id": "Code", "cost": "Cost", "currency": "Cur", "effective_from": "From"},
		DateFormat: "%m/%d/%Y",
	}}}
	body := workbookOf(t, "", xlRow("s:Code", "s:Cost", "s:Cur", "s:From"), xlRow("s:P1", "12.5", "s:USD", "45992.75"))
	if _, err := syncFile(t, w, "pricelists/acme/x.xlsx", body, opts); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := w.Conn.QueryRowContext(ctx, "SELECT file_id FROM files WHERE path = 'pricelists/acme/x.xlsx'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	var start string
	var rejects int
	q := fmt.Sprintf("SELECT strftime(effective_from, '%%Y-%%m-%%d'), len(_errors) FROM %s", transform.QuoteIdent(transform.IncrementTable("stg_vendor_prices", id)))
	if err := w.Conn.QueryRowContext(ctx, q).Scan(&start, &rejects); err != nil {
		t.Fatal(err)
	}
	if start != "2025-12-01" || rejects != 0 {
		t.Errorf("effective_from %s with %d rejects, want 2025-12-01 with none", start, rejects)
	}
}
