package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// A stored model (a table) is rebuilt only when what it is computed from
// changed, as dbt's incremental models and SQLMesh's snapshots decide: its
// fingerprint hashes everything its rows can depend on, and Build skips a
// table whose fingerprint equals the one recorded when it was last built
// (table model_state) and which still exists. The fingerprint covers:
//
//   - the model's SQL, materialisation and the macros (macros.sql);
//   - the fingerprints of the models it reads;
//   - every source it reads (Model.Sources: a relation of
//     models/sources.yml its SQL, or a macro it calls, names): a
//     table whose rows are keyed by file_id (raw tables, load_rejects,
//     file_columns) by the file ids it holds (a file's rows are written
//     once, under a new id, by the loader, so the ids name the content),
//     any other table by a hash of all its rows (calendar_days,
//     true_up_factors, runs: small tables the pipelines write); an
//     incremental model by its SQL version and files;
//   - the values of the variables it reads (getvariable('period')...);
//   - the DuckDB version and the warehouse schema version.
//
// The files ledger itself is not hashed: a model reads the rows of the
// files its inputs came from (file_id is never reused, and a file's path,
// kind and SHA-256 never change under one id), which those inputs' file
// ids already name. A model that reads files without reading any
// file-keyed input hashes the whole ledger.
//
// What cannot be fingerprinted makes the model volatile (always rebuilt,
// and everything downstream with it): a temp view or table made in Go
// (the price history and the credit exposure, read from Parquet files) or
// a stored view that is not a model.

// fingerprintFormat names how fingerprints are computed; a change
// rebuilds every model once.
const fingerprintFormat = "model fingerprint v1"

var (
	varRE = regexp.MustCompile(`getvariable\(\s*'([^']+)'\s*\)`)
)

// modelState is what Build knows of a model in the current run.
type modelState struct {
	fp       string // "" when volatile
	volatile bool
	// fileInputs: the model reads, directly or through other models,
	// rows keyed by file (so the rows of files it joins are theirs).
	fileInputs bool
}

// relation is a relation of the warehouse that is not a model.
type relation struct {
	temporary bool
	view      bool
	fileKeyed bool // has a file_id column
}

// fpScope caches, for one Build call, what the warehouse holds besides the
// models: which relations exist and the fingerprints of the ones read.
type fpScope struct {
	rels    map[string]relation
	relFP   map[string]string
	base    string // DuckDB version, schema version, macros, format
	ledger  string // hash of the whole files ledger, when needed
	hasBase bool
}

func (w *Warehouse) newScope(ctx context.Context) (*fpScope, error) {
	s := &fpScope{rels: map[string]relation{}, relFP: map[string]string{}}
	rows, err := w.Conn.QueryContext(ctx, `
		SELECT table_name, temporary, false AS is_view,
		       EXISTS (SELECT 1 FROM duckdb_columns() c WHERE c.table_oid = t.table_oid AND c.column_name = 'file_id') AS file_keyed
		FROM duckdb_tables() t
		WHERE schema_name = 'main'
		UNION ALL
		SELECT view_name, temporary, true, false
		FROM duckdb_views()
		WHERE schema_name = 'main' AND NOT internal`)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var r relation
		if err := rows.Scan(&name, &r.temporary, &r.view, &r.fileKeyed); err != nil {
			return nil, fmt.Errorf("fingerprint: %w", err)
		}
		name = strings.ToLower(name)
		// A temp relation shadows a stored one of the same name.
		if prev, ok := s.rels[name]; ok && prev.temporary {
			continue
		}
		s.rels[name] = r
	}
	return s, rows.Err()
}

// baseFP is what every model depends on.
func (w *Warehouse) baseFP(ctx context.Context, s *fpScope) (string, error) {
	if s.hasBase {
		return s.base, nil
	}
	var version string
	var schema int
	if err := w.Conn.QueryRowContext(ctx, "SELECT version(), (SELECT coalesce(max(version), 0) FROM schema_version)").Scan(&version, &schema); err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	macros := sha256.Sum256([]byte(macrosSQL))
	s.base = fmt.Sprintf("%s\nduckdb %s\nschema %d\nmacros %x", fingerprintFormat, version, schema, macros)
	s.hasBase = true
	return s.base, nil
}

// fingerprint computes (once per run) the state of m, whose dependencies
// Build has already gone through.
func (w *Warehouse) fingerprint(ctx context.Context, s *fpScope, m *Model) (modelState, error) {
	if st, ok := w.states[m.Name]; ok {
		return st, nil
	}
	base, err := w.baseFP(ctx, s)
	if err != nil {
		return modelState{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nmodel %s/%s %s\n%s\n", base, m.Layer, m.Name, m.Materialized, m.SQL)
	st := modelState{}
	if m.Materialized == AsIncremental {
		// The loader fills it per file; its raw relation is empty at rest.
		inc, err := w.incrementalFP(ctx, m.Name)
		if err != nil {
			return modelState{}, err
		}
		b.WriteString(inc)
		st.fileInputs = true
	} else {
		for _, d := range m.Refs {
			ds, ok := w.states[d]
			if !ok {
				return modelState{}, fmt.Errorf("model %s: %s has no fingerprint yet", m.Name, d)
			}
			st.volatile = st.volatile || ds.volatile
			st.fileInputs = st.fileInputs || ds.fileInputs
			fmt.Fprintf(&b, "model %s %s\n", d, ds.fp)
		}
		readsLedger := false
		for _, name := range relationsOf(m, s) {
			r := s.rels[name]
			switch {
			case name == "files":
				readsLedger = true
			case r.temporary || r.view:
				st.volatile = true
			default:
				fp, err := w.relationFP(ctx, s, name, r)
				if err != nil {
					return modelState{}, fmt.Errorf("model %s: %w", m.Name, err)
				}
				fmt.Fprintf(&b, "relation %s %s\n", name, fp)
				st.fileInputs = st.fileInputs || r.fileKeyed
			}
		}
		if readsLedger && !st.fileInputs {
			if s.ledger == "" {
				if err := w.Conn.QueryRowContext(ctx, "SELECT count(*) || ' ' || coalesce(sum(hash(file_id, kind, path, sha256, settings)), 0) FROM files").Scan(&s.ledger); err != nil {
					return modelState{}, fmt.Errorf("model %s: files: %w", m.Name, err)
				}
			}
			fmt.Fprintf(&b, "relation files %s\n", s.ledger)
		}
	}
	for _, v := range varsOf(m) {
		var val string
		q := fmt.Sprintf("SELECT typeof(getvariable(%[1]s)) || ' ' || coalesce(getvariable(%[1]s)::VARCHAR, 'NULL')", QuoteString(v))
		if err := w.Conn.QueryRowContext(ctx, q).Scan(&val); err != nil {
			return modelState{}, fmt.Errorf("model %s: variable %s: %w", m.Name, v, err)
		}
		fmt.Fprintf(&b, "var %s %s\n", v, val)
	}
	if !st.volatile {
		sum := sha256.Sum256([]byte(b.String()))
		st.fp = hex.EncodeToString(sum[:])
	}
	w.states[m.Name] = st
	return st, nil
}

// relationsOf lists the declared sources m reads (Model.Sources: in its
// SQL or the macros it calls) that the warehouse holds.
func relationsOf(m *Model, s *fpScope) []string {
	var out []string
	for _, name := range m.Sources {
		if _, ok := s.rels[name]; ok {
			out = append(out, name)
		}
	}
	return out
}

// varsOf lists the variables m reads.
func varsOf(m *Model) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range varRE.FindAllStringSubmatch(commentRE.ReplaceAllString(m.SQL, ""), -1) {
		if !seen[v[1]] {
			seen[v[1]] = true
			out = append(out, v[1])
		}
	}
	sort.Strings(out)
	return out
}

// relationFP fingerprints a stored table that is not a model.
func (w *Warehouse) relationFP(ctx context.Context, s *fpScope, name string, r relation) (string, error) {
	if fp, ok := s.relFP[name]; ok {
		return fp, nil
	}
	t := "main." + QuoteIdent(name)
	q := "SELECT count(*) || ' ' || coalesce(sum(hash(t)), 0) FROM " + t + " t"
	if r.fileKeyed {
		// The count guards against rows written by hand under a loaded
		// file's id (tests do); the loader never does.
		q = "SELECT count(*) || ' files ' || coalesce(string_agg(DISTINCT file_id::VARCHAR, ',' ORDER BY file_id::VARCHAR), '') FROM " + t
	}
	var fp string
	if err := w.Conn.QueryRowContext(ctx, q).Scan(&fp); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	s.relFP[name] = fp
	return fp, nil
}

// incrementalFP is the state of incremental model name: the version of its
// SQL its files were loaded with, and those files.
func (w *Warehouse) incrementalFP(ctx context.Context, name string) (string, error) {
	var fp string
	err := w.Conn.QueryRowContext(ctx, `
		SELECT coalesce((SELECT sql_sha256 FROM incremental_models WHERE name = $1), '') || ' files ' ||
		       coalesce((SELECT string_agg(file_id::VARCHAR, ',' ORDER BY file_id)
		                 FROM incremental_parts WHERE name = $1), '')`, name).Scan(&fp)
	if err != nil {
		return "", fmt.Errorf("model %s: %w", name, err)
	}
	return "incremental " + fp + "\n", nil
}

// storedFP returns the fingerprint model name was last built with, or ""
// if none is recorded or its table is gone.
func (w *Warehouse) storedFP(ctx context.Context, name string) (string, error) {
	var fp string
	err := w.Conn.QueryRowContext(ctx, `
		SELECT fingerprint FROM model_state
		WHERE name = $1
		  AND EXISTS (SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary AND table_name = $1)
		  AND NOT EXISTS (SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = $1)
		  AND NOT EXISTS (SELECT 1 FROM duckdb_views() WHERE temporary AND view_name = $1)`, name).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("model %s: %w", name, err)
	}
	return fp, nil
}

// storedCheckedFP returns the fingerprint a view or incremental model
// last passed its checks with ("" if none).
func (w *Warehouse) storedCheckedFP(ctx context.Context, name string) (string, error) {
	var fp string
	err := w.Conn.QueryRowContext(ctx, "SELECT fingerprint FROM model_state WHERE name = ?", name).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("model %s: %w", name, err)
	}
	return fp, nil
}

// forgetFP drops what model name was built from, before it is rebuilt: a
// build that fails half-way must not leave the old fingerprint on a new
// or missing table.
func (w *Warehouse) forgetFP(ctx context.Context, name string) error {
	if _, err := w.Conn.ExecContext(ctx, "DELETE FROM model_state WHERE name = ?", name); err != nil {
		return fmt.Errorf("model %s: %w", name, err)
	}
	return nil
}

// recordFP records that model name's table was built from fp.
func (w *Warehouse) recordFP(ctx context.Context, name, fp string) error {
	if fp == "" {
		return nil
	}
	if _, err := w.Conn.ExecContext(ctx, "INSERT INTO model_state VALUES (?, ?, now())", name, fp); err != nil {
		return fmt.Errorf("model %s: %w", name, err)
	}
	return nil
}
