package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/salesops/salesops/synth"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden/*.txt with this build's outputs")

// TestGoldenOutputs runs every pipeline on the example inbox and on a
// generated one and compares a digest of every published file with
// testdata/golden/: a change that is meant to leave the outputs as they are
// (a refactoring) must leave every byte. A deliberate change of the outputs
// rewrites the digests with
//
//	go test ./cmd/salesops -run TestGoldenOutputs -update-golden
//
// and the diff of testdata/golden/ shows which files changed. What differs
// from run to run by design is taken out first: the manifests' run id, clock
// times and fingerprint (which hashes the executable), and the run ids and
// times the site's pages print.
func TestGoldenOutputs(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		opts func(t *testing.T) (GlobalOptions, RunOptions)
	}{
		{"examples", func(t *testing.T) (GlobalOptions, RunOptions) {
			return GlobalOptions{Config: filepath.Join("..", "..", "examples", "salesops.yaml")}, RunOptions{}
		}},
		{"generated", func(t *testing.T) (GlobalOptions, RunOptions) {
			inbox := filepath.Join(t.TempDir(), "inbox")
			sum, err := synth.Generate(ctx, inbox, synth.Options{Customers: 30, Months: 2, BillLines: 3000, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			return GlobalOptions{}, RunOptions{Inbox: inbox, Period: sum.Periods[len(sum.Periods)-1], AsOf: sum.AsOf}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gopts, opts := c.opts(t)
			gopts.Out = filepath.Join(t.TempDir(), "out")
			var stdout bytes.Buffer
			if err := runRun(ctx, &stdout, gopts, opts, []string{"all"}); err != nil {
				t.Fatalf("run all: %v\n%s", err, stdout.String())
			}
			got := outputDigests(t, gopts.Out)
			golden := filepath.Join("testdata", "golden", c.name+".txt")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (make it with -update-golden)", err)
			}
			if got != string(want) {
				t.Errorf("published files differ from %s (-want +got):\n%s", golden, lineDiff(string(want), got))
			}
		})
	}
}

var (
	runIDPattern = regexp.MustCompile(`\d{8}T\d{6}Z-[a-z_]+-\d{4}-\d{2}-[0-9a-f]{6}`)
	isoTime      = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z`)
	brTime       = regexp.MustCompile(`\d{2}/\d{2}/\d{4} \d{2}:\d{2} \(Brasília\)`)
)

// outputDigests lists "path sha256" for every published file, sorted, the
// run-dependent parts taken out (see TestGoldenOutputs).
func outputDigests(t *testing.T, out string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		base := filepath.Base(rel)
		if strings.HasPrefix(rel, "warehouse.duckdb") || base == ".pages.json" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case base == "manifest.json":
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			for _, k := range []string{"run_id", "started_at", "finished_at", "fingerprint"} {
				delete(m, k)
			}
			if b, err = json.MarshalIndent(m, "", " "); err != nil {
				return err
			}
		case strings.HasPrefix(rel, "site/"):
			b = runIDPattern.ReplaceAll(b, []byte("RUN"))
			b = isoTime.ReplaceAll(b, []byte("TIME"))
			b = brTime.ReplaceAll(b, []byte("TIME"))
		}
		sum := sha256.Sum256(b)
		lines = append(lines, rel+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("-" + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+" + l + "\n")
		}
	}
	return b.String()
}
