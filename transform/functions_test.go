package transform

import (
	"context"
	"database/sql"
	"testing"
)

// TestSafeNameSQL: safe_name in SQL is filename.Safe (hashes from
// filename's tests: the first 16 hex digits of the id's SHA-256), NULL
// stays NULL, and the scratch database has it too.
func TestSafeNameSQL(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	s, err := OpenScratch(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, conn := range []*sql.Conn{w.Conn, s.Conn} {
		for _, tt := range []struct {
			id   any
			want sql.NullString
		}{
			{"Q-101-r1", sql.NullString{String: "Q-101-r1", Valid: true}},
			{"../../x", sql.NullString{String: "x-9cdf6a50100a862e", Valid: true}},
			{"Q/101", sql.NullString{String: "Q_101-6422a8600d6985e2", Valid: true}},
			{nil, sql.NullString{}},
		} {
			var got sql.NullString
			if err := conn.QueryRowContext(ctx, "SELECT safe_name(?::VARCHAR)", tt.id).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("safe_name(%v) = %v, want %v", tt.id, got, tt.want)
			}
		}
	}
}
