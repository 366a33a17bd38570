package write

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

var testSales = []XLSXColumn{
	{Title: "Cliente", Kind: CellText},
	{Title: "Linha", Kind: CellInteger},
	{Title: "Valor USD", Kind: CellDecimal},
	{Title: "Valor", Kind: CellMoneyBRL},
	{Title: "Margem %", Kind: CellPercent},
	{Title: "Câmbio", Kind: CellRate, Width: 9.5},
	{Title: "Emissão", Kind: CellDate},
}

var testRates = []XLSXColumn{
	{Title: "Moeda", Kind: CellText},
	{Title: "Data", Kind: CellDate},
	{Title: "Taxa", Kind: CellRate},
}

// writeTestWorkbook writes the two-sheet workbook used by several tests.
func writeTestWorkbook(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	x := NewXLSXWriter(&buf)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.AddSheet("Vendas", testSales))
	must(x.WriteRow([]string{"ACME & <Filhos> \"Ltda\"", "1", "1234.56", "1234.56", "12.34", "5.4321", "2025-12-01"}))
	must(x.WriteRow([]string{"  espaços  ", "2", "-0.5", "-1234567.89", "-3", "0.00012345", "1900-01-01"}))
	must(x.WriteRow([]string{"", "", "", "", "", "", ""}))
	must(x.WriteRow([]string{"a\x01b\x1fc\td\r\ne _x0041_ \uFFFE", "3", "0", "0.1", "100", "1", "2024-02-29"}))
	must(x.AddSheet("Câmbio", testRates))
	must(x.WriteRow([]string{"USD", "2025-01-02", "6.1823"}))
	if got := x.Rows(); got != 5 {
		t.Errorf("Rows() = %d, want 5", got)
	}
	must(x.Close())
	return buf.Bytes()
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize cannot open output: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// zipEntry returns one part of the package as text, for what excelize does
// not expose (autoFilter, raw markup).
func zipEntry(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	t.Fatalf("no %s in package", name)
	return ""
}

func TestXLSXWriterRoundTrip(t *testing.T) {
	b := writeTestWorkbook(t)
	f := openXLSX(t, b)

	if got, want := strings.Join(f.GetSheetList(), "|"), "Vendas|Câmbio"; got != want {
		t.Fatalf("sheets = %q, want %q", got, want)
	}

	const builtinInt, builtinDec = 1, 4
	cells := []struct {
		sheet, cell string
		raw         string // value stored in the file
		numFmt      int    // built-in format id, if no custom code
		fmtCode     string // custom number format code
	}{
		{"Vendas", "A2", `ACME & <Filhos> "Ltda"`, 0, ""},
		{"Vendas", "B2", "1", builtinInt, ""},
		{"Vendas", "C2", "1234.56", builtinDec, ""},
		{"Vendas", "D2", "1234.56", 0, `"R$" #,##0.00`},
		{"Vendas", "E2", "12.34", builtinDec, ""},
		{"Vendas", "F2", "5.4321", 0, "#,##0.0000####"},
		{"Vendas", "G2", "45992", 0, "dd/mm/yyyy"}, // 2025-12-01
		{"Vendas", "A3", "  espaços  ", 0, ""},
		{"Vendas", "C3", "-0.5", builtinDec, ""},
		{"Vendas", "D3", "-1234567.89", 0, `"R$" #,##0.00`},
		{"Vendas", "F3", "0.00012345", 0, "#,##0.0000####"},
		{"Vendas", "G3", "1", 0, "dd/mm/yyyy"}, // 1900-01-01
		{"Vendas", "A4", "", 0, ""},
		{"Vendas", "D4", "", 0, ""},
		{"Vendas", "A5", "abc\td\r\ne _x0041_ ", 0, ""},
		{"Vendas", "G5", "45351", 0, "dd/mm/yyyy"}, // 2024-02-29
		{"Câmbio", "A2", "USD", 0, ""},
		{"Câmbio", "B2", "45659", 0, "dd/mm/yyyy"}, // 2025-01-02
		{"Câmbio", "C2", "6.1823", 0, "#,##0.0000####"},
	}
	for _, c := range cells {
		t.Run(c.sheet+"!"+c.cell, func(t *testing.T) {
			got, err := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.raw {
				t.Errorf("value = %q, want %q", got, c.raw)
			}
			if c.raw == "" {
				return
			}
			idx, err := f.GetCellStyle(c.sheet, c.cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(idx)
			if err != nil {
				t.Fatal(err)
			}
			code := ""
			if st.CustomNumFmt != nil {
				code = *st.CustomNumFmt
			}
			if code != c.fmtCode || st.NumFmt != c.numFmt {
				t.Errorf("number format = (%d, %q), want (%d, %q)", st.NumFmt, code, c.numFmt, c.fmtCode)
			}
		})
	}

	t.Run("formatted date", func(t *testing.T) {
		got, err := f.GetCellValue("Vendas", "G2")
		if err != nil || got != "01/12/2025" {
			t.Errorf("G2 = %q, %v; want 01/12/2025", got, err)
		}
	})

	t.Run("serial matches excelize", func(t *testing.T) {
		tm, err := excelize.ExcelDateToTime(45992, false)
		if err != nil || !tm.Equal(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("serial 45992 = %v, %v; want 2025-12-01", tm, err)
		}
	})

	headers := []struct {
		sheet string
		want  []string
	}{
		{"Vendas", []string{"Cliente", "Linha", "Valor USD", "Valor", "Margem %", "Câmbio", "Emissão"}},
		{"Câmbio", []string{"Moeda", "Data", "Taxa"}},
	}
	for _, h := range headers {
		t.Run("header "+h.sheet, func(t *testing.T) {
			rows, err := f.GetRows(h.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rows[0], "|"); got != strings.Join(h.want, "|") {
				t.Errorf("header = %q, want %q", got, strings.Join(h.want, "|"))
			}
			idx, err := f.GetCellStyle(h.sheet, "A1")
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(idx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("header font not bold: %+v", st.Font)
			}
			if st.Fill.Type != "pattern" || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
				t.Errorf("header fill = %+v, want a solid fill", st.Fill)
			}
			panes, err := f.GetPanes(h.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
				t.Errorf("panes = %+v, want frozen first row", panes)
			}
		})
	}

	t.Run("row count", func(t *testing.T) {
		rows, err := f.GetRows("Vendas")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 {
			t.Errorf("Vendas has %d rows, want 5", len(rows))
		}
	})

	// Fitted to the widest of the title on up to two lines (its longest
	// word or half its length, × 1.1 + 3 for bold and the filter button)
	// and the values as Excel shows them (+ 2): A's longest line is 22
	// characters, C's "1.234,56" 8 (its title's longest word, "Valor", 5),
	// D's "R$ -1.234.567,89" 16, E's "Margem" 6 × 1.1 + 3; F is declared.
	t.Run("column widths", func(t *testing.T) {
		for col, want := range map[string]float64{"A": 24, "B": 8.5, "C": 10, "D": 18, "E": 9.6, "F": 9.5, "G": 12} {
			got, err := f.GetColWidth("Vendas", col)
			if err != nil || got != want {
				t.Errorf("width %s = %v, %v; want %v", col, got, err, want)
			}
		}
	})

	t.Run("autofilter and defined names", func(t *testing.T) {
		for part, want := range map[string]string{
			"xl/worksheets/sheet1.xml": `<autoFilter ref="A1:G5"/>`,
			"xl/worksheets/sheet2.xml": `<autoFilter ref="A1:C2"/>`,
		} {
			if s := zipEntry(t, b, part); !strings.Contains(s, want) {
				t.Errorf("%s lacks %s", part, want)
			}
		}
		var got []string
		for _, dn := range f.GetDefinedName() {
			got = append(got, dn.Name+"@"+dn.Scope+"="+dn.RefersTo)
		}
		want := "_xlnm._FilterDatabase@Vendas='Vendas'!$A$1:$G$5 _xlnm.Print_Titles@Vendas='Vendas'!$1:$1 " +
			"_xlnm._FilterDatabase@Câmbio='Câmbio'!$A$1:$C$2 _xlnm.Print_Titles@Câmbio='Câmbio'!$1:$1"
		if strings.Join(got, " ") != want {
			t.Errorf("defined names = %q, want %q", strings.Join(got, " "), want)
		}
	})

	t.Run("styles part", func(t *testing.T) {
		s := zipEntry(t, b, "xl/styles.xml")
		if !strings.Contains(s, `<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`) {
			t.Error("first fills must be none and gray125")
		}
	})
}

func TestXLSXWriterInvalidValues(t *testing.T) {
	cases := []struct {
		name string
		kind CellKind
		val  string
		want error
	}{
		{"comma decimal", CellDecimal, "12,5", errInvalidNumber},
		{"thousands sep", CellMoneyBRL, "1.234,56", errInvalidNumber},
		{"exponent", CellRate, "1e5", errInvalidNumber},
		{"trailing dot", CellDecimal, "12.", errInvalidNumber},
		{"leading dot", CellDecimal, ".5", errInvalidNumber},
		{"plus sign", CellInteger, "+1", errInvalidNumber},
		{"lone minus", CellPercent, "-", errInvalidNumber},
		{"space", CellInteger, " 1", errInvalidNumber},
		{"month 13", CellDate, "2025-13-01", errInvalidDate},
		{"feb 29 non-leap", CellDate, "2023-02-29", errInvalidDate},
		{"day 31 in april", CellDate, "2025-04-31", errInvalidDate},
		{"slashes", CellDate, "01/12/2025", errInvalidDate},
		{"before 1900", CellDate, "1899-12-31", errInvalidDate},
		{"with time", CellDate, "2025-12-01T00:00", errInvalidDate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			x := NewXLSXWriter(&buf)
			cols := []XLSXColumn{{Title: "Id", Kind: CellText}, {Title: "Campo", Kind: c.kind}}
			if err := x.AddSheet("Dados", cols); err != nil {
				t.Fatal(err)
			}
			if err := x.WriteRow([]string{"ok", ""}); err != nil {
				t.Fatal(err)
			}
			err := x.WriteRow([]string{"bad", c.val})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			for _, part := range []string{`sheet "Dados"`, "row 3", `column B ("Campo")`, c.val} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %s", err, part)
				}
			}
			// A rejected row is not written and the writer stays usable.
			if err := x.WriteRow([]string{"next", ""}); err != nil {
				t.Fatal(err)
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			rows, err := openXLSX(t, buf.Bytes()).GetRows("Dados")
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 || rows[2][0] != "next" {
				t.Errorf("rows = %q, want header, ok, next", rows)
			}
		})
	}
}

func TestXLSXWriterMisuse(t *testing.T) {
	cases := []struct {
		name string
		run  func(x *XLSXWriter) error
		want string
	}{
		{"row before sheet", func(x *XLSXWriter) error { return x.WriteRow([]string{"a"}) }, "no sheet"},
		{"no columns", func(x *XLSXWriter) error { return x.AddSheet("S", nil) }, "no columns"},
		{"bad width", func(x *XLSXWriter) error {
			return x.AddSheet("S", []XLSXColumn{{Title: "a", Width: 300}})
		}, "width"},
		{"unknown kind", func(x *XLSXWriter) error {
			return x.AddSheet("S", []XLSXColumn{{Title: "a", Kind: CellKind(42)}})
		}, "unknown cell kind"},
		{"wrong value count", func(x *XLSXWriter) error {
			if err := x.AddSheet("S", testRates); err != nil {
				return err
			}
			return x.WriteRow([]string{"a"})
		}, "1 values for 3 columns"},
		{"close without sheets", func(x *XLSXWriter) error { return x.Close() }, "no sheets"},
		{"row after close", func(x *XLSXWriter) error {
			if err := x.AddSheet("S", testRates); err != nil {
				return err
			}
			if err := x.Close(); err != nil {
				return err
			}
			return x.WriteRow([]string{"", "", ""})
		}, "closed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := NewXLSXWriter(io.Discard)
			defer x.Close()
			err := c.run(x)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// xlsxFailWriter fails once more than n bytes were written.
type xlsxFailWriter struct{ n int }

var errXLSXDiskFull = errors.New("disk full")

func (w *xlsxFailWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errXLSXDiskFull
	}
	return len(p), nil
}

func TestXLSXWriterWriteError(t *testing.T) {
	x := NewXLSXWriter(&xlsxFailWriter{n: 10000})
	if err := x.AddSheet("S", testSales); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 200000 && err == nil; i++ {
		err = x.WriteRow([]string{"cliente qualquer", "1", "2.5", "3.75", "4", "5.1", "2025-01-01"})
	}
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	if !errors.Is(err, errXLSXDiskFull) {
		t.Errorf("err = %v, want disk full", err)
	}
}

func TestXLSXWriterDeterministic(t *testing.T) {
	a, b := writeTestWorkbook(t), writeTestWorkbook(t)
	if !bytes.Equal(a, b) {
		t.Error("same input produced different bytes")
	}
}

func TestXLSXWriterContinuation(t *testing.T) {
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 4 // header + 3 data rows

	var buf bytes.Buffer
	x := NewXLSXWriter(&buf)
	if err := x.AddSheet("Prices", testRates); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		if err := x.WriteRow([]string{string(rune('a' + i)), "2025-01-02", "1.5"}); err != nil {
			t.Fatal(err)
		}
	}
	// A bad row at the boundary must not open an empty sheet.
	if err := x.WriteRow([]string{"x", "2025-02-30", "1"}); err == nil {
		t.Fatal("invalid date accepted")
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if x.Rows() != 7 {
		t.Errorf("Rows() = %d, want 7", x.Rows())
	}
	f := openXLSX(t, buf.Bytes())
	want := []struct {
		sheet string
		first []string
	}{
		{"Prices", []string{"a", "b", "c"}},
		{"Prices (2)", []string{"d", "e", "f"}},
		{"Prices (3)", []string{"g"}},
	}
	if got := strings.Join(f.GetSheetList(), "|"); got != "Prices|Prices (2)|Prices (3)" {
		t.Fatalf("sheets = %q", got)
	}
	for i, w := range want {
		t.Run(w.sheet, func(t *testing.T) {
			rows, err := f.GetRows(w.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(rows[0], "|") != "Moeda|Data|Taxa" {
				t.Errorf("header = %q", rows[0])
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[0])
			}
			if strings.Join(got, "") != strings.Join(w.first, "") {
				t.Errorf("data = %q, want %q", got, w.first)
			}
			ref := `<autoFilter ref="A1:C` + string(rune('1'+len(w.first))) + `"/>`
			if s := zipEntry(t, buf.Bytes(), "xl/worksheets/sheet"+string(rune('1'+i))+".xml"); !strings.Contains(s, ref) {
				t.Errorf("missing %s", ref)
			}
			if p, _ := f.GetPanes(w.sheet); !p.Freeze || p.YSplit != 1 {
				t.Errorf("panes = %+v", p)
			}
		})
	}
}

func TestXLSXWriterEmptySheet(t *testing.T) {
	cols := make([]XLSXColumn, 24)
	for i := range cols {
		cols[i] = XLSXColumn{Title: colLetters(i), Kind: CellDecimal}
	}
	var buf bytes.Buffer
	x := NewXLSXWriter(&buf)
	if err := x.AddSheet("Vazio", cols); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if s := zipEntry(t, buf.Bytes(), "xl/worksheets/sheet1.xml"); !strings.Contains(s, `<autoFilter ref="A1:X1"/>`) {
		t.Errorf("empty sheet autofilter missing: %s", s)
	}
	rows, err := openXLSX(t, buf.Bytes()).GetRows("Vazio")
	if err != nil || len(rows) != 1 || len(rows[0]) != 24 {
		t.Errorf("rows = %q, %v; want only the header", rows, err)
	}
}

func TestXLSXWriterSheetNames(t *testing.T) {
	long := strings.Repeat("x", 40)
	cases := []struct {
		name  string
		input []string
		want  []string
	}{
		{"slash", []string{"a/b"}, []string{"a_b"}},
		{"all forbidden", []string{`[a]:b*c?d/e\f`}, []string{"_a__b_c_d_e_f"}},
		{"40 chars", []string{long}, []string{long[:31]}},
		{"duplicates", []string{"Vendas", "Vendas", "vendas"}, []string{"Vendas", "Vendas (2)", "vendas (3)"}},
		{"long duplicates", []string{long, long}, []string{long[:31], long[:27] + " (2)"}},
		{"empty", []string{"", " "}, []string{"Sheet", "Sheet (2)"}},
		{"apostrophes", []string{"'Q1'", "O'Brien"}, []string{"Q1", "O'Brien"}},
		{"reserved", []string{"history"}, []string{"history_"}},
		{"control chars", []string{"a\x00b\nc"}, []string{"abc"}},
		{"xml markup", []string{"P&L <2025>"}, []string{"P&L <2025>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			x := NewXLSXWriter(&buf)
			for _, n := range c.input {
				if err := x.AddSheet(n, testRates); err != nil {
					t.Fatal(err)
				}
				if err := x.WriteRow([]string{"USD", "", ""}); err != nil {
					t.Fatal(err)
				}
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			f := openXLSX(t, buf.Bytes())
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("sheets = %q, want %q", got, c.want)
			}
			for _, n := range c.want {
				if v, err := f.GetCellValue(n, "A2"); err != nil || v != "USD" {
					t.Errorf("%s!A2 = %q, %v", n, v, err)
				}
			}
		})
	}
}

func TestXLSXWriterLongText(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"ascii over limit", strings.Repeat("a", 40000), strings.Repeat("a", maxCellChars)},
		{"exact limit", strings.Repeat("b", maxCellChars), strings.Repeat("b", maxCellChars)},
		{"multibyte", strings.Repeat("ç", 33000), strings.Repeat("ç", maxCellChars)},
		{"astral not split", "a" + strings.Repeat("😀", 16383) + "z", "a" + strings.Repeat("😀", 16383)},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			x := NewXLSXWriter(&buf)
			if err := x.AddSheet("T", []XLSXColumn{{Title: "Texto"}}); err != nil {
				t.Fatal(err)
			}
			if err := x.WriteRow([]string{c.in}); err != nil {
				t.Fatal(err)
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := openXLSX(t, buf.Bytes()).GetCellValue("T", "A2")
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %d bytes, want %d", len(got), len(c.want))
			}
		})
	}
}

func TestExcelSerial(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1900-01-01", 1, true},
		{"1900-02-28", 59, true},
		{"1900-03-01", 61, true}, // Excel's phantom 1900-02-29 is 60
		{"1970-01-01", 25569, true},
		{"2000-02-29", 36585, true},
		{"2025-01-01", 45658, true},
		{"2025-12-01", 45992, true},
		{"9999-12-31", 2958465, true},
		{"1900-02-29", 0, false},
		{"2100-02-29", 0, false},
		{"2025-00-10", 0, false},
		{"2025-1-01", 0, false},
		{"abcd-ef-gh", 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := excelSerial(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("excelSerial(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestValidNumber(t *testing.T) {
	cases := map[string]bool{
		"0": true, "12": true, "-0.5": true, "1234.56": true, "007": true, "-12345678901234567890.12": true,
		"": false, "-": false, ".": false, "1.": false, ".1": false, "1.2.3": false, "1,5": false,
		"+1": false, "1e3": false, "NaN": false, "Inf": false, " 1": false, "1 ": false, "--1": false,
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if got := validNumber(in); got != want {
				t.Errorf("validNumber(%q) = %v, want %v", in, got, want)
			}
		})
	}
}

func TestColLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := colLetters(i); got != want {
			t.Errorf("colLetters(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestParallelDeflate(t *testing.T) {
	// Compressible but varied input, like sheet XML.
	var src bytes.Buffer
	for i := 0; src.Len() < 5*deflateBlock/2; i++ {
		src.WriteString(`<row r="` + strconv.Itoa(i) + `"><c r="A1"><v>` + strconv.Itoa(i*7919%100003) + `</v></c></row>`)
	}
	data := src.Bytes()
	cases := []struct {
		name  string
		size  int
		write int // bytes per Write call
	}{
		{"empty", 0, 1},
		{"small", 1000, 7},
		{"one block", deflateBlock, deflateBlock},
		{"block plus one", deflateBlock + 1, 4096},
		{"several blocks", len(data), 100003},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := data[:c.size]
			var out bytes.Buffer
			w, _ := newParallelDeflate(&out)
			for rest := in; len(rest) > 0; {
				n := min(c.write, len(rest))
				if _, err := w.Write(rest[:n]); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(out.Bytes())))
			if err != nil || !bytes.Equal(got, in) {
				t.Fatalf("inflate: %d bytes, %v; want %d bytes", len(got), err, len(in))
			}
			// Each block compressed by a fresh encoder must give the same
			// bytes: output must not depend on which worker took a block.
			var want bytes.Buffer
			for rest := in; len(rest) > 0; {
				n := min(deflateBlock, len(rest))
				fw, _ := flate.NewWriter(&want, deflateLevel)
				fw.Write(rest[:n])
				fw.Flush()
				rest = rest[n:]
			}
			want.Write(finalEmptyBlock)
			if !bytes.Equal(out.Bytes(), want.Bytes()) {
				t.Error("output differs from per-block reference")
			}
		})
	}
}

func TestXLSXWriterLargeDeterministic(t *testing.T) {
	cols := benchColumns()
	data := benchData(cols)
	write := func() []byte {
		var buf bytes.Buffer
		x := NewXLSXWriter(&buf)
		if err := x.AddSheet("Vendas", cols); err != nil {
			t.Fatal(err)
		}
		for i := range 20000 { // several deflate blocks
			if err := x.WriteRow(data[i%len(data)]); err != nil {
				t.Fatal(err)
			}
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := write(), write()
	if !bytes.Equal(a, b) {
		t.Fatal("same input produced different bytes")
	}
	rows, err := openXLSX(t, a).GetRows("Vendas", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	last := data[(20000-1)%len(data)]
	if len(rows) != 20001 || rows[20000][1] != last[1] || rows[20000][25] == "" {
		t.Errorf("read back %d rows, last %q", len(rows), rows[len(rows)-1])
	}
}

// TestAppendAttr: an attribute value comes back from an XML parser as it
// went in, quotes included (a chart's "R$" #,##0 axis format once ended
// its attribute at the first quote, and no parser would open the part).
func TestAppendAttr(t *testing.T) {
	for _, v := range []string{`"R$" #,##0`, `a&b<c>d`, "tab\there\nline\rcr", `plain`, ``} {
		doc := append(appendAttr([]byte(`<x v="`), v), `"/>`...)
		var got struct {
			V string `xml:"v,attr"`
		}
		if err := xml.Unmarshal(doc, &got); err != nil {
			t.Errorf("%q: %s: %v", v, doc, err)
			continue
		}
		if got.V != v {
			t.Errorf("%q came back as %q (%s)", v, got.V, doc)
		}
	}
}
