package extract

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/salesops/salesops/transform"
)

// A mapped ERP file is loaded in two steps. Its columns (and those of its
// joined file) are read, as text with their lines, into a temp table, by
// the readers every CSV and workbook goes through (loadCSV, loadXLSX): the
// same positioned errors, encodings and limits. Then the kind's raw shape
// is a view over that table, which the kind's staging model stages as it
// stages a native file: the same rejects, with the ERP's column names
// (file_columns), and the same guards.
//
// The join happens here, at load time, and not in SQL after both files are
// loaded: a staged file's rows are typed once, when it arrives, one table
// per file, and a run with nothing new stages nothing; a join in a model
// would keep both files' raw rows and stage every month's orders again
// when one file changed. A mapped file's settings (settingsOf) hold the
// SHA-256 of every file its join reads, so a new header file loads its
// items again. BenchmarkOrdersLoad and BenchmarkOrdersJoinInSQL measure
// both (docs/erp.md).

// joinedLoader loads a file that a mapping's join reads (the orders'
// header, the invoices' items): it checks the file's columns and counts
// its rows. Its rows are read when the files joined to it load.
func joinedLoader(kind string) func(context.Context, *transform.Warehouse, source, Options) (int64, error) {
	return func(ctx context.Context, w *transform.Warehouse, s source, opts Options) (int64, error) {
		f, _ := opts.ERP.format(kind, s.Path)
		if f == nil {
			block := ""
			for _, k := range erpKinds {
				if k.joinKind == kind {
					block = k.block
				}
			}
			return 0, &PosError{File: s.Path, Err: fmt.Errorf("%w: for TOTVS Protheus' tables set erp: {profile: protheus}, or a join of erp.%s whose files match it",
				ErrNoFormat, block)}
		}
		const check = "salesops_erp_check"
		n, _, err := readSource(ctx, w, s, opts, f.joinFile(s.Path), check, f.joinHeaders(), nil, nil)
		dropTemp(ctx, w, check)
		return n, err
	}
}

// erpFile is how to read one file of a mapping.
type erpFile struct {
	label      string // the ERP's name of the table, in messages
	delim      string
	encoding   string
	sheet      string
	dateFormat string
}

func (f *ERPFormat) mainFile(p string) erpFile {
	return erpFile{label: tableLabel(f.Table, p), delim: f.Delimiter, encoding: f.Encoding, sheet: f.Sheet, dateFormat: f.DateFormat}
}

func (f *ERPFormat) joinFile(p string) erpFile {
	return erpFile{label: tableLabel(f.Join.Table, p), delim: f.Delimiter, encoding: f.Encoding, sheet: f.Sheet, dateFormat: f.DateFormat}
}

// tableLabel is a table's name for messages: the mapping's, else the
// file's name without its extension.
func tableLabel(table, p string) string {
	if table != "" {
		return table
	}
	return strings.TrimSuffix(path.Base(p), path.Ext(p))
}

// reads tells whether the mapping reads field from a column: a value map
// left empty (codes with no values yet) leaves the field unread.
func (f *ERPFormat) reads(field string) (ERPColumn, bool) {
	col, ok := f.source(field)
	if m, coded := f.Values[field]; ok && coded && len(m) == 0 {
		return nil, false
	}
	return col, ok
}

// mainHeaders are the headers the mapping reads from its own file, sorted:
// the join's key columns and the columns of the fields it reads.
func (f *ERPFormat) mainHeaders() []string {
	var h []string
	if f.Join != nil {
		for c := range f.Join.Key {
			h = append(h, c)
		}
	}
	for field, col := range f.Columns {
		if _, ok := f.reads(field); ok {
			h = append(h, col...)
		}
	}
	slices.Sort(h)
	return slices.Compact(h)
}

// joinHeaders are the headers the mapping reads from its joined file.
func (f *ERPFormat) joinHeaders() []string {
	var h []string
	for _, c := range f.Join.Key {
		h = append(h, c)
	}
	for field, col := range f.Join.Columns {
		if _, ok := f.reads(field); ok {
			h = append(h, col...)
		}
	}
	slices.Sort(h)
	return slices.Compact(h)
}

// optionalHeaders are the headers of f's own file that feed only fields
// of kind k an export may lack (erpKind.optional).
func (f *ERPFormat) optionalHeaders(k erpKind) map[string]bool {
	o := map[string]bool{}
	for field, col := range f.Columns {
		if slices.Contains(k.optional, field) {
			for _, h := range col {
				o[h] = true
			}
		}
	}
	for field, col := range f.Columns {
		if !slices.Contains(k.optional, field) {
			for _, h := range col {
				delete(o, h)
			}
		}
	}
	if f.Join != nil {
		for c := range f.Join.Key {
			delete(o, c)
		}
	}
	return o
}

// dateHeaders are the headers of f that feed a date field (a workbook's
// date cell there is read as a date).
func (f *ERPFormat) dateHeaders() map[string]bool {
	d := map[string]bool{}
	add := func(cols map[string]ERPColumn) {
		for field, col := range cols {
			if isDateField(field) {
				for _, h := range col {
					d[h] = true
				}
			}
		}
	}
	add(f.Columns)
	if f.Join != nil {
		add(f.Join.Columns)
	}
	return d
}

// readSource reads the columns headers of file s into a new temp table,
// one VARCHAR column per header in their order (_c0, _c1…), with file_id
// and the record's line; it returns the records and each header's 1-based
// position in the file. A header the file lacks fails, naming the table:
// "SC6: column "C6_QTDVEN" missing", except the optional ones, read as
// empty when absent.
func readSource(ctx context.Context, w *transform.Warehouse, s source, opts Options, file erpFile, table string, headers []string, dates, optional map[string]bool) (int64, map[string]int, error) {
	defs := []string{"file_id BIGINT", "line BIGINT"}
	cols := make([]column, len(headers))
	for i, h := range headers {
		defs = append(defs, fmt.Sprintf("_c%d VARCHAR", i))
		cols[i] = column{Field: fmt.Sprintf("_c%d", i), Names: []string{h}, Required: !optional[h], Date: dates[h]}
	}
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+table+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return 0, nil, err
	}
	s.staging = ""
	var n int64
	var err error
	if strings.EqualFold(path.Ext(s.Path), ".xlsx") {
		n, err = loadXLSX(ctx, w, s, opts, table, file.sheet, cols, map[string]string{"date_format": file.dateFormat})
	} else {
		delim := sniffDelim(s)
		if file.delim != "" {
			delim = []rune(file.delim)[0]
		}
		n, err = loadCSV(ctx, w, s, table, csvLayout{Delim: delim, Header: true, Encoding: file.encoding, Columns: cols, MaxLine: opts.Limits.MaxLineBytes}, nil)
	}
	if err != nil {
		var ce *columnError
		if errors.As(err, &ce) {
			return 0, nil, &PosError{File: s.Path, Err: because(ErrMissingColumn, "%s: column %q missing", file.label, ce.name)}
		}
		return 0, nil, err
	}
	// The readers recorded the temp columns' headers; keep their positions.
	rows, err := w.Conn.QueryContext(ctx, "SELECT field, position FROM file_columns WHERE file_id = ? AND starts_with(field, '_c')", s.fileID)
	if err != nil {
		return 0, nil, err
	}
	pos := map[string]int{}
	for rows.Next() {
		var field string
		var p int
		if err := rows.Scan(&field, &p); err != nil {
			rows.Close()
			return 0, nil, err
		}
		var i int
		fmt.Sscanf(field, "_c%d", &i)
		pos[headers[i]] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	_, err = w.Conn.ExecContext(ctx, "DELETE FROM file_columns WHERE file_id = ? AND starts_with(field, '_c')", s.fileID)
	return n, pos, err
}

// loadMapped loads file s of an ERP kind through mapping f (see the top
// of this file).
func loadMapped(ctx context.Context, w *transform.Warehouse, s source, opts Options, kind, table string, f *ERPFormat) (int64, error) {
	k, _ := erpKindOf(kind)
	const src, joined = "salesops_erp_src", "salesops_erp_join"
	defer dropTemp(ctx, w, src)
	defer dropTemp(ctx, w, joined)
	heads := f.mainHeaders()
	n, pos, err := readSource(ctx, w, s, opts, f.mainFile(s.Path), src, heads, f.dateHeaders(), f.optionalHeaders(k))
	if err != nil {
		return 0, err
	}
	m := mapping{f: f, k: k, main: index(heads)}
	from := src + " s"
	if f.Join != nil {
		jheads := f.joinHeaders()
		m.joined = index(jheads)
		if err := readJoined(ctx, w, s, opts, f, jheads, joined); err != nil {
			return 0, err
		}
		from += " LEFT JOIN (" + m.joinedRows(joined) + ") j ON " + m.joinOn()
	}
	rawCols, err := tableColumns(ctx, w, table)
	if err != nil {
		return 0, err
	}
	exprs, unmapped := m.exprs()
	sel := make([]string, len(rawCols))
	for i, c := range rawCols {
		e, ok := exprs[c]
		switch {
		case c == "file_id" || c == "line":
			e = "s." + c
		case !ok:
			e = "NULL::VARCHAR"
		}
		sel[i] = e + " AS " + transform.QuoteIdent(c)
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM " + from
	if s.staging == "" {
		// Stored as delivered (vendor accounts): the raw table holds it.
		res, err := w.Conn.ExecContext(ctx, "INSERT INTO main."+transform.QuoteIdent(table)+" "+query)
		if err != nil {
			return 0, &PosError{File: s.Path, Err: err}
		}
		n, err = res.RowsAffected()
		if err != nil {
			return 0, err
		}
	} else {
		shadow := transform.QuoteIdent(table)
		defer func() { _, _ = w.Conn.ExecContext(ctx, "DROP VIEW IF EXISTS temp.main."+shadow) }()
		if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+shadow+" AS "+query); err != nil {
			return 0, &PosError{File: s.Path, Err: err}
		}
		staged, err := w.Increment(ctx, s.staging, s.fileID)
		if err != nil {
			return 0, &PosError{File: s.Path, Err: err}
		}
		if staged != n {
			return 0, fmt.Errorf("staging model %s kept %d of the file's %d records", s.staging, staged, n)
		}
	}
	return n, m.record(ctx, w, s.fileID, pos, unmapped)
}

// readJoined reads the joined files of a mapped file (its peers whose
// names the join's files pattern matches) into the temp table joined, each
// row with its file and line.
func readJoined(ctx context.Context, w *transform.Warehouse, s source, opts Options, f *ERPFormat, heads []string, joined string) error {
	defs := []string{"jfile VARCHAR", "jline BIGINT"}
	cols := []string{}
	for i := range heads {
		defs = append(defs, fmt.Sprintf("_c%d VARCHAR", i))
		cols = append(cols, fmt.Sprintf("_c%d", i))
	}
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+joined+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return err
	}
	const peer = "salesops_erp_peer"
	defer dropTemp(ctx, w, peer)
	for _, p := range s.peers {
		if !match("erp/"+f.Join.Files, p.Path) {
			continue
		}
		p.fileID = s.fileID // the temp table's rows only
		if _, _, err := readSource(ctx, w, p, opts, f.joinFile(p.Path), peer, heads, f.dateHeaders(), nil); err != nil {
			return err
		}
		if _, err := w.Conn.ExecContext(ctx, "INSERT INTO "+joined+" SELECT "+transform.QuoteString(p.Path)+", line, "+strings.Join(cols, ", ")+" FROM "+peer); err != nil {
			return err
		}
	}
	return nil
}

// mapping builds the SQL of one mapped file's raw shape.
type mapping struct {
	f      *ERPFormat
	k      erpKind
	main   map[string]int // header → its _c column in the file's temp table
	joined map[string]int // the same for the joined file
}

func index(heads []string) map[string]int {
	m := make(map[string]int, len(heads))
	for i, h := range heads {
		m[h] = i
	}
	return m
}

// joinKeys are the join's key columns, in a fixed order: the file's and
// the joined file's.
func (m mapping) joinKeys() (mine, theirs []string) {
	for _, c := range sortedKeys(m.f.Join.Key) {
		mine = append(mine, c)
		theirs = append(theirs, m.f.Join.Key[c])
	}
	return mine, theirs
}

// joinedRows is one row per key of the joined files: the last by file
// name and line.
func (m mapping) joinedRows(joined string) string {
	_, theirs := m.joinKeys()
	keys := make([]string, len(theirs))
	for i, c := range theirs {
		keys[i] = fmt.Sprintf("trim(_c%d)", m.joined[c])
	}
	return fmt.Sprintf("SELECT * FROM %s QUALIFY row_number() OVER (PARTITION BY %s ORDER BY jfile DESC, jline DESC) = 1",
		joined, strings.Join(keys, ", "))
}

func (m mapping) joinOn() string {
	mine, theirs := m.joinKeys()
	on := make([]string, len(mine))
	for i := range mine {
		on[i] = fmt.Sprintf("trim(s._c%d) = trim(j._c%d)", m.main[mine[i]], m.joined[theirs[i]])
	}
	return strings.Join(on, " AND ")
}

// text is the SQL of a field's text: its column, or its columns' trimmed
// values joined with "-" (NULL when all are blank).
func (m mapping) text(col ERPColumn, alias string) string {
	idx := m.main
	if alias == "j" {
		idx = m.joined
	}
	if len(col) == 1 {
		return fmt.Sprintf("%s._c%d", alias, idx[col[0]])
	}
	parts := make([]string, len(col))
	for i, h := range col {
		parts[i] = fmt.Sprintf("coalesce(trim(%s._c%d), '')", alias, idx[h])
	}
	all := strings.Join(parts, " || ")
	return fmt.Sprintf("CASE WHEN %s = '' THEN NULL ELSE %s END", all, strings.Join(parts, " || '-' || "))
}

// exprs are the SQL of each raw column the mapping feeds, and the fields
// nothing feeds.
func (m mapping) exprs() (map[string]string, []string) {
	f := m.f
	exprs := map[string]string{
		"decimal_sep": transform.QuoteString(f.Decimal),
		"date_format": transform.QuoteString(f.DateFormat),
	}
	var unmapped, problems, when []string
	for _, field := range m.k.fields() {
		col, ok := f.reads(field)
		if !ok {
			if def, ok := f.Defaults[field]; ok {
				exprs[field] = transform.QuoteString(def)
			} else {
				unmapped = append(unmapped, field)
			}
			continue
		}
		alias := "s"
		if _, mine := f.Columns[field]; !mine {
			alias = "j"
		}
		t := m.text(col, alias)
		codes := f.Values[field]
		if len(codes) == 0 {
			exprs[field] = t
			continue
		}
		v := "coalesce(trim(" + t + "), '')"
		var cases, keys []string
		for _, code := range sortedKeys(codes) {
			cases = append(cases, fmt.Sprintf("WHEN %s THEN %s", transform.QuoteString(code), transform.QuoteString(codes[code])))
			keys = append(keys, transform.QuoteString(code))
		}
		exprs[field] = fmt.Sprintf("CASE %s %s END", v, strings.Join(cases, " "))
		miss := fmt.Sprintf("%s <> '' AND NOT list_contains([%s], %s)", v, strings.Join(keys, ", "), v)
		when = append(when, miss)
		problems = append(problems, mapError(miss, field, v, transform.QuoteString(m.codesReason(field, codes)), []string{field}))
	}
	if f.Join != nil && m.joinNeeded() {
		when = append(when, "j.jline IS NULL")
		problems = append(problems, m.joinMiss())
	}
	if len(unmapped) > 0 {
		exprs["unmapped"] = transform.QuoteString(strings.Join(unmapped, "|"))
	}
	if len(problems) > 0 {
		// JSON only for the rows with a problem: most have none.
		exprs["map_errors"] = fmt.Sprintf("CASE WHEN %s THEN to_json(list_filter([%s], x -> x IS NOT NULL))::VARCHAR END",
			strings.Join(when, " OR "), strings.Join(problems, ", "))
	}
	return exprs, unmapped
}

// mapError is the SQL of one mapping problem of a row: a reject of field
// with value (SQL) and reason (SQL) when cond holds, which accounts for
// the checks of the fields covers.
func mapError(cond, field, value, reason string, covers []string) string {
	q := make([]string, len(covers))
	for i, c := range covers {
		q[i] = transform.QuoteString(c)
	}
	return fmt.Sprintf("CASE WHEN %s THEN {'field': %s, 'value': %s, 'reason': %s, 'covers': [%s]} END",
		cond, transform.QuoteString(field), value, reason, strings.Join(q, ", "))
}

// codesReason is why a code its value map lacks is rejected.
func (m mapping) codesReason(field string, codes map[string]string) string {
	keys := sortedKeys(codes)
	if len(keys) > 6 {
		keys = append(keys[:6], "…")
	}
	for i, k := range keys {
		if k == "" {
			keys[i] = `""`
		}
	}
	return fmt.Sprintf("not in the value map (%s): add it under erp.values.%s.%s", strings.Join(keys, ", "), m.k.block, field)
}

// joinNeeded tells whether a row needs its joined row: when the joined
// file gives a field every row must have (the orders' customer and date).
// Else (the invoices' order number) a row without one leaves its fields
// empty.
func (m mapping) joinNeeded() bool {
	for _, key := range m.k.keys {
		for _, field := range key {
			if _, ok := m.f.Join.Columns[field]; ok {
				return true
			}
		}
	}
	return false
}

// joinMiss is the problem of a row whose key no joined row has: a reject
// of the field the key feeds (or of the key's first column), covering
// every field the joined file would have given.
func (m mapping) joinMiss() string {
	mine, theirs := m.joinKeys()
	field := mine[0]
	for _, f := range m.k.fields() {
		if col, ok := m.f.Columns[f]; ok && len(col) == 1 && slices.Contains(mine, col[0]) {
			field = f
			break
		}
	}
	var covers []string
	for _, f := range m.k.fields() {
		if _, ok := m.f.Join.Columns[f]; ok {
			covers = append(covers, f)
		}
	}
	vals := make([]string, len(mine))
	for i, c := range mine {
		vals[i] = fmt.Sprintf("coalesce(trim(s._c%d), '')", m.main[c])
	}
	value := strings.Join(vals, " || '/' || ")
	label := tableLabel(m.f.Join.Table, m.f.Join.Files)
	reason := fmt.Sprintf("%s || %s || %s", transform.QuoteString(fmt.Sprintf("no %s row with %s ", label, strings.Join(theirs, "/"))),
		value, transform.QuoteString(fmt.Sprintf(" (erp/%s)", m.f.Join.Files)))
	return mapError("j.jline IS NULL", field, value, reason, append([]string{field}, covers...))
}

// record writes which column of the file fed each field (file_columns:
// rejects name the ERP's column) and which fields nothing fed
// (file_unmapped). A field read from several columns is named A1_COD+A1_LOJA.
func (m mapping) record(ctx context.Context, w *transform.Warehouse, fileID int64, pos map[string]int, unmapped []string) error {
	for _, field := range m.k.fields() {
		col, ok := m.f.reads(field)
		if !ok {
			continue
		}
		p := 0
		if _, mine := m.f.Columns[field]; mine {
			p = pos[col[0]]
		}
		if _, err := w.Conn.ExecContext(ctx, "INSERT INTO file_columns VALUES (?, ?, ?, ?)", fileID, field, strings.Join(col, "+"), p); err != nil {
			return err
		}
	}
	for _, field := range unmapped {
		if _, err := w.Conn.ExecContext(ctx, "INSERT INTO file_unmapped VALUES (?, ?)", fileID, field); err != nil {
			return err
		}
	}
	return nil
}
