package write

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// XLSXChart is a native Excel bar chart over the current sheet's data
// rows: one bar per row, labelled by column Category, one series per
// column in Values (their titles name the series).
type XLSXChart struct {
	Title      string
	Category   int   // column index of the labels
	Values     []int // column indexes of the series (numeric columns)
	Horizontal bool  // bars left to right (long labels); else columns
}

// maxChartPoints bounds a chart to the first rows of its sheet: charts go
// on summary sheets, and a bar per row past this is unreadable anyway.
const maxChartPoints = 60

type chartInfo struct {
	XLSXChart
	sheet  string
	cats   []string
	vals   [][]string
	kind   CellKind // of the first series, for the axis format
	titles []string
	cols   []string // letters: category first, then the series
}

// AddChart puts a chart on the current sheet, below its rows. It must be
// called before the sheet's first row: the writer keeps the charted
// values as rows go by, for viewers that do not compute charts.
func (x *XLSXWriter) AddChart(c XLSXChart) error {
	if x.closed {
		return errXLSXClosed
	}
	if len(x.sheets) == 0 || !x.sheetOpen {
		return errors.New("xlsx: add chart: no sheet started")
	}
	s := &x.sheets[len(x.sheets)-1]
	if s.rows > 0 {
		return fmt.Errorf("xlsx: sheet %q: add a chart before the rows", s.name)
	}
	if len(c.Values) == 0 || c.Category < 0 || c.Category >= len(x.cells) {
		return fmt.Errorf("xlsx: sheet %q: chart %q needs a category column and values", s.name, c.Title)
	}
	ci := chartInfo{XLSXChart: c, sheet: s.name, cols: []string{x.cells[c.Category].letters}}
	for i, v := range c.Values {
		if v < 0 || v >= len(x.cells) || x.cells[v].kind == CellText || x.cells[v].kind == CellDate {
			return fmt.Errorf("xlsx: sheet %q: chart %q: column %d is not numeric", s.name, c.Title, v)
		}
		if i == 0 {
			ci.kind = x.cells[v].kind
		}
		ci.titles = append(ci.titles, x.cells[v].title)
		ci.cols = append(ci.cols, x.cells[v].letters)
	}
	ci.vals = make([][]string, len(c.Values))
	s.charts = append(s.charts, len(x.charts))
	x.charts = append(x.charts, ci)
	return nil
}

// keepChartValues records a data row's charted cells.
func (x *XLSXWriter) keepChartValues(s *sheetInfo, vals []string) {
	if s.rows >= maxChartPoints {
		return
	}
	for _, k := range s.charts {
		c := &x.charts[k]
		c.cats = append(c.cats, vals[c.Category])
		for i, v := range c.Values {
			c.vals[i] = append(c.vals[i], vals[v])
		}
	}
}

// chartHeightRows is how many sheet rows (15 pt) a chart takes, with a gap.
const chartHeightRows = 22

// writeCharts writes, for every sheet with charts, its relationships, its
// drawing and the charts themselves.
func (x *XLSXWriter) writeCharts() {
	chartNo := 0
	for i, s := range x.sheets {
		if len(s.charts) == 0 {
			continue
		}
		n := strconv.Itoa(i + 1)
		x.startEntry("xl/worksheets/_rels/sheet" + n + ".xml.rels")
		x.buf = append(x.buf, xlsxXMLHeader+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing`+n+`.xml"/></Relationships>`...)

		x.startEntry("xl/drawings/_rels/drawing" + n + ".xml.rels")
		x.buf = append(x.buf, xlsxXMLHeader+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`...)
		for j := range s.charts {
			x.buf = append(x.buf, `<Relationship Id="rId`+strconv.Itoa(j+1)+`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart`+strconv.Itoa(chartNo+j+1)+`.xml"/>`...)
		}
		x.buf = append(x.buf, `</Relationships>`...)

		x.startEntry("xl/drawings/drawing" + n + ".xml")
		b := append(x.buf, xlsxXMLHeader+`<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">`...)
		top := s.rows + s.extra + 2 // a blank row below the table
		for j := range s.charts {
			row := top + int64(j*chartHeightRows)
			b = append(b, `<xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>`...)
			b = strconv.AppendInt(b, row, 10)
			// 17 cm × 10 cm.
			b = append(b, `</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="6120000" cy="3600000"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="`...)
			b = strconv.AppendInt(b, int64(j+2), 10)
			b = append(b, `" name="Gráfico `...)
			b = strconv.AppendInt(b, int64(j+1), 10)
			b = append(b, `"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId`...)
			b = strconv.AppendInt(b, int64(j+1), 10)
			b = append(b, `"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>`...)
		}
		x.buf = append(b, `</xdr:wsDr>`...)

		for _, k := range s.charts {
			chartNo++
			x.startEntry("xl/charts/chart" + strconv.Itoa(chartNo) + ".xml")
			x.buf = appendChart(x.buf, &x.charts[k])
		}
	}
}

// appendChart renders one clustered bar chart with its cached values.
func appendChart(b []byte, c *chartInfo) []byte {
	sheet := "'" + strings.ReplaceAll(c.sheet, "'", "''") + "'"
	last := strconv.Itoa(len(c.cats) + 1)
	ref := func(col string) string { return sheet + "!$" + col + "$2:$" + col + "$" + last }
	b = append(b, xlsxXMLHeader+`<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="pt-BR" sz="1200" b="1"/><a:t>`...)
	b = appendEscaped(b, c.Title)
	b = append(b, `</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="`...)
	if c.Horizontal {
		b = append(b, "bar"...)
	} else {
		b = append(b, "col"...)
	}
	b = append(b, `"/><c:grouping val="clustered"/><c:varyColors val="0"/>`...)
	for i := range c.Values {
		b = append(b, `<c:ser><c:idx val="`+strconv.Itoa(i)+`"/><c:order val="`+strconv.Itoa(i)+`"/><c:tx><c:strRef><c:f>`...)
		b = appendEscaped(b, sheet+"!$"+c.cols[i+1]+"$1")
		b = append(b, `</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>`...)
		b = appendEscaped(b, c.titles[i])
		// Each series says its fill: LibreOffice draws a series without
		// one, in a workbook without a theme it reads, as no bar at all.
		color := seriesColors[i%len(seriesColors)]
		b = append(b, `</c:v></c:pt></c:strCache></c:strRef></c:tx><c:spPr><a:solidFill><a:srgbClr val="`+color+`"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr><c:invertIfNegative val="0"/><c:cat><c:strRef><c:f>`...)
		b = appendEscaped(b, ref(c.cols[0]))
		b = append(b, `</c:f><c:strCache><c:ptCount val="`+strconv.Itoa(len(c.cats))+`"/>`...)
		for j, v := range c.cats {
			b = append(b, `<c:pt idx="`+strconv.Itoa(j)+`"><c:v>`...)
			b = appendEscaped(b, v)
			b = append(b, `</c:v></c:pt>`...)
		}
		b = append(b, `</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>`...)
		b = appendEscaped(b, ref(c.cols[i+1]))
		b = append(b, `</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="`+strconv.Itoa(len(c.cats))+`"/>`...)
		for j, v := range c.vals[i] {
			if v == "" {
				continue
			}
			b = append(b, `<c:pt idx="`+strconv.Itoa(j)+`"><c:v>`...)
			b = append(b, v...)
			b = append(b, `</c:v></c:pt>`...)
		}
		b = append(b, `</c:numCache></c:numRef></c:val></c:ser>`...)
	}
	catPos, valPos := "b", "l"
	if c.Horizontal {
		catPos, valPos = "l", "b"
	}
	// Bars left to right list the first row on top, as the table does
	// (categories maxMin); the value axis then crosses at the maximum
	// category, the bottom, not the top where it would otherwise go.
	orientation, valCrosses := "minMax", "autoZero"
	if c.Horizontal {
		orientation, valCrosses = "maxMin", "max"
	}
	b = append(b, `<c:gapWidth val="60"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>`+
		`<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="`+orientation+`"/></c:scaling><c:delete val="0"/><c:axPos val="`+catPos+`"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`+
		`<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="`+valPos+`"/><c:majorGridlines/><c:numFmt formatCode="`...)
	b = appendAttr(b, axisFormat(c.kind))
	b = append(b, `" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/><c:crosses val="`+valCrosses+`"/><c:crossBetween val="between"/></c:valAx></c:plotArea>`...)
	if len(c.Values) > 1 {
		b = append(b, `<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>`...)
	}
	return append(b, `<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`...)
}

func axisFormat(k CellKind) string {
	switch k {
	case CellMoneyBRL:
		return `"R$" #,##0`
	case CellInteger:
		return "0"
	}
	return "#,##0"
}

// appendChartTypes adds the drawings' and charts' content types.
func (x *XLSXWriter) appendChartTypes(b []byte) []byte {
	for i, s := range x.sheets {
		if len(s.charts) > 0 {
			b = append(b, `<Override PartName="/xl/drawings/drawing`+strconv.Itoa(i+1)+`.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>`...)
		}
	}
	for i := range x.charts {
		b = append(b, `<Override PartName="/xl/charts/chart`+strconv.Itoa(i+1)+`.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`...)
	}
	return b
}
