package publish

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
		var m Manifest
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			m.Outputs = append(m.Outputs, Output{Path: name})
		}
		if err := WriteManifest(s.Dir, m); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(); err != nil {
			t.Fatal(err)
		}
	}
	publish(map[string]string{"a.csv": "old", "only_old.csv": "x"})
	publish(map[string]string{"a.csv": "new", "b.csv": "new"})

	if got, want := listDir(t, target), []string{"a.csv", "b.csv", "manifest.json"}; !equal(got, want) {
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

// writeTree creates dir with the given files (name → content).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns dir's files (name → content); nil if dir does not exist.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// TestReplaceAside runs the fallback used where folders cannot be exchanged
// (every system but Linux, and Linux file systems without RENAME_EXCHANGE).
func TestReplaceAside(t *testing.T) {
	oldSet := map[string]string{"a.csv": "old", "only_old.csv": "x"}
	newSet := map[string]string{"a.csv": "new", "b.csv": "new"}
	tests := []struct {
		name       string
		stage      map[string]string // nil: no stage folder, so the second rename fails
		wantErr    error             // matched with errors.Is; nil for success
		wantTarget map[string]string
		wantOld    map[string]string // the aside folder returned
		wantFiles  []string          // what the parent folder holds afterwards
	}{{
		name:       "replaces the target",
		stage:      newSet,
		wantTarget: newSet,
		wantOld:    oldSet,
		wantFiles:  []string{".2025-12.tmp-1.old", "2025-12"},
	}, {
		name:       "restores the target when the stage cannot be moved",
		stage:      nil,
		wantErr:    os.ErrNotExist,
		wantTarget: oldSet,
		wantFiles:  []string{"2025-12"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "2025-12")
			stage := filepath.Join(parent, ".2025-12.tmp-1")
			writeTree(t, target, oldSet)
			if tt.stage != nil {
				writeTree(t, stage, tt.stage)
			}
			old, err := replaceAside(stage, target)
			var linkErr *os.LinkError
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("replaceAside: %v", err)
			case tt.wantErr != nil && (!errors.Is(err, tt.wantErr) || !errors.As(err, &linkErr) || linkErr.Old != stage || linkErr.New != target):
				t.Fatalf("replaceAside error %v, want the rename of %s to %s failing with %v", err, stage, target, tt.wantErr)
			}
			if got := readTree(t, target); !maps.Equal(got, tt.wantTarget) {
				t.Errorf("target holds %v, want %v", got, tt.wantTarget)
			}
			if tt.wantOld != nil {
				if want := stage + ".old"; old != want {
					t.Errorf("aside folder %q, want %q", old, want)
				}
				if got := readTree(t, old); !maps.Equal(got, tt.wantOld) {
					t.Errorf("aside folder holds %v, want %v", got, tt.wantOld)
				}
			}
			if got := listDir(t, parent); !equal(got, tt.wantFiles) {
				t.Errorf("parent holds %v, want %v", got, tt.wantFiles)
			}
		})
	}
}

// TestNewStageClearsStale checks that a new stage first removes the stages
// killed runs left beside its target, and nothing else, and puts back a
// previous publication a run killed mid-fallback left aside.
func TestNewStageClearsStale(t *testing.T) {
	published := map[string]string{"a.csv": "published"}
	aside := map[string]string{"a.csv": "left aside"}
	half := map[string]string{"a.csv": "half"}
	// Never removed: another period's stage, a name that only looks like a
	// stage, a hidden folder of someone else's, a file with a stage's name.
	unrelated := map[string]map[string]string{
		".2025-11.tmp-123": half,
		".2025-12.tmp":     half,
		".2025-12.keep":    half,
		"x.2025-12.tmp-5":  half,
	}
	tests := []struct {
		name       string
		target     map[string]string // nil: no target
		stale      map[string]map[string]string
		wantTarget map[string]string
	}{{
		name:   "stale stages removed",
		target: published,
		stale: map[string]map[string]string{
			".2025-12.tmp-4242":     half,
			".2025-12.tmp-17.old":   aside, // the target exists: a leftover of a finished swap
			".2025-12.tmp-99999999": {},
			// Whatever follows the dash.
			".2025-12.tmp-12x":       half,
			".2025-12.tmp-":          half,
			".2025-12.tmp-77.old.ok": half,
		},
		wantTarget: published,
	}, {
		name:   "previous publication put back",
		target: nil,
		stale: map[string]map[string]string{
			".2025-12.tmp-4242":   half,
			".2025-12.tmp-17.old": aside,
		},
		wantTarget: aside,
	}, {
		name:       "first publication",
		target:     nil,
		stale:      map[string]map[string]string{".2025-12.tmp-4242": half},
		wantTarget: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := filepath.Join(t.TempDir(), "pricelist")
			target := filepath.Join(parent, "2025-12")
			if tt.target != nil {
				writeTree(t, target, tt.target)
			}
			for name, files := range tt.stale {
				writeTree(t, filepath.Join(parent, name), files)
			}
			for name, files := range unrelated {
				writeTree(t, filepath.Join(parent, name), files)
			}
			if err := os.WriteFile(filepath.Join(parent, ".2025-12.tmp-8"), []byte("a file"), 0o644); err != nil {
				t.Fatal(err)
			}

			s, err := NewStage(target)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{".2025-12.tmp-8", filepath.Base(s.Dir)}
			for name := range unrelated {
				want = append(want, name)
			}
			if tt.wantTarget != nil {
				want = append(want, "2025-12")
			}
			sort.Strings(want)
			if got := listDir(t, parent); !equal(got, want) {
				t.Errorf("pricelist/ holds %v, want %v", got, want)
			}
			if got := readTree(t, target); !maps.Equal(got, tt.wantTarget) {
				t.Errorf("target holds %v, want %v", got, tt.wantTarget)
			}
			for name, files := range unrelated {
				if got := readTree(t, filepath.Join(parent, name)); !maps.Equal(got, files) {
					t.Errorf("%s holds %v, want %v", name, got, files)
				}
			}
			if got := readTree(t, s.Dir); len(got) != 0 {
				t.Errorf("new stage holds %v, want nothing", got)
			}
		})
	}
}

// ClearStale, which every run calls before its up-to-date check, has
// nothing to do for a target whose pipeline folder does not exist yet.
func TestClearStaleFirstRun(t *testing.T) {
	target := filepath.Join(t.TempDir(), "pricelist", "2025-12")
	if err := ClearStale(target); err != nil {
		t.Fatalf("ClearStale = %v, want nil", err)
	}
	if _, err := os.Stat(filepath.Dir(target)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ClearStale made %s (%v)", filepath.Dir(target), err)
	}
}

// TestPublishRefusesManifest: a staged set whose manifest lists a path
// that is not a plain relative path of one of its files is not published;
// the error names the path, and the previous set stays.
func TestPublishRefusesManifest(t *testing.T) {
	tests := []struct {
		name string
		path string // listed in the manifest besides a.csv
		err  string // after "publish <target>: manifest: "
	}{
		{"parent folder", "proposals/../../../../PWN_Q-r1.pdf", `output path "proposals/../../../../PWN_Q-r1.pdf": a ".." part (outside the set)`},
		{"absolute", "/tmp/PWN_Q-r1.pdf", `output path "/tmp/PWN_Q-r1.pdf": absolute`},
		{"backslash", `proposals\PWN_Q-r1.pdf`, `output path "proposals\\PWN_Q-r1.pdf": a backslash or a colon (not a plain relative path)`},
		{"not in the set", "b.csv", `output path "b.csv": lstat STAGE/b.csv: no such file or directory`},
		{"a folder", "proposals", `output path "proposals": not a regular file`},
		{"twice, but for case", "A.csv", `output path "A.csv": listed twice (as "a.csv")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "quotes", "2025-12")
			writeTree(t, target, map[string]string{"a.csv": "previous"})
			s, err := NewStage(target)
			if err != nil {
				t.Fatal(err)
			}
			writeTree(t, filepath.Join(s.Dir, "proposals"), map[string]string{"Q-101-r1.pdf": "%PDF"})
			writeTree(t, s.Dir, map[string]string{"a.csv": "new", "A.csv": "new"})
			if err := WriteManifest(s.Dir, Manifest{Outputs: []Output{{Path: "a.csv"}, {Path: tt.path}}}); err != nil {
				t.Fatal(err)
			}
			err = s.Publish()
			want := "publish " + target + ": manifest: " + strings.ReplaceAll(tt.err, "STAGE", s.Dir)
			if err == nil || err.Error() != want {
				t.Errorf("Publish = %v\nwant %s", err, want)
			}
			if got := readTree(t, target); !maps.Equal(got, map[string]string{"a.csv": "previous"}) {
				t.Errorf("target holds %v, want the previous set", got)
			}
		})
	}
}
