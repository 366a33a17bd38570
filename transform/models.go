package transform

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed models
var modelFS embed.FS

// Layers in build order. Staging renames and types source rows, core holds
// the entities (prices, rates, customers...), marts hold one report each.
var layers = []string{"staging", "core", "marts"}

// Model is one SQL file under models/<layer>/<name>.sql: a single SELECT,
// materialised as a view (staging) or a table (core, marts) unless its header
// says "-- materialized: view|table|temp|incremental" (see Materialization).
// It reads other models by name.
type Model struct {
	Name         string
	Layer        string
	SQL          string
	Materialized Materialization
	Checks       []Check
	deps         []string
	// reads is the SQL without its comments, followed by the body of each
	// table macro it names (macros.sql): what the model reads is looked for
	// here, for its dependencies and its fingerprint, since the relations
	// a table macro reads are read by every model calling it.
	reads string
}

// Materialization is how a model is kept in the warehouse, as its header
// names it; Materialization.builder (build.go) has one builder per kind.
type Materialization string

const (
	// AsView: a view, made again at every run (staging's default).
	AsView Materialization = "view"
	// AsTable: a stored table, rebuilt when its fingerprint changes (core's
	// and marts' default).
	AsTable Materialization = "table"
	// AsTemp: a per-run scratch table that is not written to the warehouse
	// file.
	AsTemp Materialization = "temp"
	// AsIncremental: stored rows the loader adds per source file (a table
	// per file and a view over them, see Increment), so a big file is
	// parsed once, when it arrives, not at every run.
	AsIncremental Materialization = "incremental"
)

// Check is a column test declared in a model header:
//
//	-- check: unique(vendor, product_id)
//	-- check: not_null(cost)
//	-- check: accepted_values(change: new, removed)
type Check struct {
	Kind    string
	Columns []string
	Values  []string
}

func (c Check) String() string {
	s := c.Kind + "(" + strings.Join(c.Columns, ", ")
	if len(c.Values) > 0 {
		s += ": " + strings.Join(c.Values, ", ")
	}
	return s + ")"
}

var (
	directiveRE = regexp.MustCompile(`(?m)^--\s*(materialized|check):\s*(.+?)\s*$`)
	checkRE     = regexp.MustCompile(`^(unique|not_null|accepted_values)\(([^:)]*)(?::([^)]*))?\)$`)
	commentRE   = regexp.MustCompile(`--[^\n]*`)
	// wordRE matches what \b delimits: a run of ASCII letters, digits, _.
	wordRE = regexp.MustCompile(`[0-9A-Za-z_]+`)
	// tableMacroRE finds a table macro of macros.sql (comments removed):
	// its name and its body, up to the statement's end.
	tableMacroRE = regexp.MustCompile(`(?is)\bCREATE\s+OR\s+REPLACE\s+MACRO\s+([A-Za-z_][A-Za-z0-9_]*)\s*\([^)]*\)\s+AS\s+TABLE\b([^;]*)`)
)

var (
	catalog     map[string]*Model
	catalogErr  error
	catalogOnce sync.Once
)

// Models returns every embedded model by name (parsed once).
func Models() (map[string]*Model, error) {
	catalogOnce.Do(func() { catalog, catalogErr = parseModels() })
	return catalog, catalogErr
}

func parseModels() (map[string]*Model, error) {
	models := map[string]*Model{}
	for _, layer := range layers {
		files, err := fs.Glob(modelFS, "models/"+layer+"/*.sql")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			body, err := modelFS.ReadFile(f)
			if err != nil {
				return nil, err
			}
			m, err := parseModel(layer, strings.TrimSuffix(path.Base(f), ".sql"), string(body))
			if err != nil {
				return nil, fmt.Errorf("model %s: %w", f, err)
			}
			if _, dup := models[m.Name]; dup {
				return nil, fmt.Errorf("model %s: name used twice", m.Name)
			}
			models[m.Name] = m
		}
	}
	// A model depends on every other model its SQL, or a table macro it
	// calls, names (comments aside) as a whole word. The words are
	// collected once per model: a regexp per pair of models cost a second
	// and more at every run's start.
	for _, m := range models {
		m.reads = readsOf(m.SQL)
		words := map[string]bool{}
		for _, w := range wordRE.FindAllString(m.reads, -1) {
			words[w] = true
		}
		for name := range models {
			if name != m.Name && words[name] {
				m.deps = append(m.deps, name)
			}
		}
		sort.Strings(m.deps)
	}
	return models, nil
}

// tableMacros maps each table macro of macros.sql to its body.
var tableMacros = func() map[string]string {
	out := map[string]string{}
	for _, tm := range tableMacroRE.FindAllStringSubmatch(commentRE.ReplaceAllString(macrosSQL, ""), -1) {
		out[strings.ToLower(tm[1])] = tm[2]
	}
	return out
}()

// readsOf is sql without its comments, followed by the body of each table
// macro it names (see Model.reads).
func readsOf(sql string) string {
	reads := commentRE.ReplaceAllString(sql, "")
	words := map[string]bool{}
	for _, w := range wordRE.FindAllString(reads, -1) {
		words[strings.ToLower(w)] = true
	}
	for _, name := range slices.Sorted(maps.Keys(tableMacros)) {
		if words[name] {
			reads += "\n" + tableMacros[name]
		}
	}
	return reads
}

func parseModel(layer, name, body string) (*Model, error) {
	m := &Model{Name: name, Layer: layer, SQL: strings.TrimRight(strings.TrimSpace(body), ";"), Materialized: AsTable}
	if layer == "staging" {
		m.Materialized = AsView
	}
	for _, d := range directiveRE.FindAllStringSubmatch(body, -1) {
		switch d[1] {
		case "materialized":
			if Materialization(d[2]).builder() == nil {
				return nil, fmt.Errorf("materialized must be view, table, temp or incremental, not %q", d[2])
			}
			m.Materialized = Materialization(d[2])
		case "check":
			c := checkRE.FindStringSubmatch(d[2])
			if c == nil {
				return nil, fmt.Errorf("bad check %q", d[2])
			}
			chk := Check{Kind: c[1], Columns: splitList(c[2]), Values: splitList(c[3])}
			m.Checks = append(m.Checks, chk)
		}
	}
	return m, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Plan returns the models needed to build targets, dependencies first.
func Plan(targets ...string) ([]*Model, error) {
	models, err := Models()
	if err != nil {
		return nil, err
	}
	var order []*Model
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name, from string) error
	visit = func(name, from string) error {
		m, ok := models[name]
		if !ok {
			return fmt.Errorf("model %q (needed by %q) does not exist", name, from)
		}
		switch state[name] {
		case 1:
			return fmt.Errorf("model %s: dependency cycle", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, d := range m.deps {
			if err := visit(d, name); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, m)
		return nil
	}
	for _, t := range targets {
		if err := visit(t, "run"); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// dropModel drops whatever holds m's name, so a change of materialisation
// works (a temp table would also shadow a stored one).
func (w *Warehouse) dropModel(ctx context.Context, m *Model) error {
	for _, drop := range []string{"DROP VIEW IF EXISTS main.", "DROP TABLE IF EXISTS main.", "DROP TABLE IF EXISTS temp.main.", "DROP VIEW IF EXISTS temp.main."} {
		if _, err := w.Conn.ExecContext(ctx, drop+QuoteIdent(m.Name)); err != nil && !strings.Contains(err.Error(), "trying to drop") && !strings.Contains(err.Error(), "does not exist") {
			return fmt.Errorf("model %s: %w", m.Name, err)
		}
	}
	return nil
}

// readsTemp tells whether m reads, directly or through views, a per-run
// (temp) model.
func readsTemp(m *Model) bool {
	for _, d := range m.deps {
		dm := catalog[d]
		if dm.Materialized == AsTemp || (dm.Materialized == AsView && readsTemp(dm)) {
			return true
		}
	}
	return false
}

// ResetBuilt forgets which models were built: call it when a new run starts
// (new inputs or variables), so Build materialises everything again.
func (w *Warehouse) ResetBuilt() {
	w.built = map[string]bool{}
	w.states = map[string]modelState{}
}

func (w *Warehouse) check(ctx context.Context, m *Model) error {
	for _, c := range m.Checks {
		cols := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			cols[i] = QuoteIdent(col)
		}
		var q string
		switch c.Kind {
		case "unique":
			// Grouping a million rows by one hash is several times faster
			// than by the columns; only a repeated hash (a duplicate, or a
			// collision) needs the exact test. (Two statements: DuckDB
			// would run both subqueries of a CASE.)
			var repeated bool
			hq := fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM %s GROUP BY hash(%s) HAVING count(*) > 1)", QuoteIdent(m.Name), strings.Join(cols, ", "))
			if err := w.Conn.QueryRowContext(ctx, hq).Scan(&repeated); err != nil {
				return fmt.Errorf("model %s: check %s: %w", m.Name, c, err)
			}
			if !repeated {
				continue
			}
			q = fmt.Sprintf("SELECT count(*) FROM (SELECT %s FROM %s GROUP BY ALL HAVING count(*) > 1)", strings.Join(cols, ", "), QuoteIdent(m.Name))
		case "not_null":
			var or []string
			for _, col := range cols {
				or = append(or, col+" IS NULL")
			}
			q = fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", QuoteIdent(m.Name), strings.Join(or, " OR "))
		case "accepted_values":
			vals := make([]string, len(c.Values))
			for i, v := range c.Values {
				vals[i] = QuoteString(v)
			}
			q = fmt.Sprintf("SELECT count(*) FROM %s WHERE %s NOT IN (%s)", QuoteIdent(m.Name), cols[0], strings.Join(vals, ", "))
		}
		var bad int64
		if err := w.Conn.QueryRowContext(ctx, q).Scan(&bad); err != nil {
			return fmt.Errorf("model %s: check %s: %w", m.Name, c, err)
		}
		if bad > 0 {
			return fmt.Errorf("model %s: check %s failed for %d rows", m.Name, c, bad)
		}
	}
	return nil
}

// SetVars sets DuckDB session variables that models read with getvariable().
// Values are dates, strings or integers.
func (w *Warehouse) SetVars(ctx context.Context, vars map[string]any) error {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		var lit string
		switch v := vars[k].(type) {
		case time.Time:
			lit = "DATE " + QuoteString(v.Format("2006-01-02"))
		case string:
			lit = QuoteString(v)
		case int:
			lit = fmt.Sprint(v)
		default:
			return fmt.Errorf("variable %s: unsupported type %T", k, v)
		}
		if _, err := w.Conn.ExecContext(ctx, "SET VARIABLE "+k+" = "+lit); err != nil {
			return fmt.Errorf("variable %s: %w", k, err)
		}
	}
	return nil
}
