package synth

import (
	"context"
	"database/sql"
	_ "embed" // the big files' SQL
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" driver
)

// Options size a generated inbox. Generate takes the zero values of Seed
// and EndPeriod as 0 and DefaultEndPeriod.
type Options struct {
	Customers int    // customers in the master (Zipf-like sizes: a few are large)
	Months    int    // months of bills, orders and invoices, ending with EndPeriod
	BillLines int    // Microsoft bill lines over all months (the latest month is full)
	Seed      int64  // same options and seed, same bytes
	EndPeriod string // latest period, YYYY-MM (default DefaultEndPeriod)
	// PriceRows, if not 0, is the Microsoft price list's rows (at most
	// MaxPriceRows): ten a product, the products past those the bills use
	// listed only. 0: ten rows for each product the bills use.
	PriceRows int
}

// MaxPriceRows is the largest PriceRows: product ids have five digits.
const MaxPriceRows = 1_000_000

// DefaultEndPeriod is the latest period of a generated inbox unless told
// otherwise: the period of the bundled examples, so runs are reproducible.
const DefaultEndPeriod = "2025-12"

// Summary says what Generate wrote.
type Summary struct {
	Periods []string         // YYYY-MM, oldest first
	AsOf    string           // a YYYY-MM-DD after the latest period that the contracts are laid out around
	Rows    map[string]int64 // data rows (documents for nf_xml) by kind, as extract.Kinds names them
	Files   map[string]int   // files by kind
	// Classes is the reconciliation the generator planned, by period and
	// class: what `run reconciliation` must find (counted from the design,
	// not from any output).
	Classes map[string]map[string]int64
	// FormulaBreaks is how many bill lines of each period break
	// Microsoft's Subtotal formula by a cent: the period's data quality
	// lists each (vendor_formula_mismatch).
	FormulaBreaks map[string]int64
}

// The share of bill-line slots, per thousand, planned for each case; the
// rest are plain matches. A slot is one subscription's month: its bill
// line, its order line and its invoices. The reconciliation's
// order-line classes take their slots one to one; a vendor_billed_not_ordered
// slot has a bill line and no order; an invoiced_not_ordered slot is a
// matched order plus a service invoice (NFS-e) with no order; a rebilled slot
// is a matched order whose first invoice was cancelled and replaced.
var planPerMille = []struct {
	Plan string
	N    int
}{
	{"quantity_mismatch", 15},
	{"amount_mismatch", 10},
	{"duplicate_invoice", 5},
	{"ordered_not_invoiced", 15},
	{"cancelled_without_replacement", 5},
	{"price_below_cost", 10},
	{"vendor_billed_not_ordered", 15},
	{"invoiced_not_ordered", 10},
	{"rebilled", 5},
}

//go:embed gen.sql
var genSQL string

// ErrNotEmpty is returned by Generate for a folder that already holds
// files: a second generation laid over a first (other sizes, another
// seed) would mix two inboxes whose keys disagree.
var ErrNotEmpty = errors.New("folder is not empty (remove it or choose another)")

// Generate writes a complete inbox into dir, which must be missing or
// empty (ErrNotEmpty): every source the four pipelines
// read, with consistent keys. The big files (bill lines, orders, invoices,
// the Microsoft price list) are written by DuckDB COPY from range() with
// hash-based columns; the small ones from Go.
func Generate(ctx context.Context, dir string, o Options) (Summary, error) {
	g, err := newGen(dir, o)
	if err != nil {
		return Summary{}, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return Summary{}, fmt.Errorf("gen: %s: %w", dir, ErrNotEmpty)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Summary{}, fmt.Errorf("gen: %w", err)
	}
	db, err := sqlOpen()
	if err != nil {
		return Summary{}, fmt.Errorf("gen: open duckdb: %w", err)
	}
	defer db.Close()
	// One connection: the SET VARIABLEs and the temp macros are per session.
	db.SetMaxOpenConns(1)
	g.db = db
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"setup", g.setup},
		{"microsoft price list", g.msPrices},
		{"monthly files", g.monthly},
		{"nf xml", g.nfXML},
		{"small files", g.smallFiles},
	}
	for _, s := range steps {
		t := time.Now()
		if err := s.fn(ctx); err != nil {
			return Summary{}, fmt.Errorf("gen: %s: %w", s.name, err)
		}
		slog.Debug("gen", "step", s.name, "seconds", time.Since(t).Seconds())
	}
	return g.sum, nil
}

// gen is one generation's state.
type gen struct {
	dir      string
	o        Options
	db       *sql.DB
	end      time.Time // first day of the latest period
	asOf     time.Time
	products int
	// priceRows is the Microsoft price list's rows.
	priceRows int
	subs      int // subscriptions: bill lines a month
	months    []month
	cust      []customer
	sum       Summary
}

type month struct {
	idx    int
	start  time.Time
	rate4  int64     // PCToBCExchangeRate × 10,000: the PTAX sell of rateOn
	rateOn time.Time // last business day before the month
	lo, hi int64     // its slots [lo, hi)
}

func (m month) period() string { return m.start.Format("2006-01") }

func newGen(dir string, o Options) (*gen, error) {
	if o.Customers < 1 || o.Months < 1 || o.BillLines < 1 {
		return nil, fmt.Errorf("gen: customers, months and bill lines must be positive (got %d, %d, %d)", o.Customers, o.Months, o.BillLines)
	}
	if o.EndPeriod == "" {
		o.EndPeriod = DefaultEndPeriod
	}
	end, err := time.Parse("2006-01", o.EndPeriod)
	if err != nil {
		return nil, fmt.Errorf("gen: end period %q: want YYYY-MM", o.EndPeriod)
	}
	if o.PriceRows < 0 || o.PriceRows > MaxPriceRows {
		return nil, fmt.Errorf("gen: price rows must be between 0 and %d (got %d)", MaxPriceRows, o.PriceRows)
	}
	if o.Customers > 999999 {
		return nil, fmt.Errorf("gen: at most 999,999 customers (got %d)", o.Customers)
	}
	g := &gen{dir: dir, o: o, end: end}
	// The contracts are laid out around the 10th of the month after the
	// latest period, the day a closing would run.
	g.asOf = end.AddDate(0, 1, 9)
	// About 100 bill lines per product, within the 5-digit product ids.
	g.products = min(max(o.BillLines/100, 100), 99999)
	g.priceRows = g.products * 10
	if o.PriceRows > 0 {
		g.priceRows = o.PriceRows
	}
	g.subs = (o.BillLines + o.Months - 1) / o.Months
	g.sum = Summary{AsOf: g.asOf.Format("2006-01-02"), Rows: map[string]int64{}, Files: map[string]int{}, Classes: map[string]map[string]int64{}, FormulaBreaks: map[string]int64{}}
	return g, nil
}

func (g *gen) count(kind string, rows int64) {
	g.sum.Rows[kind] += rows
	g.sum.Files[kind]++
}

// path makes the folders of an inbox-relative path and returns it.
func (g *gen) path(rel string) (string, error) {
	p := filepath.Join(g.dir, filepath.FromSlash(rel))
	return p, os.MkdirAll(filepath.Dir(p), 0o755)
}

// setup lays out the months and customers and hands them to DuckDB as
// list variables (indexed, not joined: a join would lose the row order
// COPY writes in), then creates the slot macros.
func (g *gen) setup(ctx context.Context) error {
	rates := ptaxSeries(g.o.Seed, g.firstDay(), g.lastDay())
	L := int64(g.o.BillLines)
	S := int64(g.subs)
	M := g.o.Months
	for i := 0; i < M; i++ {
		start := g.end.AddDate(0, i-(M-1), 0)
		// Slots of month i: the latest month is full, the oldest takes what is left.
		fromEnd := int64(M - 1 - i)
		lo, hi := max(L-(fromEnd+1)*S, 0), max(L-fromEnd*S, 0)
		// rates has every business day from firstDay: the day before start is in it.
		on := prevBusinessDay(start)
		g.months = append(g.months, month{idx: i, start: start, rate4: rates[on].usd4, rateOn: on, lo: lo, hi: hi})
		g.sum.Periods = append(g.sum.Periods, start.Format("2006-01"))
	}
	g.cust = customers(g.o.Seed, g.o.Customers)
	vars := map[string]any{
		"seed":       g.o.Seed,
		"customers":  int64(g.o.Customers),
		"products":   int64(g.products),
		"price_rows": int64(g.priceRows),
		"subs":       S,
		"months":     int64(M),
		"bills":      L,
	}
	var (
		mStart, mRateOn   []string
		mText             = map[string][]string{}
		mRate             []int64
		cID, cVendor      []string
		cCNPJ, cName, cDm []string
		cTerms            []int64
		cPO, cPortal      []bool
	)
	for _, m := range g.months {
		mStart = append(mStart, m.start.Format("2006-01-02"))
		mRateOn = append(mRateOn, m.rateOn.Format("2006-01-02"))
		mRate = append(mRate, m.rate4)
		// The month's dates as the files write them, formatted once
		// rather than on every row.
		end := m.start.AddDate(0, 1, -1)
		order := m.start.AddDate(0, 0, -3)
		for k, v := range map[string]string{
			"m_us_start": usDate(m.start), "m_us_end": usDate(end), "m_us_order": usDate(order), "m_us_rate_on": usDate(m.rateOn),
			"m_br_start": br(m.start), "m_br_end": br(end), "m_br_order": br(order),
		} {
			mText[k] = append(mText[k], v)
		}
	}
	for _, c := range g.cust {
		cID = append(cID, c.id)
		cVendor = append(cVendor, c.vendorID)
		cCNPJ = append(cCNPJ, c.cnpjFmt)
		cName = append(cName, c.asciiName)
		cDm = append(cDm, c.domain)
		cTerms = append(cTerms, int64(c.terms))
		cPO = append(cPO, c.poRequired)
		cPortal = append(cPortal, c.portal != "")
	}
	lists := map[string]any{
		"m_start": mStart, "m_rate_on": mRateOn, "m_rate4": mRate,
		"c_id": cID, "c_vendor": cVendor, "c_cnpj": cCNPJ, "c_name": cName, "c_domain": cDm,
		"c_terms": cTerms, "c_po": cPO, "c_portal": cPortal,
	}
	for k, v := range mText {
		lists[k] = v
	}
	for k, v := range vars {
		if _, err := g.db.ExecContext(ctx, fmt.Sprintf("SET VARIABLE %s = ?", k), v); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(lists))
	for k := range lists {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, err := g.db.ExecContext(ctx, fmt.Sprintf("SET VARIABLE %s = %s", k, sqlList(lists[k]))); err != nil {
			return fmt.Errorf("variable %s: %w", k, err)
		}
	}
	var cases []string
	lim := 0
	for _, p := range planPerMille {
		lim += p.N
		cases = append(cases, fmt.Sprintf("WHEN r < %d THEN '%s'", lim, p.Plan))
	}
	script := strings.ReplaceAll(genSQL, "/*PLAN*/", "CASE "+strings.Join(cases, " ")+" ELSE 'matched' END")
	for _, stmt := range strings.Split(script, ";\n") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		if _, err := g.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("gen.sql: %w", err)
		}
	}
	return g.plannedClasses(ctx)
}

// plannedClasses counts each month's slots by plan and turns the plans into
// the classes the reconciliation will give them.
func (g *gen) plannedClasses(ctx context.Context) error {
	for _, m := range g.months {
		rows, err := g.db.QueryContext(ctx, "SELECT plan, count(*), count(*) FILTER (WHERE formula_broken) FROM gen_slots(?, ?) GROUP BY plan", m.lo, m.hi)
		if err != nil {
			return err
		}
		cl := map[string]int64{}
		for rows.Next() {
			var plan string
			var n, breaks int64
			if err := rows.Scan(&plan, &n, &breaks); err != nil {
				rows.Close()
				return err
			}
			g.sum.FormulaBreaks[m.period()] += breaks
			switch plan {
			case "rebilled":
				cl["matched"] += n
			case "invoiced_not_ordered":
				cl["matched"] += n
				cl["invoiced_not_ordered"] += n
			default:
				cl[plan] += n
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		g.sum.Classes[m.period()] = cl
	}
	return nil
}

// copyTo writes a query's rows to an inbox file through DuckDB's CSV writer
// and returns the rows written.
func (g *gen) copyTo(ctx context.Context, rel, query, options string) (int64, error) {
	p, err := g.path(rel)
	if err != nil {
		return 0, err
	}
	res, err := g.db.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO '%s' (FORMAT csv, %s)", query, strings.ReplaceAll(p, "'", "''"), options))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", rel, err)
	}
	return res.RowsAffected()
}

const (
	msCSV  = "HEADER true, DELIMITER ',', QUOTE '\"', FORCE_QUOTE *, NEW_LINE '\\r\\n'"
	msBill = "HEADER true, DELIMITER ',', QUOTE '\"', NEW_LINE '\\r\\n'"
	erpCSV = "HEADER true, DELIMITER ';', QUOTE '\"'"
)

// msPrices writes the Microsoft NCE price list: ten market/currency/
// segment/term/plan rows per product, priceRows in all.
func (g *gen) msPrices(ctx context.Context) error {
	rel := fmt.Sprintf("pricelists/microsoft/nce_licensebased_pricelist_%s.csv", g.end.Format("200601"))
	n, err := g.copyTo(ctx, rel, "SELECT * FROM gen_ms_prices()", msCSV)
	if err != nil {
		return err
	}
	g.count("ms_prices", n)
	return nil
}

// monthly writes each month's bill file, orders and invoice register.
func (g *gen) monthly(ctx context.Context) error {
	for _, m := range g.months {
		if m.hi <= m.lo {
			continue
		}
		ym := m.start.Format("200601")
		inv := invoiceNo(g.o.Seed, m.idx)
		n, err := g.copyTo(ctx, fmt.Sprintf("vendor_billing/microsoft/G%09d_recon_%s.csv", inv, ym),
			fmt.Sprintf("SELECT * EXCLUDE (i) FROM gen_bills(%d, %d, %d)", m.lo, m.hi, inv), msBill)
		if err != nil {
			return err
		}
		g.count("ms_billing", n)
		if n, err = g.copyTo(ctx, fmt.Sprintf("erp/orders/pedidos_%s.csv", m.period()), fmt.Sprintf("SELECT * FROM gen_orders(%d, %d)", m.lo, m.hi), erpCSV); err != nil {
			return err
		}
		g.count("erp_orders", n)
		if n, err = g.copyTo(ctx, fmt.Sprintf("erp/invoices/notas_%s.csv", m.period()), fmt.Sprintf("SELECT * EXCLUDE (x) FROM gen_invoices(%d, %d)", m.lo, m.hi), erpCSV); err != nil {
			return err
		}
		g.count("erp_invoices", n)
	}
	return nil
}

// invoiceNo is Microsoft's invoice number of a month's bill.
func invoiceNo(seed int64, monthIdx int) int64 {
	return 100000000 + int64(mix(uint64(seed), 0x1f1f, uint64(monthIdx))%800000000)
}

func usDate(d time.Time) string { return d.Format("1/2/2006") }

func (g *gen) firstDay() time.Time { return g.months0().AddDate(0, 0, -20) }
func (g *gen) lastDay() time.Time  { return g.asOf.AddDate(0, 1, 0) }
func (g *gen) months0() time.Time  { return g.end.AddDate(0, -(g.o.Months - 1), 0) }

// sqlList renders a Go slice as a DuckDB list literal: the values are ours
// (ids, CNPJs, ASCII names), quoted all the same.
func sqlList(v any) string {
	var parts []string
	switch l := v.(type) {
	case []string:
		for _, s := range l {
			parts = append(parts, "'"+strings.ReplaceAll(s, "'", "''")+"'")
		}
		return "[" + strings.Join(parts, ",") + "]::VARCHAR[]"
	case []int64:
		for _, n := range l {
			parts = append(parts, fmt.Sprint(n))
		}
		return "[" + strings.Join(parts, ",") + "]::BIGINT[]"
	case []bool:
		for _, b := range l {
			parts = append(parts, fmt.Sprint(b))
		}
		return "[" + strings.Join(parts, ",") + "]::BOOLEAN[]"
	}
	panic(fmt.Sprintf("sqlList: %T", v))
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func sqlOpen() (*sql.DB, error) { return sql.Open("duckdb", "") }
