package write

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Data validation: a column whose cells a person fills in from a list (the
// Revisão sheet's decision) gets a drop-down of the allowed values over the
// sheet's data rows, and Excel refuses anything else typed there, saying
// which values it takes.

type listValidation struct {
	col    int
	values []string
}

// maxListFormula is Excel's bound on a list typed into the validation
// itself (its formula, quotes and commas included).
const maxListFormula = 255

// AddListValidation makes column col of the current sheet (and of its
// continuations) a drop-down of values over the data rows: Excel takes a
// value of the list or an empty cell, and refuses any other. Values may
// not hold a comma or a quote (the list is typed in the formula), and
// together they must fit Excel's 255 characters.
func (x *XLSXWriter) AddListValidation(col int, values []string) error {
	if x.closed {
		return errXLSXClosed
	}
	if len(x.sheets) == 0 || !x.sheetOpen {
		return errors.New("xlsx: add validation: no sheet started")
	}
	name := x.sheets[len(x.sheets)-1].name
	if col < 0 || col >= len(x.cells) || x.cells[col].kind != CellText {
		return fmt.Errorf("xlsx: sheet %q: validation: column %d is not a text column", name, col)
	}
	if len(values) == 0 {
		return fmt.Errorf("xlsx: sheet %q: validation of column %s: no values", name, x.cells[col].letters)
	}
	for _, v := range values {
		if v == "" || strings.ContainsAny(v, `,"`) {
			return fmt.Errorf("xlsx: sheet %q: validation of column %s: value %q is empty or holds a comma or a quote", name, x.cells[col].letters, v)
		}
	}
	if n := len(strings.Join(values, ",")) + 2; n > maxListFormula {
		return fmt.Errorf("xlsx: sheet %q: validation of column %s: the list takes %d characters, over Excel's %d", name, x.cells[col].letters, n, maxListFormula)
	}
	x.lists = append(x.lists, listValidation{col: col, values: append([]string(nil), values...)})
	return nil
}

// appendValidations appends the sheet's dataValidations (after its
// autoFilter, as the schema orders them), over its data rows; a sheet
// without rows gets none.
func (x *XLSXWriter) appendValidations(b []byte, s *sheetInfo) []byte {
	if len(x.lists) == 0 || s.rows == 0 {
		return b
	}
	b = append(b, `<dataValidations count="`...)
	b = strconv.AppendInt(b, int64(len(x.lists)), 10)
	b = append(b, `">`...)
	for _, l := range x.lists {
		letters := x.cells[l.col].letters
		list := strings.Join(l.values, ", ")
		b = append(b, `<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorStyle="stop" errorTitle="`...)
		b = appendAttr(b, x.cells[l.col].title)
		b = append(b, `" error="`...)
		b = appendAttr(b, "Escolha um destes valores: "+list+".")
		b = append(b, `" promptTitle="`...)
		b = appendAttr(b, x.cells[l.col].title)
		b = append(b, `" prompt="`...)
		b = appendAttr(b, list)
		b = append(b, `" sqref="`...)
		b = append(b, letters...)
		b = append(b, '2', ':')
		b = append(b, letters...)
		b = strconv.AppendInt(b, s.rows+1, 10)
		b = append(b, `"><formula1>`...)
		b = appendEscaped(b, `"`+strings.Join(l.values, ",")+`"`)
		b = append(b, `</formula1></dataValidation>`...)
	}
	return append(b, `</dataValidations>`...)
}
