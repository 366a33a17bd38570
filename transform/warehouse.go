// Package transform keeps the DuckDB warehouse: its numbered schema
// migrations, the SQL helpers, and the models layered staging → core → marts
// with the checks written beside them.
package transform

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesops/salesops/ptbr"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

//go:embed macros.sql
var macrosFile string

// macrosSQL is what every model may call: macros.sql, then package ptbr's
// pt-BR text for people (ptbr_money, ptbr_date...).
var macrosSQL = macrosFile + "\n" + ptbr.SQL

// Options tune the DuckDB engine; zero values keep DuckDB's defaults.
type Options struct {
	// MemoryLimit is the process's memory budget, e.g. "2GB" (see
	// ParseSize); DuckDB's own memory_limit gets DuckDBShare of it.
	MemoryLimit string
	Threads     int
	TempDir     string // where DuckDB spills; default beside the warehouse file
	// LockWait is how long Open waits for another run (CLI or daemon) to
	// release the warehouse before failing with a *BusyError (0: no wait).
	LockWait time.Duration
}

// Warehouse is an open DuckDB warehouse file. All work goes through one
// connection: session state (variables, transactions, appenders) must be
// seen by every statement of a run, and DuckDB parallelises inside a query.
type Warehouse struct {
	Conn  *sql.Conn
	Path  string
	db    *sql.DB
	lock  *warehouseLock
	built map[string]bool // models materialised in the current run
	// tempDir is where DuckDB spills (beside the warehouse file unless
	// Options.TempDir says otherwise), and StreamText spools rows.
	tempDir string
	// What the models of the current run were computed from (fingerprint.go).
	states map[string]modelState
	// StagingEnsured is set by extract.Sync once every staging model is
	// current with this binary's SQL, so the later syncs of the same Open
	// need not check them again: the lock keeps other processes from
	// changing them until Close.
	StagingEnsured bool
}

// Open opens (creating if needed) the warehouse at path, applies pending
// migrations and (re)creates the SQL helpers. One process at a time has
// it: Open waits up to opts.LockWait for another to close it.
func Open(ctx context.Context, path string, opts Options) (*Warehouse, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("warehouse %s: %w", path, err)
	}
	lock, err := lockWarehouse(ctx, path, opts.LockWait)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		lock.release()
		return nil, openError(path, fmt.Errorf("warehouse %s: %w", path, err))
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		lock.release()
		return nil, openError(path, fmt.Errorf("warehouse %s: %w", path, err))
	}
	w := &Warehouse{Conn: conn, Path: path, db: db, lock: lock, built: map[string]bool{}}
	if err := w.configure(ctx, opts); err != nil {
		w.Close()
		return nil, openError(path, err)
	}
	if err := w.migrate(ctx); err != nil {
		w.Close()
		return nil, openError(path, err)
	}
	if err := w.ExecScript(ctx, "macros.sql", macrosSQL); err != nil {
		w.Close()
		return nil, openError(path, err)
	}
	if err := registerFunctions(conn); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// openError is an Open failure as people need it: a file DuckDB cannot
// read is a *CorruptError, a write the disk had no room for (the first is
// macros.sql's) a *DiskFullError; anything else is err.
func openError(path string, err error) error {
	if reason, ok := corruptReason(err); ok {
		return &CorruptError{Path: path, Reason: reason, Err: err}
	}
	if full := diskFull(err); full != nil {
		return full
	}
	return err
}

// CorruptError is a warehouse file DuckDB cannot read (overwritten,
// truncated, damaged). The warehouse is a cache of the inbox, which the
// next run loads again into a new file, apart from the run ledger (runs):
// the history of `salesops runs` and the days each reconciliation was
// published, which the lifecycle's T-36 calendar shows. So the advice is to
// move it aside, not to delete it. The price history is beside it, not in
// it (pipelines.historyDir).
type CorruptError struct {
	Path   string
	Reason string
	Err    error // DuckDB's
}

func (e *CorruptError) Error() string {
	base := filepath.Base(e.Path)
	rename := "rename it (e.g. to " + base + ".bad)"
	if _, err := os.Stat(e.Path + ".wal"); err == nil {
		rename = "rename it and " + base + ".wal (e.g. to " + base + ".bad and " + base + ".bad.wal)"
	}
	return fmt.Sprintf("warehouse %s is not a readable DuckDB database (%s): %s and run again, which loads the inbox into a new warehouse; "+
		"the published sets and the price history stay. Keep the old file: its run ledger (salesops runs, the reconciliation dates of the T-36 calendar) is nowhere else",
		e.Path, e.Reason, rename)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// DiskFullError is a write that found the disk full: Folder is where, File
// what was being written.
type DiskFullError struct {
	Folder, File string
	Err          error
}

func (e *DiskFullError) Error() string {
	if e.Folder == "" {
		return "the disk is full: free space on the disks of out and the warehouse, and run again"
	}
	return fmt.Sprintf("the disk is full: no space left in %s to write %s: free space on that disk (or set out or warehouse to a larger one), and run again", e.Folder, e.File)
}

func (e *DiskFullError) Unwrap() error { return e.Err }

// stageRE matches the hidden folders runs write into before they publish
// (".2025-12.tmp-123", ".site.tmp-123"): a full disk is named by the
// folder they are in, which people know.
var stageRE = regexp.MustCompile(`^\..+\.tmp-[0-9]+(\.old)?$`)

// diskFull is err as a *DiskFullError when a write found no space left
// (Go's ENOSPC, or DuckDB's text of it), else nil.
func diskFull(err error) *DiskFullError {
	var file string
	var pe *fs.PathError
	switch {
	case errors.Is(err, syscall.ENOSPC) && errors.As(err, &pe):
		file = pe.Path
	case errors.Is(err, syscall.ENOSPC):
	default:
		var ok bool
		if file, ok = noSpace(err); !ok {
			return nil
		}
	}
	if file == "" {
		return &DiskFullError{Err: err}
	}
	dir := filepath.Dir(file)
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if stageRE.MatchString(filepath.Base(d)) {
			dir = filepath.Dir(d)
		}
	}
	return &DiskFullError{Folder: dir, File: filepath.Base(file), Err: err}
}

// Explain says err for people when its cause is not an input: the disk
// full (*DiskFullError, in place of the step that met it, which is not at
// fault: "macros.sql", an inbox file), DuckDB out of memory (one line, with
// the step, in place of DuckDB's lines of SET statements to try), the
// warehouse unreadable (*CorruptError). Otherwise it returns nil.
func Explain(err error) error {
	var corrupt *CorruptError
	var full *DiskFullError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &corrupt):
		return corrupt
	case errors.As(err, &full):
		return full
	}
	if full := diskFull(err); full != nil {
		return full
	}
	step, detail, ok := outOfMemory(err)
	if !ok {
		return nil
	}
	return &MemoryError{Step: step, Detail: detail, Err: err}
}

// MemoryError is DuckDB out of memory in Step (a model, an input),
// Detail what it could not allocate.
type MemoryError struct {
	Step, Detail string
	Err          error
}

func (e *MemoryError) Error() string {
	step := ""
	if e.Step != "" {
		step = e.Step + ": "
	}
	return fmt.Sprintf("%sDuckDB ran out of memory: %s; raise memory_limit in the config, or lower threads", step, e.Detail)
}

func (e *MemoryError) Unwrap() error { return e.Err }

// Scratch is an in-memory DuckDB with the SQL helpers (macros.sql) and no
// warehouse schema: for reading files with the project's SQL where no
// warehouse is open (the report site): no file, no migrations, no
// checkpoint, a fraction of a new warehouse's open and close.
type Scratch struct {
	Conn *sql.Conn
	db   *sql.DB
}

// OpenScratch opens a Scratch that spills to tempDir.
func OpenScratch(ctx context.Context, tempDir string) (*Scratch, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	s := &Scratch{Conn: conn, db: db}
	if _, err := conn.ExecContext(ctx, "SET temp_directory = "+QuoteString(tempDir)); err != nil {
		s.Close()
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	if _, err := conn.ExecContext(ctx, macrosSQL); err != nil {
		s.Close()
		return nil, fmt.Errorf("scratch database: macros.sql: %w", err)
	}
	if err := registerFunctions(conn); err != nil {
		s.Close()
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	return s, nil
}

// Close closes the scratch database.
func (s *Scratch) Close() error {
	err := s.Conn.Close()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close closes the warehouse and then lets the next run have it.
func (w *Warehouse) Close() error {
	err := w.Conn.Close()
	if cerr := w.db.Close(); err == nil {
		err = cerr
	}
	if cerr := w.lock.release(); err == nil {
		err = cerr
	}
	return err
}

// InTx runs fn inside one transaction on the warehouse connection.
func (w *Warehouse) InTx(ctx context.Context, fn func() error) (err error) {
	if _, err := w.Conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.Conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if err = fn(); err != nil {
		return err
	}
	_, err = w.Conn.ExecContext(ctx, "COMMIT")
	return err
}

// Append streams rows into table through DuckDB's appender, the fast path
// for rows parsed in Go (XLSX, XML, rules). fn must not use w.Conn: the
// appender holds the connection until fn returns.
func (w *Warehouse) Append(ctx context.Context, table string, fn func(add func(values ...driver.Value) error) error) error {
	return w.Conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("append %s: not a driver connection", table)
		}
		a, err := duckdb.NewAppenderFromConn(conn, "", table)
		if err != nil {
			return fmt.Errorf("append %s: %w", table, err)
		}
		ferr := fn(func(values ...driver.Value) error { return a.AppendRow(values...) })
		if cerr := a.Close(); ferr == nil && cerr != nil {
			ferr = fmt.Errorf("append %s: %w", table, cerr)
		}
		return ferr
	})
}

func (w *Warehouse) configure(ctx context.Context, opts Options) error {
	tmp := opts.TempDir
	if tmp == "" {
		tmp = w.Path + ".tmp"
	}
	w.tempDir = tmp
	set := []string{"SET temp_directory = " + QuoteString(tmp)}
	if opts.MemoryLimit != "" {
		n, err := ParseSize(opts.MemoryLimit)
		if err != nil {
			return fmt.Errorf("warehouse %s: %w", w.Path, err)
		}
		set = append(set, fmt.Sprintf("SET memory_limit = '%dB'", int64(float64(n)*DuckDBShare)))
	}
	if opts.Threads > 0 {
		set = append(set, "SET threads = "+strconv.Itoa(opts.Threads))
	}
	for _, s := range set {
		if _, err := w.Conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("warehouse %s: %s: %w", w.Path, s, err)
		}
	}
	return nil
}

// DuckDBShare is the part of the memory budget given to DuckDB's
// memory_limit. That limit bounds DuckDB's buffer pool, not all it
// allocates: hash tables' and windows' working state outside the pool, the
// allocator's caches and the Go side come on top. The reconciliation of
// 1M bill lines peaked at 1.13-1.36 GB RSS with DuckDB's memory_limit at
// 1GB (5 runs), at 0.99-1.21 GB with 850MB (3 runs), and at 0.89-0.91 GB
// with 750MB (4 runs), no slower. 60 % was tried (0.77 GB there), but
// then a 1M-row price list ran out of memory in priced_skus (a temp table
// of a million wide rows, sorted) under a 1GB budget, which it completes
// at 75 % (3 runs of 3, 1.03-1.12 GB RSS; at 60 %, 4 of 5 failed).
const DuckDBShare = 0.75

// MinMemoryLimit is the smallest memory budget (Options.MemoryLimit) a
// run is let work in, MinMemoryLimitText as the config writes it. DuckDB
// reads a CSV in blocks of about 32 MiB per thread, and the report site
// reads the published CSVs too: the example inbox's "run all" ran out of
// memory under 180MB and passed under 200MB (2 and 8 threads) and 256MB
// (16 threads). Larger inputs need more: this only turns away a budget no
// run can work in.
const (
	MinMemoryLimit     = 256_000_000
	MinMemoryLimitText = "256MB"
)

// sizeUnits are the units of DuckDB's memory settings: powers of 1000 and
// of 1024.
var sizeUnits = map[string]float64{
	"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize reads a memory size as DuckDB's settings take one: a number
// and a unit, "1GB", "1600 MB", "1.5GiB".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		return 0, fmt.Errorf("memory size %q: want a number and a unit, e.g. 2GB", s)
	}
	v, err := strconv.ParseFloat(t[:i], 64)
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(t[i:]))]
	if err != nil || !ok || v <= 0 {
		return 0, fmt.Errorf("memory size %q: want a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. 2GB", s)
	}
	return int64(v * unit), nil
}

// migrate applies migrations/NNNN_*.sql newer than the recorded version,
// each in its own transaction with the version bump.
func (w *Warehouse) migrate(ctx context.Context) error {
	if _, err := w.Conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := w.Conn.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		num, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: %s: file name must start with its number", base)
		}
		if num <= current {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		err = w.InTx(ctx, func() error {
			if _, err := w.Conn.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if _, err := w.Conn.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
				return err
			}
			_, err := w.Conn.ExecContext(ctx, `INSERT INTO schema_version VALUES (?)`, num)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
	}
	return nil
}

// ExecScript runs a multi-statement SQL script.
func (w *Warehouse) ExecScript(ctx context.Context, name, script string) error {
	if _, err := w.Conn.ExecContext(ctx, script); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// QuoteIdent quotes a SQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// QuoteString quotes a SQL string literal, for the few places DuckDB takes no
// bind parameter (file paths of read_csv and COPY, SET values).
func QuoteString(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
