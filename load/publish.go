package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
	return &Stage{Dir: dir, Target: target}, nil
}

// Publish moves the staged folder to the target. An existing target is
// exchanged atomically (renameat2 RENAME_EXCHANGE) and then removed; where
// the file system cannot exchange, it is renamed aside first.
func (s *Stage) Publish() error {
	if err := syncDir(s.Dir); err != nil {
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
func (s *Stage) Discard() { os.RemoveAll(s.Dir) }

// syncDir flushes the staged files to disk before they become visible, then
// the folder itself (its entries). Outputs flushed as they were written
// (finishFile) cost nothing here: a clean file's fsync returns at once.
func syncDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
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
	// Skipped lists the inbox entries not read (hidden files, clutter,
	// files outside the folders salesops reads), so none goes unnoticed.
	Skipped []Skipped `json:"skipped,omitempty"`
	Outputs []Output  `json:"outputs"`
	Rejects int64     `json:"rejects"`
	Notes   []string  `json:"notes,omitempty"`
}

// FXRate is the exchange rate a run used for one currency.
type FXRate struct {
	Rate string `json:"rate"`
	Date string `json:"date"`
}

// Skipped is an inbox entry a run did not read, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
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
