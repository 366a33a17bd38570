package pipelines

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/s3store"
	"github.com/salesops/salesops/s3store/s3test"
	"github.com/salesops/salesops/transform"
)

func objectGets(reqs []s3test.Request) []string {
	var keys []string
	for _, r := range reqs {
		if r.IsObjectGet() && r.Fault == s3test.Pass {
			keys = append(keys, r.Path)
		}
	}
	return keys
}

// TestS3RunAll runs every pipeline with the example inbox on a real S3
// server (versitygw) behind a proxy injecting 503s, dropped connections
// and a cut download, publishes to S3, and checks that the objects are the
// local files byte for byte, manifest.json uploaded last; then that a
// re-run downloads nothing, a changed object is reloaded and a removed one
// stops counting.
func TestS3RunAll(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every pipeline four times")
	}
	srv := s3test.Start(t)
	srv.MakeBucket(t, "inbox")
	srv.MakeBucket(t, "reports")
	proxy := s3test.NewProxy(t, srv.URL)
	s3test.Env(t, proxy.URL)
	inbox := filepath.Join("..", "examples", "inbox")
	nfiles := srv.PutTree(t, "inbox", "mensal", inbox)
	srv.Put(t, "inbox", "mensal/erp/orders/.~lock.pedidos_2025-12.csv#", []byte("lock"))
	// A stale object of an earlier publication, which the new set lacks.
	srv.Put(t, "reports", "salesops/pricelist/2025-12/old_report.csv", []byte("x"))
	out := t.TempDir()
	// The examples' config with the inbox on S3 and publication to S3,
	// through proxy.
	cfg := exampleConfig(t, "s3://inbox/mensal", out)
	cfg.Publish = "s3://reports/salesops/"
	cfg.S3.MaxBackoff = 20 * time.Millisecond
	ctx := context.Background()
	// Every run of the four pipelines builds one S3 client, for its inbox
	// and every publication.
	clients := 0
	build := newS3
	newS3 = func(ctx context.Context, o s3store.Options) (*s3store.Client, error) {
		clients++
		return build(ctx, o)
	}
	t.Cleanup(func() { newS3 = build })

	// First run: every fifth request answered 503, every seventh dropped,
	// the first object download cut half-way.
	cut := false
	proxy.Inject(func(r *http.Request, n int) s3test.Fault {
		switch {
		case r.Method == http.MethodGet && !r.URL.Query().Has("list-type") && !cut:
			cut = true
			return s3test.CutBody
		case n%5 == 0:
			return s3test.Status503
		case n%7 == 0:
			return s3test.Drop
		}
		return s3test.Pass
	})
	results, err := RunAll(ctx, cfg, All)
	if err != nil {
		t.Fatalf("run all through faults: %v", err)
	}
	reqs := proxy.Requests()
	proxy.Inject(nil)
	faults := map[s3test.Fault]int{}
	for _, r := range reqs {
		faults[r.Fault]++
	}
	if faults[s3test.Status503] == 0 || faults[s3test.Drop] == 0 || faults[s3test.CutBody] != 1 {
		t.Errorf("faults injected %v: want 503s, drops and one cut body", faults)
	}
	if got := objectGets(reqs); len(got) != nfiles {
		t.Errorf("%d objects downloaded whole, want the %d of the inbox once each: %v", len(got), nfiles, got)
	}
	if len(results) != len(All) {
		t.Fatalf("%d pipelines published, want %d", len(results), len(All))
	}
	if clients != 1 {
		t.Errorf("run all built %d S3 clients, want 1", clients)
	}

	// The same run from the local folder gives the same CSV files: the S3
	// inbox reads the same bytes.
	local := exampleConfig(t, inbox, t.TempDir())
	localResults, err := RunAll(ctx, local, All)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range results {
		checkPublished(t, srv, res)
		if !strings.HasSuffix(res.Dir, filepath.Join(res.Pipeline, "2025-12")) {
			t.Errorf("published in %s", res.Dir)
		}
		for _, o := range res.Manifest.Outputs {
			if !strings.HasSuffix(o.Path, ".csv") {
				continue
			}
			a := readFile(t, filepath.Join(res.Dir, o.Path))
			b := readFile(t, filepath.Join(localResults[i].Dir, o.Path))
			if !bytes.Equal(a, b) {
				t.Errorf("%s/%s differs between the S3 inbox and the local one", res.Pipeline, o.Path)
			}
		}
		if skipped := fmt.Sprint(res.Manifest.Skipped); res.Pipeline == "reconciliation" && !strings.Contains(skipped, "erp/orders/.~lock.pedidos_2025-12.csv#") {
			t.Errorf("reconciliation manifest skipped %s: want the lock file listed", skipped)
		}
	}
	var puts []string
	for _, r := range reqs {
		if r.Method == http.MethodPut && r.Fault == s3test.Pass {
			puts = append(puts, strings.TrimPrefix(r.Path, "/reports/salesops/"))
		}
	}
	for _, res := range results {
		last := -1
		for i, p := range puts {
			if strings.HasPrefix(p, res.Pipeline+"/") {
				last = i
			}
		}
		if last < 0 || puts[last] != res.Pipeline+"/2025-12/manifest.json" {
			t.Errorf("%s: last upload %v, want its manifest.json (uploads: %v)", res.Pipeline, puts, puts)
		}
	}
	if keys := srv.Keys(t, "reports", "salesops/pricelist/2025-12/old_report.csv"); len(keys) != 0 {
		t.Errorf("a stale object of the previous set is left: %v", keys)
	}

	// The Parquet files are also under datasets/<dataset>/period=2025-12/
	// (the report's name but for the lifecycle's data_quality).
	for _, res := range results {
		for _, o := range res.Manifest.Outputs {
			name, ok := strings.CutSuffix(o.Path, ".parquet")
			if !ok {
				continue
			}
			if res.Pipeline == "lifecycle" && name == "data_quality" {
				name = "lifecycle_data_quality"
			}
			key := "salesops/datasets/" + name + "/period=2025-12/" + name + ".parquet"
			if !bytes.Equal(srv.Get(t, "reports", key), readFile(t, filepath.Join(res.Dir, o.Path))) {
				t.Errorf("s3://reports/%s is not %s/%s", key, res.Pipeline, o.Path)
			}
		}
	}

	// Re-run: nothing downloaded, nothing loaded again, nothing uploaded
	// (the remote sets are complete); the second time without the
	// download cache, so the ledger's ETags alone tell.
	before := ledger(t, cfg)
	for _, what := range []string{"re-run", "re-run without the cache"} {
		clients = 0
		res, err := RunAll(ctx, cfg, All)
		if err != nil {
			t.Fatal(err)
		}
		if clients != 1 {
			t.Errorf("%s: %d S3 clients built, want 1", what, clients)
		}
		for _, r := range res {
			if !r.UpToDate {
				t.Errorf("%s: %s not up to date", what, r.Pipeline)
			}
		}
		reqs := proxy.Requests()
		if got := objectGets(reqs); len(got) != 0 {
			t.Errorf("%s: downloaded %v, want nothing", what, got)
		}
		for _, r := range reqs {
			if r.Method == http.MethodPut || r.Method == http.MethodPost {
				t.Errorf("%s: %s %s, want no upload", what, r.Method, r.Path)
			}
		}
		if got := ledger(t, cfg); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("%s: ledger\n%v\nwas\n%v", what, got, before)
		}
		if err := os.RemoveAll(filepath.Join(out, "cache", "s3")); err != nil {
			t.Fatal(err)
		}
	}

	// A remote set whose manifest is missing (an upload cut short) is
	// uploaded again by a run with nothing new, and only that set.
	srv.Delete(t, "reports", "salesops/quotes/2025-12/manifest.json")
	res, err := RunAll(ctx, cfg, All)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range proxy.Requests() {
		if r.Method == http.MethodPut && !strings.HasPrefix(r.Path, "/reports/salesops/quotes/") && !strings.HasPrefix(r.Path, "/reports/salesops/datasets/quotes/") &&
			!strings.HasPrefix(r.Path, "/reports/salesops/datasets/quote_lines/") {
			t.Errorf("after the quotes' remote manifest was removed: PUT %s", r.Path)
		}
	}
	checkPublished(t, srv, res[3])

	// A changed object is downloaded and loaded again, alone.
	const changed = "pricelists/kaspersky/tabela_precos_dez2025.csv"
	body, err := os.ReadFile(filepath.Join(inbox, filepath.FromSlash(changed)))
	if err != nil {
		t.Fatal(err)
	}
	body = append(body[:len(body):len(body)], body[bytes.LastIndexByte(body[:len(body)-1], '\n')+1:]...) // the last row twice
	srv.Put(t, "inbox", "mensal/"+changed, body)
	results, err = RunAll(ctx, cfg, All)
	if err != nil {
		t.Fatal(err)
	}
	if got := objectGets(proxy.Requests()); fmt.Sprint(got) != fmt.Sprint([]string{"/inbox/mensal/" + changed}) {
		t.Errorf("after a change, downloaded %v, want the changed object alone", got)
	}
	after := ledger(t, cfg)
	sum := sha256.Sum256(body)
	if got := after[changed]; got.sha != hex.EncodeToString(sum[:]) || got.rows != before[changed].rows+1 || got.id == before[changed].id {
		t.Errorf("changed %s: ledger %+v, was %+v: want the new sha256, one row more, loaded again", changed, got, before[changed])
	}
	for p, f := range after {
		if p != changed && f != before[p] {
			t.Errorf("%s: ledger %+v, was %+v: loaded again, not changed", p, f, before[p])
		}
	}
	checkPublished(t, srv, results[0])

	// A removed object stops counting.
	const removed = "nf/2025/12/nfse_202.xml"
	srv.Delete(t, "inbox", "mensal/"+removed)
	results, err = RunAll(ctx, cfg, All)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ledger(t, cfg)[removed]; ok {
		t.Errorf("%s: still in the ledger after its object was removed", removed)
	}
	for _, res := range results {
		for _, in := range res.Manifest.Inputs {
			if in.Path == removed {
				t.Errorf("%s manifest still lists %s", res.Pipeline, removed)
			}
		}
		checkPublished(t, srv, res)
	}
	if got := objectGets(proxy.Requests()); len(got) != 0 {
		t.Errorf("after a removal, downloaded %v, want nothing", got)
	}
}

// checkPublished compares a publication's local files with the objects
// under the publish prefix, byte for byte, and the manifest's sha256.
func checkPublished(t *testing.T, srv *s3test.Server, res Result) {
	t.Helper()
	prefix := "salesops/" + res.Pipeline + "/2025-12/"
	// Every file of the publication, in subfolders too (the quotes'
	// proposals/), by its '/'-separated path.
	var names []string
	err := filepath.WalkDir(res.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(res.Dir, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		names = append(names, name)
		local, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if remote := srv.Get(t, "reports", prefix+name); !bytes.Equal(local, remote) {
			t.Errorf("s3://reports/%s%s: %d bytes, not the local file's %d", prefix, name, len(remote), len(local))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range srv.Keys(t, "reports", prefix) {
		keys = append(keys, strings.TrimPrefix(k, prefix))
	}
	slices.Sort(names)
	if fmt.Sprint(keys) != fmt.Sprint(names) {
		t.Errorf("objects %v, local files %v", keys, names)
	}
	var m publish.Manifest
	if err := json.Unmarshal(srv.Get(t, "reports", prefix+"manifest.json"), &m); err != nil {
		t.Fatal(err)
	}
	for _, o := range m.Outputs {
		sum := sha256.Sum256(srv.Get(t, "reports", prefix+o.Path))
		if hex.EncodeToString(sum[:]) != o.SHA256 {
			t.Errorf("%s: the object's sha256 is not the manifest's", o.Path)
		}
	}
}

type ledgerRow struct {
	id   int64
	sha  string
	rows int64
	tag  string
}

// ledger reads the files table: path → what was loaded.
func ledger(t *testing.T, cfg Config) map[string]ledgerRow {
	t.Helper()
	w, err := transform.Open(context.Background(), cfg.Warehouse, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Conn.QueryContext(context.Background(), "SELECT path, file_id, sha256, rows, tag FROM files")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]ledgerRow{}
	for rows.Next() {
		var p string
		var r ledgerRow
		if err := rows.Scan(&p, &r.id, &r.sha, &r.rows, &r.tag); err != nil {
			t.Fatal(err)
		}
		if r.tag == "" {
			t.Errorf("%s: loaded from S3 without its ETag", p)
		}
		out[p] = r
	}
	return out
}
