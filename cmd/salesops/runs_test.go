package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/salesops/salesops/transform"
)

// TestMain lets a test start this package's main in a second process
// (SALESOPS_TEST_MAIN=1), for the warehouse lock between two processes.
func TestMain(m *testing.M) {
	if os.Getenv("SALESOPS_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// exampleConfig is the bundled example config with out (and so the
// warehouse) in a temp folder and lock_wait set.
func exampleConfig(t *testing.T, lockWait string) (path, out string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	inbox, _ := filepath.Abs(filepath.Join("..", "..", "examples", "inbox"))
	out = t.TempDir()
	s := strings.Replace(string(b), "inbox: inbox", "inbox: "+inbox, 1)
	s = strings.Replace(s, "out: ../out", "out: "+out+"\nlock_wait: "+lockWait, 1)
	return writeConfig(t, s), out
}

// A second salesops process waits lock_wait for the warehouse this one
// holds, then fails naming the holder; once released, it runs.
func TestLockTwoProcesses(t *testing.T) {
	cfg, out := exampleConfig(t, "1s")
	// Hold the warehouse as a running pipeline would.
	if err := runRuns(context.Background(), os.Stdout, GlobalOptions{Config: cfg}, RunsOptions{Last: 1}); err == nil || !strings.Contains(err.Error(), "no run recorded yet") {
		t.Fatalf("runs before any run: %v", err)
	}
	w := holdWarehouse(t, filepath.Join(out, "warehouse.duckdb"))

	child := func() (int, string, time.Duration) {
		code, _, stderr, took := runMain(t, "run", "pricelist", "--config", cfg)
		return code, stderr, took
	}
	code, stderr, took := child()
	want := busyLine(filepath.Join(out, "warehouse.duckdb"), "1s")
	if code != 1 || !want.MatchString(stderr) || took < time.Second {
		t.Errorf("second process: exit %d after %s, stderr %q; want exit 1 after 1s, stderr matching %s", code, took, stderr, want)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if code, stderr, _ := child(); code != 0 {
		t.Errorf("after release: exit %d, stderr %q", code, stderr)
	}

	// The ledger now has that run, from the CLI.
	var buf strings.Builder
	if err := runRuns(context.Background(), &buf, GlobalOptions{Config: cfg}, RunsOptions{Pipeline: "pricelist", Last: 5}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	header := regexp.MustCompile(`^RUN ID +PIPELINE +PERIOD +AS-OF +TRIGGER +START +END +STATUS +ROWS IN +ROWS OUT +REJECTS +ERROR$`)
	row := regexp.MustCompile(`^\d{8}T\d{6}Z-pricelist-2025-12-[0-9a-f]{6} +pricelist +2025-12 +2026-01-10 +cli +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +succeeded +[1-9]\d* +[1-9]\d* +\d+ *$`)
	if len(lines) != 2 || !header.MatchString(strings.TrimRight(lines[0], " ")) || !row.MatchString(lines[1]) {
		t.Errorf("runs:\n%s\nwant a header and one succeeded cli run", buf.String())
	}
}

// runMain runs salesops (this test binary's main, see TestMain) with
// args in a second process: its exit status, stdout, stderr and how long
// it took.
func runMain(t *testing.T, args ...string) (code int, stdout, stderr string, took time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SALESOPS_TEST_MAIN=1")
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	start := time.Now()
	err := cmd.Run()
	took = time.Since(start)
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, o.String(), e.String(), took
}

// busyLine matches the whole stderr of a salesops that gave up after
// waiting wait for the warehouse at path, held by this test process.
func busyLine(path, wait string) *regexp.Regexp {
	return regexp.MustCompile(`^salesops: warehouse ` + regexp.QuoteMeta(path) +
		` is in use by pid ` + strconv.Itoa(os.Getpid()) + ` \(salesops\.test[^)]*\) since [0-9-]+ [0-9:]+ \S+; gave up after waiting ` +
		regexp.QuoteMeta(wait) + ` \(try again when it finishes, or raise lock_wait in the config\)\n$`)
}

func holdWarehouse(t *testing.T, path string) *transform.Warehouse {
	t.Helper()
	w, err := transform.Open(context.Background(), path, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return w
}
