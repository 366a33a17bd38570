package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// An incremental model holds the model's rows for every loaded source file.
// Its SQL reads the raw relation of one file: while a file loads, the loader
// shadows the (empty) raw table with a temp view over that file, or appends
// the file's rows to it and deletes them afterwards, and calls Increment.
//
// Each file's rows are a table of their own, <model>__file<file_id>, and the
// model is a view over them (see RefreshIncremental): a file that leaves the
// inbox is a DROP TABLE, and a new month of a kind costs its own rows, not
// the history's. The loader gives each row its file line.

// incrementalLayout names how incremental models are stored; a change
// rebuilds them.
const incrementalLayout = "one table per file, lines stored, a view over them"

func incrementalModel(name string) (*Model, error) {
	models, err := modelFiles()
	if err != nil {
		return nil, err
	}
	m, ok := models[name]
	if !ok || m.Materialized != AsIncremental {
		return nil, fmt.Errorf("model %s is not an incremental model", name)
	}
	return m, nil
}

// IncrementTable is the table holding one file's rows of model name.
func IncrementTable(name string, fileID int64) string {
	return fmt.Sprintf("%s__file%d", name, fileID)
}

// EnsureIncremental creates incremental model name (as an empty view) if it
// is missing or was built by another version of the model's SQL (or of the
// macros it may call), dropping the files' tables of the old version. reset
// tells the caller the model is new and empty: the source files it held
// must be loaded again.
func (w *Warehouse) EnsureIncremental(ctx context.Context, name string) (reset bool, err error) {
	m, err := incrementalModel(name)
	if err != nil {
		return false, err
	}
	// The macros are part of what the model computes; the layout of its
	// tables, of what the warehouse holds.
	sum := sha256.Sum256([]byte(incrementalLayout + "\n" + m.SQL + "\n" + macrosSQL))
	want := hex.EncodeToString(sum[:])
	var have string
	err = w.Conn.QueryRowContext(ctx, "SELECT sql_sha256 FROM incremental_models WHERE name = ?", name).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("model %s: %w", name, err)
	}
	if have == want {
		return false, nil
	}
	var drop []string
	rows, err := w.Conn.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND starts_with(table_name, ?)", name+"__")
	if err != nil {
		return false, fmt.Errorf("model %s: %w", name, err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return false, err
		}
		drop = append(drop, t)
	}
	rows.Close()
	stmts := []string{"DROP VIEW IF EXISTS main." + QuoteIdent(name), "DROP TABLE IF EXISTS main." + QuoteIdent(name)}
	for _, t := range drop {
		stmts = append(stmts, "DROP TABLE main."+QuoteIdent(t))
	}
	stmts = append(stmts,
		// The shape of the model, for the view when no file is loaded.
		"CREATE TABLE "+QuoteIdent(name+"__empty")+" AS SELECT * FROM (\n"+m.SQL+"\n) LIMIT 0",
		"DELETE FROM incremental_parts WHERE name = "+QuoteString(name),
		"DELETE FROM incremental_models WHERE name = "+QuoteString(name),
		"INSERT INTO incremental_models VALUES ("+QuoteString(name)+", "+QuoteString(want)+")",
	)
	for _, q := range stmts {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			return false, fmt.Errorf("model %s (%s/%s.sql): %w", name, m.Layer, name, err)
		}
	}
	return true, w.RefreshIncremental(ctx, name)
}

// Increment creates the table of file fileID's rows of incremental model
// name from what its SQL selects now, that is from the one file the loader
// has put in the raw relation, and returns how many rows.
// Call RefreshIncremental once the files are in.
func (w *Warehouse) Increment(ctx context.Context, name string, fileID int64) (int64, error) {
	m, err := incrementalModel(name)
	if err != nil {
		return 0, err
	}
	table := QuoteIdent(IncrementTable(name, fileID))
	if _, err := w.Conn.ExecContext(ctx, "CREATE TABLE "+table+" AS SELECT * FROM (\n"+m.SQL+"\n)"); err != nil {
		return 0, err
	}
	// (CREATE TABLE AS reports no rows affected.)
	var n int64
	if err := w.Conn.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		return 0, err
	}
	_, err = w.Conn.ExecContext(ctx, "INSERT INTO incremental_parts (name, file_id) VALUES (?, ?)", name, fileID)
	return n, err
}

// ForgetIncrement drops file fileID's rows of incremental model name.
func (w *Warehouse) ForgetIncrement(ctx context.Context, name string, fileID int64) error {
	if _, err := w.Conn.ExecContext(ctx, "DROP TABLE IF EXISTS main."+QuoteIdent(IncrementTable(name, fileID))); err != nil {
		return err
	}
	_, err := w.Conn.ExecContext(ctx, "DELETE FROM incremental_parts WHERE name = ? AND file_id = ?", name, fileID)
	return err
}

// RefreshIncremental (re)defines the view of incremental model name over
// the tables of its files, in file_id order.
func (w *Warehouse) RefreshIncremental(ctx context.Context, name string) error {
	rows, err := w.Conn.QueryContext(ctx, "SELECT file_id FROM incremental_parts WHERE name = ? ORDER BY file_id", name)
	if err != nil {
		return fmt.Errorf("model %s: %w", name, err)
	}
	parts := []string{"SELECT * FROM main." + QuoteIdent(name+"__empty")}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		parts = append(parts, "SELECT * FROM main."+QuoteIdent(IncrementTable(name, id)))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE VIEW "+QuoteIdent(name)+" AS\n"+strings.Join(parts, "\nUNION ALL\n")); err != nil {
		return fmt.Errorf("model %s: %w", name, err)
	}
	return nil
}

// IncrementKeepsOrder tells whether incremental model name, over its raw
// relation as now defined, yields one row per raw row in the raw relation's
// order: its plan only reads and projects. DuckDB then writes a CREATE TABLE
// AS SELECT of it in that order, so the k-th row of the file's table is the
// file's k-th record. A join breaks the order (DuckDB v1.5.6 plans even an
// IN list of constants as a hash join), a filter or an unnest the count.
func (w *Warehouse) IncrementKeepsOrder(ctx context.Context, name string) (bool, error) {
	m, err := incrementalModel(name)
	if err != nil {
		return false, err
	}
	ok, err := w.readsInOrder(ctx, m.SQL)
	if err != nil {
		return false, fmt.Errorf("model %s: plan: %w", name, err)
	}
	return ok, nil
}

// readsInOrder tells whether DuckDB's plan of query only reads a CSV file
// and projects its rows (see IncrementKeepsOrder).
func (w *Warehouse) readsInOrder(ctx context.Context, query string) (bool, error) {
	var key, plan string
	if err := w.Conn.QueryRowContext(ctx, "EXPLAIN (FORMAT json) SELECT * FROM (\n"+query+"\n)").Scan(&key, &plan); err != nil {
		return false, err
	}
	type node struct {
		Name     string `json:"name"`
		Children []node `json:"children"`
	}
	var roots []node
	if err := json.Unmarshal([]byte(plan), &roots); err != nil {
		return false, err
	}
	var inOrder func(ns []node) bool
	inOrder = func(ns []node) bool {
		for _, n := range ns {
			switch n.Name {
			case "PROJECTION", "READ_CSV":
			default:
				return false
			}
			if !inOrder(n.Children) {
				return false
			}
		}
		return true
	}
	return len(roots) == 1 && inOrder(roots), nil
}
