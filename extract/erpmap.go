package extract

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ERP exports as the ERP writes them: the config's erp: block maps an
// ERP's own files onto the native ERP kinds (erp/customers/, orders…), as
// vendors: maps price lists. A mapped file is read into the kind's raw
// shape and goes through the same staging model, rejects and guards as the
// native layout; its rejects name the ERP's own columns (file_columns).
//
//	erp:
//	  profile: protheus            # a built-in block (profiles/protheus.yaml)
//	  columns:                     # on top of it: the customer's own fields
//	    orders: {period_start: C6_XPERINI, period_end: C6_XPERFIM}
//
// Derived fields: a field read from several columns is their trimmed
// values joined with "-" (Protheus' A1_COD + A1_LOJA is 000001-01); a value
// map turns the ERP's codes into salesops' values, a code it lacks being a
// reject naming the code; a joined file (the orders' header, the invoices'
// items) gives fields of its row with the same key.

// ERPConfig is the config file's erp: block.
type ERPConfig struct {
	// Profile names a built-in mapping to start from: "protheus" (TOTVS
	// Protheus' SA1, SC5 + SC6, SF2 + SD2 and SE1 under erp/protheus/; see
	// docs/erp.md), or empty for none.
	Profile string `yaml:"profile"`
	// Columns adds columns to a kind's block (the profile's), by kind and
	// field: orders: {contract_id: C6_XCONTR}. A column of the joined file
	// is written with its table: orders: {po_number: SC5.C5_XPEDCLI}, or
	// bare when its name says its table, as Protheus' fields do (C5_XPEDCLI
	// is SC5's).
	Columns map[string]map[string]ERPColumn `yaml:"columns"`
	// Defaults adds defaults to a kind's block, by kind and field.
	Defaults map[string]map[string]string `yaml:"defaults"`
	// Values adds codes to a kind's value maps, by kind, field and code:
	// customers: {payment_terms_days: {"001": "30"}}.
	Values map[string]map[string]map[string]string `yaml:"values"`
	// A block per kind (erp.orders: …) maps that kind's export:
	// customers, contracts, contract_lines, orders, invoices, receivables
	// or vendor_accounts. It replaces the profile's block of the kind.
	Kinds map[string]*ERPFormat `yaml:",inline"`
}

// ERPFormat maps one kind's export onto the kind's fields, in the form of
// a vendor mapping (VendorFormat).
type ERPFormat struct {
	// Files is which inbox files the mapping reads, a pattern under erp/
	// (protheus/SC6*.csv); default: every file of the kind's folder
	// (orders/*).
	Files string `yaml:"files"`
	// Table is the ERP's name of the table, in messages (SC6: column
	// "C6_QTDVEN" missing); default: the file's name.
	Table string `yaml:"table"`
	// Columns maps a field to the file's header, or to several headers
	// ([A1_COD, A1_LOJA]) whose trimmed values are joined with "-".
	Columns map[string]ERPColumn `yaml:"columns"`
	// Defaults gives a field's value when no column feeds it.
	Defaults map[string]string `yaml:"defaults"`
	// Values maps a field's codes to salesops' values ({SPED: NFE}); a
	// code the map lacks is a reject naming it. An empty map ({}) marks a
	// field of codes whose values the config has yet to give: until then
	// the field is empty.
	Values map[string]map[string]string `yaml:"values"`
	// Delimiter of a CSV (default: sniffed, ';', ',' or tab).
	Delimiter string `yaml:"delimiter"`
	// Decimal is the decimal separator, "," or "." (default ",").
	Decimal string `yaml:"decimal"`
	// DateFormat is one of VendorDateFormats, %Y%m%d included (default
	// %d/%m/%Y); a blank date is no date.
	DateFormat string `yaml:"date_format"`
	// Encoding is utf-8 or windows-1252 (default: detected).
	Encoding string `yaml:"encoding"`
	// Sheet of a workbook (.xlsx; default: the first).
	Sheet string `yaml:"sheet"`
	// Join reads fields from a second file, joined on a key: the orders'
	// header (one row per order) or the invoices' items.
	Join *ERPJoin `yaml:"join"`
}

// ERPJoin is a second file a mapping reads fields from: for each row, the
// joined file's row with the same key (the last by file name and line when
// several have it).
type ERPJoin struct {
	// Files is which inbox files hold it, a pattern under erp/; default:
	// order_headers/* for orders, invoice_items/* for invoices.
	Files string `yaml:"files"`
	// Table is the ERP's name of the table, in messages.
	Table string `yaml:"table"`
	// Key pairs the mapped file's key columns with the joined file's:
	// {C6_FILIAL: C5_FILIAL, C6_NUM: C5_NUM}.
	Key map[string]string `yaml:"key"`
	// Columns maps fields to the joined file's headers, as Columns does.
	Columns map[string]ERPColumn `yaml:"columns"`
}

// ERPColumn is where a field's text comes from: one header, or several
// whose trimmed values are joined with "-".
type ERPColumn []string

// UnmarshalYAML reads a header or a list of headers.
func (c *ERPColumn) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*c = ERPColumn{n.Value}
		return nil
	case yaml.SequenceNode:
		var l []string
		if err := n.Decode(&l); err != nil {
			return err
		}
		*c = l
		return nil
	}
	return fmt.Errorf("line %d: want a header or a list of headers", n.Line)
}

// erpKind is an ERP kind as a mapping sees it.
type erpKind struct {
	block   string   // its key under erp: (customers)
	kind    string   // its Kind (erp_customers)
	folder  string   // its native folder under erp/
	columns []column // the native layout
	// keys are what a mapping must feed: each a field, or fields of which
	// one will do; the rest may be left unmapped.
	keys [][]string
	// joinKind is the kind of the files a join reads ("" takes no join).
	joinKind, joinFolder string
	// optional are fields whose columns a mapped file may lack, read as
	// empty: what not every export of the ERP's table carries (an order
	// line's invoicing, Protheus' C6_NOTA and C6_QTDENT).
	optional []string
}

var erpKinds = []erpKind{
	{block: "customers", kind: "erp_customers", folder: "customers", columns: erpCustomerColumns,
		keys: [][]string{{"customer_id"}, {"name"}}},
	{block: "contracts", kind: "erp_contracts", folder: "contracts", columns: erpContractColumns,
		keys: [][]string{{"contract_id"}, {"customer_id"}, {"vendor"}, {"start_date"}, {"end_date"}}},
	{block: "contract_lines", kind: "erp_contract_lines", folder: "contract_lines", columns: erpContractLineColumns,
		keys: [][]string{{"contract_id"}, {"product_id"}, {"quantity"}}},
	{block: "orders", kind: "erp_orders", folder: "orders", columns: erpOrderColumns,
		keys:     [][]string{{"so_number"}, {"order_line"}, {"customer_id"}, {"order_date"}, {"product_id"}, {"quantity"}, {"unit_price_brl"}},
		joinKind: "erp_order_headers", joinFolder: "order_headers", optional: []string{"invoice_number", "invoiced_quantity"}},
	{block: "invoices", kind: "erp_invoices", folder: "invoices", columns: erpInvoiceColumns,
		keys:     [][]string{{"nf_number"}, {"kind"}, {"issue_date"}, {"gross"}, {"net"}, {"customer_cnpj", "customer_id"}},
		joinKind: "erp_invoice_items", joinFolder: "invoice_items"},
	{block: "receivables", kind: "erp_receivables", folder: "receivables", columns: erpReceivableColumns,
		keys: [][]string{{"nf_number"}, {"due_date"}, {"amount"}}},
	{block: "statements", kind: "erp_statements", folder: "statements", columns: erpStatementColumns,
		keys: [][]string{{"contract_id"}, {"anniversary"}, {"kind"}, {"submitted_on"}}},
	{block: "vendor_accounts", kind: "erp_vendor_accounts", folder: "vendor_accounts", columns: erpVendorAccountColumns,
		keys: [][]string{{"vendor"}, {"vendor_customer_id"}, {"customer_id"}}},
}

func erpKindOf(name string) (erpKind, bool) {
	for _, k := range erpKinds {
		if k.kind == name || k.block == name {
			return k, true
		}
	}
	return erpKind{}, false
}

// fields lists the kind's fields, in its layout's order.
func (k erpKind) fields() []string {
	f := make([]string, len(k.columns))
	for i, c := range k.columns {
		f[i] = c.Field
	}
	return f
}

// isDateField tells the ERP kinds' date fields (a workbook's date cell
// there is read as a date).
func isDateField(field string) bool {
	switch field {
	case "start_date", "end_date", "onboarding_date", "order_date", "period_start", "period_end",
		"issue_date", "due_date", "paid_date", "portal_posted_date", "anniversary", "submitted_on":
		return true
	}
	return false
}

// ERPFormats are the mappings a run reads ERP exports through, by kind
// (erp_orders): the erp: block resolved (ResolveERP).
type ERPFormats map[string]*ERPFormat

//go:embed profiles/*.yaml
var profileFS embed.FS

// ERPProfiles lists the built-in profiles.
func ERPProfiles() []string {
	names, _ := profileFS.ReadDir("profiles")
	var out []string
	for _, n := range names {
		out = append(out, strings.TrimSuffix(n.Name(), ".yaml"))
	}
	return out
}

// ERPProfile returns a built-in profile's YAML, as shipped.
func ERPProfile(name string) ([]byte, error) {
	if !slices.Contains(ERPProfiles(), name) {
		return nil, fmt.Errorf("erp.profile %q: no such profile (known: %s)", name, strings.Join(ERPProfiles(), ", "))
	}
	return profileFS.ReadFile("profiles/" + name + ".yaml")
}

// ResolveERP resolves the erp: block: the profile's blocks, each replaced
// by the config's block of its kind, with the config's columns, defaults
// and values on top; then fills the defaults and checks every block.
func ResolveERP(c ERPConfig) (ERPFormats, error) {
	out := ERPFormats{}
	if c.Profile != "" {
		b, err := ERPProfile(c.Profile)
		if err != nil {
			return nil, err
		}
		var p ERPConfig
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("erp.profile %s: %w", c.Profile, err)
		}
		if err := blocks(out, p.Kinds, "erp.profile "+c.Profile+": "); err != nil {
			return nil, err
		}
	}
	if err := blocks(out, c.Kinds, ""); err != nil {
		return nil, err
	}
	block := func(key, what string) (erpKind, *ERPFormat, error) {
		k, ok := erpKindOf(key)
		if !ok || k.block != key {
			return k, nil, fmt.Errorf("erp.%s.%s: unknown kind (known: %s)", what, key, strings.Join(erpBlocks(), ", "))
		}
		if out[k.kind] == nil {
			out[k.kind] = (&ERPFormat{}).clone()
		}
		return k, out[k.kind], nil
	}
	for _, key := range sortedMapKeys(c.Columns) {
		_, f, err := block(key, "columns")
		if err != nil {
			return nil, err
		}
		for field, col := range c.Columns[key] {
			f.Columns[field] = col
			if f.Join != nil {
				delete(f.Join.Columns, field)
			}
		}
	}
	for _, key := range sortedMapKeys(c.Defaults) {
		_, f, err := block(key, "defaults")
		if err != nil {
			return nil, err
		}
		if f.Defaults == nil {
			f.Defaults = map[string]string{}
		}
		for field, v := range c.Defaults[key] {
			f.Defaults[field] = v
		}
	}
	for _, key := range sortedMapKeys(c.Values) {
		_, f, err := block(key, "values")
		if err != nil {
			return nil, err
		}
		if f.Values == nil {
			f.Values = map[string]map[string]string{}
		}
		for field, m := range c.Values[key] {
			merged := maps0(f.Values[field])
			for code, v := range m {
				merged[code] = v
			}
			f.Values[field] = merged
		}
	}
	for _, k := range erpKinds {
		f := out[k.kind]
		if f == nil {
			continue
		}
		if err := f.resolve(k); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// blocks puts the kinds' blocks of a config into out, by kind.
func blocks(out ERPFormats, kinds map[string]*ERPFormat, where string) error {
	for _, key := range sortedMapKeys(kinds) {
		k, ok := erpKindOf(key)
		if !ok || k.block != key {
			return fmt.Errorf("%serp.%s: unknown key (known: profile, columns, defaults, values, %s)", where, key, strings.Join(erpBlocks(), ", "))
		}
		if f := kinds[key]; f != nil {
			out[k.kind] = f.clone()
		}
	}
	return nil
}

func erpBlocks() []string {
	var b []string
	for _, k := range erpKinds {
		b = append(b, k.block)
	}
	return b
}

// maps0 is a copy of m, never nil.
func maps0[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// clone copies f deep enough to change its maps without changing f's.
func (f *ERPFormat) clone() *ERPFormat {
	g := *f
	g.Columns = maps0(f.Columns)
	g.Defaults = maps0(f.Defaults)
	g.Values = maps0(f.Values)
	if f.Join != nil {
		j := *f.Join
		j.Key = maps0(f.Join.Key)
		j.Columns = maps0(f.Join.Columns)
		g.Join = &j
	}
	return &g
}

// resolve fills f's defaults and checks it as a mapping of kind k; a
// column written with the joined table's name (SC5.C5_XPEDCLI) moves to
// the join's columns.
func (f *ERPFormat) resolve(k erpKind) error {
	where := "erp." + k.block
	for field, col := range f.Columns {
		table, names, err := splitQualified(col)
		if err != nil {
			return fmt.Errorf("%s.columns.%s: %w", where, field, err)
		}
		if table == "" && f.Join != nil && ownsFields(f.Join.Table, names) && !ownsFields(f.Table, names) {
			table = f.Join.Table // C5_XPEDCLI in orders: SC5's, as Protheus names it
		}
		switch {
		case table == "" || table == f.Table:
			f.Columns[field] = names
		case f.Join != nil && table == f.Join.Table:
			delete(f.Columns, field)
			f.Join.Columns[field] = names
		default:
			return fmt.Errorf("%s.columns.%s: %q names no table of the mapping (%s)", where, field, strings.Join(col, ", "), f.tables())
		}
	}
	if f.Files == "" {
		f.Files = k.folder + "/*" // its CSV files and workbooks
	}
	if f.Decimal == "" {
		f.Decimal = ","
	}
	if f.DateFormat == "" {
		f.DateFormat = "%d/%m/%Y"
	}
	known := map[string]bool{}
	for _, field := range k.fields() {
		known[field] = true
	}
	unknown := func(what, field string) error {
		return fmt.Errorf("%s.%s: unknown field %q (known: %s)", where, what, field, strings.Join(k.fields(), ", "))
	}
	fed := map[string]bool{}
	for field, col := range f.Columns {
		if !known[field] {
			return unknown("columns", field)
		}
		if err := checkHeaders(col); err != nil {
			return fmt.Errorf("%s.columns.%s: %w", where, field, err)
		}
		fed[field] = true
	}
	for field := range f.Defaults {
		if !known[field] {
			return unknown("defaults", field)
		}
		fed[field] = true
	}
	switch {
	case !slices.Contains([]string{",", "."}, f.Decimal):
		return fmt.Errorf("%s.decimal %q: want \",\" or \".\"", where, f.Decimal)
	case !slices.Contains(VendorDateFormats, f.DateFormat):
		return fmt.Errorf("%s.date_format %q: use one of %s", where, f.DateFormat, strings.Join(VendorDateFormats, ", "))
	case len([]rune(f.Delimiter)) > 1:
		return fmt.Errorf("%s.delimiter %q: want one character, or leave it out to sniff it", where, f.Delimiter)
	}
	switch strings.ToLower(f.Encoding) {
	case "", "utf-8", "utf8", "windows-1252", "cp1252":
	default:
		return fmt.Errorf("%s.encoding %q: want utf-8, windows-1252 or empty to detect", where, f.Encoding)
	}
	if err := checkFiles(where+".files", f.Files, k.kind); err != nil {
		return err
	}
	if f.Join != nil {
		if k.joinKind == "" {
			return fmt.Errorf("%s.join: only orders (their header) and invoices (their items) read a joined file", where)
		}
		if f.Join.Files == "" {
			f.Join.Files = k.joinFolder + "/*"
		}
		if err := checkFiles(where+".join.files", f.Join.Files, k.joinKind); err != nil {
			return err
		}
		if len(f.Join.Key) == 0 {
			return fmt.Errorf("%s.join.key: pair the key columns, e.g. {C6_NUM: C5_NUM}", where)
		}
		for field, col := range f.Join.Columns {
			if !known[field] {
				return unknown("join.columns", field)
			}
			if _, dup := f.Columns[field]; dup {
				return fmt.Errorf("%s: field %q has a column in both files", where, field)
			}
			if err := checkHeaders(col); err != nil {
				return fmt.Errorf("%s.join.columns.%s: %w", where, field, err)
			}
			fed[field] = true
		}
	}
	for field, m := range f.Values {
		if !known[field] {
			return unknown("values", field)
		}
		if _, ok := f.source(field); !ok {
			return fmt.Errorf("%s.values.%s: the field has no column to read the codes from", where, field)
		}
		if len(m) == 0 {
			// Codes whose values the config has yet to give: unmapped.
			delete(fed, field)
		}
	}
	for _, key := range k.keys {
		if !slices.ContainsFunc(key, func(field string) bool { return fed[field] }) {
			return fmt.Errorf("%s: field %s needs a column or a default", where, strings.Join(key, " or "))
		}
	}
	return nil
}

// tables names the mapping's tables, for messages.
func (f *ERPFormat) tables() string {
	t := []string{f.Table}
	if f.Join != nil {
		t = append(t, f.Join.Table)
	}
	return strings.Join(t, ", ")
}

// source tells where a field's text comes from, and whether a column
// feeds it (in the file or the joined one).
func (f *ERPFormat) source(field string) (col ERPColumn, ok bool) {
	if c, ok := f.Columns[field]; ok {
		return c, true
	}
	if f.Join != nil {
		if c, ok := f.Join.Columns[field]; ok {
			return c, true
		}
	}
	return nil, false
}

// ownsFields reports whether every header is named as Protheus names the
// fields of table: a table's fields start with its name, less the leading
// "S" of a standard table, and "_" (SC5: C5_NUM, C5_XPEDCLI; ZA1: ZA1_COD).
// A table named otherwise owns none.
func ownsFields(table string, headers ERPColumn) bool {
	if len(table) != 3 || len(headers) == 0 {
		return false
	}
	prefix := table + "_"
	if table[0] == 'S' {
		prefix = table[1:] + "_"
	}
	for _, h := range headers {
		if !strings.HasPrefix(strings.ToUpper(h), prefix) {
			return false
		}
	}
	return true
}

// splitQualified reads a column source whose headers may be written
// TABLE.HEADER, all of one table.
func splitQualified(col ERPColumn) (table string, names ERPColumn, err error) {
	for i, n := range col {
		t, h, ok := strings.Cut(n, ".")
		if !ok || t == "" || strings.ContainsAny(t, " ") {
			t, h = "", n
		}
		if i > 0 && t != table {
			return "", nil, fmt.Errorf("%q: the columns of one field come from one table", strings.Join(col, ", "))
		}
		table = t
		names = append(names, h)
	}
	return table, names, nil
}

func checkHeaders(col ERPColumn) error {
	if len(col) == 0 {
		return fmt.Errorf("no header")
	}
	for _, h := range col {
		if strings.TrimSpace(h) == "" {
			return fmt.Errorf("an empty header")
		}
	}
	return nil
}

// checkFiles checks that a mapping's files pattern names files of kind:
// files in one of the kind's folders, which the inbox listing gives it.
func checkFiles(where, files, kind string) error {
	k, _ := KindByName(kind)
	p := "erp/" + files
	if _, err := path.Match(p, ""); err != nil || strings.Contains(files, "..") {
		return fmt.Errorf("%s %q: not a file name pattern", where, files)
	}
	for _, pat := range k.Patterns {
		if path.Dir(pat) == path.Dir(p) {
			return nil
		}
	}
	var dirs []string
	for _, pat := range k.Patterns {
		dirs = append(dirs, strings.TrimPrefix(path.Dir(pat), "erp/")+"/")
	}
	return fmt.Errorf("%s %q: %s files are read from %s", where, files, strings.TrimPrefix(kind, "erp_"), strings.Join(slices.Compact(dirs), " or "))
}

// format returns the mapping that reads inbox path p, a file of kind:
// the kind's own mapping, or for a joined kind, the mapping whose join
// names p (then join is set).
func (fs ERPFormats) format(kind, p string) (f *ERPFormat, join bool) {
	if f := fs[kind]; f != nil && match("erp/"+f.Files, p) {
		return f, false
	}
	for _, k := range erpKinds {
		if f := fs[k.kind]; f != nil && k.joinKind == kind && f.Join != nil && match("erp/"+f.Join.Files, p) {
			return f, true
		}
	}
	return nil, false
}
