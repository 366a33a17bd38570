package transform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{in: "1GB", want: 1000000000},
		{in: "1600MB", want: 1600000000},
		{in: "1600 mb", want: 1600000000},
		{in: " 2GiB ", want: 2147483648},
		{in: "1.5GB", want: 1500000000},
		{in: "512KiB", want: 524288},
		{in: "100B", want: 100},
		{in: "2", err: true},    // no unit: bytes or GB?
		{in: "GB", err: true},   // no number
		{in: "2 PB", err: true}, // no such unit in DuckDB
		{in: "0GB", err: true},
		{in: "1..5GB", err: true},
		{in: "-1GB", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if tt.err {
			if err == nil || !strings.Contains(err.Error(), "memory size") {
				t.Errorf("ParseSize(%q) = %d, %v; want an error naming the memory size", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

// TestMemoryLimitShare: DuckDB gets 75 % of the budget. 1GB is
// 1,000,000,000 bytes; 75 % is 750,000,000 bytes, which DuckDB shows as
// 750,000,000 / 2^20 = 715.26 MiB, truncated to 715.2.
func TestMemoryLimitShare(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{MemoryLimit: "1GB"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var got string
	if err := w.Conn.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "715.2 MiB" {
		t.Errorf("DuckDB memory_limit %q, want 715.2 MiB", got)
	}

	_, err = Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{MemoryLimit: "lots"})
	if err == nil || !strings.Contains(err.Error(), `memory size "lots"`) {
		t.Errorf("Open with memory_limit lots: %v, want an error naming it", err)
	}
}

// TestCorruptWarehouse: a warehouse file DuckDB cannot read fails Open
// with a *CorruptError that names it, says why in a few words and what to
// do, for each way DuckDB v1.5.6 reports one.
func TestCorruptWarehouse(t *testing.T) {
	ctx := context.Background()
	good := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(ctx, good, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	advice := ": rename it (e.g. to w.duckdb.bad) and run again, which loads the inbox into a new warehouse; " +
		"the published sets and the price history stay. Keep the old file: its run ledger (salesops runs, the reconciliation dates of the T-36 calendar) is nowhere else"
	tests := []struct {
		name   string
		damage func(b []byte) []byte
		wal    bool
		reason string
	}{
		{"overwritten", func([]byte) []byte { return []byte(strings.Repeat("not a database ", 400)) }, false, "not a DuckDB file: overwritten?"},
		{"emptied", func([]byte) []byte { return nil }, false, "not a DuckDB file: overwritten?"},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, false, "shorter than its contents: truncated?"},
		{"a block overwritten", func(b []byte) []byte {
			b = slices.Clone(b)
			copy(b[8192:12288], strings.Repeat("x", 4096)) // past the two 4 KiB headers
			return b
		}, false, "a block fails its checksum: damaged"},
		{"overwritten, with a WAL", func([]byte) []byte { return []byte("garbage") }, true, "not a DuckDB file: overwritten?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.duckdb")
			if err := os.WriteFile(path, tt.damage(goodBytes), 0o644); err != nil {
				t.Fatal(err)
			}
			want := "warehouse " + path + " is not a readable DuckDB database (" + tt.reason + ")" + advice
			if tt.wal {
				if err := os.WriteFile(path+".wal", []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
				want = strings.Replace(want, "rename it (e.g. to w.duckdb.bad)", "rename it and w.duckdb.wal (e.g. to w.duckdb.bad and w.duckdb.bad.wal)", 1)
			}
			w, err := Open(ctx, path, Options{})
			if err == nil {
				w.Close()
				t.Fatal("Open succeeded")
			}
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) || err.Error() != want {
				t.Errorf("error:\n%v\nwant a *CorruptError:\n%s", err, want)
			}
		})
	}
}

// TestExplain: a full disk is said with the folder and the file, not the
// step that met it; DuckDB out of memory in one line with the step; other
// errors are left to their step. The DuckDB texts are those of v1.5.6 on
// a full tmpfs (ENOSPC), copied from a run.
func TestExplain(t *testing.T) {
	advice := ": free space on that disk (or set out or warehouse to a larger one), and run again"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"DuckDB's WAL at open",
			errors.New(`macros.sql: TransactionContext Error: Failed to commit: Could not write file "/srv/out/warehouse.duckdb.wal": No space left on device`),
			"the disk is full: no space left in /srv/out to write warehouse.duckdb.wal" + advice},
		{"DuckDB's COPY into a staged set",
			errors.New(`report renewals: renewals.csv: IO Error: Could not write file "/srv/out/lifecycle/.2025-12.tmp-3025099978/renewals.csv": No space left on device`),
			"the disk is full: no space left in /srv/out/lifecycle to write renewals.csv" + advice},
		{"Go's write into the staged site",
			fmt.Errorf("site: %w", &fs.PathError{Op: "write", Path: "/srv/out/.site.tmp-1087837529/assets/echarts.min.js", Err: syscall.ENOSPC}),
			"the disk is full: no space left in /srv/out to write echarts.min.js" + advice},
		{"ENOSPC with no path", fmt.Errorf("sync: %w", syscall.ENOSPC),
			"the disk is full: free space on the disks of out and the warehouse, and run again"},
		{"an input's error", errors.New(`pricelists/microsoft/x.csv: missing column "UnitPrice"`), ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Explain(tt.err)
			if fmt.Sprint(got) != tt.want && !(got == nil && tt.want == "") {
				t.Errorf("Explain:\n%v\nwant:\n%s", got, tt.want)
			}
			var full *DiskFullError
			if tt.want != "" && !errors.As(got, &full) {
				t.Errorf("Explain gave a %T, want a *DiskFullError", got)
			}
		})
	}

	t.Run("out of memory", func(t *testing.T) {
		ctx := context.Background()
		w, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{MemoryLimit: "4MB", Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var n int64
		err = w.Conn.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT range % 3000000 AS k, count(*) FROM range(6000000) GROUP BY k)").Scan(&n)
		if err == nil || !strings.Contains(err.Error(), "\n") {
			t.Fatalf("a GROUP BY of 3M keys under 3 MB: %v, want DuckDB's lines on running out of memory", err)
		}
		got := fmt.Sprint(Explain(fmt.Errorf("model big (core/big.sql): %w", err)))
		first, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "Out of Memory Error: "), "\n")
		want := "model big (core/big.sql): DuckDB ran out of memory: " + first + "; raise memory_limit in the config, or lower threads"
		if got != want {
			t.Errorf("Explain:\n%s\nwant:\n%s", got, want)
		}
	})
}
