package extract

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jszwec/csvutil"
	"github.com/shopspring/decimal"

	"github.com/salesops/salesops/transform"
)

// rules/taxes.csv: the taxes on revenue as dated rows, each citing its
// source (docs/taxes.md). Like the other rules it is small and hand-edited,
// so it is read in Go and its first bad line fails the run: a tax left out
// in silence would publish margins that are a loss.

// Taxes lists the tax names rules/taxes.csv may use.
var Taxes = []string{"ISS", "PIS", "COFINS", "CBS", "IBS", "ICMS"}

// TaxScopes are what a tax row may apply to: every sale, licences
// (software: price-list products and vendor-billed SKUs) or hardware (the
// products of a vendor the config declares goods: hardware).
var TaxScopes = []string{"all", "licence", "hardware"}

type taxRule struct {
	Tax        string `csv:"tax"`
	RatePct    string `csv:"rate_pct"`
	AppliesTo  string `csv:"applies_to"`
	Included   string `csv:"included_in_price"`
	ValidFrom  string `csv:"valid_from"`
	ValidTo    string `csv:"valid_to,omitempty"`
	SourceText string `csv:"source"`
}

func loadTaxRules(ctx context.Context, w *transform.Warehouse, s source, _ Options) (int64, error) {
	var n int64
	err := w.Append(ctx, "raw_tax_rules", func(add func(...driver.Value) error) error {
		var err error
		n, err = readTaxRules(s.File, s.fileID, add)
		return err
	})
	return n, err
}

// taxSpan is a checked row's key and dates, to find overlaps.
type taxSpan struct {
	tax, scope string
	from       time.Time
	to         *time.Time // nil: open
	line       int64
}

func (s taxSpan) overlaps(o taxSpan) bool {
	if s.tax != o.tax || s.scope != o.scope {
		return false
	}
	// [from, to] intersect when each starts before the other ends.
	return (o.to == nil || !s.from.After(*o.to)) && (s.to == nil || !o.from.After(*s.to))
}

func (s taxSpan) dates() string {
	to := "(open)"
	if s.to != nil {
		to = s.to.Format("02/01/2006")
	}
	return s.from.Format("02/01/2006") + "–" + to
}

// readTaxRules checks every row of rules/taxes.csv and calls add with its
// raw_tax_rules row; the first bad line is the error. Rows are checked as
// read (tax, rate 0–100, applies_to, included_in_price sim/não, dates, a
// source), then against the rows before: two rows of one tax and
// applies_to whose dates intersect fail at the later one.
func readTaxRules(f File, fileID int64, add func(...driver.Value) error) (int64, error) {
	required := []string{"tax", "rate_pct", "applies_to", "included_in_price", "valid_from", "source"}
	var (
		n     int64
		spans []taxSpan
	)
	err := readRules(f, required, func(dec *csvutil.Decoder, at record) error {
		var r taxRule
		if err := dec.Decode(&r); err != nil {
			return err
		}
		bad := at.bad
		tax := strings.ToUpper(strings.TrimSpace(r.Tax))
		if !slices.Contains(Taxes, tax) {
			return bad("tax", fmt.Errorf("%q is not a known tax (%s)", r.Tax, strings.Join(Taxes, ", ")))
		}
		rate, err := parsePct(r.RatePct, false)
		if err != nil {
			return bad("rate_pct", err)
		}
		if rate.GreaterThan(decimal.NewFromInt(100)) {
			return bad("rate_pct", fmt.Errorf("%q: a rate is from 0 to 100", r.RatePct))
		}
		scope := strings.ToLower(strings.TrimSpace(r.AppliesTo))
		if !slices.Contains(TaxScopes, scope) {
			return bad("applies_to", fmt.Errorf("%q: must be all, licence or hardware", r.AppliesTo))
		}
		var included bool
		switch strings.ToLower(strings.TrimSpace(r.Included)) {
		case "sim":
			included = true
		case "não", "nao":
		default:
			return bad("included_in_price", fmt.Errorf("%q: must be sim or não", r.Included))
		}
		from, err := parseRuleDate(r.ValidFrom)
		if err != nil {
			return bad("valid_from", err)
		}
		if from == nil {
			return bad("valid_from", errors.New("empty: the day the rate starts is required (dd/mm/aaaa)"))
		}
		to, err := parseRuleDate(r.ValidTo)
		if err != nil {
			return bad("valid_to", err)
		}
		if to != nil && to.Before(*from) {
			return bad("valid_to", fmt.Errorf("%q is before valid_from %q", r.ValidTo, r.ValidFrom))
		}
		src := strings.TrimSpace(r.SourceText)
		if src == "" {
			return bad("source", errors.New("empty: name the law or rule of the rate"))
		}
		span := taxSpan{tax: tax, scope: scope, from: *from, to: to, line: at.line()}
		for _, o := range spans {
			if span.overlaps(o) {
				return bad("valid_from", fmt.Errorf("%s %s %s overlaps line %d (%s): one rate per tax, applies_to and day",
					tax, scope, span.dates(), o.line, o.dates()))
			}
		}
		spans = append(spans, span)
		n++
		return add(fileID, span.line, tax, rate.String(), scope, included, isoDate(from), isoDate(to), src)
	})
	return n, err
}
