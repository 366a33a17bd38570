// Package s3store reads the inbox from, and publishes reports to, S3 or any
// S3-compatible server (MinIO, Ceph, versitygw), with credentials from the
// standard AWS chain only.
package s3store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Options configure the client. Credentials are not among them on purpose:
// they come from the AWS chain (environment, shared files, SSO, roles).
type Options struct {
	// Region (default: the AWS chain's, else us-east-1, which
	// S3-compatible servers accept).
	Region string
	// Endpoint of an S3-compatible server (default: AWS_ENDPOINT_URL_S3,
	// else AWS_ENDPOINT_URL, else AWS).
	Endpoint string
	// PathStyle puts the bucket in the path instead of the host name; it
	// is used anyway when the endpoint's host is an IP address or
	// localhost, where no bucket.host name can resolve.
	PathStyle bool
	// MaxAttempts bounds the tries of one request, the first included
	// (default: AWS_MAX_ATTEMPTS or the shared config's max_attempts,
	// else 6).
	MaxAttempts int
	// MaxBackoff caps the wait between two tries (default 10s).
	MaxBackoff time.Duration
}

// Client talks to one S3 endpoint.
type Client struct {
	s3       *s3.Client
	endpoint string // for messages: "AWS" or the URL, never credentials
	attempts int
	backoff  time.Duration
}

// New builds a client from the AWS chain and opts.
func New(ctx context.Context, opts Options) (*Client, error) {
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 10 * time.Second
	}
	// Transient failures (5xx, throttling, timeouts, resets) are retried by
	// the SDK's standard retryer, bounded; without the client-side rate
	// limit, which would turn a burst of 503s into "quota exceeded" after a
	// few tries instead of waiting them out.
	retryer := func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = opts.MaxAttempts
			o.MaxBackoff = opts.MaxBackoff
			o.RateLimiter = ratelimit.None
		})
	}
	// A server that accepts the connection and never answers is a
	// timeout, retried like a reset; the body of a large object may take
	// as long as it takes.
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.ResponseHeaderTimeout = time.Minute
	})
	load := []func(*config.LoadOptions) error{config.WithHTTPClient(httpClient)}
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("s3: aws configuration: %w", err)
	}
	// The bound: the config's, else the AWS chain's (AWS_MAX_ATTEMPTS,
	// max_attempts in the shared config), else 6.
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = cfg.RetryMaxAttempts
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 6
	}
	cfg.RetryMaxAttempts = opts.MaxAttempts
	cfg.Retryer = retryer
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	endpoint := opts.Endpoint
	if endpoint == "" {
		endpoint = os.Getenv("AWS_ENDPOINT_URL_S3")
	}
	if endpoint == "" {
		endpoint = os.Getenv("AWS_ENDPOINT_URL")
	}
	pathStyle := opts.PathStyle
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("s3: endpoint %q: want http(s)://host[:port]", redactURL(endpoint))
		}
		if u.User != nil {
			return nil, errors.New("s3: endpoint: credentials in the URL are refused (they would show in messages): use the AWS chain")
		}
		host := u.Hostname()
		pathStyle = pathStyle || host == "localhost" || net.ParseIP(host) != nil
	}
	c := &Client{endpoint: "AWS", attempts: opts.MaxAttempts, backoff: opts.MaxBackoff}
	if endpoint != "" {
		c.endpoint = endpoint
	}
	c.s3 = s3.NewFromConfig(cfg, func(o *s3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		o.UsePathStyle = pathStyle
		// Checksums only where the API demands one: S3-compatible servers
		// differ on the SDK's default trailing CRC32 (aws-chunked). The
		// SigV4 payload hash of every upload (a file, so it can be read
		// twice) still lets the server verify the bytes.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return c, nil
}

// URL is an s3://bucket/prefix location.
type URL struct {
	Bucket string
	Prefix string // no leading or trailing '/'; "" for the whole bucket
}

// IsURL tells whether s names an S3 location rather than a folder.
func IsURL(s string) bool { return strings.HasPrefix(s, "s3://") }

// ParseURL parses s3://bucket/prefix.
func ParseURL(s string) (URL, error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return URL{}, fmt.Errorf("%q: want s3://bucket/prefix", s)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if strings.Contains(bucket, "@") || strings.Contains(bucket, ":") {
		// Never echo it: what precedes '@' may be a key and a secret.
		return URL{}, errors.New("s3 location: credentials in the URL are refused: use the AWS chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, shared files, SSO, roles)")
	}
	if bucket == "" {
		return URL{}, fmt.Errorf("%q: no bucket: want s3://bucket/prefix", s)
	}
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" {
		for _, seg := range strings.Split(prefix, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.Contains(seg, `\`) {
				return URL{}, fmt.Errorf("%q: the prefix has an empty, \".\" or \"..\" segment or a backslash", s)
			}
		}
	}
	return URL{Bucket: bucket, Prefix: prefix}, nil
}

func (u URL) String() string {
	if u.Prefix == "" {
		return "s3://" + u.Bucket
	}
	return "s3://" + u.Bucket + "/" + u.Prefix
}

// Key is the object key of rel, a '/'-separated path under the prefix.
func (u URL) Key(rel string) string {
	if u.Prefix == "" {
		return rel
	}
	return u.Prefix + "/" + rel
}

// explain turns an SDK error into one line naming the operation, the
// bucket and the key, and what the user can do. The SDK's own text is
// not used whole: it is long and carries request ids, never needed to act.
func (c *Client) explain(op, bucket, key string, err error) error {
	where := "s3://" + bucket
	if key != "" {
		where += "/" + key
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %s: %w", where, op, err)
	}
	tries := ""
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		tries = fmt.Sprintf(" (gave up after %d attempts)", maxErr.Attempt)
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		code, msg := api.ErrorCode(), oneLine(api.ErrorMessage())
		hint := ""
		switch code {
		case "NoSuchBucket":
			hint = ": no such bucket"
		case "NoSuchKey", "NotFound":
			hint = ": no such object (removed while the run read it?)"
		case "PreconditionFailed":
			hint = ": the object changed while the run read it: run again"
		case "SignatureDoesNotMatch":
			hint = ": the secret key does not match the access key (check AWS_SECRET_ACCESS_KEY or the profile)"
		case "InvalidAccessKeyId", "XAdminUserNotFound": // AWS's code, versitygw's
			hint = ": unknown access key (check AWS_ACCESS_KEY_ID or the profile)"
		case "AccessDenied", "Forbidden":
			hint = ": access denied (the credentials may not do this)"
		}
		if status == 0 {
			return &Error{Where: where, Msg: fmt.Sprintf("%s: %s%s%s", op, code, hint, tries), Err: err}
		}
		if msg != "" && hint == "" {
			hint = ": " + msg
		}
		return &Error{Where: where, Msg: fmt.Sprintf("%s: HTTP %d %s%s%s", op, status, code, hint, tries), Err: err}
	}
	if status != 0 {
		return &Error{Where: where, Msg: fmt.Sprintf("%s: HTTP %d%s", op, status, tries), Err: err}
	}
	var ne net.Error
	var oe *net.OpError
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return &Error{Where: where, Msg: fmt.Sprintf("%s: cannot resolve the endpoint %s: %s%s", op, redactURL(c.endpoint), dns.Err, tries), Err: err}
	case errors.As(err, &oe):
		return &Error{Where: where, Msg: fmt.Sprintf("%s: cannot reach the endpoint %s: %s%s", op, redactURL(c.endpoint), oneLine(oe.Err.Error()), tries), Err: err}
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Where: where, Msg: fmt.Sprintf("%s: the endpoint %s timed out%s", op, redactURL(c.endpoint), tries), Err: err}
	}
	return &Error{Where: where, Msg: op + ": " + oneLine(err.Error()) + tries, Err: err}
}

// Error is a failed S3 request: where (s3://bucket/key), and one line
// saying what failed. It wraps the SDK's error for errors.As.
type Error struct {
	Where string
	Msg   string
	Err   error
}

func (e *Error) Error() string { return e.Where + ": " + e.Msg }
func (e *Error) Unwrap() error { return e.Err }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// redactURL drops anything but scheme, host and path of an endpoint, as a
// URL's user info or query could carry a secret.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}
