package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// Stage is a hidden folder beside the publication target where a run writes
// its outputs; Publish swaps it into place in one step, so readers of the
// target see the previous complete set or the new one, never a mix.
type Stage struct {
	Dir    string
	Target string
}

// NewStage creates the staging folder for target (e.g. out/pricelist/2025-12).
func NewStage(target string) (*Stage, error) {
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish %s: %w", target, err)
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", target, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("publish %s: %w", target, err)
	}
	trackStage(dir)
	return &Stage{Dir: dir, Target: target}, nil
}

// Publish moves the staged folder to the target. An existing target is
// exchanged atomically (renameat2 RENAME_EXCHANGE) and then removed; where
// the file system cannot exchange, it is renamed aside first.
func (s *Stage) Publish() error {
	if err := syncDir(s.Dir, takeSynced(s.Dir)); err != nil {
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	if _, err := os.Lstat(s.Target); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(s.Dir, s.Target); err != nil {
			return fmt.Errorf("publish %s: %w", s.Target, err)
		}
		return nil
	}
	err := unix.Renameat2(unix.AT_FDCWD, s.Dir, unix.AT_FDCWD, s.Target, unix.RENAME_EXCHANGE)
	if err == nil {
		// s.Dir now holds the previous publication.
		return os.RemoveAll(s.Dir)
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP) {
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	old := s.Dir + ".old"
	if err := os.Rename(s.Target, old); err != nil {
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	if err := os.Rename(s.Dir, s.Target); err != nil {
		os.Rename(old, s.Target)
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	return os.RemoveAll(old)
}

// Discard removes the staged folder (a failed run publishes nothing).
func (s *Stage) Discard() {
	takeSynced(s.Dir)
	os.RemoveAll(s.Dir)
}

// syncDir flushes the staged files to disk before they become visible, then
// the folder itself (its entries). Files in done, already flushed as they
// were written, are skipped unless they changed since.
func syncDir(dir string, done map[string]os.FileInfo) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if prev, ok := done[e.Name()]; ok {
			if cur, err := e.Info(); err == nil && unchanged(prev, cur) {
				continue
			}
		}
		if err := syncPath(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return syncPath(dir)
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	return err
}

// unchanged tells whether cur is the file prev described, as it was then.
func unchanged(prev, cur os.FileInfo) bool {
	return os.SameFile(prev, cur) && prev.Size() == cur.Size() && prev.ModTime().Equal(cur.ModTime())
}

// synced records, for each live stage (by absolute path, from NewStage to
// Publish or Discard), the files already flushed to disk and their state
// then: WriteReport flushes each output as soon as it is written, and
// Publish flushes only the rest.
var synced = struct {
	sync.Mutex
	stages map[string]map[string]os.FileInfo
}{stages: map[string]map[string]os.FileInfo{}}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

func trackStage(dir string) {
	synced.Lock()
	defer synced.Unlock()
	synced.stages[absPath(dir)] = map[string]os.FileInfo{}
}

// markSynced notes that the file at path was flushed, in the state info
// describes. Files outside a live stage are not recorded.
func markSynced(path string, info os.FileInfo) {
	path = absPath(path)
	synced.Lock()
	defer synced.Unlock()
	if files, ok := synced.stages[filepath.Dir(path)]; ok {
		files[filepath.Base(path)] = info
	}
}

// takeSynced returns the files noted for the stage at dir and forgets it.
func takeSynced(dir string) map[string]os.FileInfo {
	dir = absPath(dir)
	synced.Lock()
	defer synced.Unlock()
	files := synced.stages[dir]
	delete(synced.stages, dir)
	return files
}

// Manifest describes one publication: what went in and what came out.
type Manifest struct {
	RunID      string            `json:"run_id"`
	Pipeline   string            `json:"pipeline"`
	Period     string            `json:"period"`
	AsOf       string            `json:"as_of"`
	StartedAt  string            `json:"started_at"`
	FinishedAt string            `json:"finished_at"`
	FX         map[string]FXRate `json:"fx,omitempty"`
	Inputs     []Input           `json:"inputs"`
	Outputs    []Output          `json:"outputs"`
	Rejects    int64             `json:"rejects"`
	Notes      []string          `json:"notes,omitempty"`
}

// FXRate is the exchange rate a run used for one currency.
type FXRate struct {
	Rate string `json:"rate"`
	Date string `json:"date"`
}

// Input is one inbox file a run read.
type Input struct {
	Path        string `json:"path"`
	Kind        string `json:"kind"`
	SHA256      string `json:"sha256"`
	Rows        int64  `json:"rows"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// WriteManifest writes manifest.json into dir.
func WriteManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644)
}
