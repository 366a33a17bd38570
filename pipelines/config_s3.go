package pipelines

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"time"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/s3store"
)

// S3Config configures the S3 inbox (--inbox s3://bucket/prefix) and the S3
// publication (publish: s3://bucket/prefix). Credentials never appear here:
// they come from the standard AWS chain only.
type S3Config struct {
	// Region of the buckets (default: AWS_REGION or the shared config's,
	// else us-east-1).
	Region string `yaml:"region"`
	// Endpoint of an S3-compatible server, e.g. http://127.0.0.1:7070
	// (default: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else AWS).
	Endpoint string `yaml:"endpoint"`
	// PathStyle forces path-style addressing (bucket in the path), which
	// S3-compatible servers often need; it is used anyway when the
	// endpoint is an IP address or localhost.
	PathStyle bool `yaml:"path_style"`
	// MaxAttempts bounds the tries of one S3 request, the first included
	// (default: AWS_MAX_ATTEMPTS, else 6): 5xx, throttling, timeouts and resets are retried with
	// backoff, other errors fail at once.
	MaxAttempts int `yaml:"max_attempts"`
	// MaxBackoff caps the wait between two tries, e.g. "10s" (default 10s).
	MaxBackoff time.Duration `yaml:"max_backoff"`
}

func (c S3Config) options() s3store.Options {
	return s3store.Options{Region: c.Region, Endpoint: c.Endpoint, PathStyle: c.PathStyle,
		MaxAttempts: c.MaxAttempts, MaxBackoff: c.MaxBackoff}
}

// newS3 builds an S3 client (a variable so that a test can count them).
var newS3 = s3store.New

// s3Client is the one S3 client of a run, shared by the inbox and every
// pipeline's publication: the AWS chain (environment, shared files, SSO,
// role) is read once per run, not once per pipeline, and the pipelines
// reuse its connections. It is built when first needed, so a run with
// nothing on S3 reads no AWS configuration. Not for concurrent use.
type s3Client struct {
	opts s3store.Options
	cl   *s3store.Client
}

func (c *s3Client) get(ctx context.Context) (*s3store.Client, error) {
	if c.cl == nil {
		cl, err := newS3(ctx, c.opts)
		if err != nil {
			return nil, err
		}
		c.cl = cl
	}
	return c.cl, nil
}

// openInbox is the local folder, or the S3 inbox when cfg.Inbox is an
// s3:// URL; its downloads are cached beside the warehouse.
func openInbox(ctx context.Context, cfg Config, s3c *s3Client) (extract.Inbox, error) {
	if !s3store.IsURL(cfg.Inbox) {
		return extract.Dir(cfg.Inbox), nil
	}
	u, err := s3store.ParseURL(cfg.Inbox)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("inbox: %w", err)}
	}
	cl, err := s3c.get(ctx)
	if err != nil {
		return nil, err
	}
	return cl.Inbox(u, filepath.Join(filepath.Dir(cfg.Warehouse), "cache", "s3")), nil
}

// checkPublish refuses a publish: that is no S3 location before anything
// runs, rather than after the local publication.
func checkPublish(cfg Config) error {
	if cfg.Publish == "" {
		return nil
	}
	if _, err := s3store.ParseURL(cfg.Publish); err != nil {
		return &UsageError{fmt.Errorf("publish: %w", err)}
	}
	return nil
}

// publishRemote copies the set published in dir to
// <publish>/<pipeline>/<period>/, manifest.json last (publish.Upload), after
// its dataset files (datasets/<report>/period=…/): a remote manifest that
// is this set's means everything of it is up. With onlyIfMissing (a run
// with nothing new) a remote copy already complete is not uploaded again.
func publishRemote(ctx context.Context, cfg Config, s3c *s3Client, dir string, p *Pipeline, m publish.Manifest, onlyIfMissing bool) error {
	if cfg.Publish == "" {
		return nil
	}
	u, err := s3store.ParseURL(cfg.Publish)
	if err != nil {
		return &UsageError{fmt.Errorf("publish: %w", err)}
	}
	cl, err := s3c.get(ctx)
	if err != nil {
		return err
	}
	r := cl.Remote(u)
	rdir := p.Name + "/" + cfg.Period
	if onlyIfMissing {
		done, err := remoteDone(ctx, r, dir, rdir, m)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if done {
			return nil
		}
	}
	for _, d := range datasetsOf(cfg, p, dir, m) {
		meta := publish.ObjectMeta{ContentType: write.ContentType(d.Key), SHA256: d.Output.SHA256}
		if err := r.PutFile(ctx, d.Key, d.Local, meta); err != nil {
			return fmt.Errorf("publish: %w (published locally only; run again to upload)", err)
		}
	}
	if err := publish.Upload(ctx, r, dir, rdir, m, write.ContentType); err != nil {
		return fmt.Errorf("publish: %w (published locally only; run again to upload)", err)
	}
	return nil
}

// remoteDone tells whether the remote folder rdir holds the set published
// in dir whole: its manifest.json is this one (uploaded last, after the
// outputs and the dataset files) and no other key is left under it (stale
// objects are removed after the manifest). Two requests.
func remoteDone(ctx context.Context, r *s3store.Remote, dir, rdir string, m publish.Manifest) (bool, error) {
	local, err := publish.SHA256File(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return false, err
	}
	remote, err := r.SHA256(ctx, rdir+"/manifest.json")
	if err != nil || remote != local {
		return false, err
	}
	keys, err := r.Keys(ctx, rdir+"/")
	if err != nil {
		return false, err
	}
	want := map[string]bool{rdir + "/manifest.json": true}
	for _, o := range m.Outputs {
		want[path.Join(rdir, o.Path)] = true
	}
	if len(keys) != len(want) {
		return false, nil
	}
	for _, k := range keys {
		if !want[k] {
			return false, nil
		}
	}
	return true, nil
}
