package extract

import (
	"bufio"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/jszwec/csvutil"
	"github.com/shopspring/decimal"

	"github.com/salesops/salesops/transform"
)

// Rules files are small and hand-edited, so they are read in Go and any bad
// line fails the run with its position: a skipped rule would silently price
// products by a looser one.

type pricingRule struct {
	Vendor        string `csv:"vendor"`
	Segment       string `csv:"segment"`
	ProductFamily string `csv:"product_family"`
	Method        string `csv:"method"`
	Pct           string `csv:"pct"`
	MinMarginPct  string `csv:"min_margin_pct,omitempty"`
}

type incentiveRule struct {
	Vendor     string `csv:"vendor"`
	Program    string `csv:"program"`
	SKUPattern string `csv:"sku_pattern"`
	Pct        string `csv:"pct"`
	ValidFrom  string `csv:"valid_from,omitempty"`
	ValidTo    string `csv:"valid_to,omitempty"`
}

func loadPricingRules(ctx context.Context, w *transform.Warehouse, s source, _ Options) (int64, error) {
	var n int64
	err := w.Append(ctx, "raw_pricing_rules", func(add func(...driver.Value) error) error {
		var err error
		n, err = readPricingRules(s.File, s.fileID, add)
		return err
	})
	return n, err
}

// readPricingRules checks every rule of rules/pricing.csv and calls add
// with its raw_pricing_rules row; the first bad line is the error.
func readPricingRules(f File, fileID int64, add func(...driver.Value) error) (int64, error) {
	required := []string{"vendor", "segment", "product_family", "method", "pct"}
	var n int64
	err := readRules(f, required, func(dec *csvutil.Decoder, at record) error {
		var r pricingRule
		if err := dec.Decode(&r); err != nil {
			return err
		}
		bad := at.bad
		if err := at.notEmpty("vendor", r.Vendor, "segment", r.Segment, "product_family", r.ProductFamily); err != nil {
			return err
		}
		method := strings.ToLower(strings.TrimSpace(r.Method))
		if method != "markup" && method != "list_discount" {
			return bad("method", fmt.Errorf("%q: must be markup or list_discount", r.Method))
		}
		pct, err := parsePct(r.Pct, false)
		if err != nil {
			return bad("pct", err)
		}
		if method == "list_discount" && pct.GreaterThanOrEqual(decimal.NewFromInt(100)) {
			return bad("pct", fmt.Errorf("%q: a list discount must be below 100", r.Pct))
		}
		minMargin, err := parsePct(r.MinMarginPct, true)
		if err != nil {
			return bad("min_margin_pct", err)
		}
		if minMargin.GreaterThanOrEqual(decimal.NewFromInt(100)) {
			return bad("min_margin_pct", fmt.Errorf("%q: must be below 100", r.MinMarginPct))
		}
		n++
		return add(fileID, at.line(), strings.TrimSpace(r.Vendor), strings.TrimSpace(r.Segment),
			strings.TrimSpace(r.ProductFamily), method, pct.String(), minMargin.String())
	})
	return n, err
}

func loadIncentiveRules(ctx context.Context, w *transform.Warehouse, s source, _ Options) (int64, error) {
	var n int64
	err := w.Append(ctx, "raw_incentive_rules", func(add func(...driver.Value) error) error {
		var err error
		n, err = readIncentiveRules(s.File, s.fileID, add)
		return err
	})
	return n, err
}

// readIncentiveRules checks every rule of rules/incentives.csv and calls
// add with its raw_incentive_rules row; the first bad line is the error.
func readIncentiveRules(f File, fileID int64, add func(...driver.Value) error) (int64, error) {
	required := []string{"vendor", "program", "sku_pattern", "pct"}
	var n int64
	err := readRules(f, required, func(dec *csvutil.Decoder, at record) error {
		var r incentiveRule
		if err := dec.Decode(&r); err != nil {
			return err
		}
		bad := at.bad
		if err := at.notEmpty("vendor", r.Vendor, "program", r.Program, "sku_pattern", r.SKUPattern); err != nil {
			return err
		}
		pct, err := parsePct(r.Pct, false)
		if err != nil {
			return bad("pct", err)
		}
		if pct.GreaterThan(decimal.NewFromInt(100)) {
			return bad("pct", fmt.Errorf("%q: must be at most 100", r.Pct))
		}
		from, err := parseRuleDate(r.ValidFrom)
		if err != nil {
			return bad("valid_from", err)
		}
		to, err := parseRuleDate(r.ValidTo)
		if err != nil {
			return bad("valid_to", err)
		}
		if from != nil && to != nil && to.Before(*from) {
			return bad("valid_to", fmt.Errorf("%q is before valid_from %q", r.ValidTo, r.ValidFrom))
		}
		n++
		return add(fileID, at.line(), strings.TrimSpace(r.Vendor), strings.TrimSpace(r.Program),
			strings.TrimSpace(r.SKUPattern), pct.String(), isoDate(from), isoDate(to))
	})
	return n, err
}

// record places errors on the rules record just decoded.
type record struct {
	file string
	pos  func(field string) (line int64, col int)
}

// bad is a positioned error on one field of the record.
func (r record) bad(field string, err error) error {
	line, col := r.pos(field)
	return &PosError{File: r.file, Line: line, Column: col, Field: field, Err: err}
}

func (r record) line() int64 {
	line, _ := r.pos("")
	return line
}

// notEmpty fails on the first empty field of name, value pairs, in order.
func (r record) notEmpty(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return r.bad(pairs[i], errors.New(`empty: use "*" to match anything`))
		}
	}
	return nil
}

// readRules reads a ';'-separated rules file with a header, calling each
// for every record.
func readRules(f File, required []string, each func(*csvutil.Decoder, record) error) error {
	in, err := os.Open(f.Local)
	if err != nil {
		return &PosError{File: f.Path, Err: err}
	}
	defer in.Close()
	bound := &lineBound{r: in, file: f.Path, max: maxRulesLine, line: 1}
	br := bufio.NewReader(bound)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.Comma = ';'
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		return &PosError{File: f.Path, Err: errors.New("empty file: no header line")}
	}
	if err != nil {
		return csvParseError(f.Path, err)
	}
	index := map[string]int{}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
		index[header[i]] = i
	}
	for _, name := range required {
		if _, ok := index[name]; !ok {
			return missingColumn(f.Path, name)
		}
	}
	dec, err := csvutil.NewDecoder(r, header...)
	if err != nil {
		return &PosError{File: f.Path, Err: err}
	}
	pos := func(field string) (int64, int) {
		i, ok := index[field]
		if !ok {
			i = 0
		}
		line, _ := r.FieldPos(i)
		return int64(line), i + 1
	}
	for {
		err := each(dec, record{file: f.Path, pos: pos})
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *PosError
			if errors.As(err, &pe) {
				return err
			}
			return csvParseError(f.Path, err)
		}
	}
}

func csvParseError(file string, err error) error {
	var pos *PosError
	if errors.As(err, &pos) {
		return pos
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &PosError{File: file, Line: int64(pe.Line), Column: pe.Column, Err: pe.Err}
	}
	return &PosError{File: file, Err: err}
}

var pctRE = regexp.MustCompile(`^-?\d+(,\d+)?$`)

// parsePct reads a percentage written with a decimal comma ("12,5").
func parsePct(v string, optional bool) (decimal.Decimal, error) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	if v == "" {
		if optional {
			return decimal.Zero, nil
		}
		return decimal.Zero, errors.New("empty: a percentage is required")
	}
	if !pctRE.MatchString(v) {
		return decimal.Zero, fmt.Errorf("%q is not a number with a decimal comma (e.g. 12,5)", v)
	}
	d, err := decimal.NewFromString(strings.Replace(v, ",", ".", 1))
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q: %w", v, err)
	}
	if d.IsNegative() {
		return decimal.Zero, fmt.Errorf("%q is negative", v)
	}
	return d, nil
}

func parseRuleDate(v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse("02/01/2006", v)
	if err != nil {
		t, err = time.Parse("2/1/2006", v)
	}
	if err != nil {
		return nil, fmt.Errorf("%q is not a date dd/mm/aaaa", v)
	}
	return &t, nil
}

func isoDate(t *time.Time) driver.Value {
	if t == nil {
		return nil
	}
	return t.Format("2006-01-02")
}

// maxRulesLine bounds one line of a rules file: a rule is a few dozen
// bytes, and encoding/csv would otherwise hold a line with no end whole.
const maxRulesLine = 64 << 10

// lineBound passes r through until a line grows past max bytes, then fails
// naming the line.
type lineBound struct {
	r        io.Reader
	file     string
	max, n   int64
	line     int64
	exceeded bool
}

func (b *lineBound) Read(p []byte) (int, error) {
	if b.exceeded {
		return 0, b.err()
	}
	n, err := b.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			b.n = 0
			b.line++
			continue
		}
		if b.n++; b.n > b.max {
			b.exceeded = true
			return i, err // what came before; the next read fails
		}
	}
	return n, err
}

func (b *lineBound) err() error {
	return &PosError{File: b.file, Line: b.line, Err: fmt.Errorf("%w: a line longer than %d bytes (a rule takes a few dozen)", ErrLineTooLong, b.max)}
}
