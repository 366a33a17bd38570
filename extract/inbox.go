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
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// File is one file of the inbox.
type File struct {
	Path    string // relative to the inbox root, '/'-separated: the name users see
	Size    int64
	ModTime time.Time
	// Tag identifies the content without reading it (an S3 ETag, a local
	// file's size, times and inode: statTag), or is empty when the inbox
	// has none: the ledger then hashes the bytes.
	Tag string
	// Local is where the bytes can be read on this machine: set by the
	// inbox's Fetch (Sync does it), never guessed from Path.
	Local string
}

// Inbox is where deliveries arrive, as restic's backends are where
// snapshots live: one listing, and a way to make a file readable here. The
// pipelines, the ledger and the extractors see only this interface; DuckDB
// and the Go readers always read the local path Fetch returns.
type Inbox interface {
	// List lists every entry, classified as ListDir does: files to read,
	// entries skipped on purpose, entries that cannot be read.
	List(ctx context.Context) (Listing, error)
	// Fetch returns a local path holding f's bytes (a download for a
	// remote inbox; the file itself for a folder).
	Fetch(ctx context.Context, f File) (string, error)
	// String names the inbox for messages (a folder, s3://bucket/prefix).
	String() string
}

// Dir is the inbox as a local folder: files are read where they are,
// never copied.
type Dir string

// List lists the folder (ListDir).
func (d Dir) List(ctx context.Context) (Listing, error) { return ListDir(ctx, string(d)) }

// Fetch returns the file's own path.
func (d Dir) Fetch(ctx context.Context, f File) (string, error) {
	if f.Local != "" {
		return f.Local, nil
	}
	if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
		return "", fmt.Errorf("%s: not a path inside the inbox %s", f.Path, string(d))
	}
	return filepath.Join(string(d), filepath.FromSlash(f.Path)), nil
}

func (d Dir) String() string { return string(d) }

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
	now := time.Now()
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
		if skip, refuse := judgeName(name, d.IsDir()); refuse != nil || skip != "" {
			if refuse != nil {
				bad(p, refuse)
			} else if d.IsDir() {
				l.Skipped = append(l.Skipped, Skipped{Path: rel(p) + "/", Reason: skip})
			} else {
				l.Skipped = append(l.Skipped, Skipped{Path: rel(p), Reason: skip})
			}
			if d.IsDir() {
				return filepath.SkipDir
			}
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
		l.Files = append(l.Files, File{Path: rel(p), Local: p, Size: info.Size(), ModTime: info.ModTime(), Tag: statTag(info, now)})
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("inbox %s: %w", root, err)
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	return l, nil
}

// errDotDot refuses a name starting with "..", in a folder or a key.
var errDotDot = errors.New(`a name starting with ".." is refused (it reads as the parent folder): rename it`)

// judgeName says what a listing makes of one entry by its name alone:
// refused (an error), skipped (the reason), or neither (read the file,
// descend into the folder). ListDir and ListFlat share it, so a folder and
// a bucket are held to the same rules.
func judgeName(name string, dir bool) (skip string, refuse error) {
	if strings.HasPrefix(name, "..") {
		return "", errDotDot
	}
	why, ok := clutter(name)
	switch {
	case !ok:
		return "", nil
	case dir:
		return why + " folder", nil
	case why == "hidden":
		return "hidden file", nil
	}
	return why, nil
}

// ListFlat lists a store without folders (an S3 bucket under a prefix),
// whose entries are names relative to the inbox root with '/' between
// folders, by the rules ListDir applies to a folder: each folder segment
// and the file name are judged as ListDir judges a folder's entries (a
// hidden or clutter folder is skipped once with everything under it, a
// ".." name refused), and a name that cannot be a path inside a local
// folder (empty or "." segments, a leading '/', a backslash, a name
// Windows reserves) is refused, as the file is read from a local copy. A
// name ending in '/' is a folder marker, not a file.
func ListFlat(entries []File) Listing {
	var l Listing
	done := map[string]bool{} // folders already skipped or refused
	for _, e := range entries {
		p := e.Path
		if !utf8.ValidString(p) {
			l.Unreadable = append(l.Unreadable, fileNameError(p).(*PosError))
			continue
		}
		marker := strings.HasSuffix(p, "/") && p != "/"
		segs := strings.Split(strings.TrimSuffix(p, "/"), "/")
		if marker && e.Size > 0 {
			marker = false // a file whose name ends in '/' holds data: refuse it below
			segs = append(segs, "")
		}
		if slices.Contains(segs, "") || slices.Contains(segs, ".") {
			// Named whole: the folder it would sit in has no name.
			l.Unreadable = append(l.Unreadable, &PosError{File: p, Err: errors.New(`an empty or "." segment in the name is refused (it names no file inside the cache folder): rename it`)})
			continue
		}
		if l.judgeFlat(segs, marker, done) {
			l.Files = append(l.Files, e)
		}
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	sort.Slice(l.Skipped, func(i, j int) bool { return l.Skipped[i].Path < l.Skipped[j].Path })
	sort.Slice(l.Unreadable, func(i, j int) bool { return l.Unreadable[i].File < l.Unreadable[j].File })
	return l
}

// judgeFlat judges the folders and the file name of one flat entry,
// recording a skip or a refusal (once per folder); true means read it.
func (l *Listing) judgeFlat(segs []string, marker bool, done map[string]bool) bool {
	for i, seg := range segs {
		dir := i < len(segs)-1 || marker
		at := strings.Join(segs[:i+1], "/")
		if done[at] {
			return false
		}
		var skip string
		var refuse error
		switch {
		case strings.Contains(seg, `\`):
			refuse = errors.New(`a backslash in the name is refused (a folder separator on Windows): rename it`)
		case !strings.HasPrefix(seg, "..") && !filepath.IsLocal(seg):
			refuse = errors.New("a name this system cannot store as a file is refused: rename it")
		default:
			skip, refuse = judgeName(seg, dir)
		}
		if dir && (refuse != nil || skip != "") {
			done[at] = true
		}
		switch {
		case refuse != nil:
			l.Unreadable = append(l.Unreadable, &PosError{File: at, Err: refuse})
			return false
		case skip != "" && dir:
			l.Skipped = append(l.Skipped, Skipped{Path: at + "/", Reason: skip})
			return false
		case skip != "":
			l.Skipped = append(l.Skipped, Skipped{Path: at, Reason: skip})
			return false
		}
	}
	return !marker
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

	// A small file gets buffers of its size, not chunk's: allocating and
	// zeroing 4 MiB for each of hundreds of NF-e of a few KiB cost seconds
	// of a run with nothing new. Any size reads right (a file that grew
	// since it was listed takes more reads).
	if f.Size >= 0 && f.Size < int64(chunk) {
		chunk = int(f.Size) + 1
	}
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
