package write

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

const benchRows = 200000

// benchColumns mirrors a typical report: 10 text, 12 decimal, 3 date and
// 1 integer column.
func benchColumns() []XLSXColumn {
	var cols []XLSXColumn
	cols = append(cols, XLSXColumn{Title: "Linha", Kind: CellInteger})
	for i := range 10 {
		cols = append(cols, XLSXColumn{Title: fmt.Sprintf("Texto %d", i+1), Kind: CellText})
	}
	for i := range 12 {
		kind := CellDecimal
		switch i % 4 {
		case 1:
			kind = CellMoneyBRL
		case 2:
			kind = CellPercent
		case 3:
			kind = CellRate
		}
		cols = append(cols, XLSXColumn{Title: fmt.Sprintf("Valor %d", i+1), Kind: kind})
	}
	for i := range 3 {
		cols = append(cols, XLSXColumn{Title: fmt.Sprintf("Data %d", i+1), Kind: CellDate})
	}
	return cols
}

// benchData returns a pool of varied rows; cycling through 4096 of them keeps
// repetition far outside deflate's 32 KiB window, like real data.
func benchData(cols []XLSXColumn) [][]string {
	words := []string{"Licença", "Suporte", "Anual", "Mensal", "Cliente", "Comércio", "Ltda", "S.A.", "Serviços", "Software", "Nuvem", "Renovação", "São Paulo", "Curitiba", "Recife", "ERP", "CRM"}
	r := rand.New(rand.NewPCG(1, 2))
	rows := make([][]string, 4096)
	for i := range rows {
		row := make([]string, len(cols))
		for j, c := range cols {
			switch c.Kind {
			case CellText:
				row[j] = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))] + " " + strconv.Itoa(r.IntN(100000))
			case CellInteger:
				row[j] = strconv.Itoa(i + 1)
			case CellDate:
				row[j] = fmt.Sprintf("20%02d-%02d-%02d", 20+r.IntN(6), 1+r.IntN(12), 1+r.IntN(28))
			case CellRate:
				row[j] = fmt.Sprintf("%d.%04d", r.IntN(10), r.IntN(10000))
			default:
				row[j] = fmt.Sprintf("%d.%02d", r.IntN(2000000)-100000, r.IntN(100))
			}
		}
		rows[i] = row
	}
	return rows
}

// xlsxCountWriter records the output size, so the benchmark shows compression.
type xlsxCountWriter struct{ n int64 }

func (w *xlsxCountWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func BenchmarkXLSXWriter(b *testing.B) {
	cols := benchColumns()
	data := benchData(cols)
	var out xlsxCountWriter
	for b.Loop() {
		out = xlsxCountWriter{}
		x := NewXLSXWriter(&out)
		if err := x.AddSheet("Vendas", cols); err != nil {
			b.Fatal(err)
		}
		for i := range benchRows {
			if err := x.WriteRow(data[i%len(data)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(out.n)/1e6, "MB")
}

// BenchmarkExcelizeStreamWriter writes the same rows through excelize's
// StreamWriter: the baseline that made us write our own.
func BenchmarkExcelizeStreamWriter(b *testing.B) {
	cols := benchColumns()
	data := benchData(cols)
	// excelize wants typed values; convert once outside the timed loop.
	typed := make([][]any, len(data))
	for i, row := range data {
		typed[i] = make([]any, len(row))
		for j, v := range row {
			switch cols[j].Kind {
			case CellText, CellDate:
				typed[i][j] = v
			default:
				f, _ := strconv.ParseFloat(v, 64)
				typed[i][j] = f
			}
		}
	}
	header := make([]any, len(cols))
	for j, c := range cols {
		header[j] = c.Title
	}
	var out xlsxCountWriter
	for b.Loop() {
		out = xlsxCountWriter{}
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		if err := sw.SetRow("A1", header); err != nil {
			b.Fatal(err)
		}
		for i := range benchRows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, typed[i%len(typed)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if _, err := f.WriteTo(&out); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(out.n)/1e6, "MB")
}
