package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The fault corpus: testdata/faults/<case>/ holds a case.txt and, in
// inbox/, files laid over a copy of the example inbox. Cases whose files
// cannot live in git (links, names with newlines, bombs, huge lines) are
// made by the generator of the same name in faultGenerators.
//
// case.txt lines, "key: value":
//
//	pipeline:  what to run (default all)
//	remove:    inbox paths removed from the copy, space-separated
//	args:      extra command-line arguments
//	config:    a line appended to the config file (repeatable)
//	exit:      the expected exit status
//	stderr:    an expected line of stderr (repeatable; with exit 0, none
//	           means stderr must be empty; with exit 1, every line is listed)
//	stdout:    a line stdout must hold (repeatable)
//	note:      a note the pipeline's published manifest must hold (repeatable)
//	published: previous (every published file is byte-identical to the
//	           good set's) or new (the run replaced the set)
//	edit:      "<inbox path>|<old>|<new>": every <old> in the copy's file
//	           becomes <new> (repeatable; a missing <old> fails the case)
//	absent:    a path under out that must not exist after the run (repeatable)
//	present:   a path under out that must exist after the run (repeatable)
//
// Every case starts from the good set the example inbox publishes, and
// ends with no staging folder left beside the publications and no file
// written outside out (a name from the data must never be a path).

// salesopsBinary builds the command once for the tests that run it.
var salesopsBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "salesops-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "salesops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", errors.New(string(out))
	}
	return bin, nil
})

type faultCase struct {
	name      string
	pipeline  string
	remove    []string
	args      []string
	config    []string
	exit      int
	stderr    []string
	stdout    []string
	notes     []string
	published string
	edits     [][3]string
	absent    []string
	present   []string
}

func readFaultCase(t *testing.T, dir string) faultCase {
	t.Helper()
	c := faultCase{name: filepath.Base(dir), pipeline: "all", exit: -1}
	f, err := os.Open(filepath.Join(dir, "case.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ": ")
		if !ok {
			key, val = strings.TrimSuffix(line, ":"), ""
		}
		switch key {
		case "pipeline":
			c.pipeline = val
		case "remove":
			c.remove = strings.Fields(val)
		case "args":
			c.args = strings.Fields(val)
		case "config":
			c.config = append(c.config, val)
		case "exit":
			c.exit, err = strconv.Atoi(val)
		case "stderr":
			c.stderr = append(c.stderr, val)
		case "stdout":
			c.stdout = append(c.stdout, val)
		case "note":
			c.notes = append(c.notes, val)
		case "published":
			c.published = val
		case "edit":
			parts := strings.SplitN(val, "|", 3)
			if len(parts) != 3 {
				t.Fatalf("%s/case.txt:%d: edit wants <path>|<old>|<new>", dir, n)
			}
			c.edits = append(c.edits, [3]string{parts[0], parts[1], parts[2]})
		case "absent":
			c.absent = append(c.absent, val)
		case "present":
			c.present = append(c.present, val)
		default:
			t.Fatalf("%s/case.txt:%d: unknown key %q", dir, n, key)
		}
		if err != nil {
			t.Fatalf("%s/case.txt:%d: %v", dir, n, err)
		}
	}
	if c.exit < 0 || (c.published != "previous" && c.published != "new") {
		t.Fatalf("%s/case.txt: exit and published (previous or new) are required", dir)
	}
	if c.exit != 0 && c.published != "previous" {
		t.Fatalf("%s/case.txt: a failed run must leave the previous set", dir)
	}
	return c
}

// copyTree copies src into dst (which may exist), links as links.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case info.IsDir():
			return os.MkdirAll(target, 0o755)
		case info.Mode()&os.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// publishedFiles maps every file under out's publications to its bytes.
func publishedFiles(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, p := range []string{"pricelist", "reconciliation"} {
		err := filepath.Walk(filepath.Join(out, p), func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, err := filepath.Rel(out, path)
			if err != nil {
				return err
			}
			files[rel] = string(readBytes(t, path))
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	if len(files) == 0 {
		t.Fatalf("nothing published under %s", out)
	}
	return files
}

func TestFaults(t *testing.T) {
	bin, err := salesopsBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	cfgText, err := os.ReadFile(filepath.Join(examples, "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, inbox, out string, extraConfig, args []string) (int, string, string) {
		t.Helper()
		cfg := filepath.Join(filepath.Dir(out), "salesops.yaml")
		if err := os.WriteFile(cfg, []byte(string(cfgText)+"\n"+strings.Join(extraConfig, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, append([]string{"run"}, args...)...)
		cmd.Args = append(cmd.Args, "--config", cfg, "--inbox", inbox, "--out", out)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		code := 0
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}

	// The good set every case starts from.
	good := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, filepath.Join(examples, "inbox"), good, nil, []string{"all"}); code != 0 {
		t.Fatalf("the example inbox does not publish: exit %d\n%s", code, stderr)
	}
	goodFiles := publishedFiles(t, good)

	dirs, err := filepath.Glob(filepath.Join("testdata", "faults", "*"))
	if err != nil || len(dirs) < 10 {
		t.Fatalf("fault corpus: %d cases, %v", len(dirs), err)
	}
	for _, dir := range dirs {
		c := readFaultCase(t, dir)
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			inbox, out := filepath.Join(root, "inbox"), filepath.Join(root, "out")
			copyTree(t, filepath.Join(examples, "inbox"), inbox)
			copyTree(t, good, out)
			for _, r := range c.remove {
				if err := os.RemoveAll(filepath.Join(inbox, filepath.FromSlash(r))); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "inbox")); err == nil {
				copyTree(t, filepath.Join(dir, "inbox"), inbox)
			}
			for _, e := range c.edits {
				p := filepath.Join(inbox, filepath.FromSlash(e[0]))
				b := readBytes(t, p)
				if !bytes.Contains(b, []byte(e[1])) {
					t.Fatalf("edit: %s holds no %q", e[0], e[1])
				}
				writeBytes(t, p, bytes.ReplaceAll(b, []byte(e[1]), []byte(e[2])))
			}
			if gen, ok := faultGenerators[c.name]; ok {
				gen(t, root, inbox)
			}
			// Everything outside out before the run: the run may add
			// nothing there (the config file is rewritten by run).
			outside := treeOutside(t, root, out)
			// --force: a case whose inputs read the same as the good
			// set's (a link to the same bytes) still runs.
			code, stdout, stderr := run(t, inbox, out, c.config, append(c.args, c.pipeline, "--force"))
			if added := newPaths(outside, treeOutside(t, root, out)); len(added) > 0 {
				t.Errorf("the run wrote outside out: %q", added)
			}
			for _, p := range c.absent {
				if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(p))); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("%s exists (or cannot be read: %v), want none", p, err)
				}
			}
			for _, p := range c.present {
				if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
					t.Errorf("want %s: %v (its folder holds %q)", p, err, filesUnder(filepath.Join(out, filepath.FromSlash(path.Dir(p)))))
				}
			}
			stderr = strings.ReplaceAll(stderr, root, "ROOT")
			stdout = strings.ReplaceAll(stdout, root, "ROOT")
			if code != c.exit {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, c.exit, stderr)
			}
			var lines []string
			if stderr != "" {
				lines = strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			}
			switch {
			case c.exit == 0 && len(c.stderr) == 0:
				if stderr != "" {
					t.Errorf("stderr:\n%s\nwant nothing", stderr)
				}
			case c.exit != 0 && strings.Join(lines, "\n") != strings.Join(c.stderr, "\n"):
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(c.stderr, "\n"))
			}
			for _, want := range c.stdout {
				if !strings.Contains(stdout, want+"\n") {
					t.Errorf("stdout:\n%s\nwant a line %q", stdout, want)
				}
			}
			if len(c.notes) > 0 {
				var m struct{ Notes []string }
				b, err := os.ReadFile(filepath.Join(out, c.pipeline, "2025-12", "manifest.json"))
				if err == nil {
					err = json.Unmarshal(b, &m)
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, want := range c.notes {
					if !slices.Contains(m.Notes, want) {
						t.Errorf("manifest notes:\n%s\nwant %q", strings.Join(m.Notes, "\n"), want)
					}
				}
			}
			got := publishedFiles(t, out)
			var stale []string
			for p := range got {
				if strings.Contains(p, ".tmp-") {
					stale = append(stale, p)
				}
			}
			if len(stale) > 0 {
				sort.Strings(stale)
				t.Errorf("staging leftovers: %v", stale)
			}
			same := len(got) == len(goodFiles)
			for p, b := range goodFiles {
				if got[p] != b {
					same = false
				}
			}
			switch {
			case c.published == "previous" && !same:
				t.Errorf("the published sets changed")
			case c.published == "new" && same:
				t.Errorf("nothing was published")
			}
		})
	}
}

// treeOutside lists every path under root but not under out, and the
// parent of root's entries (a name with "../" escapes the case's folder):
// the files a run must never add to.
func treeOutside(t *testing.T, root, out string) []string {
	t.Helper()
	var paths []string
	for _, top := range []string{filepath.Dir(root), root} {
		entries, err := os.ReadDir(top)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := filepath.Join(top, e.Name())
			// The config file is the test's, written just before the run.
			if p == out || p == root || (top == root && (e.Name() == "inbox" || e.Name() == "salesops.yaml")) {
				continue
			}
			paths = append(paths, p)
			if top == root && e.IsDir() {
				filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
					if err == nil && q != p {
						paths = append(paths, q)
					}
					return nil
				})
			}
		}
	}
	// The inbox is the run's to read, never to write: anything new in it
	// is outside the publication too.
	filepath.WalkDir(filepath.Join(root, "inbox"), func(q string, d fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, q)
		}
		return nil
	})
	sort.Strings(paths)
	return paths
}

// newPaths lists the paths of after that are not in before (both sorted).
func newPaths(before, after []string) []string {
	var added []string
	for _, p := range after {
		if _, found := slices.BinarySearch(before, p); !found {
			added = append(added, p)
		}
	}
	return added
}

// faultGenerators make the cases whose files cannot live in git, by case
// name: root is the case's folder, inbox the copy of the example inbox.
var faultGenerators = map[string]func(t *testing.T, root, inbox string){
	"dangling-link": func(t *testing.T, root, inbox string) {
		link(t, filepath.Join(root, "gone.csv"), filepath.Join(inbox, "erp", "orders", "pedidos_2026-01.csv"))
	},
	"link-out-of-inbox": func(t *testing.T, root, inbox string) {
		// A list kept elsewhere and linked in is read like a file.
		list := filepath.Join(inbox, "pricelists", "kaspersky", "tabela_precos_dez2025.csv")
		moved := filepath.Join(root, "shared", "kaspersky.csv")
		os.MkdirAll(filepath.Dir(moved), 0o755)
		if err := os.Rename(list, moved); err != nil {
			t.Fatal(err)
		}
		link(t, moved, list)
	},
	"utf16": func(t *testing.T, root, inbox string) {
		// Excel's "Unicode Text": UTF-16 LE with a byte-order mark.
		p := filepath.Join(inbox, "erp", "orders", "pedidos_2025-12.csv")
		b := readBytes(t, p)
		u := []byte{0xff, 0xfe}
		for _, c := range b {
			u = append(u, c, 0) // the file is ASCII apart from a few bytes: fine for the test
		}
		writeBytes(t, p, u)
	},
	"binary": func(t *testing.T, root, inbox string) {
		writeBytes(t, filepath.Join(inbox, "erp", "orders", "pedidos_2026-01.csv"), []byte("so_number;\x00\x00\x01\x02binary"))
	},
	"xlsx-named-csv": func(t *testing.T, root, inbox string) {
		writeBytes(t, filepath.Join(inbox, "pricelists", "kaspersky", "tabela_precos_dez2025.csv"), []byte("PK\x03\x04\x14\x00\x06\x00xl/workbook.xml"))
	},
	"wrong-delimiter": func(t *testing.T, root, inbox string) {
		p := filepath.Join(inbox, "erp", "orders", "pedidos_2025-12.csv")
		writeBytes(t, p, bytes.ReplaceAll(readBytes(t, p), []byte(";"), []byte(",")))
	},
	"mixed-line-endings": func(t *testing.T, root, inbox string) {
		p := filepath.Join(inbox, "erp", "orders", "pedidos_2025-12.csv")
		b := readBytes(t, p)
		i := bytes.IndexByte(b, '\n')
		writeBytes(t, p, append(append(append([]byte{}, b[:i]...), '\r'), b[i:]...))
	},
	"non-utf8-name": func(t *testing.T, root, inbox string) {
		p := filepath.Join(inbox, "erp", "orders", "pedidos_2025-12.csv")
		if err := os.Rename(p, filepath.Join(inbox, "erp", "orders", "pedidos_dez_\xe7.csv")); err != nil {
			t.Fatal(err)
		}
	},
	"odd-names": func(t *testing.T, root, inbox string) {
		// Quotes, a ';' and a newline in a name: read like any file.
		p := filepath.Join(inbox, "erp", "orders", "pedidos_2025-12.csv")
		if err := os.Rename(p, filepath.Join(inbox, "erp", "orders", "pedidos \"dez\";2025\nnovo.csv")); err != nil {
			t.Fatal(err)
		}
	},
	"huge-line": func(t *testing.T, root, inbox string) {
		p := filepath.Join(inbox, "erp", "orders", "pedidos_2025-12.csv")
		writeBytes(t, p, append(readBytes(t, p), append(bytes.Repeat([]byte("x"), 1200000), '\n')...))
	},
	"billion-laughs": func(t *testing.T, root, inbox string) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE lolz [<!ENTITY lol "lol">`)
		for i := 1; i <= 9; i++ {
			fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
		}
		b.WriteString("]>\n<nfeProc>&lol9;</nfeProc>\n")
		writeBytes(t, filepath.Join(inbox, "nf", "lol.xml"), []byte(strings.Replace(b.String(), "&lol0;", "&lol;", -1)))
	},
	"xxe": func(t *testing.T, root, inbox string) {
		writeBytes(t, filepath.Join(inbox, "nf", "xxe.xml"), []byte(`<?xml version="1.0"?>`+"\n"+
			`<!DOCTYPE nfeProc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`+"\n"+`<nfeProc>&xxe;</nfeProc>`+"\n"))
	},
	"truncated-xml": func(t *testing.T, root, inbox string) {
		p := filepath.Join(inbox, "nf", "2025", "12", "nfe_5001.xml")
		b := readBytes(t, p)
		writeBytes(t, p, b[:len(b)/2])
	},
	"xlsx-bomb": func(t *testing.T, root, inbox string) {
		// 64 MiB of one shared string compress to a few dozen KiB.
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		part := func(name, body string) {
			w, err := z.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, body)
		}
		part("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
		part("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
		part("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
		w, err := z.Create("xl/sharedStrings.xml")
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
		chunk := bytes.Repeat([]byte("A"), 1<<20)
		for range 64 {
			w.Write(chunk)
		}
		io.WriteString(w, `</t></si></sst>`)
		part("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`)
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		writeBytes(t, filepath.Join(inbox, "pricelists", "adobe", "bomba.xlsx"), buf.Bytes())
	},
	"mem-shared-strings": func(t *testing.T, root, inbox string) {
		writeSharedStringsBomb(t, filepath.Join(inbox, "pricelists", "adobe", "cadeias.xlsx"))
	},
	"msg-xlsx-datetime": func(t *testing.T, root, inbox string) {
		// A request dated with Excel's date-time serial: noon of 1 December 2025.
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range [][]any{
			{"request_id", "requested_on", "seller", "customer", "vendor", "product_id", "quantity", "discount_pct"},
			{"Q-201", 45992.5, "Ana Paula", "C001", "Microsoft", "CFQ7TTC0QW7C", 10, 0},
		} {
			if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(filepath.Join(inbox, "quotes", "solicitacoes_2025-12-15.xlsx")); err != nil {
			t.Fatal(err)
		}
	},
	"msg-xlsx-unsaved-formula": func(t *testing.T, root, inbox string) {
		// A discount computed by a formula that was never calculated, as
		// a program writing workbooks leaves it.
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range [][]any{
			{"request_id", "requested_on", "seller", "customer", "vendor", "product_id", "quantity", "discount_pct"},
			{"Q-201", "15/12/2025", "Ana Paula", "C001", "Microsoft", "CFQ7TTC0QW7C", 10},
		} {
			if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetCellFormula("Sheet1", "H2", "G2/4"); err != nil {
			t.Fatal(err)
		}
		if err := f.SaveAs(filepath.Join(inbox, "quotes", "solicitacoes_2025-12-15.xlsx")); err != nil {
			t.Fatal(err)
		}
	},
	"linked-folder": func(t *testing.T, root, inbox string) {
		os.MkdirAll(filepath.Join(root, "shared"), 0o755)
		link(t, filepath.Join(root, "shared"), filepath.Join(inbox, "erp", "orders", "2026"))
	},
	"guard-warehouse-corrupt": func(t *testing.T, root, inbox string) {
		writeBytes(t, filepath.Join(root, "out", "warehouse.duckdb"), []byte(strings.Repeat("not a database ", 400)))
	},
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func readBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeBytes(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// filesUnder lists the files under dir, relative to it, for a failure's
// message.
func filesUnder(dir string) []string {
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files
}
