package transform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrBusy is matched (errors.Is) by the error of an Open that gave up
// waiting for another run to release the warehouse.
var ErrBusy = errors.New("warehouse busy")

// BusyError says which run holds the warehouse and how long Open waited.
type BusyError struct {
	Path   string
	Holder string // what the holder wrote in the lock file, if anything
	Waited time.Duration
}

func (e *BusyError) Error() string {
	holder := "another salesops run"
	if e.Holder != "" {
		holder = e.Holder
	}
	waited := e.Waited.Round(10 * time.Millisecond)
	if waited >= time.Second {
		waited = waited.Round(time.Second)
	}
	return fmt.Sprintf("warehouse %s is in use by %s; gave up after waiting %s (try again when it finishes, or raise lock_wait in the config)",
		e.Path, holder, waited)
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Temporary tells retrying callers (the daemon) that a later attempt may
// succeed.
func (e *BusyError) Temporary() bool { return true }

// lockPoll is how often a waiting Open tries the lock again. OS locks
// could block instead, but not with a deadline and a context.
const lockPoll = 100 * time.Millisecond

// warehouseLock is an exclusive OS lock on <warehouse>.lock (flock on
// unix, LockFileEx on Windows), held while the warehouse is open. DuckDB
// locks its file too, but only fails at once with an error text that
// varies by version and OS; this lock lets a run wait its turn and say
// who holds it. The file is never removed: removing a lock file races
// with the next process opening it.
type warehouseLock struct {
	f *os.File
}

// lockWarehouse takes the lock on the warehouse at path, waiting up to
// wait (0: one try) for another run to release it.
func lockWarehouse(ctx context.Context, path string, wait time.Duration) (*warehouseLock, error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("warehouse lock: %w", err)
	}
	start := time.Now()
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("warehouse lock %s: %w", name, err)
		}
		if ok {
			l := &warehouseLock{f: f}
			l.writeHolder()
			return l, nil
		}
		if time.Since(start) >= wait {
			f.Close()
			holder, _ := os.ReadFile(name)
			return nil, &BusyError{Path: path, Holder: strings.TrimSpace(string(holder)), Waited: time.Since(start)}
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(min(lockPoll, wait-time.Since(start)+time.Millisecond)):
		}
	}
}

// Lock takes the lock of the warehouse at path without opening it,
// waiting up to wait as Open does (a *BusyError when it gives up), for
// work on what the warehouse's runs publish: salesops site rebuilds
// <out>/site/ under it, so a run's clean-up of dead builds' folders never
// meets a live one. unlock releases it.
func Lock(ctx context.Context, path string, wait time.Duration) (unlock func() error, err error) {
	l, err := lockWarehouse(ctx, path, wait)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}

// writeHolder records who holds the lock, for the message of the run that
// waits. Best effort: the lock holds without it.
func (l *warehouseLock) writeHolder() {
	args := append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...)
	s := fmt.Sprintf("pid %d (%s) since %s", os.Getpid(), strings.Join(args, " "), time.Now().Format("2006-01-02 15:04:05 MST"))
	if err := l.f.Truncate(0); err == nil {
		l.f.WriteAt([]byte(s+"\n"), 0)
	}
}

func (l *warehouseLock) release() error {
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}
