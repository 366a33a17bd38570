// Package extract lists inbox files, recognises their kind and loads each
// into the warehouse's raw tables, once per content hash, with the file and
// line every row came from.
package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// ListDir lists every regular file under root. Hidden files and folders
// (".name") are skipped: editors and sync tools leave them around.
func ListDir(ctx context.Context, root string) ([]File, error) {
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("inbox %s: no such folder (set --inbox, or inbox: in the config file)", root)
	}
	var files []File
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A linked file counts; a linked folder is not followed.
			if info, err = os.Stat(p); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		files = append(files, File{Path: filepath.ToSlash(rel), Local: p, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", root, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
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
