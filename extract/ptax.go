package extract

import (
	"context"

	"github.com/salesops/salesops/transform"
)

// PTAX closing rates as Banco Central do Brasil publishes them: no header,
// ';', decimal comma: date;code;type;symbol;buy;sell;parity_buy;parity_sell.
var ptaxColumns = []column{
	{Field: "rate_date", Names: []string{"date"}, Index: 0},
	{Field: "code", Names: []string{"code"}, Index: 1},
	{Field: "type", Names: []string{"type"}, Index: 2},
	{Field: "symbol", Names: []string{"symbol"}, Index: 3},
	{Field: "buy", Names: []string{"buy"}, Index: 4},
	{Field: "sell", Names: []string{"sell"}, Index: 5},
	{Field: "parity_buy", Names: []string{"parity_buy"}, Index: 6},
	{Field: "parity_sell", Names: []string{"parity_sell"}, Index: 7},
}

func loadPTAX(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	return loadCSV(ctx, w, s, "raw_ptax", csvLayout{Delim: ';', Header: false, Columns: ptaxColumns, MaxLine: opts.Limits.MaxLineBytes}, nil)
}
