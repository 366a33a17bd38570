package write

import "strconv"

// The workbook's styles (xl/styles.xml) and theme (xl/theme/theme1.xml),
// written once per workbook.

// Indexes into cellXfs, in the order of cellXfs below.
const (
	styleHeader = iota + 1
	styleInteger
	styleDecimal
	styleMoney
	styleRate
	styleDate
	styleQtyWhole // a quantity with no fraction: 20, not 20,00
	styleQtyFrac  // a quantity with one: 2,5
	styleTotal    // bold text with a rule above; totalStyle gives the numbers' twins
	styleTotalInteger
	styleTotalDecimal
	styleTotalMoney
	styleTotalRate
	styleTotalDate
	styleTotalQtyWhole
	styleTotalQtyFrac
	styleNote   // grey italic: why a sheet is empty
	styleLink   // a link to another sheet
	styleWrap   // text that wraps in its cell (a cover's values, a document's long text)
	styleBanner // bold dark red: a draft's "RASCUNHO — aguardando aprovação"
	styleLabel  // bold: a document's field names
)

// NoteStyle is the style index (s="…") of an empty sheet's line saying
// why, so a reader counting a sheet's data rows can leave it out.
const NoteStyle = styleNote

// cellXfs are the cell formats, by the style constants; fonts, fills and
// number formats by their ids in stylesXML.
var cellXfs = []string{
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`,
	// Header: bold on a light fill, wrapped, so a long title takes two
	// lines rather than widening its column.
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`,
	numberXf(1, 0, 0), numberXf(4, 0, 0), numberXf(164, 0, 0), numberXf(165, 0, 0), numberXf(166, 0, 0),
	numberXf(3, 0, 0), numberXf(167, 0, 0),
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>`,
	numberXf(1, 1, 1), numberXf(4, 1, 1), numberXf(164, 1, 1), numberXf(165, 1, 1), numberXf(166, 1, 1),
	numberXf(3, 1, 1), numberXf(167, 1, 1),
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
	`<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`,
	`<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf>`,
}

func numberXf(numFmt, font, border int) string {
	s := `<xf numFmtId="` + strconv.Itoa(numFmt) + `" fontId="` + strconv.Itoa(font) + `" fillId="0" borderId="` + strconv.Itoa(border) +
		`" xfId="0" applyNumberFormat="1"`
	if font != 0 {
		s += ` applyFont="1"`
	}
	if border != 0 {
		s += ` applyBorder="1"`
	}
	return s + `/>`
}

// kindStyle is the style of a data cell of kind k (0: none).
func kindStyle(k CellKind) int {
	switch k {
	case CellInteger:
		return styleInteger
	case CellDecimal, CellPercent:
		return styleDecimal
	case CellMoneyBRL:
		return styleMoney
	case CellRate:
		return styleRate
	case CellDate:
		return styleDate
	case CellQuantity:
		return styleQtyWhole
	}
	return 0
}

// totalStyle is the bold twin of a data style, for a totals row.
func totalStyle(style int) int {
	if style == 0 {
		return styleTotal
	}
	return style + styleTotal - styleHeader
}

// quantityStyle is the style of the quantity v: whole ("20", "8.000000")
// or not ("2.5").
func quantityStyle(v string) int {
	for i := 0; i < len(v); i++ {
		if v[i] == '.' {
			for _, c := range v[i+1:] {
				if c != '0' {
					return styleQtyFrac
				}
			}
			break
		}
	}
	return styleQtyWhole
}

// Differential formats of the conditional formats (dxfs, by index).
const (
	dxfNegative = iota // a negative amount: dark red text
	dxfAlert           // a row to act on: light red fill, dark red text (over the limit, overdue, below the floor)
	dxfWarn            // a row to look at: light yellow fill, dark yellow text
)

// stylesXML: "0", "#,##0" and "#,##0.00" are built-in formats 1, 3 and 4;
// the others are custom (ids from 164). Fill 0 and 1 must be none and
// gray125, as Excel expects.
var stylesXML = func() string {
	s := xlsxXMLHeader + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<numFmts count="4">` +
		`<numFmt numFmtId="164" formatCode="&quot;R$&quot; #,##0.00"/>` +
		`<numFmt numFmtId="165" formatCode="#,##0.0000####"/>` +
		`<numFmt numFmtId="166" formatCode="dd/mm/yyyy"/>` +
		`<numFmt numFmtId="167" formatCode="#,##0.0#####"/>` +
		`</numFmts>` +
		`<fonts count="5">` +
		`<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
		`<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
		`<font><i/><sz val="11"/><color rgb="FF595959"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
		`<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
		`<font><b/><sz val="14"/><color rgb="FFC00000"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
		`</fonts>` +
		`<fills count="3">` +
		`<fill><patternFill patternType="none"/></fill>` +
		`<fill><patternFill patternType="gray125"/></fill>` +
		`<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill>` +
		`</fills>` +
		`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
		`<border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="` + strconv.Itoa(len(cellXfs)) + `">`
	for _, xf := range cellXfs {
		s += xf
	}
	return s + `</cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		// Excel's own "light red fill with dark red text" and "yellow fill
		// with dark yellow text", and its red for negatives.
		`<dxfs count="3">` +
		`<dxf><font><color rgb="FFC00000"/></font></dxf>` +
		`<dxf><font><color rgb="FF9C0006"/></font><fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf>` +
		`<dxf><font><color rgb="FF9C5700"/></font><fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/><bgColor rgb="FFFFEB9C"/></patternFill></fill></dxf>` +
		`</dxfs><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>` +
		`</styleSheet>`
}()

// seriesColors fill the charts' series in order (the Office palette):
// each series says its colour, so no viewer draws it empty for want of a
// theme it does not read.
var seriesColors = []string{"4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47"}

// themeXML is the Office theme: the colours and fonts that styles
// ("theme 1"), charts and viewers refer to. A workbook without one opens
// in Excel, but LibreOffice drew its chart series without a fill.
const themeXML = xlsxXMLHeader + `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>` +
	`<a:clrScheme name="Office">` +
	`<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
	`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>` +
	`<a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>` +
	`<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>` +
	`<a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>` +
	`<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>` +
	`</a:clrScheme>` +
	`<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>` +
	`<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
	`<a:fmtScheme name="Office">` +
	`<a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>` +
	`<a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>` +
	`<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>` +
	`<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst>` +
	`</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`
