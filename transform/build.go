package transform

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// builder is how materialization k is built, nil when k is no kind: the
// one place that tells the kinds apart (parseModel refuses a header naming
// no kind). A builder makes m current and runs its checks when what they
// read changed.
func (k Materialization) builder() func(b *build, ctx context.Context, m *Model) error {
	switch k {
	case AsView:
		return (*build).view
	case AsTable:
		return (*build).table
	case AsTemp:
		return (*build).temp
	case AsIncremental:
		return (*build).incremental
	}
	return nil
}

// build is one Build call: its plan, the warehouse's relations
// (fingerprint.go) and which stored tables are built again.
type build struct {
	w       *Warehouse
	plan    []*Model
	scope   *fpScope
	rebuild map[string]bool
}

// Build materialises targets and everything they read, then runs each
// model's checks. A failed check is an error: models state invariants the
// reports rely on. A table whose inputs did not change since it was built
// is kept as it is, checks included (see fingerprint.go); views and temp
// tables are made again (a view costs nothing, a temp table is per run).
func (w *Warehouse) Build(ctx context.Context, targets ...string) error {
	plan, err := Plan(targets...)
	if err != nil {
		return err
	}
	b, err := w.newBuild(ctx, plan)
	if err != nil {
		return err
	}
	if err := b.dropStale(ctx); err != nil {
		return err
	}
	for _, m := range b.todo() {
		if err := m.Materialized.builder()(b, ctx, m); err != nil {
			return err
		}
		w.built[m.Name] = true
	}
	return nil
}

// newBuild fingerprints plan first, to know which stored tables are built
// again.
func (w *Warehouse) newBuild(ctx context.Context, plan []*Model) (*build, error) {
	if w.states == nil {
		w.states = map[string]modelState{}
	}
	scope, err := w.newScope(ctx)
	if err != nil {
		return nil, err
	}
	b := &build{w: w, plan: plan, scope: scope, rebuild: map[string]bool{}}
	for _, m := range b.todo() {
		st, err := w.fingerprint(ctx, scope, m)
		if err != nil {
			return nil, err
		}
		if m.Materialized == AsTable {
			have, err := w.storedFP(ctx, m.Name)
			if err != nil {
				return nil, err
			}
			b.rebuild[m.Name] = st.volatile || have != st.fp
		}
	}
	return b, nil
}

// todo lists the models of the plan not built yet in this run.
func (b *build) todo() []*Model {
	var out []*Model
	for _, m := range b.plan {
		if !b.w.built[m.Name] {
			out = append(out, m)
		}
	}
	return out
}

// dropStale drops every stored table about to be rebuilt, then
// CHECKPOINTs, before creating any: DuckDB reuses a dropped table's blocks
// only once a checkpoint has freed them, so rebuilding in place would write
// the new tables beside the old ones and the file would hold both (+70 %
// after one identical re-run of the examples).
func (b *build) dropStale(ctx context.Context) error {
	w := b.w
	dropped := false
	for _, m := range b.todo() {
		if !b.rebuild[m.Name] {
			continue
		}
		var stored bool
		if err := w.Conn.QueryRowContext(ctx, "SELECT count(*) > 0 FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND table_name = ?", m.Name).Scan(&stored); err != nil {
			return fmt.Errorf("model %s: %w", m.Name, err)
		}
		if stored {
			if err := w.forgetFP(ctx, m.Name); err != nil {
				return err
			}
			if _, err := w.Conn.ExecContext(ctx, "DROP TABLE main."+QuoteIdent(m.Name)); err != nil {
				return fmt.Errorf("model %s: %w", m.Name, err)
			}
			dropped = true
		}
	}
	if dropped {
		if _, err := w.Conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
			return fmt.Errorf("checkpoint before building: %w", err)
		}
	}
	return nil
}

// table keeps a stored table whose fingerprint is unchanged, else builds
// it, checks it and records its fingerprint.
func (b *build) table(ctx context.Context, m *Model) error {
	st := b.w.states[m.Name]
	if !b.rebuild[m.Name] {
		slog.Debug("model", "name", m.Name, "unchanged", true)
		return nil
	}
	if err := b.w.forgetFP(ctx, m.Name); err != nil {
		return err
	}
	return b.createChecked(ctx, m, "TABLE", st.fp)
}

// view makes the view again, and runs its checks when its inputs changed
// since they last passed: they read everything it selects. A view reading
// a per-run table, directly or through views, is a temp view: a stored
// one would dangle after the run.
func (b *build) view(ctx context.Context, m *Model) error {
	st := b.w.states[m.Name]
	have, err := b.w.storedCheckedFP(ctx, m.Name)
	if err != nil {
		return err
	}
	kind := "VIEW"
	if readsTemp(m) {
		kind = "TEMP VIEW"
	}
	if !st.volatile && have == st.fp {
		built, err := b.create(ctx, m, kind)
		if err != nil {
			return err
		}
		slog.Debug("model", "name", m.Name, "build", built, "checks", "unchanged")
		return nil
	}
	if err := b.w.forgetFP(ctx, m.Name); err != nil {
		return err
	}
	return b.createChecked(ctx, m, kind, st.fp)
}

// temp makes the per-run table and checks it; it has no stored state.
func (b *build) temp(ctx context.Context, m *Model) error {
	return b.createChecked(ctx, m, "TEMP TABLE", "")
}

// incremental checks a model the loader fills (extract.Sync, which ensures
// its table first) when its files changed since its checks last passed.
func (b *build) incremental(ctx context.Context, m *Model) error {
	w := b.w
	reset, err := w.EnsureIncremental(ctx, m.Name)
	if err != nil {
		return err
	}
	if reset {
		return fmt.Errorf("model %s: its table was (re)created empty: sync its source files first", m.Name)
	}
	st := w.states[m.Name]
	have, err := w.storedCheckedFP(ctx, m.Name)
	if err != nil || (have != "" && have == st.fp) {
		return err
	}
	if err := w.forgetFP(ctx, m.Name); err != nil {
		return err
	}
	if err := w.check(ctx, m); err != nil {
		return err
	}
	return w.recordFP(ctx, m.Name, st.fp)
}

// createChecked creates m as kind, runs its checks and records fp, the
// fingerprint they passed with ("" records nothing).
func (b *build) createChecked(ctx context.Context, m *Model, kind, fp string) error {
	start := time.Now()
	built, err := b.create(ctx, m, kind)
	if err != nil {
		return err
	}
	if err := b.w.check(ctx, m); err != nil {
		return err
	}
	if err := b.w.recordFP(ctx, m.Name, fp); err != nil {
		return err
	}
	slog.Debug("model", "name", m.Name, "build", built, "checks", time.Since(start)-built)
	return nil
}

// create makes m as kind (VIEW, TABLE, TEMP TABLE, TEMP VIEW) in place of
// whatever held its name, and returns how long the CREATE took.
func (b *build) create(ctx context.Context, m *Model, kind string) (time.Duration, error) {
	if err := b.w.dropModel(ctx, m); err != nil {
		return 0, err
	}
	start := time.Now()
	if _, err := b.w.Conn.ExecContext(ctx, "CREATE "+kind+" "+QuoteIdent(m.Name)+" AS\n"+m.SQL); err != nil {
		return 0, fmt.Errorf("model %s (%s/%s.sql): %w", m.Name, m.Layer, m.Name, err)
	}
	return time.Since(start), nil
}
