package publish

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Stage is a hidden folder beside the publication target where a run writes
// its outputs; Publish swaps it into place in one step, so readers of the
// target see the previous complete set or the new one, never a mix.
type Stage struct {
	Dir    string
	Target string
}

// NewStage creates the staging folder for target (e.g. out/pricelist/2025-12),
// first clearing what killed runs left beside it (see ClearStale).
func NewStage(target string) (*Stage, error) {
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish %s: %w", target, err)
	}
	if err := ClearStale(target); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, stagePrefix(target))
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", target, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("publish %s: %w", target, err)
	}
	return &Stage{Dir: dir, Target: target}, nil
}

// stagePrefix is the name of target's staging folders up to the random
// digits os.MkdirTemp appends: ".2025-12.tmp-".
func stagePrefix(target string) string { return "." + filepath.Base(target) + ".tmp-" }

// isStageName reports whether name is one of target's staging folders
// (".2025-12.tmp-<digits>" as os.MkdirTemp makes them, or whatever else
// follows the dash) or an aside copy replaceAside made of the old target
// (the same name + ".old"). Nothing else matches: not another target's
// folders, not other hidden files.
func isStageName(name, target string) bool {
	return strings.HasPrefix(name, stagePrefix(target))
}

// ClearStale removes the staging folders killed runs left beside target
// (up to a full set each), which nothing else would remove. Every run calls
// it for each target it touches, up to date or not, before anything else
// there.
//
// No live process owns them, and so the caller must hold the warehouse's
// lock (an OS lock on <warehouse>.lock: transform.Open takes it, and
// transform.Lock for salesops site). A run makes and removes (or
// publishes) its staging folders while it holds that lock, so while the
// caller holds it no other process of the warehouse has one, and every
// staging folder found is a dead run's, older than the caller's run. That
// holds for one warehouse per out folder, as with the default
// <out>/warehouse.duckdb. No age test is needed, nor would one do: a live
// run's stage can be hours old, a dead one's a second.
//
// One leftover is not garbage: a run killed between replaceAside's two
// renames leaves no target and the previous publication in the ".old"
// folder. That folder is renamed back to target, so readers get the last
// complete set again rather than nothing. A target whose folder does not
// exist yet has nothing to clear.
func ClearStale(target string) error {
	if err := clearStale(target); err != nil {
		return fmt.Errorf("publish %s: %w", target, err)
	}
	return nil
}

func clearStale(target string) error {
	parent := filepath.Dir(target)
	entries, err := os.ReadDir(parent)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = os.Lstat(target)
	missing := errors.Is(err, os.ErrNotExist)
	if err != nil && !missing {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || !isStageName(e.Name(), target) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		if missing && strings.HasSuffix(e.Name(), ".old") {
			if err := os.Rename(path, target); err != nil {
				return fmt.Errorf("restore the previous publication: %w", err)
			}
			slog.Warn("publish: restored the previous publication left aside by an interrupted run", "target", target, "from", e.Name())
			missing = false
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return fmt.Errorf("remove a stale stage: %w", err)
		}
	}
	return nil
}

// Publish moves the staged folder to the target. An existing target is
// replaced in one step where the system can exchange two folders
// (replaceDir), else by replaceAside. It first checks the staged
// manifest.json (checkManifest): a set whose manifest names a path outside
// it, or a file it does not hold, is not published.
func (s *Stage) Publish() error {
	if err := checkManifest(s.Dir); err != nil {
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	if err := syncDir(s.Dir); err != nil {
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	if _, err := os.Lstat(s.Target); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(s.Dir, s.Target); err != nil {
			return fmt.Errorf("publish %s: %w", s.Target, err)
		}
		return nil
	}
	old, err := replaceDir(s.Dir, s.Target)
	if err != nil {
		return fmt.Errorf("publish %s: %w", s.Target, err)
	}
	// The new set is in place: a previous set that cannot be removed now does
	// not make the run fail; the next NewStage of this target removes it.
	if err := os.RemoveAll(old); err != nil {
		slog.Warn("publish: previous publication not removed", "target", s.Target, "err", err)
	}
	return nil
}

// replaceAside puts stage in target's place where the system cannot
// exchange two folders in one step: the old target is renamed aside, the
// stage renamed into place, and the old target put back if that fails. It
// returns the aside folder, for the caller to remove. Between the two
// renames a reader finds no target (never a mix of sets); a run killed there
// leaves the old set aside, and the next NewStage puts it back.
func replaceAside(stage, target string) (old string, err error) {
	old = stage + ".old"
	if err := os.Rename(target, old); err != nil {
		return "", err
	}
	if err := os.Rename(stage, target); err != nil {
		if rerr := os.Rename(old, target); rerr != nil {
			return "", fmt.Errorf("%w; the previous publication is left in %s: %w", err, old, rerr)
		}
		return "", err
	}
	return old, nil
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
		if err := syncPath(filepath.Join(dir, e.Name()), e.IsDir()); err != nil {
			return err
		}
	}
	return syncPath(dir, true)
}

// syncPath flushes a file, or a folder's entries, to disk. Files are opened
// for writing because Windows refuses to flush a read-only handle (Unix does
// not mind); folders are skipped there, as Windows cannot flush one at all
// (NTFS journals folder entries itself).
func syncPath(path string, isDir bool) error {
	flag := os.O_RDWR
	if isDir {
		if runtime.GOOS == "windows" {
			return nil
		}
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
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
	// Taxes says, for people, which taxes on revenue the set's prices and
	// margins take (rules/taxes.csv, in force on the period's first day),
	// or "sem impostos" when the inbox has no such file.
	Taxes  string  `json:"taxes,omitempty"`
	Inputs []Input `json:"inputs"`
	// Skipped lists the inbox entries not read (hidden files, clutter,
	// files outside the folders salesops reads), so none goes unnoticed.
	Skipped []Skipped `json:"skipped,omitempty"`
	Outputs []Output  `json:"outputs"`
	Rejects int64     `json:"rejects"`
	Notes   []string  `json:"notes,omitempty"`
	// Composition counts the set's rows by part and key, e.g.
	// {"vendor": {"adobe": 3, "microsoft": 10}}: the next run fails if a
	// key that had rows has none (pipelines.Part).
	Composition map[string]map[string]int64 `json:"composition,omitempty"`
	// Fingerprint hashes what the set was made from (inputs by content,
	// settings, code, period, as-of): a run with the same has nothing to do.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Review is where finance's review of the set's exceptions stands
	// (the reconciliation's): its cover sheet and the site show Text.
	Review *Review `json:"review,omitempty"`
}

// Review is the state of a period's review (docs/review.md).
type Review struct {
	Status string `json:"status"` // ReviewSignedOff or ReviewPending
	// Text says it for people: "Revisado e aprovado por X em dd/mm/aaaa"
	// or "Aguardando revisão: N exceções (R$ …)".
	Text           string `json:"text"`
	SignedBy       string `json:"signed_by,omitempty"`
	SignedOn       string `json:"signed_on,omitempty"` // YYYY-MM-DD
	OpenExceptions int64  `json:"open_exceptions"`
	OpenBRL        string `json:"open_brl"`
	// Refused says why the period's sign-off in reviews/signoff.csv was
	// not accepted (rejects.csv lists it too); "" when none was refused.
	Refused string `json:"refused,omitempty"`
	// RefusedText says it for people (the cover sheet, the site).
	RefusedText string `json:"refused_text,omitempty"`
}

// The statuses of a Review.
const (
	ReviewSignedOff = "signed_off"
	ReviewPending   = "pending"
)

// Output is one file written for a report.
type Output struct {
	Path   string `json:"path"` // relative to the publication folder
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
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

// ReadManifest reads dir's manifest.json. A missing one is an error that
// errors.Is(err, fs.ErrNotExist) tells; one that does not parse names its
// path.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	path := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// checkManifest reads dir's manifest.json and refuses it unless every
// output is a plain relative path (checkOutputPath) of a regular file in
// dir, named once (also ignoring case: one file where the file system
// ignores it). Paths from data are made safe where they are written
// (filename.Safe); this is the second line, where nothing is published yet.
func checkManifest(dir string) error {
	m, err := ReadManifest(dir)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	seen := map[string]string{}
	for _, o := range m.Outputs {
		if err := checkOutputPath(o.Path); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
		fold := strings.ToLower(o.Path)
		if prev, ok := seen[fold]; ok {
			return fmt.Errorf("manifest: output path %q: listed twice (as %q)", o.Path, prev)
		}
		seen[fold] = o.Path
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(o.Path)))
		if err != nil {
			return fmt.Errorf("manifest: output path %q: %w", o.Path, err)
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("manifest: output path %q: not a regular file", o.Path)
		}
	}
	return nil
}

// WriteManifest writes manifest.json into dir.
func WriteManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644)
}
