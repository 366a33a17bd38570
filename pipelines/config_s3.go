package pipelines

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load"
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

// openInbox is the local folder, or the S3 inbox when cfg.Inbox is an
// s3:// URL; its downloads are cached beside the warehouse.
func openInbox(ctx context.Context, cfg Config) (extract.Inbox, error) {
	if !s3store.IsURL(cfg.Inbox) {
		return extract.Dir(cfg.Inbox), nil
	}
	u, err := s3store.ParseURL(cfg.Inbox)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("inbox: %w", err)}
	}
	cl, err := s3store.New(ctx, cfg.S3.options())
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
// <publish>/<pipeline>/<period>/, manifest.json last (load.Upload).
func publishRemote(ctx context.Context, cfg Config, dir string, p *Pipeline, m load.Manifest) error {
	if cfg.Publish == "" {
		return nil
	}
	u, err := s3store.ParseURL(cfg.Publish)
	if err != nil {
		return &UsageError{fmt.Errorf("publish: %w", err)}
	}
	cl, err := s3store.New(ctx, cfg.S3.options())
	if err != nil {
		return err
	}
	r := cl.Remote(u)
	rdir := p.Name + "/" + cfg.Period
	if err := load.Upload(ctx, r, dir, rdir, m); err != nil {
		return fmt.Errorf("publish: %w (published locally only; run again to upload)", err)
	}
	return nil
}
