//go:build linux

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDiskFull: a run on a full disk says that the disk is full and where,
// not the step that met it ("macros.sql: TransactionContext Error: …"),
// and publishes nothing. It needs a filesystem of its own to fill, a
// tmpfs, which only root may mount: elsewhere it is skipped, and
// TestExplain (transform) checks the message from DuckDB's text.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	bin, err := salesopsBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=64m"); err != nil {
		t.Skipf("mount a tmpfs: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	run := func() (int, string) {
		cmd := exec.Command(bin, "run", "pricelist", "--force", "--config", filepath.Join(examples, "salesops.yaml"),
			"--inbox", filepath.Join(examples, "inbox"), "--out", out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stderr.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, stderr.String()
	}
	if code, stderr := run(); code != 0 {
		t.Fatalf("the first run: exit %d\n%s", code, stderr)
	}
	published := readBytes(t, filepath.Join(out, "pricelist", "2025-12", "quote_prices.csv"))
	// Fill the disk: 1 MiB writes, then 4 KiB ones for the last pages.
	f, err := os.Create(filepath.Join(dir, "fill"))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1 << 20, 4 << 10} {
		for err == nil {
			_, err = f.Write(make([]byte, size))
		}
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("fill the tmpfs: %v", err)
		}
		err = nil
	}
	f.Close()

	code, stderr := run()
	want := "salesops: the disk is full: no space left in " + out + " to write warehouse.duckdb.wal: free space on that disk (or set out or warehouse to a larger one), and run again\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1:\n%s", code, stderr, want)
	}
	if got := readBytes(t, filepath.Join(out, "pricelist", "2025-12", "quote_prices.csv")); !bytes.Equal(got, published) {
		t.Error("quote_prices.csv changed although the run failed")
	}
}
