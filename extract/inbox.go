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

func fingerprintFile(ctx context.Context, f File) (fingerprint, error) {
	in, err := os.Open(f.Local)
	if err != nil {
		return fingerprint{}, fmt.Errorf("%s: %w", f.Path, err)
	}
	defer in.Close()
	h := sha256.New()
	fp := fingerprint{UTF8: true}
	buf := make([]byte, 1<<20)
	var carry []byte // an incomplete UTF-8 sequence at a buffer's end
	for {
		if ctx.Err() != nil {
			return fingerprint{}, ctx.Err()
		}
		n, err := in.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			h.Write(chunk)
			fp.Newlines += int64(bytes.Count(chunk, []byte{'\n'}))
			if fp.UTF8 {
				data := append(carry, chunk...)
				cut := len(data)
				for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
					if utf8.RuneStart(data[i]) {
						if !utf8.FullRune(data[i:]) {
							cut = i // keep an incomplete rune for the next chunk
						}
						break
					}
				}
				fp.UTF8 = utf8.Valid(data[:cut])
				carry = append([]byte(nil), data[cut:]...)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fingerprint{}, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	if len(carry) > 0 && !utf8.Valid(carry) {
		fp.UTF8 = false
	}
	fp.SHA256 = hex.EncodeToString(h.Sum(nil))
	return fp, nil
}
