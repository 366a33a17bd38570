package transform

import (
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestStreamText(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cases := []struct {
		name  string
		query string
		want  [][]string
	}{
		{"plain", `SELECT * FROM (VALUES ('a', 'b'), ('c', 'd')) t(x, y)`, [][]string{{"a", "b"}, {"c", "d"}}},
		{"null and empty", `SELECT NULL::VARCHAR, '', 'x', NULL::VARCHAR`, [][]string{{"", "", "x", ""}}},
		{"quotes and commas", `SELECT 'say "oi", ok', '"', '""'`, [][]string{{`say "oi", ok`, `"`, `""`}}},
		{"quotes at either end", `SELECT 'a"', '"b', '', 'c'`, [][]string{{`a"`, `"b`, "", "c"}}},
		{"line breaks kept as they are", `SELECT 'a' || chr(13) || chr(10) || 'b', 'c' || chr(10), chr(13)`,
			[][]string{{"a\r\nb", "c\n", "\r"}}},
		{"accents", `SELECT 'Licença Açaí – 1º'`, [][]string{{"Licença Açaí – 1º"}}},
		{"no rows", `SELECT 'a' WHERE false`, nil},
		{"order kept", `SELECT i::VARCHAR FROM range(3) r(i) ORDER BY i DESC`, [][]string{{"2"}, {"1"}, {"0"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got [][]string
			err := w.StreamText(ctx, c.query, func(f []string) error {
				got = append(got, append([]string(nil), f...))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// A value longer than the reader's buffer, and many rows, come back whole.
func TestStreamTextLong(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int
	err = w.StreamText(ctx, `SELECT v, i::VARCHAR FROM (SELECT repeat('x"', 700000) AS v, 0 AS i
		UNION ALL SELECT 'y', i FROM range(1, 70000) r(i)) ORDER BY i`, func(f []string) error {
		if n == 0 && f[0] != strings.Repeat(`x"`, 700000) {
			t.Errorf("row 1: %d characters, want 1400000", len(f[0]))
		}
		if n > 0 && (f[0] != "y" || f[1] != strconv.Itoa(n)) {
			t.Fatalf("row %d: %q", n+1, f)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 70000 {
		t.Errorf("%d rows, want 70000", n)
	}
}
