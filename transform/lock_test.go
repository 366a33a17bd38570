package transform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// Two opens of one warehouse in one process (two goroutines, as the daemon
// and a test would): the second waits, then fails saying who holds it; once
// the first closes, the second gets in.
func TestLockWaitsThenFails(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	first, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	_, err = Open(ctx, path, Options{LockWait: 400 * time.Millisecond})
	waited := time.Since(start)
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("second open: %v, want a *BusyError", err)
	}
	if waited < 400*time.Millisecond || waited > 3*time.Second {
		t.Errorf("second open gave up after %s, want about 400ms", waited)
	}
	want := regexp.MustCompile(`^warehouse ` + regexp.QuoteMeta(path) + ` is in use by pid ` + fmt.Sprint(os.Getpid()) +
		` \(transform\.test .*\) since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+; gave up after waiting 4\d0ms \(try again when it finishes, or raise lock_wait in the config\)$`)
	if !want.MatchString(err.Error()) {
		t.Errorf("error %q\nwant it to match %s", err, want)
	}

	// Released within the wait: the second open gets it.
	done := make(chan error, 1)
	go func() {
		w, err := Open(ctx, path, Options{LockWait: 10 * time.Second})
		if err == nil {
			err = w.Close()
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("open returned while the warehouse was held: %v", err)
	default:
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("open after release: %v", err)
	}

	// A cancelled wait returns the context's error, not busy.
	held, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := Open(cctx, path, Options{LockWait: time.Minute}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v, want context.DeadlineExceeded", err)
	}
}
