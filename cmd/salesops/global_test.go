package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/salesops/salesops/pipelines"
)

// Every verb that reads the config resolves the same flags and file to the
// same Config: the one run gets, with the values worked out by hand below
// (paths in the file are taken from its folder; --out moves the warehouse
// only when the file does not name one). Each verb runs through the real
// command tree and stops where its config is resolved.
func TestVerbsResolveConfigAlike(t *testing.T) {
	dir := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	const body = `inbox: in
out: o
period: "2025-12"
as_of: "2026-01-10"
lock_wait: 7s
log:
  format: json
schedule:
  jobs:
    - {name: precos, pipelines: [pricelist], cron: "0 7 * * *"}
`
	file := filepath.Join(dir, "salesops.yaml")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// The same config with a warehouse, read by a relative path: its
	// paths stay relative (customer's --out once dropped that warehouse).
	relDir := filepath.Join(dir, "rel")
	if err := os.Mkdir(relDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(relDir, "salesops.yaml"), []byte(body+"warehouse: wh/w.duckdb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, relDir)
	if err != nil {
		t.Fatal(err)
	}
	relFile := filepath.Join(rel, "salesops.yaml")
	x := filepath.Join(dir, "x")

	type want struct{ inbox, out, warehouse, period, asOf string }
	tests := []struct {
		name string
		// before go ahead of the verb, after behind it.
		before, after []string
		// verbs, when set: only these take the flags.
		verbs []string
		want  want
	}{
		{"config", nil, []string{"--config", file}, nil,
			want{filepath.Join(dir, "in"), filepath.Join(dir, "o"), filepath.Join(dir, "o", "warehouse.duckdb"), "2025-12", "2026-01-10"}},
		{"config and out", nil, []string{"--config", file, "--out", x}, nil,
			want{filepath.Join(dir, "in"), x, filepath.Join(x, "warehouse.duckdb"), "2025-12", "2026-01-10"}},
		{"global flags before the verb", []string{"--out", x, "--config", file}, nil, nil,
			want{filepath.Join(dir, "in"), x, filepath.Join(x, "warehouse.duckdb"), "2025-12", "2026-01-10"}},
		{"relative config naming a warehouse, and out", nil, []string{"--config", relFile, "--out", x}, nil,
			want{filepath.Join(rel, "in"), x, filepath.Join(rel, "wh", "w.duckdb"), "2025-12", "2026-01-10"}},
		// --as-of moves as-of only: the file's period stays.
		{"as-of", nil, []string{"--config", file, "--as-of", "2026-02-03"}, []string{"run", "customer"},
			want{filepath.Join(dir, "in"), filepath.Join(dir, "o"), filepath.Join(dir, "o", "warehouse.duckdb"), "2025-12", "2026-02-03"}},
	}
	verbs := []struct {
		name string
		args []string
	}{
		{"run", []string{"run", "all"}},
		{"customer", []string{"customer", "C001"}},
		{"schedule", []string{"schedule"}},
		{"runs", []string{"runs"}},
		{"site", []string{"site"}},
	}
	errStop := errors.New("stop: config resolved")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first pipelines.Config
			for i, v := range verbs {
				if tt.verbs != nil && !slices.Contains(tt.verbs, v.name) {
					continue
				}
				var got *pipelines.Config
				gopts := &GlobalOptions{configTestHook: func(c pipelines.Config) error {
					got = &c
					return errStop
				}}
				root := newRoot(gopts)
				root.SetArgs(append(append(append([]string{}, tt.before...), v.args...), tt.after...))
				root.SetOut(io.Discard)
				if err := root.ExecuteContext(context.Background()); !errors.Is(err, errStop) || got == nil {
					t.Fatalf("%s: %v, want the config resolved", v.name, err)
				}
				c := *got
				w := tt.want
				if c.Inbox != w.inbox || c.Out != w.out || c.Warehouse != w.warehouse || c.Period != w.period || c.AsOf != w.asOf ||
					c.LockWait != 7*time.Second || c.Log.Format != "json" || len(c.Schedule.Jobs) != 1 || c.Schedule.Jobs[0].Name != "precos" {
					t.Errorf("%s: inbox %s, out %s, warehouse %s, period %s, as-of %s, lock_wait %s, log %s, jobs %v; want %+v, lock_wait 7s, log json, job precos",
						v.name, c.Inbox, c.Out, c.Warehouse, c.Period, c.AsOf, c.LockWait, c.Log.Format, c.Schedule.Jobs, w)
				}
				if i == 0 {
					first = c
				} else if !reflect.DeepEqual(c, first) {
					t.Errorf("%s resolves a config other than run's:\n%+v\nrun:\n%+v", v.name, c, first)
				}
			}
		})
	}
}
