package extract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// Sync brings the warehouse's raw tables in line with the inbox for the
// given kinds: new and changed files are (re)loaded, each in one transaction
// that first deletes the rows of its previous version; files gone from the
// inbox have their rows deleted; unchanged files are not read again.
func Sync(ctx context.Context, w *transform.Warehouse, files []File, kinds []Kind, opts Options) ([]Input, error) {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k.Name] = true
		if err := ensureStaging(ctx, w, k); err != nil {
			return nil, err
		}
	}
	type known struct {
		id     int64
		sha    string
		rows   int64
		exists bool
	}
	type candidate struct {
		f    File
		k    Kind
		fp   fingerprint
		prev known
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
		t := time.Now()
		fp, err := fingerprintFile(ctx, f)
		if err != nil {
			return nil, err
		}
		slog.Debug("fingerprint", "file", f.Path, "took", time.Since(t))
		c := candidate{f: f, k: k, fp: fp}
		err = w.Conn.QueryRowContext(ctx, "SELECT file_id, sha256, rows FROM files WHERE path = ?", f.Path).Scan(&c.prev.id, &c.prev.sha, &c.prev.rows)
		c.prev.exists = err == nil
		if c.prev.exists && c.prev.sha == fp.SHA256 {
			if _, seen := bySHA[k.Name+fp.SHA256]; !seen {
				bySHA[k.Name+fp.SHA256] = f.Path
			}
		}
		cands = append(cands, c)
	}

	var inputs []Input
	for _, c := range cands {
		f, k, fp, prev := c.f, c.k, c.fp, c.prev
		owner, dup := bySHA[k.Name+fp.SHA256]
		if prev.exists && prev.sha == fp.SHA256 && owner == f.Path {
			inputs = append(inputs, Input{Kind: k.Name, Path: f.Path, SHA256: fp.SHA256, Rows: prev.rows})
			continue
		}
		if dup && owner != f.Path {
			// The same delivery twice under two names would double its rows.
			if prev.exists {
				if err := w.InTx(ctx, func() error { return forget(ctx, w, prev.id, k) }); err != nil {
					return nil, fmt.Errorf("%s: %w", f.Path, err)
				}
			}
			inputs = append(inputs, Input{Kind: k.Name, Path: f.Path, SHA256: fp.SHA256, DuplicateOf: owner})
			continue
		}
		var rows int64
		t := time.Now()
		err := w.InTx(ctx, func() error {
			if prev.exists {
				if err := forget(ctx, w, prev.id, k); err != nil {
					return err
				}
			}
			var id int64
			if err := w.Conn.QueryRowContext(ctx, "SELECT nextval('file_id_seq')").Scan(&id); err != nil {
				return err
			}
			n, err := k.load(ctx, w, source{File: f, fp: fp, fileID: id, staging: k.Staging}, opts)
			if err != nil {
				return err
			}
			rows = n
			if k.Staging != "" {
				if err := w.RefreshIncremental(ctx, k.Staging); err != nil {
					return err
				}
			}
			_, err = w.Conn.ExecContext(ctx, "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
				id, k.Name, f.Path, fp.SHA256, f.Size, n, time.Now().UTC())
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
		bySHA[k.Name+fp.SHA256] = f.Path
		inputs = append(inputs, Input{Kind: k.Name, Path: f.Path, SHA256: fp.SHA256, Rows: rows})
	}

	// Files of these kinds that left the inbox stop counting.
	for _, k := range kinds {
		rows, err := w.Conn.QueryContext(ctx, "SELECT file_id, path FROM files WHERE kind = ?", k.Name)
		if err != nil {
			return nil, err
		}
		var gone []int64
		for rows.Next() {
			var id int64
			var p string
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return nil, err
			}
			if !present[p] {
				gone = append(gone, id)
			}
		}
		rows.Close()
		for _, id := range gone {
			if err := w.InTx(ctx, func() error { return forget(ctx, w, id, k) }); err != nil {
				return nil, fmt.Errorf("unload %s: %w", k.Name, err)
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
		rows, err := w.Conn.QueryContext(ctx, "SELECT file_id FROM files WHERE kind = ?", k.Name)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if err := forget(ctx, w, id, k); err != nil {
				return err
			}
		}
		return nil
	})
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
	if _, err := w.Conn.ExecContext(ctx, "DELETE FROM "+transform.QuoteIdent(k.Table)+" WHERE file_id = ?", id); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM file_columns WHERE file_id = ?",
		"DELETE FROM load_rejects WHERE file_id = ?",
		"DELETE FROM files WHERE file_id = ?",
	} {
		if _, err := w.Conn.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}
