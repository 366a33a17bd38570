// Package extract lists inbox files, recognises their kind and loads each
// into the warehouse's raw tables, once per content hash, with the file and
// line every row came from.
package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// File is one file of the inbox.
type File struct {
	Path  string // relative to the inbox root, '/'-separated: the name users see
	Local string // where it can be read on this machine
	Size  int64
}

// Listing is what an inbox folder holds: the files to read, the entries
// skipped on purpose (hidden files, the clutter editors and file managers
// leave) and the entries that cannot be read. Nothing is dropped in silence:
// skipped entries go into the manifest and the run's output, unreadable ones
// fail the pipelines that read their folder.
type Listing struct {
	Files      []File
	Skipped    []Skipped
	Unreadable []*PosError
}

// Skipped is an inbox entry that is not read, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// clutter tells whether a file name is one of the files operating systems
// and office suites leave beside real ones, and which.
func clutter(name string) (string, bool) {
	switch lower := strings.ToLower(name); {
	case lower == ".ds_store":
		return "macOS folder metadata", true
	case lower == "thumbs.db" || lower == "desktop.ini" || lower == "ehthumbs.db":
		return "Windows folder metadata", true
	case strings.HasPrefix(name, "~$"):
		return "Office lock file (the document is open in Excel or Word)", true
	case strings.HasPrefix(name, ".~lock.") && strings.HasSuffix(name, "#"):
		return "LibreOffice lock file (the document is open)", true
	case strings.HasPrefix(name, "..") && name != "..":
		return "", false // refused, not skipped: see ListDir
	case strings.HasPrefix(name, "."):
		return "hidden", true
	}
	return "", false
}

// ListDir lists the inbox folder root. Regular files, and links to regular
// files, are to be read. Hidden entries (".name", a folder with everything
// under it) and clutter (.DS_Store, Thumbs.db, desktop.ini, Office's "~$"
// lock files) are skipped. A name starting with "..", a link to nothing or
// to a folder, a special file, or a folder that cannot be listed is
// unreadable: reading past it would publish a set without its data.
func ListDir(ctx context.Context, root string) (Listing, error) {
	var l Listing
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return l, fmt.Errorf("inbox %s: no such folder (set --inbox, or inbox: in the config file)", root)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return filepath.ToSlash(p)
		}
		return filepath.ToSlash(r)
	}
	bad := func(p string, err error) {
		l.Unreadable = append(l.Unreadable, &PosError{File: rel(p), Err: err})
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if p == root {
				return err
			}
			bad(p, fmt.Errorf("cannot be listed: %w", unwrapPath(err)))
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if p == root {
			return nil
		}
		name := d.Name()
		if !utf8.ValidString(name) {
			// DuckDB, the manifest and every report's source_file need
			// text: only a rename fixes it everywhere.
			l.Unreadable = append(l.Unreadable, fileNameError(rel(p)).(*PosError))
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, "..") {
			bad(p, errors.New(`a name starting with ".." is refused (it reads as the parent folder): rename it`))
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if why, ok := clutter(name); ok {
			if d.IsDir() {
				l.Skipped = append(l.Skipped, Skipped{Path: rel(p) + "/", Reason: why + " folder"})
				return filepath.SkipDir
			}
			if why == "hidden" {
				why = "hidden file"
			}
			l.Skipped = append(l.Skipped, Skipped{Path: rel(p), Reason: why})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			bad(p, unwrapPath(err))
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A linked file counts; a linked folder is not followed (it
			// could loop, or pull in a tree the inbox does not own).
			target, _ := os.Readlink(p)
			if info, err = os.Stat(p); err != nil {
				bad(p, fmt.Errorf("a link to %s, which cannot be read: %w", target, unwrapPath(err)))
				return nil
			}
			if info.IsDir() {
				bad(p, fmt.Errorf("a link to the folder %s: linked folders are not read; copy its files into the inbox", target))
				return nil
			}
		}
		if !info.Mode().IsRegular() {
			bad(p, fmt.Errorf("not a regular file (%s)", info.Mode().Type()))
			return nil
		}
		l.Files = append(l.Files, File{Path: rel(p), Local: p, Size: info.Size()})
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("inbox %s: %w", root, err)
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	return l, nil
}

// unwrapPath drops the operation and path of a *fs.PathError, as the
// caller names the file the way users see it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fingerprint is what one pass over a file tells: its hash, how many '\n' it
// holds (to know whether quoted fields span lines) and whether it is UTF-8.
type fingerprint struct {
	SHA256   string
	Newlines int64
	UTF8     bool
}

// fingerprintChunk is how much of a file one read takes.
const fingerprintChunk = 1 << 20

func fingerprintFile(ctx context.Context, f File) (fingerprint, error) {
	return fingerprintChunks(ctx, f, fingerprintChunk)
}

// fingerprintChunks reads f once, chunk bytes at a time. The hash runs in a
// goroutine of its own while this one reads the next chunk, counts newlines
// and checks UTF-8: a few buffers go round between the two, the hasher
// handing each back once hashed.
func fingerprintChunks(ctx context.Context, f File, chunk int) (fingerprint, error) {
	in, err := os.Open(f.Local)
	if err != nil {
		return fingerprint{}, fmt.Errorf("%s: %w", f.Path, err)
	}
	defer in.Close()

	const nbuf = 4
	free := make(chan []byte, nbuf) // never full when a buffer comes back
	for range nbuf {
		free <- make([]byte, chunk)
	}
	toHash := make(chan []byte, nbuf)
	h := sha256.New()
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for b := range toHash {
			h.Write(b)
			free <- b[:cap(b)]
		}
	}()
	// This goroutine is done with a buffer before it takes the next one
	// from free, so a buffer there is no longer in use by either side.

	fp := fingerprint{UTF8: true}
	var v utf8Validator
	err = func() error {
		defer close(toHash)
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf := <-free
			n, err := in.Read(buf)
			if n > 0 {
				b := buf[:n]
				toHash <- b
				fp.Newlines += int64(bytes.Count(b, []byte{'\n'}))
				if fp.UTF8 {
					fp.UTF8 = v.write(b)
				}
			} else {
				free <- buf
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
		}
	}()
	<-hashed
	if err != nil {
		return fingerprint{}, err
	}
	fp.UTF8 = fp.UTF8 && v.end()
	fp.SHA256 = hex.EncodeToString(h.Sum(nil))
	return fp, nil
}

// utf8Validator checks that a stream of chunks is UTF-8 as a whole, a
// character possibly split between two chunks. Only the few bytes of such
// a character are copied.
type utf8Validator struct {
	carry  [utf8.UTFMax]byte // the start of a character cut at a chunk's end
	ncarry int
}

// write checks the next chunk; false means the stream is not UTF-8.
func (v *utf8Validator) write(b []byte) bool {
	if v.ncarry > 0 {
		// Complete the carried character with the chunk's first bytes.
		k := min(len(b), utf8.UTFMax-v.ncarry)
		var joint [2 * utf8.UTFMax]byte
		j := append(joint[:0], v.carry[:v.ncarry]...)
		j = append(j, b[:k]...)
		if !utf8.FullRune(j) { // still cut: the chunk was tiny
			v.ncarry = copy(v.carry[:], j)
			return true
		}
		r, size := utf8.DecodeRune(j)
		if r == utf8.RuneError && size == 1 {
			return false
		}
		b = b[size-v.ncarry:]
		v.ncarry = 0
	}
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				cut = i // keep an incomplete character for the next chunk
			}
			break
		}
	}
	v.ncarry = copy(v.carry[:], b[cut:])
	return utf8.Valid(b[:cut])
}

// end tells whether the stream ended on a whole character.
func (v *utf8Validator) end() bool { return v.ncarry == 0 }

// Select returns the files of the listing that the given kinds read, and
// the entries skipped for them: hidden files and clutter anywhere, files
// outside every kind's folder, and unreadable entries outside the folders
// these kinds read. An unreadable entry, or a file that no kind reads, in
// a folder these kinds read fails, listing every such entry: reading past
// it would publish a set without its data.
func (l Listing) Select(kinds []Kind) ([]File, []Skipped, error) {
	want := map[string]bool{}
	areas := map[string]bool{}
	for _, k := range kinds {
		want[k.Name] = true
		areas[k.Area()] = true
	}
	var files []File
	var skipped []Skipped
	var bad []error
	for _, s := range l.Skipped {
		if a := Area(s.Path); a == "" || areas[a] || !knownArea(a) {
			skipped = append(skipped, s)
		}
	}
	for _, e := range l.Unreadable {
		switch a := Area(e.File); {
		case areas[a]:
			bad = append(bad, e)
		case !knownArea(a):
			skipped = append(skipped, Skipped{Path: e.File, Reason: "outside the folders salesops reads, and unreadable: " + e.Err.Error()})
		}
	}
	for _, f := range l.Files {
		k, err := Classify(f.Path)
		switch {
		case err != nil:
			if areas[Area(f.Path)] {
				bad = append(bad, err)
			}
		case k.Name == "":
			skipped = append(skipped, Skipped{Path: f.Path, Reason: "outside the folders salesops reads"})
		case want[k.Name]:
			files = append(files, f)
		}
	}
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].Path < skipped[j].Path })
	switch len(bad) {
	case 0:
		return files, skipped, nil
	case 1:
		return nil, skipped, bad[0]
	}
	return nil, skipped, &InboxError{Errs: bad}
}

// InboxError lists several inbox entries that cannot be read.
type InboxError struct{ Errs []error }

func (e *InboxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d inbox files cannot be read:", len(e.Errs))
	for _, err := range e.Errs {
		b.WriteString("\n  " + err.Error())
	}
	return b.String()
}

func (e *InboxError) Unwrap() []error { return e.Errs }

// knownArea tells whether a top folder is one some kind reads.
func knownArea(a string) bool {
	for _, k := range Kinds {
		if k.Area() == a {
			return true
		}
	}
	return false
}
