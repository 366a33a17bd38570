package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/pipelines"
)

// inboxFile is one file of the generated inbox.
type inboxFile struct {
	Rel      string // inbox-relative, with '/'
	Local    string
	Kind     string // extract kind ("" if no kind reads it)
	Period   string // the generated period its path names, "" if none (master data, rules) or its kind is not monthly
	CSV      bool
	Encoding string // for read_csv: "" (UTF-8) or "latin-1"
	Size     int64
}

type inbox struct {
	Root  string
	Files []inboxFile
}

// scanInbox lists the inbox, gives each file its kind and the period its
// path names, and reads every file once: the encoding the baseline must
// give read_csv is found, and the files are in the page cache before the
// first pair, so neither side of it pays for the disk alone.
func scanInbox(ctx context.Context, root string, periods []string) (*inbox, error) {
	l, err := extract.ListDir(ctx, root)
	if err != nil {
		return nil, err
	}
	if len(l.Unreadable) > 0 {
		return nil, fmt.Errorf("inbox %s: %v", root, l.Unreadable[0])
	}
	in := &inbox{Root: root}
	for _, f := range l.Files {
		k, _ := extract.KindOf(f.Path)
		file := inboxFile{Rel: f.Path, Local: f.Local, Kind: k.Name, Period: periodOf(f.Path, periods), Size: f.Size,
			CSV: strings.EqualFold(filepath.Ext(f.Path), ".csv")}
		utf, err := readAll(f.Local)
		if err != nil {
			return nil, err
		}
		if file.CSV && !utf {
			// The ERP's Windows-1252 exports: read_csv reads only UTF-8
			// by default; latin-1 is its nearest.
			file.Encoding = "latin-1"
		}
		in.Files = append(in.Files, file)
	}
	// A kind laid out by month has files naming several periods; one
	// that names a single period (the generator's one price list, named
	// for the latest month) is not monthly data: every history has it.
	periodsOf := map[string]map[string]bool{}
	for _, f := range in.Files {
		if f.Period != "" {
			if periodsOf[f.Kind] == nil {
				periodsOf[f.Kind] = map[string]bool{}
			}
			periodsOf[f.Kind][f.Period] = true
		}
	}
	for i, f := range in.Files {
		if len(periodsOf[f.Kind]) < 2 {
			in.Files[i].Period = ""
		}
	}
	return in, nil
}

// readAll reads a file through and says whether it is valid UTF-8.
func readAll(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	valid := true
	buf := make([]byte, 1<<20)
	var carry []byte
	for {
		n, err := f.Read(buf)
		if n > 0 && valid {
			chunk := append(carry, buf[:n]...)
			// A rune may straddle two reads: keep an incomplete tail.
			cut := len(chunk)
			for i := 1; i <= utf8.UTFMax && i <= len(chunk); i++ {
				if utf8.RuneStart(chunk[len(chunk)-i]) {
					if !utf8.FullRune(chunk[len(chunk)-i:]) {
						cut = len(chunk) - i
					}
					break
				}
			}
			valid = utf8.Valid(chunk[:cut])
			carry = append(carry[:0], chunk[cut:]...)
		}
		if err == io.EOF {
			return valid && utf8.Valid(carry), nil
		}
		if err != nil {
			return false, err
		}
	}
}

// periodOf returns the period among periods that the path names (as
// 2025-12, 202512, 2025_12 or a 2025/12 folder), or "" when it names none.
func periodOf(rel string, periods []string) string {
	for _, m := range pathPeriodRE.FindAllStringSubmatch(rel, -1) {
		if p := m[1] + "-" + m[2]; slices.Contains(periods, p) {
			return p
		}
	}
	return ""
}

var pathPeriodRE = regexp.MustCompile(`(?:^|[^0-9])(\d{4})[-_/]?(0[1-9]|1[0-2])(?:$|[^0-9])`)

// kindsOf are the extract kinds the named pipelines read.
func kindsOf(names []string) (map[string]bool, error) {
	ps, err := pipelines.Lookup(names)
	if err != nil {
		return nil, err
	}
	kinds := map[string]bool{}
	for _, p := range ps {
		for _, k := range p.Kinds {
			kinds[k] = true
		}
	}
	return kinds, nil
}

// subset returns the files of the periods keep accepts (files naming no
// period are always kept).
func (in *inbox) subset(keep func(period string) bool) []inboxFile {
	var out []inboxFile
	for _, f := range in.Files {
		if f.Period == "" || keep(f.Period) {
			out = append(out, f)
		}
	}
	return out
}

// plan is the baseline of a run: the CSV files among files that the named
// pipelines read.
func plan(files []inboxFile, names []string) ([]BaselineFile, error) {
	kinds, err := kindsOf(names)
	if err != nil {
		return nil, err
	}
	var out []BaselineFile
	for _, f := range files {
		if f.CSV && kinds[f.Kind] {
			out = append(out, BaselineFile{Path: f.Local, Encoding: f.Encoding})
		}
	}
	return out, nil
}

// materialize makes an inbox folder of files, hard-linked to the
// generated ones (copied where links fail), so each history is a real
// folder without a second copy of its bytes.
func materialize(dir string, files []inboxFile) error {
	for _, f := range files {
		dst := filepath.Join(dir, filepath.FromSlash(f.Rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Link(f.Local, dst); err == nil {
			continue
		}
		if err := copyTree(f.Local, dst); err != nil {
			return fmt.Errorf("inbox %s: %w", dir, err)
		}
	}
	return nil
}
