package s3store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/salesops/salesops/extract"
)

// Inbox is an extract.Inbox under s3://bucket/prefix, laid out as the local
// inbox. Objects are downloaded once into a local cache, keyed by key and
// ETag, where DuckDB and the readers take them.
type Inbox struct {
	c     *Client
	u     URL
	cache string // <cache root>/<bucket>
}

// Inbox returns the inbox at u, caching downloads under cacheDir.
func (c *Client) Inbox(u URL, cacheDir string) *Inbox {
	return &Inbox{c: c, u: u, cache: filepath.Join(cacheDir, u.Bucket)}
}

func (in *Inbox) String() string { return in.u.String() }

// List lists every object under the prefix, page by page, and classifies
// the names as a local folder's entries are (extract.ListFlat).
func (in *Inbox) List(ctx context.Context) (extract.Listing, error) {
	prefix := ""
	if in.u.Prefix != "" {
		prefix = in.u.Prefix + "/"
	}
	var entries []extract.File
	pages := s3.NewListObjectsV2Paginator(in.c.s3, &s3.ListObjectsV2Input{Bucket: aws.String(in.u.Bucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return extract.Listing{}, in.c.explain("list", in.u.Bucket, prefix, err)
		}
		for _, o := range page.Contents {
			rel := strings.TrimPrefix(aws.ToString(o.Key), prefix)
			if rel == "" {
				continue // the prefix's own folder marker
			}
			entries = append(entries, extract.File{
				Path:    rel,
				Size:    aws.ToInt64(o.Size),
				ModTime: aws.ToTime(o.LastModified),
				Tag:     strings.Trim(aws.ToString(o.ETag), `"`),
			})
		}
	}
	return extract.ListFlat(entries), nil
}

// Fetch returns the cached copy of f, downloading it when the cache holds
// no copy of this key with this ETag. The download asks for that ETag
// (If-Match): an object replaced since the listing fails the run rather
// than be cached under the old tag. Older copies of the key are removed.
func (in *Inbox) Fetch(ctx context.Context, f extract.File) (string, error) {
	key := in.u.Key(f.Path)
	local, err := in.cachePath(f)
	if err != nil {
		return "", fmt.Errorf("s3://%s/%s: %w", in.u.Bucket, key, err)
	}
	if info, err := os.Stat(local); err == nil && info.Mode().IsRegular() && info.Size() == f.Size {
		return local, nil
	}
	dir := filepath.Dir(local)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("s3://%s/%s: cache: %w", in.u.Bucket, key, err)
	}
	t := time.Now()
	if err := in.download(ctx, key, f, local); err != nil {
		return "", err
	}
	slog.Debug("s3 download", "key", key, "bytes", f.Size, "took", time.Since(t))
	in.prune(local)
	return local, nil
}

// cachePath is where f's copy lives: <cache>/<prefix>/<dir>/<name>@<etag>/<name>.
// The file keeps its own name (readers and DuckDB may go by the
// extension); the folder carries the ETag.
func (in *Inbox) cachePath(f extract.File) (string, error) {
	rel := path.Join(in.u.Prefix, f.Path)
	// ListFlat refused such names already; this is the last line before
	// a path is joined under the cache folder.
	if rel != path.Clean(rel) || !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, `\`) {
		return "", errors.New("the key would leave the cache folder (an empty, \".\" or \"..\" segment, or an absolute name): refused")
	}
	tag := safeTag(f.Tag)
	if tag == "" {
		return "", errors.New("the server gave no ETag: the object cannot be cached")
	}
	base := path.Base(rel)
	return filepath.Join(in.cache, filepath.FromSlash(path.Dir(rel)), base+"@"+tag, base), nil
}

// safeTag keeps an ETag's letters, digits and '-' (a multipart ETag is
// "<md5>-<parts>"), so it is one plain folder-name segment.
func safeTag(tag string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, tag)
}

// download writes the object's bytes into a temporary file beside local
// and renames it into place once whole. The SDK retries the request; a
// body cut mid-way (a reset connection) is not the SDK's to retry, so the
// whole GET is tried again here, with the same bound and backoff.
func (in *Inbox) download(ctx context.Context, key string, f extract.File, local string) error {
	var last error
	for attempt := 1; attempt <= in.c.attempts; attempt++ {
		if attempt > 1 {
			wait := min(in.c.backoff, time.Duration(1<<(attempt-2))*200*time.Millisecond)
			slog.Debug("s3 download retry", "key", key, "attempt", attempt, "err", last)
			select {
			case <-ctx.Done():
				return fmt.Errorf("s3://%s/%s: %w", in.u.Bucket, key, ctx.Err())
			case <-time.After(wait):
			}
		}
		out, err := in.c.s3.GetObject(ctx, &s3.GetObjectInput{
			Bucket:  aws.String(in.u.Bucket),
			Key:     aws.String(key),
			IfMatch: aws.String(`"` + f.Tag + `"`),
		})
		if err != nil {
			return in.c.explain("get", in.u.Bucket, key, err)
		}
		retry, err := in.save(out, key, f, local)
		if err == nil {
			return nil
		}
		if !retry || ctx.Err() != nil {
			return err
		}
		last = err
	}
	return fmt.Errorf("%w (gave up after %d attempts)", last, in.c.attempts)
}

// save copies one response body to local; retry tells whether another
// GET may succeed (the body broke off, not the disk).
func (in *Inbox) save(out *s3.GetObjectOutput, key string, f extract.File, local string) (retry bool, err error) {
	defer out.Body.Close()
	where := fmt.Sprintf("s3://%s/%s", in.u.Bucket, key)
	if got := strings.Trim(aws.ToString(out.ETag), `"`); got != "" && got != f.Tag {
		return false, fmt.Errorf("%s: the object changed while the run read it (ETag %s, listed %s): run again", where, got, f.Tag)
	}
	tmp, err := os.CreateTemp(filepath.Dir(local), ".download-*")
	if err != nil {
		return false, fmt.Errorf("%s: cache: %w", where, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing to remove
	n, cerr := io.Copy(tmp, out.Body)
	if err := tmp.Close(); err != nil && cerr == nil {
		return false, fmt.Errorf("%s: cache: %w", where, err)
	}
	if cerr != nil {
		var pe *os.PathError
		if errors.As(cerr, &pe) { // the disk, not the network
			return false, fmt.Errorf("%s: cache: %w", where, cerr)
		}
		return true, fmt.Errorf("%s: download broke off after %d of %d bytes: %s", where, n, f.Size, oneLine(cerr.Error()))
	}
	if n != f.Size {
		return true, fmt.Errorf("%s: downloaded %d bytes, the listing said %d", where, n, f.Size)
	}
	if err := os.Rename(tmp.Name(), local); err != nil {
		return false, fmt.Errorf("%s: cache: %w", where, err)
	}
	return false, nil
}

// prune removes the cached copies of f's key under other ETags: the cache
// holds one version per key. Its failure costs disk only, not the run.
func (in *Inbox) prune(local string) {
	dir := filepath.Dir(local) // <name>@<etag>
	parent := filepath.Dir(dir)
	keep := filepath.Base(dir)
	stem := filepath.Base(local) + "@"
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		tag, ok := strings.CutPrefix(n, stem)
		// "x.csv@a@b" belongs to the key "x.csv@a", not to "x.csv".
		if !ok || n == keep || !e.IsDir() || tag == "" || strings.Contains(tag, "@") {
			continue
		}
		if err := os.RemoveAll(filepath.Join(parent, n)); err != nil {
			slog.Warn("s3 cache: cannot remove an old copy", "path", filepath.Join(parent, n), "err", err)
		}
	}
}
