package write

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// WriteTotals appends a totals row to the current sheet, after its data:
// bold, with a rule above, left out of the autofilter (sorting the data
// keeps it last) and of Rows. vals are as for WriteRow.
func (x *XLSXWriter) WriteTotals(vals []string) error {
	return x.writeStyled(vals, rowTotals, -1, "")
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
	rowInfo // plain text, not a data row (a cover sheet's lines)
)

// writeStyled is the slow path of WriteRow for the few rows of small
// sheets that carry their own style or a link.
func (x *XLSXWriter) writeStyled(vals []string, style rowStyle, linkCol int, target string) error {
	if x.closed {
		return errXLSXClosed
	}
	if x.err != nil {
		return x.err
	}
	if len(x.sheets) == 0 {
		return errors.New("xlsx: write row: no sheet started")
	}
	s := &x.sheets[len(x.sheets)-1]
	if len(vals) != len(x.cells) {
		return fmt.Errorf("xlsx: sheet %q row %d: %d values for %d columns", s.name, s.nextRow(), len(vals), len(x.cells))
	}
	if s.nextRow() > int64(maxSheetRows) {
		return fmt.Errorf("xlsx: sheet %q is full", s.name)
	}
	row := s.nextRow()
	rn := strconv.AppendInt(nil, row, 10)
	b := append([]byte(nil), `<row r="`...)
	b = append(b, rn...)
	b = append(b, `">`...)
	for i, v := range vals {
		if v == "" {
			continue
		}
		c := &x.cells[i]
		b = append(b, c.open...)
		b = append(b, rn...)
		kind := c.kind
		st := kindStyle(kind)
		switch style {
		case rowTotals:
			st = styleTotal
			if k := kindStyle(kind); k != 0 {
				st = k + styleTotal - 1 // the bold twin of the kind's style
			}
		case rowNote:
			kind, st = CellText, styleNote
		case rowInfo:
			kind, st = CellText, 0
		}
		if i == linkCol {
			// HYPERLINK to "#'Sheet'!A1" jumps within the workbook, in
			// Excel and LibreOffice alike.
			ref := "#'" + strings.ReplaceAll(target, "'", "''") + "'!A1"
			b = append(b, `" s="`+strconv.Itoa(styleLink)+`" t="str"><f>`...)
			b = appendEscaped(b, `HYPERLINK("`+strings.ReplaceAll(ref, `"`, `""`)+`","`+strings.ReplaceAll(v, `"`, `""`)+`")`)
			b = append(b, `</f><v>`...)
			b = appendEscaped(b, v)
			b = append(b, `</v></c>`...)
			continue
		}
		if st != 0 {
			b = append(b, `" s="`...)
			b = strconv.AppendInt(b, int64(st), 10)
		}
		switch kind {
		case CellText:
			b = append(b, `" t="inlineStr"><is>`...)
			b = appendInlineText(b, v)
			b = append(b, `</is></c>`...)
		case CellDate:
			serial, ok := excelSerial(v)
			if !ok {
				return cellError(s.name, row, c, errInvalidDate, v)
			}
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, serial, 10)
			b = append(b, `</v></c>`...)
		default:
			if !validNumber(v) {
				return cellError(s.name, row, c, errInvalidNumber, v)
			}
			b = append(b, `"><v>`...)
			b = append(b, v...)
			b = append(b, `</v></c>`...)
		}
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
