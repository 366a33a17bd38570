package s3store_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/s3store"
	"github.com/salesops/salesops/s3store/s3test"
)

// setup starts versitygw with a bucket and a proxy in front, the AWS
// variables pointing at the proxy.
func setup(t *testing.T) (*s3test.Server, *s3test.Proxy, *s3store.Client) {
	t.Helper()
	srv := s3test.Start(t)
	srv.MakeBucket(t, "inbox")
	proxy := s3test.NewProxy(t, srv.URL)
	s3test.Env(t, proxy.URL)
	c, err := s3store.New(context.Background(), s3store.Options{MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return srv, proxy, c
}

func gets(reqs []s3test.Request) int {
	n := 0
	for _, r := range reqs {
		if r.IsObjectGet() {
			n++
		}
	}
	return n
}

func TestInboxListPaginatesAndClassifies(t *testing.T) {
	srv, proxy, c := setup(t)
	ctx := context.Background()
	const n = 1003 // past one page of 1,000 keys
	for i := range n {
		srv.Put(t, "inbox", fmt.Sprintf("mensal/nf/2025/12/%04d.xml", i), []byte("<x/>"))
	}
	srv.Put(t, "inbox", "mensal/fx/ptax.csv", []byte("01122025;220;A;USD;5,3;5,4;1;1\n"))
	srv.Put(t, "inbox", "mensal/fx/.DS_Store", []byte("x"))
	srv.Put(t, "inbox", "mensal/.Trash/fx/a.csv", []byte("x"))
	srv.Put(t, "inbox", "outra/fx/b.csv", []byte("not under the prefix"))
	proxy.Requests()

	in := c.Inbox(s3store.URL{Bucket: "inbox", Prefix: "mensal"}, t.TempDir())
	l, err := in.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Files) != n+1 {
		t.Fatalf("%d files, want %d", len(l.Files), n+1)
	}
	lists := 0
	for _, r := range proxy.Requests() {
		if strings.Contains(r.Query, "list-type=2") {
			lists++
		}
	}
	if lists != 2 {
		t.Errorf("%d list requests, want 2 (1,000 keys a page)", lists)
	}
	f := l.Files[0] // fx/ sorts before nf/
	if f.Path != "fx/ptax.csv" || f.Size != 31 || len(f.Tag) < 16 || f.ModTime.IsZero() || f.Local != "" {
		t.Errorf("file %+v: want fx/ptax.csv, 31 bytes, an ETag, a modification time, not fetched", f)
	}
	want := []extract.Skipped{{Path: ".Trash/", Reason: "hidden folder"}, {Path: "fx/.DS_Store", Reason: "macOS folder metadata"}}
	if fmt.Sprint(l.Skipped) != fmt.Sprint(want) {
		t.Errorf("skipped %v, want %v", l.Skipped, want)
	}
}

func TestInboxFetchCachesByKeyAndETag(t *testing.T) {
	srv, proxy, c := setup(t)
	ctx := context.Background()
	cache := t.TempDir()
	in := c.Inbox(s3store.URL{Bucket: "inbox"}, cache)
	v1 := []byte("01122025;220;A;USD;5,3;5,4;1;1\n")
	srv.Put(t, "inbox", "fx/ptax.csv", v1)

	list := func() extract.File {
		t.Helper()
		l, err := in.List(ctx)
		if err != nil || len(l.Files) != 1 {
			t.Fatalf("list: %v %+v", err, l)
		}
		return l.Files[0]
	}
	f := list()
	local, err := in.Fetch(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "inbox", "fx", "ptax.csv@"+f.Tag, "ptax.csv"); local != want {
		t.Errorf("cached at %s, want %s", local, want)
	}
	if b, _ := os.ReadFile(local); !bytes.Equal(b, v1) {
		t.Errorf("cached bytes %q, want %q", b, v1)
	}
	if got := gets(proxy.Requests()); got != 1 {
		t.Errorf("%d GETs for the first fetch, want 1", got)
	}
	if again, err := in.Fetch(ctx, f); err != nil || again != local {
		t.Fatalf("second fetch: %s, %v", again, err)
	}
	if got := gets(proxy.Requests()); got != 0 {
		t.Errorf("%d GETs for a cached object, want 0", got)
	}

	v2 := []byte("02122025;220;A;USD;5,5;5,6;1;1\n")
	srv.Put(t, "inbox", "fx/ptax.csv", v2)
	f2 := list()
	if f2.Tag == f.Tag {
		t.Fatalf("new content, same ETag %s", f.Tag)
	}
	local2, err := in.Fetch(ctx, f2)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(local2); !bytes.Equal(b, v2) {
		t.Errorf("after a change: %q, want %q", b, v2)
	}
	if _, err := os.Stat(filepath.Dir(local)); !os.IsNotExist(err) {
		t.Errorf("the old copy %s is still cached (%v)", local, err)
	}

	// A listing older than the object: the stale tag is not cached as new.
	srv.Put(t, "inbox", "fx/ptax.csv", v1)
	fresh := c.Inbox(s3store.URL{Bucket: "inbox"}, t.TempDir())
	_, err = fresh.Fetch(ctx, f2)
	if err == nil || !strings.Contains(err.Error(), "s3://inbox/fx/ptax.csv: get: HTTP 412 PreconditionFailed: the object changed while the run read it: run again") {
		t.Errorf("fetch of a replaced object: %v", err)
	}
}

// TestInboxSurvivesFaults: 503s, a connection dropped before the answer
// and a body cut half-way are retried; the bytes arrive whole.
func TestInboxSurvivesFaults(t *testing.T) {
	srv, proxy, c := setup(t)
	ctx := context.Background()
	body := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	srv.Put(t, "inbox", "fx/big.csv", body)
	tries := map[string]int{}
	proxy.Inject(func(r *http.Request, n int) s3test.Fault {
		kind := r.Method + " " + r.URL.Path
		if r.URL.Query().Has("list-type") {
			kind = "list"
		}
		tries[kind]++
		switch k := tries[kind]; {
		case kind == "list" && k <= 2:
			return s3test.Status503
		case kind == "list" && k == 3:
			return s3test.Drop
		case k == 1:
			return s3test.CutBody
		case k == 2:
			return s3test.Drop
		case k == 3:
			return s3test.Status503
		}
		return s3test.Pass
	})
	in := c.Inbox(s3store.URL{Bucket: "inbox"}, t.TempDir())
	l, err := in.List(ctx)
	if err != nil {
		t.Fatalf("list through 503, 503, drop: %v", err)
	}
	local, err := in.Fetch(ctx, l.Files[0])
	if err != nil {
		t.Fatalf("fetch through a cut body, a drop and a 503: %v", err)
	}
	if b, _ := os.ReadFile(local); !bytes.Equal(b, body) {
		t.Errorf("fetched %d bytes, not the object's %d", len(b), len(body))
	}
	var faults []s3test.Fault
	for _, r := range proxy.Requests() {
		faults = append(faults, r.Fault)
	}
	want := []s3test.Fault{s3test.Status503, s3test.Status503, s3test.Drop, s3test.Pass, s3test.CutBody, s3test.Drop, s3test.Status503, s3test.Pass}
	if fmt.Sprint(faults) != fmt.Sprint(want) {
		t.Errorf("requests' faults %v, want %v", faults, want)
	}
	if entries, _ := os.ReadDir(filepath.Dir(local)); len(entries) != 1 {
		t.Errorf("cache folder holds %d entries, want the file alone (no partial download left)", len(entries))
	}
}

// TestPermanentErrors: one line naming the bucket and key, never the
// secret, and no retry where none can help.
func TestPermanentErrors(t *testing.T) {
	srv, proxy, _ := setup(t)
	srv.Put(t, "inbox", "fx/ptax.csv", []byte("x"))
	tests := []struct {
		name   string
		env    map[string]string
		url    s3store.URL
		want   string
		tries  int
		inject s3test.Fault
	}{
		{name: "wrong secret", env: map[string]string{"AWS_SECRET_ACCESS_KEY": "wrong-secret-Xy7"}, url: s3store.URL{Bucket: "inbox", Prefix: "fx"},
			want: "s3://inbox/fx/: list: HTTP 403 SignatureDoesNotMatch: the secret key does not match the access key (check AWS_SECRET_ACCESS_KEY or the profile)", tries: 1},
		{name: "unknown access key", env: map[string]string{"AWS_ACCESS_KEY_ID": "nobody"}, url: s3store.URL{Bucket: "inbox"},
			want: "s3://inbox: list: HTTP 404 XAdminUserNotFound: unknown access key (check AWS_ACCESS_KEY_ID or the profile)", tries: 1},
		{name: "access denied", inject: s3test.Forbidden403, url: s3store.URL{Bucket: "inbox", Prefix: "fx"},
			want: "s3://inbox/fx/: list: HTTP 403 AccessDenied: access denied (the credentials may not do this)", tries: 1},
		{name: "no such bucket", url: s3store.URL{Bucket: "nao-existe", Prefix: "fx"},
			want: "s3://nao-existe/fx/: list: HTTP 404 NoSuchBucket: no such bucket", tries: 1},
		{name: "nothing listening", env: map[string]string{"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:1"}, url: s3store.URL{Bucket: "inbox"},
			want: "s3://inbox: list: cannot reach the endpoint http://127.0.0.1:1: connect: connection refused (gave up after 3 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			proxy.Inject(func(*http.Request, int) s3test.Fault { return tt.inject })
			c, err := s3store.New(context.Background(), s3store.Options{MaxAttempts: 3, MaxBackoff: 10 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			proxy.Requests()
			_, err = c.Inbox(tt.url, t.TempDir()).List(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
			if strings.Contains(err.Error(), s3test.Secret) || strings.Contains(err.Error(), "wrong-secret") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error shows a secret or spans lines: %q", err)
			}
			if got := len(proxy.Requests()); tt.tries > 0 && got != tt.tries {
				t.Errorf("%d requests, want %d", got, tt.tries)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{in: "s3://inbox/mensal/", want: "inbox|mensal"},
		{in: "s3://inbox", want: "inbox|"},
		{in: "s3://inbox/a/b", want: "inbox|a/b"},
		{in: "s3://", err: `"s3://": no bucket: want s3://bucket/prefix`},
		{in: "s3://inbox/a/../b", err: `"s3://inbox/a/../b": the prefix has an empty, "." or ".." segment or a backslash`},
		{in: "s3://inbox//b", err: `"s3://inbox//b": the prefix has an empty, "." or ".." segment or a backslash`},
		{in: "s3://AKIA:s3cr3t@inbox/x", err: "s3 location: credentials in the URL are refused: use the AWS chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, shared files, SSO, roles)"},
	}
	for _, tt := range tests {
		u, err := s3store.ParseURL(tt.in)
		got := u.Bucket + "|" + u.Prefix
		if err != nil {
			got = ""
			if err.Error() != tt.err {
				t.Errorf("%s: error %v, want %s", tt.in, err, tt.err)
			}
		} else if tt.err != "" || got != tt.want {
			t.Errorf("%s: %q, want %q / %s", tt.in, got, tt.want, tt.err)
		}
	}
}
