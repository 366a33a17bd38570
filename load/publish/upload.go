package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
)

// Remote is where a publication is copied after the local one (an S3
// prefix). Keys are '/'-separated and relative to the remote's root.
type Remote interface {
	// PutFile stores the file at local under key. It reads from the file,
	// not a stream, so a retried request can read the bytes again.
	PutFile(ctx context.Context, key, local string, meta ObjectMeta) error
	// Keys lists the keys under prefix (which ends in '/').
	Keys(ctx context.Context, prefix string) ([]string, error)
	// Delete removes keys.
	Delete(ctx context.Context, keys []string) error
	// URL names key for messages (s3://bucket/prefix/key).
	URL(key string) string
}

// ObjectMeta is what an uploaded object carries besides its bytes.
type ObjectMeta struct {
	ContentType string
	SHA256      string // hex, as in the manifest: a reader can check one object alone
}

// Upload copies the published set in dir (its manifest's outputs, then
// manifest.json) under the remote folder rdir ("pricelist/2025-12"), then
// removes the objects there the new set no longer has. contentType gives
// each output's media type from its path (write.ContentType: the writers
// know their formats); the manifest goes as application/json.
//
// The manifest goes last: until every output is up, the remote keeps the
// previous manifest, so an interrupted upload leaves the previous manifest
// in place and a reader who checks the objects against the manifest it
// read (sha256, bytes; each object also carries its sha256 as metadata)
// never takes a mixed set for a whole one. S3 has no rename, so the
// outputs themselves are replaced one by one during the upload.
func Upload(ctx context.Context, r Remote, dir, rdir string, m Manifest, contentType func(path string) string) error {
	keep := map[string]bool{}
	for _, o := range m.Outputs {
		local := filepath.Join(dir, filepath.FromSlash(o.Path))
		// The files were just written and published; a mismatch means
		// something rewrote them, and the manifest would then lie.
		info, err := os.Stat(local)
		if err != nil {
			return fmt.Errorf("upload %s: %w", o.Path, err)
		}
		if info.Size() != o.Bytes {
			return fmt.Errorf("upload %s: %d bytes on disk, the manifest says %d: not uploaded", o.Path, info.Size(), o.Bytes)
		}
		key := path.Join(rdir, o.Path)
		if err := r.PutFile(ctx, key, local, ObjectMeta{ContentType: contentType(o.Path), SHA256: o.SHA256}); err != nil {
			return err
		}
		keep[key] = true
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("upload %s: %w: the previous manifest stays", r.URL(rdir), err)
	}
	manifest := filepath.Join(dir, "manifest.json")
	sum, err := SHA256File(manifest)
	if err != nil {
		return fmt.Errorf("upload manifest.json: %w", err)
	}
	key := path.Join(rdir, "manifest.json")
	if err := r.PutFile(ctx, key, manifest, ObjectMeta{ContentType: "application/json", SHA256: sum}); err != nil {
		return err
	}
	keep[key] = true
	keys, err := r.Keys(ctx, rdir+"/")
	if err != nil {
		return err
	}
	var stale []string
	for _, k := range keys {
		if !keep[k] {
			stale = append(stale, k)
		}
	}
	slices.Sort(stale)
	if len(stale) > 0 {
		return r.Delete(ctx, stale)
	}
	return nil
}

// CodeVersion is the SHA-256 of the running executable, computed once per
// process: a rebuilt binary may compute other bytes, and its build
// metadata (a VCS revision) does not see uncommitted changes or a
// different DuckDB. Hashing ~100 MB costs well under the second a no-op
// may take.
var CodeVersion = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return SHA256File(exe)
})

// SHA256File is the hex SHA-256 of the file at path.
func SHA256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
