// Package s3test runs a real S3 server (versitygw) for tests, with a
// reverse proxy in front that counts requests and injects faults.
package s3test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Version is the versitygw release the tests run (CI installs the same).
const Version = "v1.8.0"

// Access and Secret are the test server's only credentials.
const (
	Access = "salesops-test-access"
	Secret = "salesops-test-secret-Zq9w"
)

// Server is a versitygw serving a temporary folder on 127.0.0.1.
type Server struct {
	URL string // http://127.0.0.1:PORT
	Dir string // its posix root: one folder per bucket
}

var (
	findOnce sync.Once
	binary   string
	findErr  error
)

// find returns versitygw's path: SALESOPS_VERSITYGW if set ("none": do
// not look, as .ci/run says when its install failed), on PATH, in GOBIN or
// GOPATH/bin, else installed with go install (minutes on a fresh machine).
func find() (string, error) {
	findOnce.Do(func() {
		switch env := os.Getenv("SALESOPS_VERSITYGW"); env {
		case "":
		case "none":
			findErr = errors.New("SALESOPS_VERSITYGW=none (its install failed earlier, see .ci/run's output)")
			return
		default:
			binary = env
			return
		}
		if p, err := exec.LookPath("versitygw"); err == nil {
			binary = p
			return
		}
		gobin := goEnv("GOBIN")
		if gobin == "" {
			gobin = filepath.Join(goEnv("GOPATH"), "bin")
		}
		p := filepath.Join(gobin, "versitygw")
		if _, err := os.Stat(p); err == nil {
			binary = p
			return
		}
		cmd := exec.Command("go", "install", "github.com/versity/versitygw/cmd/versitygw@"+Version)
		out, err := cmd.CombinedOutput()
		if err != nil {
			findErr = fmt.Errorf("go install versitygw@%s: %v\n%s", Version, err, lastLines(out, 10))
			return
		}
		binary = p
	})
	return binary, findErr
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Start starts versitygw for the test, stopped at its end. It skips the
// test, saying why, only when versitygw cannot be found nor installed.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := find()
	if err != nil {
		t.Skipf("SKIP: no S3 server to test against: versitygw is not installed and could not be: %v", err)
	}
	s := &Server{Dir: t.TempDir()}
	port := freePort(t)
	s.URL = "http://127.0.0.1:" + port
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--access", Access, "--secret", Secret, "--port", "127.0.0.1:"+port, "posix", s.Dir)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start versitygw: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			t.Fatalf("versitygw exited: %s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw not listening on %s after 30s: %s", port, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// Env points the AWS chain at endpoint with the server's credentials, as
// a user would (AWS_* variables), and keeps the developer's own AWS files
// and the instance metadata service out of the test.
func Env(t testing.TB, endpoint string) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", Access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", Secret)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL_S3", endpoint)
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// Client is a plain SDK client of the server, to set up and inspect
// buckets without going through the code under test.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(Access, Secret, ""),
	})
}

// MakeBucket creates a bucket.
func (s *Server) MakeBucket(t testing.TB, bucket string) {
	t.Helper()
	if _, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
}

// Put stores body under key.
func (s *Server) Put(t testing.TB, bucket, key string, body []byte) {
	t.Helper()
	_, err := s.Client().PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatalf("put s3://%s/%s: %v", bucket, key, err)
	}
}

// PutTree uploads every file under dir to bucket/prefix/<relative path>.
func (s *Server) PutTree(t testing.TB, bucket, prefix, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s.Put(t, bucket, strings.TrimPrefix(prefix+"/"+filepath.ToSlash(rel), "/"), b)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Get returns an object's bytes.
func (s *Server) Get(t testing.TB, bucket, key string) []byte {
	t.Helper()
	out, err := s.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	return b
}

// Delete removes an object.
func (s *Server) Delete(t testing.TB, bucket, key string) {
	t.Helper()
	if _, err := s.Client().DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		t.Fatalf("delete s3://%s/%s: %v", bucket, key, err)
	}
}

// Keys lists the keys under prefix.
func (s *Server) Keys(t testing.TB, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	pages := s3.NewListObjectsV2Paginator(s.Client(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list s3://%s/%s: %v", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// Fault is what the proxy does to one request instead of passing it on.
type Fault int

const (
	Pass         Fault = iota
	Status503          // answer 503 SlowDown without asking the server
	Drop               // close the connection without an answer
	CutBody            // pass the request, send the headers and half the body, then close
	Forbidden403       // answer 403 AccessDenied
)

// Request is what the proxy saw of one request.
type Request struct {
	Method string
	Path   string // /bucket/key
	Query  string
	Fault  Fault
}

// IsObjectGet tells whether the request read an object (not a listing).
func (r Request) IsObjectGet() bool {
	return r.Method == http.MethodGet && !strings.Contains(r.Query, "list-type") && strings.Count(strings.Trim(r.Path, "/"), "/") >= 1
}

// Proxy sits between the code under test and the server: it records every
// request and applies the fault Inject chooses for it.
type Proxy struct {
	URL    string
	mu     sync.Mutex
	log    []Request
	inject func(r *http.Request, n int) Fault // n: requests seen so far, this one included
}

// NewProxy starts a proxy to target on 127.0.0.1, closed at the test's end.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.URL = "http://" + l.Addr().String()
	srv := &http.Server{Handler: p.handler(target)}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return p
}

// Inject sets the fault chooser (nil: pass everything).
func (p *Proxy) Inject(f func(r *http.Request, n int) Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inject = f
}

// Requests returns what the proxy saw, and forgets it.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.log
	p.log = nil
	return out
}

func (p *Proxy) handler(target string) http.Handler {
	transport := &http.Transport{DisableCompression: true}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		fault := Pass
		if p.inject != nil {
			fault = p.inject(r, len(p.log)+1)
		}
		p.log = append(p.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Fault: fault})
		p.mu.Unlock()
		switch fault {
		case Status503:
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		case Forbidden403:
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		case Drop:
			panic(http.ErrAbortHandler) // closes the connection, no answer
		}
		out, err := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.Header = r.Header.Clone()
		out.Host = r.Host // the signature covers the host the client saw
		out.ContentLength = r.ContentLength
		resp, err := transport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		if fault == CutBody {
			n := resp.ContentLength / 2
			io.CopyN(w, resp.Body, n)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		if _, err := io.Copy(w, resp.Body); err != nil && !errors.Is(err, context.Canceled) {
			panic(http.ErrAbortHandler)
		}
	})
}
