package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// An incremental model is a stored table with the model's rows for every
// loaded source file. Its SQL reads the raw relation of one file: while a
// file loads, the loader shadows the (empty) raw table with a temp view over
// that file, or appends the file's rows to it and deletes them afterwards,
// and calls Increment. Its rows carry file_id, so the loader deletes them
// when the file changes or leaves the inbox.

func incrementalModel(name string) (*Model, error) {
	models, err := Models()
	if err != nil {
		return nil, err
	}
	m, ok := models[name]
	if !ok || m.Materialized != "incremental" {
		return nil, fmt.Errorf("model %s is not an incremental model", name)
	}
	return m, nil
}

// EnsureIncremental creates the table of incremental model name if it is
// missing or was built by another version of the model's SQL (or of the
// macros it may call). reset tells
// the caller the table is new and empty: the source files it held must be
// loaded again.
func (w *Warehouse) EnsureIncremental(ctx context.Context, name string) (reset bool, err error) {
	m, err := incrementalModel(name)
	if err != nil {
		return false, err
	}
	// The macros are part of what the model computes.
	sum := sha256.Sum256([]byte(m.SQL + "\n" + macrosSQL))
	want := hex.EncodeToString(sum[:])
	var have string
	err = w.Conn.QueryRowContext(ctx, "SELECT sql_sha256 FROM incremental_models WHERE name = ?", name).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("model %s: %w", name, err)
	}
	if have == want {
		return false, nil
	}
	for _, q := range []string{
		"DROP TABLE IF EXISTS main." + QuoteIdent(name),
		"CREATE TABLE " + QuoteIdent(name) + " AS SELECT * FROM (\n" + m.SQL + "\n) LIMIT 0",
		"DELETE FROM incremental_models WHERE name = " + QuoteString(name),
		"INSERT INTO incremental_models VALUES (" + QuoteString(name) + ", " + QuoteString(want) + ")",
	} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			return false, fmt.Errorf("model %s (%s/%s.sql): %w", name, m.Layer, name, err)
		}
	}
	return true, nil
}

// Increment appends to incremental model name the rows its SQL selects now,
// that is from the one file the loader has put in the raw relation, and
// returns how many. DuckDB keeps the raw relation's order through the
// model's projections, so row ids follow the file's order.
func (w *Warehouse) Increment(ctx context.Context, name string) (int64, error) {
	m, err := incrementalModel(name)
	if err != nil {
		return 0, err
	}
	res, err := w.Conn.ExecContext(ctx, "INSERT INTO "+QuoteIdent(name)+" SELECT * FROM (\n"+m.SQL+"\n)")
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
