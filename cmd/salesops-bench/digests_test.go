package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeManifest(t *testing.T, out, dir, body string) {
	t.Helper()
	d := filepath.Join(out, dir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "manifest.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSameBytes(t *testing.T) {
	const a, b = `{"outputs": [{"path": "r.csv", "sha256": "aa"}, {"path": "r.parquet", "sha256": "bb"}]}`, `{"outputs": [{"path": "t.ics", "sha256": "cc"}]}`
	first, again, shuffled := t.TempDir(), t.TempDir(), t.TempDir()
	for _, out := range []string{first, again, shuffled} {
		writeManifest(t, out, "lifecycle/2025-11", b)
	}
	writeManifest(t, first, "reconciliation/2025-11", a)
	writeManifest(t, again, "reconciliation/2025-11", a)
	writeManifest(t, shuffled, "reconciliation/2025-11", `{"outputs": [{"path": "r.csv", "sha256": "a0"}, {"path": "r.parquet", "sha256": "bb"}]}`)

	d1, err := outputDigests(first)
	if err != nil {
		t.Fatal(err)
	}
	if len(d1) != 3 || d1["reconciliation/2025-11/r.csv"] != "aa" || d1["lifecycle/2025-11/t.ics"] != "cc" {
		t.Fatalf("digests %v", d1)
	}
	d2, err := outputDigests(again)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameBytes(d1, d2); err != nil {
		t.Errorf("same files: %v", err)
	}
	d3, err := outputDigests(shuffled)
	if err != nil {
		t.Fatal(err)
	}
	want := "same inputs, different outputs from the first run: reconciliation/2025-11/r.csv"
	if err := sameBytes(d1, d3); err == nil || err.Error() != want {
		t.Errorf("a changed CSV: %v, want %q", err, want)
	}
	delete(d2, "lifecycle/2025-11/t.ics")
	if err := sameBytes(d1, d2); err == nil {
		t.Error("a missing file passed")
	}
	// A run that published nothing cannot pass for one that published the
	// same nothing.
	if d, err := outputDigests(t.TempDir()); err == nil {
		t.Errorf("an empty out folder: digests %v, want an error", d)
	}
	writeManifest(t, again, "quotes/2025-11", "{")
	if _, err := outputDigests(again); err == nil || !strings.Contains(err.Error(), filepath.Join("quotes", "2025-11", "manifest.json")) {
		t.Errorf("a manifest that does not parse: %v, want an error naming it", err)
	}
}
