package publish

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// LinkOrCopy makes dst the file src, replacing dst in one rename: a hard
// link (published files are never written again, only replaced by new
// ones, so sharing them is safe and costs no space), else a copy.
//
// Temporary files a killed call left beside dst go first, even when dst is
// already src: a run with nothing new still clears them (clearTemps).
func LinkOrCopy(src, dst string) error {
	si, err := os.Stat(src)
	if err != nil {
		return err
	}
	if err := clearTemps(dst); err != nil {
		return err
	}
	if di, err := os.Stat(dst); err == nil && os.SameFile(si, di) {
		return nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	// The temporary name is one clearTemps removes when a killed run left it.
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-link")
	if err := os.Link(src, tmp); err != nil {
		return CopyFile(src, dst)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// CopyFile copies src to dst through a temporary file renamed into place,
// so dst is the old or the new file, never half of one. Temporary files a
// killed run left beside dst go first (clearTemps).
func CopyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := clearTemps(dst); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// clearTemps removes the temporary files (".<name>.tmp-*") that killed
// calls of LinkOrCopy and CopyFile left beside dst. The caller holds the
// warehouse's lock, so none is in use (see ClearStale).
func clearTemps(dst string) error {
	stale, err := filepath.Glob(filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*"))
	if err != nil {
		return err
	}
	for _, f := range stale {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
