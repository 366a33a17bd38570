package pipelines

// S3Config configures the S3 inbox (--inbox s3://bucket/prefix) and the S3
// publication (publish: s3://bucket/prefix). Credentials never appear here:
// they come from the standard AWS chain only.
type S3Config struct {
	// PathStyle forces path-style addressing (bucket in the path), which
	// S3-compatible servers often need; it is used anyway when the
	// endpoint is an IP address or localhost.
	PathStyle bool `yaml:"path_style"`
}
