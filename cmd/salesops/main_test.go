package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitStatus builds the command and checks the exit-status contract of
// --help: 0 on success, 1 on a failed run naming the input, 2 on usage.
func TestExitStatus(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "salesops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	inbox := filepath.Join(t.TempDir(), "inbox")
	os.MkdirAll(filepath.Join(inbox, "pricelists", "microsoft"), 0o755)
	os.MkdirAll(filepath.Join(inbox, "rules"), 0o755)
	os.WriteFile(filepath.Join(inbox, "rules", "pricing.csv"), []byte("vendor;segment;product_family;method;pct;min_margin_pct\n*;*;*;markup;10;0\n"), 0o644)
	os.WriteFile(filepath.Join(inbox, "pricelists", "microsoft", "x.csv"), []byte("ProductTitle,ProductId\r\n"), 0o644)
	out := t.TempDir()
	noInboxOut := t.TempDir()

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"--help"}, 0, ""},
		{"run help", []string{"run", "--help"}, 0, ""},
		{"no pipeline", []string{"run"}, 2, "name a pipeline"},
		{"unknown pipeline", []string{"run", "nope"}, 2, `unknown pipeline "nope"`},
		{"unknown flag", []string{"run", "all", "--nope"}, 2, "unknown flag"},
		{"unknown command", []string{"frob"}, 2, `salesops: unknown command "frob" (known: run, customer, schedule, runs, site, gen)` + "\n"},
		{"missing inbox", []string{"run", "all", "--inbox", filepath.Join(noInboxOut, "nope"), "--out", noInboxOut}, 1,
			"salesops: inbox " + filepath.Join(noInboxOut, "nope") + ": no such folder (set --inbox, or inbox: in the config file)\n"},
		{"gen without --out", []string{"gen", "--customers", "5"}, 2, "gen: --out is required"},
		{"gen with no lines", []string{"gen", "--out", out, "--bill-lines", "0"}, 2, "must be positive"},
		{"gen bad end", []string{"gen", "--out", out, "--end", "2025-13"}, 2, `end period "2025-13"`},
		{"gen into a folder with files", []string{"gen", "--out", inbox}, 2, "folder is not empty"},
		{"bad period", []string{"run", "pricelist", "--period", "2025-13", "--inbox", inbox, "--out", out}, 2, `period "2025-13"`},
		{"failed run", []string{"run", "pricelist", "--inbox", inbox, "--out", out, "--period", "2025-12"}, 1,
			"salesops: pricelist: pricelists/microsoft/x.csv: missing column \"SkuId\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			// An empty want means nothing at all on stderr.
			if tt.stderr == "" && stderr.Len() > 0 || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "pricelist", "2025-12")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed run published: %v", err)
	}
	// A missing inbox is found before the warehouse is opened.
	if entries, _ := os.ReadDir(noInboxOut); len(entries) > 0 {
		t.Errorf("a run with no inbox left %s behind", entries[0].Name())
	}
}
