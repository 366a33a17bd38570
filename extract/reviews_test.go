package extract

import "testing"

// TestSheetOr: a reviews/ workbook is read from the sheet of its name
// (Excel's case-insensitive match), else from its first sheet, where
// sheet(name) refuses a name the workbook lacks.
func TestSheetOr(t *testing.T) {
	local := writeZip(t, minimalParts()) // sheets "Preços", "Notas"
	wb, err := openWorkbook(local, "reviews/x.xlsx", Limits{}.WithDefaults(), memoryBudget{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, tt := range []struct{ name, part, sheet string }{
		{"Notas", "xl/worksheets/sheet2.xml", "Notas"},
		{"NOTAS", "xl/worksheets/sheet2.xml", "Notas"},
		{"Revisão", "xl/worksheets/sheet1.xml", "Preços"},
	} {
		part, sheet, err := sheetOr(tt.name)(wb)
		if err != nil || part != tt.part || sheet != tt.sheet {
			t.Errorf("sheetOr(%q) = %q, %q, %v; want %q, %q", tt.name, part, sheet, err, tt.part, tt.sheet)
		}
	}
	if _, _, err := wb.sheet("Revisão"); err == nil || err.Error() != `reviews/x.xlsx: sheet "Revisão": no such sheet (the workbook has "Preços", "Notas")` {
		t.Errorf("sheet(Revisão) = %v", err)
	}
}
