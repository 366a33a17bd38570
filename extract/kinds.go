package extract

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/salesops/salesops/transform"
)

// Kind is one source format: which inbox paths hold it, the raw table it
// fills and how a file is read.
type Kind struct {
	Name     string
	Patterns []string // path.Match patterns on the inbox-relative path
	Table    string
	// Staging, if set, is the incremental staging model the kind feeds
	// instead of storing raw rows: Table then only declares the raw shape
	// the model reads, and stays empty. Price lists are staged on load: a
	// million-row list is parsed once, not at every run.
	Staging string
	// Errors is the staging model whose _errors column lists, per row,
	// why the row was rejected ("" when a bad row fails the whole file,
	// as in the rules): every pipeline reading the kind lists those rows
	// in its rejects.csv.
	Errors string
	load   func(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error)
}

// Options carry the config file's settings that reading depends on.
type Options struct {
	Vendors map[string]VendorFormat // price lists of other vendors, by folder name
	// ERP maps ERP exports onto the ERP kinds (the config's erp: block,
	// resolved); nil reads only the native layout.
	ERP ERPFormats
	// ERPEncoding is the encoding of erp/ exports: "utf-8", "windows-1252",
	// or "" to detect (UTF-8 unless the bytes are not valid UTF-8).
	ERPEncoding string
	// Limits bound what one file may expand to (see Limits).
	Limits Limits
	// MemoryLimit is the run's memory budget as the config file spells it
	// ("1GB"), or "" for none: a reader holds at most the part DuckDB does
	// not get (see readerBudget).
	MemoryLimit string
}

// Kinds lists every source format. A file belongs to the first kind whose
// pattern matches it; the generic vendor price list comes after the
// built-in ones.
var Kinds = []Kind{
	{Name: "ms_prices", Patterns: []string{"pricelists/microsoft/*.csv"}, Table: "raw_ms_prices", Staging: "stg_ms_prices", Errors: "stg_ms_prices", load: loadMSPrices},
	{Name: "adobe_prices", Patterns: []string{"pricelists/adobe/*.csv", "pricelists/adobe/*.xlsx"}, Table: "raw_adobe_prices", Staging: "stg_adobe_prices", Errors: "stg_adobe_prices", load: loadAdobePrices},
	{Name: "vendor_prices", Patterns: []string{"pricelists/*/*.csv", "pricelists/*/*.xlsx"}, Table: "raw_vendor_prices", Staging: "stg_vendor_prices", Errors: "stg_vendor_prices", load: loadVendorPrices},
	// A vendor's monthly rates before PTAX: both read fx/, the first
	// pattern a path matches wins.
	{Name: "vendor_fx", Patterns: []string{"fx/*_rates*.csv"}, Table: "raw_vendor_fx", Errors: "stg_vendor_fx", load: loadVendorFX},
	{Name: "ptax", Patterns: []string{"fx/*.csv"}, Table: "raw_ptax", Errors: "stg_ptax", load: loadPTAX},
	{Name: "pricing_rules", Patterns: []string{"rules/pricing.csv"}, Table: "raw_pricing_rules", load: loadPricingRules},
	{Name: "incentive_rules", Patterns: []string{"rules/incentives.csv"}, Table: "raw_incentive_rules", load: loadIncentiveRules},
	{Name: "tax_rules", Patterns: []string{"rules/taxes.csv"}, Table: "raw_tax_rules", load: loadTaxRules},
	{Name: "erp_customers", Patterns: erpPatterns("customers", "SA1"), Table: "raw_erp_customers", Staging: "stg_erp_customers", Errors: "stg_erp_customers", load: erpLoader("erp_customers", "raw_erp_customers", erpCustomerColumns)},
	{Name: "erp_contracts", Patterns: erpPatterns("contracts"), Table: "raw_erp_contracts", Staging: "stg_erp_contracts", Errors: "stg_erp_contracts", load: erpLoader("erp_contracts", "raw_erp_contracts", erpContractColumns)},
	{Name: "erp_contract_lines", Patterns: erpPatterns("contract_lines"), Table: "raw_erp_contract_lines", Staging: "stg_erp_contract_lines", Errors: "stg_erp_contract_lines", load: erpLoader("erp_contract_lines", "raw_erp_contract_lines", erpContractLineColumns)},
	{Name: "erp_orders", Patterns: erpPatterns("orders", "SC6"), Table: "raw_erp_orders", Staging: "stg_erp_orders", Errors: "stg_erp_orders", load: erpLoader("erp_orders", "raw_erp_orders", erpOrderColumns)},
	// The orders' header, read by the orders' mapping (join): only mapped.
	{Name: "erp_order_headers", Patterns: erpPatterns("order_headers", "SC5"), load: joinedLoader("erp_order_headers")},
	{Name: "erp_invoices", Patterns: erpPatterns("invoices", "SF2"), Table: "raw_erp_invoices", Staging: "stg_erp_invoices", Errors: "stg_erp_invoices", load: erpLoader("erp_invoices", "raw_erp_invoices", erpInvoiceColumns)},
	// The invoices' items, read by the invoices' mapping (join): only mapped.
	{Name: "erp_invoice_items", Patterns: erpPatterns("invoice_items", "SD2"), load: joinedLoader("erp_invoice_items")},
	{Name: "erp_receivables", Patterns: erpPatterns("receivables", "SE1"), Table: "raw_erp_receivables", Staging: "stg_erp_receivables", Errors: "stg_erp_receivables", load: erpLoader("erp_receivables", "raw_erp_receivables", erpReceivableColumns)},
	{Name: "erp_statements", Patterns: erpPatterns("statements"), Table: "raw_erp_statements", Errors: "stg_erp_statements", load: erpLoader("erp_statements", "raw_erp_statements", erpStatementColumns)},
	{Name: "erp_vendor_accounts", Patterns: erpPatterns("vendor_accounts"), Table: "raw_erp_vendor_accounts", Errors: "stg_erp_vendor_accounts", load: erpLoader("erp_vendor_accounts", "raw_erp_vendor_accounts", erpVendorAccountColumns)},
	{Name: "nf_xml", Patterns: []string{"nf/**/*.xml"}, Table: "raw_nf", Errors: "stg_nf_documents", load: loadNF},
	{Name: "ms_billing", Patterns: []string{"vendor_billing/microsoft/*.csv"}, Table: "raw_ms_billing", Staging: "stg_ms_billing", Errors: "stg_ms_billing", load: loadMSBilling},
	{Name: "sam", Patterns: []string{"sam/*.csv"}, Table: "raw_sam_counts", Errors: "stg_sam_counts", load: erpLoader("sam", "raw_sam_counts", samColumns)},
	{Name: "quotes", Patterns: []string{"quotes/*.csv", "quotes/*.xlsx"}, Table: "raw_quote_requests", Errors: "stg_quote_requests", load: loadQuotes},
	{Name: "approvals", Patterns: []string{"approvals/*.csv"}, Table: "raw_quote_approvals", Errors: "stg_quote_approvals", load: loadApprovals},
	// reviews/signoff.csv before reviews/*.csv: a file belongs to the first kind matching it.
	{Name: "review_signoffs", Patterns: []string{"reviews/signoff.csv"}, Table: "raw_review_signoffs", Errors: "stg_review_signoffs", load: loadSignoffs},
	{Name: "review_decisions", Patterns: []string{"reviews/*.csv", "reviews/*.xlsx"}, Table: "raw_review_decisions", Errors: "stg_review_decisions", load: loadReviews},
}

// erpPatterns are the files of an ERP kind: its folder's CSV files and
// workbooks (a workbook only through a mapping, with its sheet), and the
// exports of TOTVS Protheus' table (erp/protheus/SA1*.csv, read through
// the protheus profile).
func erpPatterns(folder string, protheus ...string) []string {
	p := []string{"erp/" + folder + "/*.csv", "erp/" + folder + "/*.xlsx"}
	for _, t := range protheus {
		p = append(p, "erp/protheus/"+t+"*.csv")
	}
	return p
}

// KindByName returns the named kind.
func KindByName(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Causes of the inbox checks, for errors.Is.
var (
	ErrNotReadHere = errors.New("not a file salesops reads")
	ErrNoRows      = errors.New("no data rows")
)

// KindOf returns the kind a path belongs to, if any.
func KindOf(p string) (Kind, bool) {
	k, err := Classify(p)
	return k, err == nil && k.Name != ""
}

// Area is the inbox's top folder a kind lives in ("erp", "pricelists"…):
// a file there that no kind reads concerns the pipelines reading the area.
func (k Kind) Area() string { return Area(k.Patterns[0]) }

// Area is the top folder of an inbox path ("" for a file at the root).
func Area(p string) string {
	if i := strings.Index(p, "/"); i >= 0 {
		return p[:i]
	}
	return ""
}

// Classify returns the kind of an inbox path. A path outside every kind's
// area returns the zero Kind and no error: nothing reads it. A path inside
// an area that no kind reads (an orders export saved as .xlsx, a file in a
// subfolder, a list put beside the vendor folders) is an error saying what
// the folder takes, so it is never skipped in silence.
//
// A folder named literally by a kind's pattern (pricelists/microsoft/)
// belongs to that kind alone: a .xlsx there is not a generic vendor list.
func Classify(p string) (Kind, error) {
	dir := path.Dir(p)
	var owners []Kind
	for _, k := range Kinds {
		for _, pat := range k.Patterns {
			if owns(pat, dir) {
				owners = append(owners, k)
				break
			}
		}
	}
	candidates := Kinds
	if len(owners) > 0 {
		candidates = owners
	}
	for _, k := range candidates {
		for _, pat := range k.Patterns {
			if match(pat, p) {
				return k, nil
			}
		}
	}
	// Say what this folder takes, else what the area takes.
	var here, area []string
	for _, k := range candidates {
		if k.Area() != Area(p) {
			continue
		}
		for _, pat := range k.Patterns {
			area = append(area, pat)
			if ok, _ := path.Match(path.Dir(pat), dir); ok || owns(pat, dir) {
				here = append(here, pat)
			}
		}
	}
	takes := here
	if len(takes) == 0 {
		takes = area
	}
	if len(takes) == 0 {
		return Kind{}, nil
	}
	return Kind{}, &PosError{File: p, Err: fmt.Errorf("%w: this folder takes %s", ErrNotReadHere, strings.Join(takes, ", "))}
}

// owns tells whether a pattern names the folder dir literally (no
// wildcard), or, for "prefix/**/…", any folder under prefix.
func owns(pattern, dir string) bool {
	if i := strings.Index(pattern, "**/"); i >= 0 {
		prefix := strings.TrimSuffix(pattern[:i], "/")
		return dir == prefix || strings.HasPrefix(dir, prefix+"/")
	}
	pdir := path.Dir(pattern)
	return !strings.ContainsAny(pdir, "*?[") && pdir == dir
}

// match is path.Match, case-insensitive on the extension, with "**/"
// matching any number of folders.
func match(pattern, p string) bool {
	if i := strings.Index(pattern, "**/"); i >= 0 {
		prefix, rest := pattern[:i], pattern[i+3:]
		if !strings.HasPrefix(p, prefix) {
			return false
		}
		p = p[len(prefix):]
		for {
			if ok, _ := path.Match(rest, lowerExt(p)); ok {
				return true
			}
			j := strings.Index(p, "/")
			if j < 0 {
				return false
			}
			p = p[j+1:]
		}
	}
	ok, _ := path.Match(pattern, lowerExt(p))
	return ok
}

func lowerExt(p string) string {
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext) + strings.ToLower(ext)
}
