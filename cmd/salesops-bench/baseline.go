package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesops/salesops/transform"
)

// BaselineFile is one CSV file the baseline loads, with the encoding
// read_csv is told (empty: DuckDB's default, UTF-8).
type BaselineFile struct {
	Path     string `json:"path"`
	Encoding string `json:"encoding,omitempty"`
}

// runBaseline is the hidden subcommand "baseline --db FILE --plan FILE":
// DuckDB's plain load of each file of the plan (a JSON list of
// BaselineFile) into its own table of a fresh database file, nothing more.
// It prints the rows loaded.
func runBaseline(args []string) int {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	db := fs.String("db", "", "database file to create")
	plan := fs.String("plan", "", "JSON list of the files to load")
	if err := fs.Parse(args); err != nil || *db == "" || *plan == "" {
		fmt.Fprintln(os.Stderr, "usage: salesops-bench baseline --db FILE --plan FILE")
		return 2
	}
	rows, err := baseline(context.Background(), *db, *plan)
	if err != nil {
		fmt.Fprintln(os.Stderr, "salesops-bench baseline:", err)
		return 1
	}
	fmt.Println(rows)
	return 0
}

func baseline(ctx context.Context, dbPath, planPath string) (int64, error) {
	b, err := os.ReadFile(planPath)
	if err != nil {
		return 0, err
	}
	var files []BaselineFile
	if err := json.Unmarshal(b, &files); err != nil {
		return 0, fmt.Errorf("plan %s: %w", planPath, err)
	}
	db, err := sql.Open("duckdb", dbPath)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", dbPath, err)
	}
	defer db.Close()
	var total int64
	for i, f := range files {
		q := fmt.Sprintf("CREATE TABLE t%d AS SELECT * FROM read_csv(%s", i, transform.QuoteString(f.Path))
		if f.Encoding != "" {
			q += ", encoding = " + transform.QuoteString(f.Encoding)
		}
		if _, err := db.ExecContext(ctx, q+")"); err != nil {
			return 0, fmt.Errorf("load %s: %w", f.Path, err)
		}
		// The driver reports no rows affected by CREATE TABLE AS; a
		// table's count comes from its metadata, at no real cost.
		var n int64
		if err := db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM t%d", i)).Scan(&n); err != nil {
			return 0, fmt.Errorf("count %s: %w", f.Path, err)
		}
		total += n
	}
	// Closing checkpoints the file, as the warehouse's close does.
	if err := db.Close(); err != nil {
		return 0, fmt.Errorf("close %s: %w", dbPath, err)
	}
	return total, nil
}
