package main

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesops/salesops/s3store/s3test"
)

// TestS3CommandLine checks the contract from the command line alone:
// --inbox s3://… --publish s3://… --out DIR with the standard AWS
// variables (here AWS_ENDPOINT_URL, the generic one), and that an S3
// failure exits 1 with one line naming the bucket and key, never the
// secret.
func TestS3CommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs a pipeline")
	}
	srv := s3test.Start(t)
	srv.MakeBucket(t, "inbox")
	srv.MakeBucket(t, "reports")
	srv.PutTree(t, "inbox", "mensal", filepath.Join("..", "..", "examples", "inbox"))
	proxy := s3test.NewProxy(t, srv.URL)
	s3test.Env(t, "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	bin := filepath.Join(t.TempDir(), "salesops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out := t.TempDir()
	run := func(env ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, "run", "pricelist", "--config", filepath.Join("..", "..", "examples", "salesops.yaml"), "--inbox", "s3://inbox/mensal", "--publish", "s3://reports/salesops",
			"--out", out, "--period", "2025-12", "--as-of", "2026-01-10",
			"--force") // each run uploads: the same inputs would be up to date
		cmd.Env = append(os.Environ(), env...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stdout.String(), stderr.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, stdout.String(), stderr.String()
	}

	code, stdout, stderr := run()
	if code != 0 || !strings.HasPrefix(stdout, "pricelist 2025-12: published "+filepath.Join(out, "pricelist", "2025-12")) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	local := readBytes(t, filepath.Join(out, "pricelist", "2025-12", "manifest.json"))
	if remote := srv.Get(t, "reports", "salesops/pricelist/2025-12/manifest.json"); string(remote) != string(local) {
		t.Errorf("the published manifest.json is not the local one")
	}
	if _, err := os.Stat(filepath.Join(out, "cache", "s3", "inbox", "mensal", "rules")); err != nil {
		t.Errorf("no download cache beside the warehouse: %v", err)
	}

	// Publication refused (403 on every upload): the local set stays
	// published, the run fails naming the object.
	proxy.Inject(func(r *http.Request, _ int) s3test.Fault {
		if r.Method == http.MethodPut {
			return s3test.Forbidden403
		}
		return s3test.Pass
	})
	tests := []struct {
		name   string
		env    []string
		stderr string
	}{
		// The dataset files go first (the set's manifest last).
		{"publication forbidden", nil,
			"salesops: pricelist: publish: s3://reports/salesops/datasets/quote_prices/period=2025-12/quote_prices.parquet: put: HTTP 403 AccessDenied: access denied (the credentials may not do this) (published locally only; run again to upload)\n"},
		{"wrong secret", []string{"AWS_SECRET_ACCESS_KEY=not-the-secret-Qw3"},
			"salesops: s3://inbox/mensal/: list: HTTP 403 SignatureDoesNotMatch: the secret key does not match the access key (check AWS_SECRET_ACCESS_KEY or the profile)\n"},
		{"nothing listening", []string{"AWS_ENDPOINT_URL=http://127.0.0.1:1", "AWS_MAX_ATTEMPTS=2"},
			"salesops: s3://inbox/mensal/: list: cannot reach the endpoint http://127.0.0.1:1: connect: connection refused (gave up after 2 attempts)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(tt.env...)
			if code != 1 || stderr != tt.stderr {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, stderr, tt.stderr)
			}
			if strings.Contains(stderr, s3test.Secret) || strings.Contains(stderr, "not-the-secret") || strings.Contains(stderr, s3test.Access) {
				t.Errorf("stderr shows a credential: %s", stderr)
			}
		})
	}
}
