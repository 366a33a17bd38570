package transform

import (
	"context"
	"embed"
	"errors"
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
// It reads other models and declared sources (models/sources.yml) by name,
// in its FROM clauses and those of the macros it calls.
type Model struct {
	Name         string
	Layer        string
	SQL          string
	Materialized Materialization
	Checks       []Check
	// Refs are the models it reads, Sources the declared sources (both
	// sorted): the relations DuckDB's parser finds in its SQL, directly or
	// in the body of a macro it calls (refs.go). They decide what is built
	// before it and what its fingerprint hashes.
	Refs, Sources []string
	text          string // the file as written
}

// File is the model's file, relative to the module.
func (m *Model) File() string { return "transform/models/" + m.Layer + "/" + m.Name + ".sql" }

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
)

var (
	// catalog is every model as its file declares it (modelFiles);
	// Models adds what each reads.
	catalog     map[string]*Model
	catalogErr  error
	catalogOnce sync.Once
	readsErr    error
	readsOnce   sync.Once
)

// Models returns every embedded model by name, with what each reads
// (parsed once). Finding what they read asks DuckDB's parser, about 0.1 s
// for all: a run that finds its sets up to date never does.
func Models() (map[string]*Model, error) {
	models, err := modelFiles()
	if err != nil {
		return nil, err
	}
	readsOnce.Do(func() { readsErr = resolveModels(models) })
	if readsErr != nil {
		return nil, readsErr
	}
	return models, nil
}

// modelFiles returns every embedded model by name as its file declares it
// (SQL, materialization, checks), without Refs and Sources.
func modelFiles() (map[string]*Model, error) {
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
	return models, nil
}

// resolveModels sets what each model reads.
func resolveModels(models map[string]*Model) error {
	sources, err := Sources()
	if err != nil {
		return err
	}
	for name := range sources {
		if models[name] != nil {
			return fmt.Errorf("%s: source %s is also a model", sourcesFile, name)
		}
	}
	ctx := context.Background()
	p, closeParser, err := newParser(ctx)
	if err != nil {
		return err
	}
	defer closeParser()
	if err := checkMacroReads(p, models, sources); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(models)) {
		m := models[name]
		if m.Refs, m.Sources, err = resolveReads(ctx, p, m.File(), m.Name, m.text, models, sources); err != nil {
			return err
		}
	}
	return nil
}

// checkMacroReads fails when a macro of macros.sql reads a relation that
// is no model and no declared source.
func checkMacroReads(p *parser, models map[string]*Model, sources map[string]*Source) error {
	for _, name := range slices.Sorted(maps.Keys(p.macros)) {
		for _, r := range p.macros[name].reads {
			if models[r] == nil && sources[r] == nil {
				return fmt.Errorf("transform/macros.sql: macro %s reads %q, which is no model and no source declared in %s", name, r, sourcesFile)
			}
		}
	}
	return nil
}

// resolveReads returns the models and the declared sources that query
// name, the text of file, reads (sorted), as DuckDB's parser finds them.
// A name that is no model, no CTE of the query and no declared source is
// an error at its position in the file.
func resolveReads(ctx context.Context, p *parser, file, name, query string, models map[string]*Model, sources map[string]*Source) (refs, srcs []string, err error) {
	tree, err := p.parse(ctx, query)
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			return nil, nil, fmt.Errorf("%s: %s", positioned(file, query, pe.At), pe.Msg)
		}
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	reads := p.refsOf(tree)
	sort.SliceStable(reads, func(i, j int) bool { return reads[i].at < reads[j].at })
	seen := map[string]bool{}
	for _, r := range reads {
		switch {
		case seen[r.name]:
		case r.name == name:
			return nil, nil, fmt.Errorf("%s: %s reads itself", positioned(file, query, r.at), name)
		case models[r.name] != nil:
			refs = append(refs, r.name)
		case sources[r.name] != nil:
			srcs = append(srcs, r.name)
		default:
			return nil, nil, fmt.Errorf("%s: %s reads %q, which is no model, no CTE of its query and no source declared in %s",
				positioned(file, query, r.at), name, r.name, sourcesFile)
		}
		seen[r.name] = true
	}
	sort.Strings(refs)
	sort.Strings(srcs)
	return refs, srcs, nil
}

// positioned is file:line:col for byte offset at of its text, or file
// alone when at is unknown.
func positioned(file, text string, at int) string {
	if pos := position(text, at); pos != "" {
		return file + ":" + pos
	}
	return file
}

func parseModel(layer, name, body string) (*Model, error) {
	m := &Model{Name: name, Layer: layer, SQL: strings.TrimRight(strings.TrimSpace(body), ";"), Materialized: AsTable, text: body}
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
		for _, d := range m.Refs {
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
		if _, err := w.Conn.ExecContext(ctx, drop+QuoteIdent(m.Name)); err != nil && !droppedOtherKind(err) {
			return fmt.Errorf("model %s: %w", m.Name, err)
		}
	}
	return nil
}

// readsTemp tells whether m reads, directly or through views, a per-run
// (temp) model.
func readsTemp(m *Model) bool {
	for _, d := range m.Refs {
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
// Values are dates, strings, integers or lists of strings.
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
		case []string:
			quoted := make([]string, len(v))
			for i, s := range v {
				quoted[i] = QuoteString(s)
			}
			lit = "[" + strings.Join(quoted, ", ") + "]::VARCHAR[]"
		default:
			return fmt.Errorf("variable %s: unsupported type %T", k, v)
		}
		if _, err := w.Conn.ExecContext(ctx, "SET VARIABLE "+k+" = "+lit); err != nil {
			return fmt.Errorf("variable %s: %w", k, err)
		}
	}
	return nil
}
