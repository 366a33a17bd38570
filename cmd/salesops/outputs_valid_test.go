package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	_ "github.com/duckdb/duckdb-go/v2"
)

// TestExampleOutputsValid runs every pipeline on the example inbox and
// checks that each file it publishes is valid for its format (see
// checkOutputsValid). TestGenRunsEveryPipeline does the same on a
// generated inbox.
func TestExampleOutputsValid(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	var stdout bytes.Buffer
	if err := runRun(context.Background(), &stdout, GlobalOptions{Config: filepath.Join("..", "..", "examples", "salesops.yaml"), Out: out}, RunOptions{}, []string{"all"}); err != nil {
		t.Fatalf("run all: %v\n%s", err, stdout.String())
	}
	// The run says where to look: each set's rejects, and the site.
	for _, want := range []string{"  rejects: " + filepath.Join(out, "quotes", "2025-12", "rejects.csv") + "\n",
		"site: " + filepath.Join(out, "site", "index.html") + "\n"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run all printed no %q:\n%s", want, stdout.String())
		}
	}
	n := checkOutputsValid(t, out)
	// The examples publish workbooks with charts, proposals, drafts and a
	// calendar: a walk that found none of them checked nothing.
	for _, ext := range []string{".xlsx", ".pdf", ".ics", ".parquet", ".csv", ".json"} {
		if n[ext] == 0 {
			t.Errorf("no %s file published under %s", ext, out)
		}
	}
}

// checkOutputsValid opens every file under out as the program its users
// open it with would, by extension, and fails the test for each that does
// not parse: every XML part of a workbook (a strict XML parser, as Excel,
// LibreOffice and openpyxl use), every PDF (pdftotext when installed, the
// file's structure otherwise), every iCalendar file, every Parquet file
// (DuckDB), every CSV (a consistent number of fields) and every JSON file.
// It returns how many files of each extension it checked.
func checkOutputsValid(t *testing.T, out string) map[string]int {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, pdftotextErr := exec.LookPath("pdftotext")
	n := map[string]int{}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if strings.HasPrefix(rel, "warehouse.duckdb") {
			return nil
		}
		ext := filepath.Ext(p)
		var problem error
		switch ext {
		case ".xlsx":
			problem = xlsxPartsValid(p)
		case ".pdf":
			if pdftotextErr == nil {
				if b, err := exec.Command("pdftotext", "-q", p, "-").CombinedOutput(); err != nil {
					problem = errors.New("pdftotext: " + err.Error() + ": " + string(b))
				}
			} else {
				problem = pdfStructureValid(p)
			}
		case ".ics":
			problem = icsValid(p)
		case ".parquet":
			var rows int64
			problem = db.QueryRow("SELECT count(*) FROM read_parquet(?)", p).Scan(&rows)
		case ".csv":
			problem = csvValid(p)
		case ".json":
			if b, err := os.ReadFile(p); err != nil {
				problem = err
			} else if !json.Valid(b) {
				problem = errors.New("not valid JSON")
			}
		default:
			return nil
		}
		n[ext]++
		if problem != nil {
			t.Errorf("%s: %v", rel, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// xlsxPartsValid parses every XML part of a workbook to its end.
func xlsxPartsValid(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer z.Close()
	parts := 0
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		d := xml.NewDecoder(r)
		for {
			_, err = d.Token()
			if err != nil {
				break
			}
		}
		r.Close()
		if err != io.EOF {
			return errors.New(f.Name + ": " + err.Error())
		}
		parts++
	}
	if parts == 0 {
		return errors.New("no XML part")
	}
	return nil
}

var startxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

// pdfStructureValid checks what a PDF reader needs first: the header, and
// a startxref that points at the cross-reference table.
func pdfStructureValid(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		return errors.New("no %PDF header")
	}
	m := startxref.FindSubmatch(b)
	if m == nil {
		return errors.New("no startxref and %%EOF at the end")
	}
	off, err := strconv.Atoi(string(m[1]))
	if err != nil || off >= len(b) || !bytes.HasPrefix(b[off:], []byte("xref")) {
		return errors.New("startxref does not point at the xref table")
	}
	return nil
}

// icsValid parses a calendar and requires what RFC 5545 requires of each
// event: a UID, a DTSTAMP and a start.
func icsValid(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cal, err := ics.ParseCalendar(f)
	if err != nil {
		return err
	}
	for _, e := range cal.Events() {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp, ics.ComponentPropertyDtStart} {
			if e.GetProperty(p) == nil {
				return errors.New("an event without " + string(p))
			}
		}
	}
	return nil
}

// csvValid reads a CSV with the delimiter of its header (';' for people,
// ',' for machines): every record with the header's number of fields.
func csvValid(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	header, _, _ := bytes.Cut(b, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(b))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		r.Comma = ';'
	}
	_, err = r.ReadAll()
	return err
}
