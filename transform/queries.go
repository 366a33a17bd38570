package transform

import (
	"context"
	"fmt"
	"strings"
)

// Queries under models/dossier/ are not models: they read the stored
// tables of the last runs (customers, invoices, t36_calendar...) for one
// customer (variable dossier_customer_id), and are never built by a run.

// DefineQueryView (re)creates the per-session view name over the SQL of
// models/<dir>/<name>.sql, so writers read it like a model.
func (w *Warehouse) DefineQueryView(ctx context.Context, dir, name string) error {
	body, err := modelFS.ReadFile("models/" + dir + "/" + name + ".sql")
	if err != nil {
		return fmt.Errorf("query %s/%s: %w", dir, name, err)
	}
	q := strings.TrimRight(strings.TrimSpace(string(body)), ";")
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW "+QuoteIdent(name)+" AS\n"+q); err != nil {
		return fmt.Errorf("query %s/%s.sql: %w", dir, name, err)
	}
	return nil
}
