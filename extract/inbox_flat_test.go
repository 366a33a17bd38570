package extract

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestListFlatMatchesListDir lists the same entries as a folder and as
// the flat names an S3 bucket would hold: the files read, the entries
// skipped and the names refused must be the same (links aside, which a
// bucket cannot hold).
func TestListFlatMatchesListDir(t *testing.T) {
	names := []string{
		"fx/a.csv", "fx/.~lock.a.csv#", ".git/x", ".git/y/z", "rules/pricing.csv", "Thumbs.db", "README.txt",
		"erp/orders/pedidos.csv", "erp/orders/pedidos.xlsx", "erp/orders/.pedidos.csv", "erp/orders/..pedidos.csv",
		"erp/orders/~$pedidos.csv", "erp/customers/.DS_Store", "erp/customers/clientes.csv",
		"pricelists/kaspersky/notes.txt", "pricelists/kaspersky/a.xlsx", "pricelists/microsoft/x.xlsx",
		"pricelists/microsoft/x.csv", "nf/2025/12/a.xml", "nf/2025/leia-me.txt", "nf/..old/a.xml", "nf/..old/b.xml",
	}
	root := t.TempDir()
	writeTree(t, root, names)
	dir, err := ListDir(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	var entries []File
	for _, n := range names {
		entries = append(entries, File{Path: n, Size: 1, Tag: "etag-" + n})
	}
	flat := ListFlat(entries)
	if got, want := summary(flat), summary(dir); got != want {
		t.Errorf("ListFlat:\n%s\nListDir:\n%s", got, want)
	}
	for _, f := range flat.Files {
		if f.Tag != "etag-"+f.Path || f.Local != "" {
			t.Errorf("%s: tag %q, local %q: the entry's tag must be kept and nothing fetched", f.Path, f.Tag, f.Local)
		}
	}
}

// TestListFlatRefuses covers the names only a bucket can hold: they would
// not be a path inside the cache folder, so they are refused, named, and
// fail the pipelines reading their folder as an unreadable file does.
func TestListFlatRefuses(t *testing.T) {
	tests := []struct {
		name, key, want string
	}{
		{"empty segment", "fx//a.csv", `fx//a.csv: an empty or "." segment in the name is refused (it names no file inside the cache folder): rename it`},
		{"dot segment", "fx/./a.csv", `fx/./a.csv: an empty or "." segment in the name is refused (it names no file inside the cache folder): rename it`},
		{"parent", "fx/../../a.csv", `fx/..: a name starting with ".." is refused (it reads as the parent folder): rename it`},
		{"backslash", `fx/..\..\a.csv`, `fx/..\..\a.csv: a backslash in the name is refused (a folder separator on Windows): rename it`},
		{"backslash inside", `fx/a\..\..\b.csv`, `fx/a\..\..\b.csv: a backslash in the name is refused (a folder separator on Windows): rename it`},
		{"file named like a folder", "fx/a.csv/", `fx/a.csv/: an empty or "." segment in the name is refused (it names no file inside the cache folder): rename it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := int64(0)
			if strings.HasSuffix(tt.key, "/") {
				size = 3 // a marker holds nothing; this one holds data
			}
			l := ListFlat([]File{{Path: tt.key, Size: size}, {Path: "fx/ok.csv", Size: 1}})
			if len(l.Files) != 1 || l.Files[0].Path != "fx/ok.csv" {
				t.Errorf("files %v, want only fx/ok.csv", l.Files)
			}
			if len(l.Unreadable) != 1 || l.Unreadable[0].Error() != tt.want {
				t.Fatalf("unreadable %v\nwant %s", l.Unreadable, tt.want)
			}
			k, _ := KindByName("ptax")
			if _, _, err := l.Select([]Kind{k}); err == nil || err.Error() != tt.want {
				t.Errorf("select ptax: %v, want %s", err, tt.want)
			}
		})
	}
	// Outside every kind's folder, a refused name is skipped, and said, as
	// ListDir does; it is never fetched.
	for key, why := range map[string]string{
		"../fx/a.csv": `a name starting with ".." is refused (it reads as the parent folder): rename it`,
		"/fx/a.csv":   `an empty or "." segment in the name is refused (it names no file inside the cache folder): rename it`,
	} {
		l := ListFlat([]File{{Path: key, Size: 1}})
		k, _ := KindByName("ptax")
		files, skipped, err := l.Select([]Kind{k})
		if err != nil || len(files) != 0 || len(skipped) != 1 || skipped[0].Reason != "outside the folders salesops reads, and unreadable: "+why {
			t.Errorf("%s: files %v, skipped %v, err %v", key, files, skipped, err)
		}
	}
	// Folder markers (what consoles create for "new folder") are folders.
	l := ListFlat([]File{{Path: "fx/"}, {Path: "fx/a.csv", Size: 1}, {Path: ".hidden/"}})
	if len(l.Files) != 1 || len(l.Unreadable) != 0 || len(l.Skipped) != 1 || l.Skipped[0].Path != ".hidden/" {
		t.Errorf("markers: %+v", l)
	}
}

func writeTree(t *testing.T, root string, names []string) {
	t.Helper()
	for _, p := range names {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// summary is a listing as sorted lines: ListDir walks folder by folder,
// a bucket lists names in byte order.
func summary(l Listing) string {
	var lines []string
	for _, f := range l.Files {
		lines = append(lines, "file "+f.Path)
	}
	for _, s := range l.Skipped {
		lines = append(lines, "skip "+s.Path+" ("+s.Reason+")")
	}
	for _, e := range l.Unreadable {
		lines = append(lines, "bad "+e.Error())
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
