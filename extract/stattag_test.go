package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// countingDir is a folder inbox that counts the files it is asked for:
// the ledger fetches (and hashes) a file only when its tag does not say it
// is the one loaded.
type countingDir struct {
	Dir
	fetched []string
}

func (c *countingDir) Fetch(ctx context.Context, f File) (string, error) {
	c.fetched = append(c.fetched, f.Path)
	return c.Dir.Fetch(ctx, f)
}

// TestStatTagSkipsUnchangedFiles: an unchanged local file is not read again
// once its tag is recorded; a rewrite of the same size with its old
// modification time put back (cp -p, touch -r) is read again; a file
// modified less than tagSettle ago gets no tag.
func TestStatTagSkipsUnchangedFiles(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	p := filepath.Join(root, "fx", "ptax.csv")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	// An hour old, so the listing tags it.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	write("01122025;220;A;USD;5,3000;5,3010;1,0000;1,0000\n")
	w := openWarehouse(t)
	in := &countingDir{Dir: Dir(root)}
	k, _ := KindOf("fx/ptax.csv")
	sync := func() (fetched int, rate string) {
		t.Helper()
		l, err := in.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		in.fetched = nil
		if _, err := Sync(ctx, w, in, l.Files, []Kind{k}, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := w.Conn.QueryRowContext(ctx, "SELECT string_agg(sell, ',') FROM raw_ptax").Scan(&rate); err != nil {
			t.Fatal(err)
		}
		return len(in.fetched), rate
	}
	for i, want := range []struct {
		fetched int
		rate    string
	}{
		{1, "5,3010"}, // loaded
		{0, "5,3010"}, // unchanged: its tag is the ledger's
	} {
		if n, rate := sync(); n != want.fetched || rate != want.rate {
			t.Errorf("sync %d: %d files fetched, sell rate %s; want %d, %s", i+1, n, rate, want.fetched, want.rate)
		}
	}
	// The same size and modification time, other bytes: on Linux the
	// change time and inode tell; elsewhere only size and time do, and a
	// rewrite that puts the time back is not seen (as rclone and restic).
	write("01122025;220;A;USD;5,3000;5,4020;1,0000;1,0000\n")
	if n, rate := sync(); sysStat(mustStat(t, p)) != "" && (n != 1 || rate != "5,4020") {
		t.Errorf("after a same-size rewrite with its old time: %d files fetched, sell rate %s; want 1, 5,4020", n, rate)
	}

	// Just written: no tag yet.
	info := mustStat(t, p)
	if tag := statTag(info, info.ModTime().Add(time.Second)); tag != "" {
		t.Errorf("a file modified 1 s ago has tag %q, want none", tag)
	}
	if tag := statTag(info, info.ModTime().Add(tagSettle)); tag == "" {
		t.Errorf("a file modified %s ago has no tag", tagSettle)
	}
}

func mustStat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info
}
