package extract

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/salesops/salesops/transform"
)

// VendorFormat maps the price list of a vendor without a built-in format
// (pricelists/<vendor>/*.csv|*.xlsx) onto the common price fields.
type VendorFormat struct {
	// Columns maps a field (product_id, sku_id, product, sku_title,
	// product_family, segment, market, term, billing_plan, currency, cost,
	// list_price, effective_from, effective_to) to the file's header.
	Columns map[string]string `yaml:"columns"`
	// Defaults gives a field's value when the file has no such column,
	// e.g. currency: BRL.
	Defaults   map[string]string `yaml:"defaults"`
	Delimiter  string            `yaml:"delimiter"`   // CSV only; default: sniffed
	Decimal    string            `yaml:"decimal"`     // "," or "." (default ".")
	DateFormat string            `yaml:"date_format"` // one of VendorDateFormats (default %d/%m/%Y)
	Encoding   string            `yaml:"encoding"`    // utf-8 or windows-1252 (default: detected)
	Sheet      string            `yaml:"sheet"`       // XLSX sheet (default: the first)
	// Goods is what the vendor sells, for the taxes on revenue
	// (rules/taxes.csv applies_to): licence (default: software, taxed as
	// a service) or hardware. It does not change how the list is read.
	Goods string `yaml:"goods" json:",omitempty"`
}

var vendorFields = []string{"product_id", "sku_id", "product", "sku_title", "product_family", "segment",
	"market", "term", "billing_plan", "currency", "cost", "list_price", "effective_from", "effective_to"}

// VendorDateFormats are the date formats a vendor mapping may name.
var VendorDateFormats = []string{"%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%Y%m%d"}

var vendorRequired = map[string]bool{"product_id": true, "cost": true, "currency": true}

func loadVendorPrices(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
	vendor := strings.Split(s.Path, "/")[1]
	format, ok := opts.Vendors[vendor]
	if !ok {
		return 0, &PosError{File: path.Dir(s.Path), Err: fmt.Errorf("%w (add vendors.%s to the config file)", ErrNoFormat, vendor)}
	}
	known := map[string]bool{}
	for _, f := range vendorFields {
		known[f] = true
	}
	var cols []column
	fields := make([]string, 0, len(format.Columns))
	for f := range format.Columns {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if !known[f] {
			return 0, &PosError{File: s.Path, Err: fmt.Errorf("config vendors.%s.columns: unknown field %q (known: %s)", vendor, f, strings.Join(vendorFields, ", "))}
		}
		cols = append(cols, column{Field: f, Names: []string{format.Columns[f]}, Required: true,
			Date: f == "effective_from" || f == "effective_to"})
	}
	consts := map[string]string{"vendor": vendor, "decimal_sep": ".", "date_format": "%d/%m/%Y"}
	if format.Decimal != "" {
		consts["decimal_sep"] = format.Decimal
	}
	if format.DateFormat != "" {
		if !slices.Contains(VendorDateFormats, format.DateFormat) {
			return 0, &PosError{File: s.Path, Err: fmt.Errorf("config vendors.%s.date_format %q: use one of %s", vendor, format.DateFormat, strings.Join(VendorDateFormats, ", "))}
		}
		consts["date_format"] = format.DateFormat
	}
	for f, v := range format.Defaults {
		if !known[f] {
			return 0, &PosError{File: s.Path, Err: fmt.Errorf("config vendors.%s.defaults: unknown field %q", vendor, f)}
		}
		if _, mapped := format.Columns[f]; !mapped {
			consts[f] = v
		}
	}
	for f := range vendorRequired {
		_, mapped := format.Columns[f]
		_, def := consts[f]
		if !mapped && !def {
			return 0, &PosError{File: s.Path, Err: fmt.Errorf("config vendors.%s: field %q needs a column or a default", vendor, f)}
		}
	}
	switch strings.ToLower(path.Ext(s.Path)) {
	case ".xlsx":
		return loadXLSX(ctx, w, s, opts, "raw_vendor_prices", format.Sheet, cols, consts)
	case ".csv", ".txt":
		delim := sniffDelim(s)
		if format.Delimiter != "" {
			delim = []rune(format.Delimiter)[0]
		}
		return loadCSV(ctx, w, s, "raw_vendor_prices", csvLayout{Delim: delim, Header: true, Encoding: format.Encoding, Columns: cols, MaxLine: opts.Limits.MaxLineBytes}, consts)
	default:
		return 0, &PosError{File: s.Path, Err: fmt.Errorf("unsupported file type %q (use .csv or .xlsx)", path.Ext(s.Path))}
	}
}
