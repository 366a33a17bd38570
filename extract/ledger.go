package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/salesops/salesops/transform"
)

// Input is the state of one inbox file after a sync.
type Input struct {
	Kind        string
	Path        string
	SHA256      string
	Rows        int64
	DuplicateOf string // same content as this already-loaded path: not loaded again
}

// candidate is an inbox file of a synced kind, before it is (re)loaded.
type candidate struct {
	f      File
	k      Kind
	fp     fingerprint
	prev   loadedFile
	exists bool
	// fetched: f.Local holds the bytes and fp was computed from them.
	// An object whose tag the ledger already holds is not fetched: fp
	// then only carries the SHA-256 the ledger remembers.
	fetched bool
	// settings is what parsing the file depends on besides its bytes
	// (settingsOf): a file read under other settings is read again.
	settings string
	// peers are the candidates a mapped file's join reads (joinPeers).
	peers []int
}

// Sync brings the warehouse's raw tables in line with the inbox for the
// given kinds: new and changed files are (re)loaded, each in one transaction
// that first deletes the rows of its previous version; files gone from the
// inbox have their rows deleted; unchanged files are not read again. Files
// are read only through in.Fetch; a file with a content tag (an S3 ETag)
// the ledger already holds under the same settings is not even fetched.
func Sync(ctx context.Context, w *transform.Warehouse, in Inbox, files []File, kinds []Kind, opts Options) ([]Input, error) {
	want := map[string]bool{}
	byPath := map[string]loadedFile{} // what the warehouse holds, by inbox path
	// Every kind's staging model, synced or not: a pipeline's models may
	// read a staged kind it does not load (then as the rows others loaded).
	// Once per Open: they stay current until the warehouse is closed.
	if !w.StagingEnsured {
		for _, k := range Kinds {
			if err := ensureStaging(ctx, w, k); err != nil {
				return nil, err
			}
		}
		w.StagingEnsured = true
	}
	for _, k := range kinds {
		want[k.Name] = true
		loaded, err := loadedFiles(ctx, w, k.Name)
		if err != nil {
			return nil, err
		}
		for _, l := range loaded {
			byPath[l.path] = l
		}
	}
	var cands []candidate
	present := map[string]bool{}
	bySHA := map[string]string{} // kind+sha → the path whose rows count
	for _, f := range files {
		k, ok := KindOf(f.Path)
		if !ok || !want[k.Name] {
			continue
		}
		present[f.Path] = true
		c := candidate{f: f, k: k, settings: settingsOf(k, f.Path, opts)}
		c.prev, c.exists = byPath[f.Path]
		if c.exists && f.Tag != "" && c.prev.tag == f.Tag && c.prev.settings == c.settings {
			// The same object as loaded: its bytes are not needed.
			c.fp = fingerprint{SHA256: c.prev.sha}
		} else if err := c.fetch(ctx, in); err != nil {
			return nil, err
		}
		cands = append(cands, c)
	}
	if err := joinPeers(ctx, in, cands, opts); err != nil {
		return nil, err
	}
	for _, c := range cands {
		if c.exists && c.prev.sha == c.fp.SHA256 && c.prev.settings == c.settings {
			if _, seen := bySHA[c.key()]; !seen {
				bySHA[c.key()] = c.f.Path
			}
		}
	}

	var inputs []Input
	for _, c := range cands {
		f, k, fp, prev := c.f, c.k, c.fp, c.prev
		owner, dup := bySHA[c.key()]
		if c.exists && prev.sha == fp.SHA256 && prev.settings == c.settings && owner == f.Path {
			if f.Tag != prev.tag {
				// Same bytes under a new tag (uploaded again): remember
				// the tag, so the next run need not fetch them.
				if _, err := w.Conn.ExecContext(ctx, "UPDATE files SET tag = ? WHERE file_id = ?", f.Tag, prev.id); err != nil {
					return nil, fmt.Errorf("%s: %w", f.Path, err)
				}
			}
			inputs = append(inputs, Input{Kind: k.Name, Path: f.Path, SHA256: fp.SHA256, Rows: prev.rows})
			continue
		}
		if dup && owner != f.Path {
			// The same delivery twice under two names would double its rows.
			if c.exists {
				if err := w.InTx(ctx, func() error { return forget(ctx, w, prev.id, k) }); err != nil {
					return nil, fmt.Errorf("%s: %w", f.Path, err)
				}
			}
			inputs = append(inputs, Input{Kind: k.Name, Path: f.Path, SHA256: fp.SHA256, DuplicateOf: owner})
			continue
		}
		if !c.fetched {
			// Known by its tag, but read again (its owner changed).
			if err := c.fetch(ctx, in); err != nil {
				return nil, err
			}
			f, fp = c.f, c.fp
		}
		var rows int64
		t := time.Now()
		err := w.InTx(ctx, func() error {
			if c.exists {
				if err := forget(ctx, w, prev.id, k); err != nil {
					return err
				}
			}
			var id int64
			if err := w.Conn.QueryRowContext(ctx, "SELECT nextval('file_id_seq')").Scan(&id); err != nil {
				return err
			}
			src := source{File: f, fp: fp, fileID: id, staging: k.Staging}
			for _, p := range c.peers {
				src.peers = append(src.peers, source{File: cands[p].f, fp: cands[p].fp})
			}
			n, err := k.load(ctx, w, src, opts)
			if err != nil {
				return err
			}
			rows = n
			if k.Staging != "" {
				if err := w.RefreshIncremental(ctx, k.Staging); err != nil {
					return err
				}
			}
			_, err = w.Conn.ExecContext(ctx, "INSERT INTO files (file_id, kind, path, sha256, size_bytes, rows, loaded_at, settings, tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				id, k.Name, f.Path, fp.SHA256, f.Size, n, time.Now().UTC(), c.settings, f.Tag)
			return err
		})
		if err != nil {
			var pe *PosError
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		slog.Debug("load", "file", f.Path, "rows", rows, "took", time.Since(t))
		bySHA[c.key()] = f.Path
		inputs = append(inputs, Input{Kind: k.Name, Path: f.Path, SHA256: fp.SHA256, Rows: rows})
	}

	// Files of these kinds that left the inbox stop counting.
	for _, k := range kinds {
		loaded, err := loadedFiles(ctx, w, k.Name)
		if err != nil {
			return nil, err
		}
		for _, l := range loaded {
			if present[l.path] {
				continue
			}
			if err := w.InTx(ctx, func() error { return forget(ctx, w, l.id, k) }); err != nil {
				return nil, fmt.Errorf("unload %s: %w", l.path, err)
			}
		}
	}
	return inputs, nil
}

// ensureStaging makes sure the incremental staging model of k exists and
// matches its SQL; when it had to be (re)built, every file of k is
// forgotten, so this sync loads them again.
func ensureStaging(ctx context.Context, w *transform.Warehouse, k Kind) error {
	if k.Staging == "" {
		return nil
	}
	return w.InTx(ctx, func() error {
		reset, err := w.EnsureIncremental(ctx, k.Staging)
		if err != nil || !reset {
			return err
		}
		loaded, err := loadedFiles(ctx, w, k.Name)
		if err != nil {
			return err
		}
		for _, l := range loaded {
			if err := forget(ctx, w, l.id, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadedFile is a file the warehouse holds rows of.
type loadedFile struct {
	id       int64
	path     string
	sha      string
	rows     int64
	settings string
	tag      string // the content tag it was loaded under ("" for a local file)
}

// loadedFiles lists the loaded files of one kind.
func loadedFiles(ctx context.Context, w *transform.Warehouse, kind string) ([]loadedFile, error) {
	rows, err := w.Conn.QueryContext(ctx, "SELECT file_id, path, sha256, rows, coalesce(settings, ''), coalesce(tag, '') FROM files WHERE kind = ? ORDER BY file_id", kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []loadedFile
	for rows.Next() {
		var l loadedFile
		if err := rows.Scan(&l.id, &l.path, &l.sha, &l.rows, &l.settings, &l.tag); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// forget deletes everything one loaded file contributed.
func forget(ctx context.Context, w *transform.Warehouse, id int64, k Kind) error {
	if k.Staging != "" {
		if err := w.ForgetIncrement(ctx, k.Staging, id); err != nil {
			return err
		}
		if err := w.RefreshIncremental(ctx, k.Staging); err != nil {
			return err
		}
	}
	if k.Table != "" {
		if _, err := w.Conn.ExecContext(ctx, "DELETE FROM "+transform.QuoteIdent(k.Table)+" WHERE file_id = ?", id); err != nil {
			return err
		}
	}
	for _, q := range []string{
		"DELETE FROM file_columns WHERE file_id = ?",
		"DELETE FROM file_unmapped WHERE file_id = ?",
		"DELETE FROM load_rejects WHERE file_id = ?",
		"DELETE FROM files WHERE file_id = ?",
	} {
		if _, err := w.Conn.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// fetch makes c's file readable here through the inbox and fingerprints it.
func (c *candidate) fetch(ctx context.Context, in Inbox) error {
	local, err := in.Fetch(ctx, c.f)
	if err != nil {
		return err
	}
	c.f.Local = local
	t := time.Now()
	if c.fp, err = fingerprintFile(ctx, c.f); err != nil {
		return err
	}
	slog.Debug("fingerprint", "file", c.f.Path, "took", time.Since(t))
	c.fetched = true
	return nil
}

// joinPeers gives each candidate read through a mapping with a join the
// candidates its join reads, fetched, and adds their paths and SHA-256 to
// its settings: a changed, new or removed header file reads the items
// joined to it again.
func joinPeers(ctx context.Context, in Inbox, cands []candidate, opts Options) error {
	for i := range cands {
		c := &cands[i]
		f, join := opts.ERP.format(c.k.Name, c.f.Path)
		if f == nil || join || f.Join == nil {
			continue
		}
		var sums []string
		for j := range cands {
			p := &cands[j]
			if j == i || !match("erp/"+f.Join.Files, p.f.Path) {
				continue
			}
			if !p.fetched {
				if err := p.fetch(ctx, in); err != nil {
					return err
				}
			}
			c.peers = append(c.peers, j)
			sums = append(sums, p.f.Path+"="+p.fp.SHA256)
		}
		c.settings += "\x00joins:" + strings.Join(sums, ",")
	}
	return nil
}

// key identifies a file's content as read: the same bytes under two names
// are read once, unless different settings parse them.
func (c candidate) key() string { return c.k.Name + "\x00" + c.fp.SHA256 + "\x00" + c.settings }

// settingsOf is what reading a file of kind k depends on besides its bytes:
// the vendor's mapping for a generic price list, the ERP encoding for the
// ERP exports, the erp: mapping for an ERP export read through one (and the
// files its join reads, see joinPeers). It is stored with the file, so fixing a setting in the
// config reads the files it parsed again (a wrong decimal separator's
// rejects do not outlive the fix).
func settingsOf(k Kind, p string, opts Options) string {
	switch {
	case k.Name == "vendor_prices":
		vendor := strings.Split(p, "/")[1]
		b, _ := json.Marshal(opts.Vendors[vendor])
		return "vendor:" + string(b)
	case strings.HasPrefix(k.Name, "erp_") || k.Name == "sam": // read as the ERP exports
		if f, join := opts.ERP.format(k.Name, p); f != nil {
			b, _ := json.Marshal(f)
			if join {
				return "erp-join:" + string(b)
			}
			return "erp:" + string(b)
		}
		return "encoding:" + strings.ToLower(opts.ERPEncoding)
	case k.Name == "nf_xml":
		// The reader's version: the XML loaded before it read fiscal
		// events (rejected then as no invoice) is read again.
		return "nfxml:events"
	}
	return ""
}
