package write

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// WriteTotals appends a totals row to the current sheet, after its data:
// bold, with a rule above, left out of the autofilter (sorting the data
// keeps it last) and of Rows. vals are as for WriteRow; they are values,
// not formulas (WriteTotalRow writes sums that follow a filter).
func (x *XLSXWriter) WriteTotals(vals []string) error {
	cells := make([]XLSXTotal, len(vals))
	for i, v := range vals {
		cells[i] = XLSXTotal{Value: v}
	}
	return x.WriteTotalRow(cells)
}

// XLSXTotal is one cell of a totals row: its value over every data row
// (as WriteRow takes it; "" for none) and, when Sum, how a spreadsheet
// recomputes it over the rows a filter leaves shown: SUBTOTAL(109) of its
// column, or, with IfValue, of the rows whose column IfCol shows IfValue.
// The value is the formula's cached result, what Excel and Calc show
// before they recalculate.
type XLSXTotal struct {
	Value   string
	Sum     bool
	IfCol   int
	IfValue string
}

// WriteTotalRow appends a totals row (see WriteTotals) whose sums are
// formulas. A sheet that continues another, or is continued, gets the
// values alone: its formulas would cover part of the rows.
func (x *XLSXWriter) WriteTotalRow(cells []XLSXTotal) error {
	if err := x.usable(); err != nil {
		return err
	}
	if len(cells) != len(x.cells) {
		return fmt.Errorf("xlsx: sheet %q totals: %d values for %d columns", x.sheets[len(x.sheets)-1].name, len(cells), len(x.cells))
	}
	s := &x.sheets[len(x.sheets)-1]
	specs := make([]cellSpec, len(cells))
	for i, c := range cells {
		st := kindStyle(x.cells[i].kind)
		if x.cells[i].kind == CellQuantity && c.Value != "" {
			st = quantityStyle(c.Value)
		}
		specs[i] = cellSpec{value: c.Value, kind: x.cells[i].kind, style: totalStyle(st)}
		if c.Sum && c.Value != "" && !s.continued && s.rows > 0 && x.cells[i].kind != CellText && x.cells[i].kind != CellDate {
			specs[i].formula = x.sumFormula(s, i, c)
		}
	}
	return x.writeCells(specs, rowTotals)
}

// sumFormula is the formula of a totals cell of column i over the data
// rows of s: SUBTOTAL(109, D2:D11) leaves out the rows a filter hides;
// with a condition, the same per row (OFFSET) times the test.
func (x *XLSXWriter) sumFormula(s *sheetInfo, i int, c XLSXTotal) string {
	last := strconv.FormatInt(s.rows+1, 10)
	col := x.cells[i].letters
	if c.IfValue == "" {
		return "SUBTOTAL(109," + col + "2:" + col + last + ")"
	}
	cond := x.cells[c.IfCol].letters
	v := `"` + strings.ReplaceAll(c.IfValue, `"`, `""`) + `"`
	if x.cells[c.IfCol].kind != CellText && validNumber(c.IfValue) {
		v = c.IfValue
	}
	return "SUMPRODUCT(SUBTOTAL(109,OFFSET(" + col + "2,ROW(" + col + "2:" + col + last + ")-ROW(" + col + "2),0)),--(" +
		cond + "2:" + cond + last + "=" + v + "))"
}

// WriteNote appends a line of text in column A after the data (e.g. why
// a sheet has no rows). It is not a data row.
func (x *XLSXWriter) WriteNote(text string) error {
	if len(x.cells) == 0 {
		return errors.New("xlsx: write note: no sheet started")
	}
	vals := make([]string, len(x.cells))
	vals[0] = text
	return x.writeStyled(vals, rowNote, -1, "")
}

// WriteLinkRow appends a data row whose column col is a link to cell A1 of
// the sheet named target (a text cell).
func (x *XLSXWriter) WriteLinkRow(vals []string, col int, target string) error {
	if col < 0 || col >= len(x.cells) || x.cells[col].kind != CellText {
		return fmt.Errorf("xlsx: link column %d is not a text column", col)
	}
	return x.writeStyled(vals, rowData, col, target)
}

type rowStyle int

const (
	rowData rowStyle = iota
	rowTotals
	rowNote
	rowInfo // plain text, not a data row (a cover sheet's lines, a document's)
)

// cellSpec is one cell of a row written by writeCells: a value as
// WriteRow takes it, of kind, in style (0: none), computed by formula if
// set (value is its cached result), or a link to the sheet target.
type cellSpec struct {
	value, formula, target string
	kind                   CellKind
	style                  int
}

// writeStyled is the slow path of WriteRow for the few rows of small
// sheets that carry their own style or a link.
func (x *XLSXWriter) writeStyled(vals []string, style rowStyle, linkCol int, target string) error {
	if err := x.usable(); err != nil {
		return err
	}
	if len(vals) != len(x.cells) {
		s := &x.sheets[len(x.sheets)-1]
		return fmt.Errorf("xlsx: sheet %q row %d: %d values for %d columns", s.name, s.nextRow(), len(vals), len(x.cells))
	}
	specs := make([]cellSpec, len(vals))
	for i, v := range vals {
		c := &x.cells[i]
		sp := cellSpec{value: v, kind: c.kind, style: kindStyle(c.kind)}
		if c.kind == CellQuantity {
			sp.style = quantityStyle(v)
		}
		switch style {
		case rowTotals:
			sp.style = totalStyle(sp.style)
		case rowNote:
			sp.kind, sp.style = CellText, styleNote
		case rowInfo:
			sp.kind, sp.style = CellText, 0
		}
		if i == linkCol {
			sp.target, sp.style = target, styleLink
		}
		specs[i] = sp
	}
	return x.writeCells(specs, style)
}

// usable fails when no row may be written now.
func (x *XLSXWriter) usable() error {
	if x.closed {
		return errXLSXClosed
	}
	if x.err != nil {
		return x.err
	}
	if len(x.sheets) == 0 || !x.sheetOpen {
		return errors.New("xlsx: write row: no sheet started")
	}
	return nil
}

// writeCells appends one row of cells, one per column, as style says
// (rowData counts it as a data row).
func (x *XLSXWriter) writeCells(cells []cellSpec, style rowStyle) error {
	if err := x.usable(); err != nil {
		return err
	}
	s := &x.sheets[len(x.sheets)-1]
	if len(cells) != len(x.cells) {
		return fmt.Errorf("xlsx: sheet %q row %d: %d values for %d columns", s.name, s.nextRow(), len(cells), len(x.cells))
	}
	if s.nextRow() > int64(maxSheetRows) {
		return fmt.Errorf("xlsx: sheet %q is full", s.name)
	}
	row := s.nextRow()
	rn := strconv.AppendInt(nil, row, 10)
	b := append([]byte(nil), `<row r="`...)
	b = append(b, rn...)
	b = append(b, `">`...)
	vals := make([]string, len(cells))
	for i, sp := range cells {
		vals[i] = sp.value
		if sp.value == "" {
			continue
		}
		c := &x.cells[i]
		b = append(b, c.open...)
		b = append(b, rn...)
		if sp.target != "" {
			// HYPERLINK to "#'Sheet'!A1" jumps within the workbook, in
			// Excel and LibreOffice alike.
			ref := "#'" + strings.ReplaceAll(sp.target, "'", "''") + "'!A1"
			b = append(b, `" s="`+strconv.Itoa(sp.style)+`" t="str"><f>`...)
			b = appendEscaped(b, `HYPERLINK("`+strings.ReplaceAll(ref, `"`, `""`)+`","`+strings.ReplaceAll(sp.value, `"`, `""`)+`")`)
			b = append(b, `</f><v>`...)
			b = appendEscaped(b, sp.value)
			b = append(b, `</v></c>`...)
			continue
		}
		if sp.style != 0 {
			b = append(b, `" s="`...)
			b = strconv.AppendInt(b, int64(sp.style), 10)
		}
		switch sp.kind {
		case CellText:
			b = append(b, `" t="inlineStr"><is>`...)
			b = appendInlineText(b, sp.value)
			b = append(b, `</is></c>`...)
			continue
		case CellDate:
			serial, ok := excelSerial(sp.value)
			if !ok {
				return cellError(s.name, row, c, errInvalidDate, sp.value)
			}
			b = append(b, `">`...)
			b = appendFormula(b, sp.formula)
			b = append(b, `<v>`...)
			b = strconv.AppendInt(b, serial, 10)
		default:
			if !validNumber(sp.value) {
				return cellError(s.name, row, c, errInvalidNumber, sp.value)
			}
			b = append(b, `">`...)
			b = appendFormula(b, sp.formula)
			b = append(b, `<v>`...)
			b = append(b, sp.value...)
		}
		b = append(b, `</v></c>`...)
	}
	x.buf = append(x.buf, append(b, `</row>`...)...)
	if style == rowData {
		if len(s.charts) > 0 {
			x.keepChartValues(s, vals)
		}
		s.rows++
		x.rows++
	} else {
		s.extra++
	}
	if x.headPending && style != rowNote {
		x.measure(vals)
	}
	return nil
}

func appendFormula(b []byte, f string) []byte {
	if f == "" {
		return b
	}
	b = append(b, `<f>`...)
	b = appendEscaped(b, f)
	return append(b, `</f>`...)
}
