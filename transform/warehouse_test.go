package transform

import (
	"context"
	"path/filepath"
	"strings"
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
