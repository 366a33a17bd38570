package load

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// TestStagePublish checks that a publication replaces the previous one as a
// whole and leaves no staging folder behind.
func TestStagePublish(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "pricelist", "2025-12")
	publish := func(files map[string]string) {
		t.Helper()
		s, err := NewStage(target)
		if err != nil {
			t.Fatal(err)
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Publish(); err != nil {
			t.Fatal(err)
		}
	}
	publish(map[string]string{"a.csv": "old", "only_old.csv": "x"})
	publish(map[string]string{"a.csv": "new", "b.csv": "new"})

	if got, want := listDir(t, target), []string{"a.csv", "b.csv"}; !equal(got, want) {
		t.Errorf("published files %v, want %v (nothing of the old set)", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(target, "a.csv")); string(b) != "new" {
		t.Errorf("a.csv = %q, want new", b)
	}
	if got := listDir(t, filepath.Dir(target)); !equal(got, []string{"2025-12"}) {
		t.Errorf("pricelist/ holds %v, want only 2025-12", got)
	}
	info, err := os.Stat(target)
	if err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("published folder mode %v, %v; want 0755", info.Mode().Perm(), err)
	}

	// A discarded stage leaves the publication alone.
	s, err := NewStage(target)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(s.Dir, "a.csv"), []byte("half"), 0o644)
	s.Discard()
	if b, _ := os.ReadFile(filepath.Join(target, "a.csv")); string(b) != "new" {
		t.Errorf("after a discarded run a.csv = %q, want new", b)
	}
	if got := listDir(t, filepath.Dir(target)); !equal(got, []string{"2025-12"}) {
		t.Errorf("pricelist/ holds %v after a discard, want only 2025-12", got)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
