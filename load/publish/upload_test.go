package publish

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// memRemote is a Remote in memory that can fail the nth upload.
type memRemote struct {
	objects map[string]string
	puts    []string
	failAt  int // 1-based upload that fails; 0: none
}

func (m *memRemote) PutFile(_ context.Context, key, local string, meta ObjectMeta) error {
	m.puts = append(m.puts, key)
	if len(m.puts) == m.failAt {
		return errors.New("s3://b/" + key + ": put: connection reset")
	}
	b, err := os.ReadFile(local)
	if err != nil {
		return err
	}
	m.objects[key] = string(b) + "|" + meta.ContentType + "|" + meta.SHA256
	return nil
}

func (m *memRemote) Keys(_ context.Context, prefix string) ([]string, error) {
	var keys []string
	for k := range m.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

func (m *memRemote) Delete(_ context.Context, keys []string) error {
	for _, k := range keys {
		delete(m.objects, k)
	}
	return nil
}

func (m *memRemote) URL(key string) string { return "s3://b/" + key }

func TestUpload(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.csv": "x,y\r\n", "a.parquet": "PAR1", "manifest.json": `{"v":2}`}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := Manifest{Outputs: []Output{{Path: "a.csv", Bytes: 5, SHA256: "s1"}, {Path: "a.parquet", Bytes: 4, SHA256: "s2"}}}
	// The writers' media types (write.ContentType) for the outputs; the
	// manifest's is Upload's own.
	types := func(p string) string {
		return map[string]string{"a.csv": "text/csv; charset=utf-8", "a.parquet": "application/vnd.apache.parquet"}[p]
	}
	previous := func() map[string]string {
		return map[string]string{
			"p/2025-12/manifest.json": `{"v":1}`, "p/2025-12/a.csv": "old", "p/2025-12/gone.csv": "old",
			"p/2025-11/manifest.json": "other period",
		}
	}

	for _, tt := range []struct {
		name    string
		failAt  int
		err     string
		objects string
	}{
		{name: "whole", objects: "p/2025-11/manifest.json=other period p/2025-12/a.csv=x,y\r\n|text/csv; charset=utf-8|s1 " +
			"p/2025-12/a.parquet=PAR1|application/vnd.apache.parquet|s2 " +
			"p/2025-12/manifest.json={\"v\":2}|application/json|3a3c0d3d5b5a1e2f"},
		{name: "second output fails", failAt: 2, err: "s3://b/p/2025-12/a.parquet: put: connection reset",
			objects: "p/2025-11/manifest.json=other period p/2025-12/a.csv=x,y\r\n|text/csv; charset=utf-8|s1 p/2025-12/gone.csv=old p/2025-12/manifest.json={\"v\":1}"},
		{name: "manifest fails", failAt: 3, err: "s3://b/p/2025-12/manifest.json: put: connection reset",
			objects: "p/2025-11/manifest.json=other period p/2025-12/a.csv=x,y\r\n|text/csv; charset=utf-8|s1 " +
				"p/2025-12/a.parquet=PAR1|application/vnd.apache.parquet|s2 p/2025-12/gone.csv=old p/2025-12/manifest.json={\"v\":1}"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &memRemote{objects: previous(), failAt: tt.failAt}
			err := Upload(context.Background(), r, dir, "p/2025-12", m, types)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if msg != tt.err {
				t.Errorf("error %q, want %q", msg, tt.err)
			}
			got := objects(r.objects)
			want := tt.objects
			if tt.failAt == 0 {
				// The manifest's own sha256 is computed: check its shape.
				sum, _ := SHA256File(filepath.Join(dir, "manifest.json"))
				want = strings.Replace(want, "3a3c0d3d5b5a1e2f", sum, 1)
			}
			if got != want {
				t.Errorf("objects:\n%s\nwant:\n%s", got, want)
			}
			if n := len(r.puts); n == 0 || (tt.failAt == 0 && r.puts[n-1] != "p/2025-12/manifest.json") {
				t.Errorf("uploads %v: manifest.json must go last", r.puts)
			}
		})
	}

	// A file that no longer matches the manifest is not uploaded.
	r := &memRemote{objects: previous()}
	bad := m
	bad.Outputs = []Output{{Path: "a.csv", Bytes: 99}}
	if err := Upload(context.Background(), r, dir, "p/2025-12", bad, types); err == nil || err.Error() != "upload a.csv: 5 bytes on disk, the manifest says 99: not uploaded" {
		t.Errorf("size mismatch: %v", err)
	}
	if len(r.puts) != 0 {
		t.Errorf("uploaded %v despite the mismatch", r.puts)
	}
}

func objects(m map[string]string) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, " ")
}
