package write

import (
	"bytes"
	"strings"
	"testing"
)

// TestXLSXListValidation: a list validation covers the data rows of its
// sheet and of each continuation sheet, Excel reads it back as a list of
// the values (the sheet's XML validating in schema order: after the
// autoFilter, before the page margins), and a sheet without one, or
// without rows, has none.
func TestXLSXListValidation(t *testing.T) {
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 4 // header + 3 data rows

	cols := []XLSXColumn{{Title: "Exceção", Kind: CellText}, {Title: "Decisão", Kind: CellText}, {Title: "Valor", Kind: CellMoneyBRL}}
	var buf bytes.Buffer
	x := NewXLSXWriter(&buf)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.AddSheet("Revisão", cols))
	must(x.AddListValidation(1, []string{"aceita", "corrigir", "contestar", "resolvida"}))
	for _, id := range []string{"EX-1", "EX-2", "EX-3", "EX-4", "EX-5"} {
		must(x.WriteRow([]string{id, "", "10.00"}))
	}
	must(x.AddSheet("Vazia", cols))
	must(x.AddListValidation(1, []string{"sim"}))
	must(x.AddSheet("Outra", cols))
	must(x.WriteRow([]string{"EX-9", "", "1.00"}))
	must(x.Close())

	f := openXLSX(t, buf.Bytes())
	for _, c := range []struct {
		sheet, sqref string
	}{
		{"Revisão", "B2:B4"},
		{"Revisão (2)", "B2:B3"},
		{"Vazia", ""},
		{"Outra", ""},
	} {
		dvs, err := f.GetDataValidations(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if c.sqref == "" {
			if len(dvs) != 0 {
				t.Errorf("%s: validations %+v, want none", c.sheet, dvs)
			}
			continue
		}
		if len(dvs) != 1 {
			t.Fatalf("%s: %d validations, want 1", c.sheet, len(dvs))
		}
		dv := dvs[0]
		if dv.Type != "list" || dv.Sqref != c.sqref || dv.Formula1 != `"aceita,corrigir,contestar,resolvida"` || !dv.AllowBlank ||
			!dv.ShowErrorMessage || dv.Error == nil || *dv.Error != "Escolha um destes valores: aceita, corrigir, contestar, resolvida." {
			t.Errorf("%s: validation %+v", c.sheet, dv)
		}
	}
	sheet1 := zipEntry(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	if a, v, m := strings.Index(sheet1, "<autoFilter"), strings.Index(sheet1, "<dataValidations"), strings.Index(sheet1, "<pageMargins"); !(a < v && v < m) {
		t.Errorf("autoFilter at %d, dataValidations at %d, pageMargins at %d: out of the schema's order", a, v, m)
	}
}

func TestXLSXListValidationMisuse(t *testing.T) {
	cols := []XLSXColumn{{Title: "Texto", Kind: CellText}, {Title: "Valor", Kind: CellMoneyBRL}}
	long := []string{strings.Repeat("a", 130), strings.Repeat("b", 130)}
	for _, c := range []struct {
		name   string
		col    int
		values []string
		want   string
	}{
		{"number column", 1, []string{"a"}, `xlsx: sheet "S": validation: column 1 is not a text column`},
		{"no column", 2, []string{"a"}, `xlsx: sheet "S": validation: column 2 is not a text column`},
		{"no values", 0, nil, `xlsx: sheet "S": validation of column A: no values`},
		{"comma", 0, []string{"a,b"}, `xlsx: sheet "S": validation of column A: value "a,b" is empty or holds a comma or a quote`},
		{"quote", 0, []string{`a"`}, `xlsx: sheet "S": validation of column A: value "a\"" is empty or holds a comma or a quote`},
		{"empty", 0, []string{""}, `xlsx: sheet "S": validation of column A: value "" is empty or holds a comma or a quote`},
		{"too long", 0, long, `xlsx: sheet "S": validation of column A: the list takes 263 characters, over Excel's 255`},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := NewXLSXWriter(&bytes.Buffer{})
			defer x.Close()
			if err := x.AddSheet("S", cols); err != nil {
				t.Fatal(err)
			}
			err := x.AddListValidation(c.col, c.values)
			if err == nil || err.Error() != c.want {
				t.Errorf("err = %v, want %s", err, c.want)
			}
		})
	}
	x := NewXLSXWriter(&bytes.Buffer{})
	defer x.Close()
	if err := x.AddListValidation(0, []string{"a"}); err == nil || err.Error() != "xlsx: add validation: no sheet started" {
		t.Errorf("before a sheet: %v", err)
	}
}
