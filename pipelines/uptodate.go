package pipelines

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/transform"
)

// A run whose fingerprint is that of the published set has nothing to do:
// the same inputs, read by the same code under the same settings for the
// same period and as-of, give the same bytes (a promise the tests keep),
// so building the models and writing the outputs again would only spend
// time. The fingerprint is a SHA-256 over:
//
//   - every inbox file the pipeline reads: kind, path and the SHA-256 of
//     its bytes (extract.Sync hashes them; for an S3 object whose ETag the
//     files ledger already holds under the same settings it keeps the
//     ledger's hash, the ledger's own rule for not downloading it again);
//   - the inbox entries skipped (they are listed in the manifest);
//   - what the run reads besides the inbox (Pipeline.Reads): the published
//     price history, credit exposure and reconciliation runs;
//   - the settings that change what is computed or written (outputSettings);
//   - the code: the SHA-256 of the running executable;
//   - the period and as-of.
//
// It is stored in the manifest; a run compares it with the published set's
// after the inbox is synced (an unchanged inbox loads nothing) and before
// any model is built.

// Read is something other than an inbox file a run reads, by content.
type Read struct {
	What   string `json:"what"`
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256"`
}

// fingerprintDoc is what the fingerprint hashes, as canonical JSON.
type fingerprintDoc struct {
	Pipeline string            `json:"pipeline"`
	Period   string            `json:"period"`
	AsOf     string            `json:"as_of"`
	Code     string            `json:"code"`
	Settings json.RawMessage   `json:"settings"`
	Inputs   []fpInput         `json:"inputs"`
	Skipped  []publish.Skipped `json:"skipped"`
	Reads    []Read            `json:"reads"`
}

type fpInput struct {
	Kind        string `json:"kind"`
	Path        string `json:"path"`
	SHA256      string `json:"sha256"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// fingerprint computes the run's fingerprint; r.Inputs are synced.
func fingerprint(ctx context.Context, r *Run, skipped []extract.Skipped) (string, error) {
	code, err := publish.CodeVersion()
	if err != nil {
		return "", fmt.Errorf("code version: %w", err)
	}
	settings, err := outputSettings(r.Config)
	if err != nil {
		return "", fmt.Errorf("settings: %w", err)
	}
	doc := fingerprintDoc{Pipeline: r.Pipeline.Name, Period: r.Config.Period, AsOf: r.Config.AsOf, Code: code,
		Settings: settings, Inputs: []fpInput{}, Skipped: []publish.Skipped{}, Reads: []Read{}}
	for _, in := range r.Inputs {
		doc.Inputs = append(doc.Inputs, fpInput{Kind: in.Kind, Path: in.Path, SHA256: in.SHA256, DuplicateOf: in.DuplicateOf})
	}
	sort.Slice(doc.Inputs, func(i, j int) bool { return doc.Inputs[i].Path < doc.Inputs[j].Path })
	for _, s := range skipped {
		doc.Skipped = append(doc.Skipped, publish.Skipped(s))
	}
	sort.Slice(doc.Skipped, func(i, j int) bool { return doc.Skipped[i].Path < doc.Skipped[j].Path })
	if r.Pipeline.Reads != nil {
		reads, err := r.Pipeline.Reads(ctx, r)
		if err != nil {
			return "", err
		}
		doc.Reads = append(doc.Reads, reads...)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// outputSettings is the config minus what cannot change a set's bytes:
// where things are (inbox, out, warehouse; inputs count by content), how
// DuckDB runs (memory, threads), the guard (max_shrink_pct and
// --accept-shrink decide whether a set is published, not what it holds:
// a set already published passed them), the S3 copy, the daemon's jobs,
// the lock wait, the logs and the trigger. Period and as-of are hashed on
// their own. Everything else counts, including settings added later: a
// field nobody thought about costs a rebuild, never a stale set. The
// schedule's holidays stay: they are the business-day calendar of the
// reconciliation and lifecycle models.
func outputSettings(cfg Config) (json.RawMessage, error) {
	c := cfg
	c.Inbox, c.Out, c.Warehouse, c.Period, c.AsOf = "", "", "", "", ""
	c.MemoryLimit, c.Threads = "", 0
	c.MaxShrinkPct, c.AcceptShrink, c.Force = 0, false, false
	c.Publish, c.S3 = "", S3Config{}
	c.Schedule = ScheduleConfig{Holidays: cfg.Schedule.Holidays}
	c.LockWait, c.Log, c.Trigger = 0, LogConfig{}, ""
	return json.Marshal(c)
}

// publishedUpToDate returns the manifest of the set published in dir when
// its fingerprint is fp and the set is intact, with why not otherwise.
func publishedUpToDate(dir, fp string) (publish.Manifest, string) {
	m, err := publish.ReadManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return m, "nothing published"
	}
	if err != nil {
		return m, err.Error()
	}
	switch {
	case m.Fingerprint == "":
		return m, "the published set has no fingerprint"
	case m.Fingerprint != fp:
		return m, "inputs, settings, code, period or as-of changed"
	}
	if why := intact(dir, m); why != "" {
		return m, why
	}
	return m, ""
}

// finished says why the run that published a set did not finish, or "":
// one killed between publication and commit (or whose S3 copy failed) did
// not keep what Commit keeps (the price history) nor record its success,
// which the lifecycle reads for reconciliations; a full run does both.
func finished(ctx context.Context, w *transform.Warehouse, runID string) (string, error) {
	var status string
	err := w.Conn.QueryRowContext(ctx, "SELECT status FROM runs WHERE run_id = ?", runID).Scan(&status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "the run that published it is not in the ledger", nil
	case err != nil:
		return "", fmt.Errorf("run ledger: %w", err)
	case status != "succeeded":
		return "the run that published it did not finish (" + status + ")", nil
	}
	return "", nil
}

// intact says why the set in dir is not the one its manifest describes, or
// "". Every output must be there with its recorded size and not modified
// after manifest.json, which a run writes after every output (the folder's
// rename keeps the files' times). Sizes and times, not hashes: hashing a
// million-row set costs seconds, and a file changed in place gets a new
// time; a deliberate forgery of both is not what this guards against.
func intact(dir string, m publish.Manifest) string {
	mi, err := os.Stat(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err.Error()
	}
	for _, o := range m.Outputs {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(o.Path)))
		switch {
		case err != nil:
			return fmt.Sprintf("%s: %v", o.Path, err)
		case fi.Size() != o.Bytes:
			return fmt.Sprintf("%s: %d bytes, the manifest says %d", o.Path, fi.Size(), o.Bytes)
		case fi.ModTime().After(mi.ModTime()):
			return fmt.Sprintf("%s: modified after the manifest", o.Path)
		}
	}
	return ""
}

// latestHistory is the price history kept for the latest period before
// (or, with orEqual, up to) the run's, as the models pick it
// (price_changes: before; current_prices and quote_price_table: up to).
func latestHistory(cfg Config, orEqual bool) (Read, error) {
	files, err := filepath.Glob(filepath.Join(historyDir(cfg), "period=*", "quote_prices.parquet"))
	if err != nil {
		return Read{}, err
	}
	sort.Strings(files)
	latest, period := "", ""
	for _, f := range files {
		p := filepath.Base(filepath.Dir(f))[len("period="):]
		if p < cfg.Period || (orEqual && p == cfg.Period) {
			latest, period = f, p
		}
	}
	r := Read{What: "price history"}
	if latest == "" {
		return r, nil
	}
	sum, err := publish.SHA256File(latest)
	if err != nil {
		return r, fmt.Errorf("price history: %w", err)
	}
	r.Path, r.SHA256 = "period="+period, sum
	return r, nil
}

// pricelistReads: price_changes compares with the latest earlier period.
func pricelistReads(_ context.Context, r *Run) ([]Read, error) {
	h, err := latestHistory(r.Config, false)
	return []Read{h}, err
}

// quotesReads: the price table the requests are priced with, and the
// revisions published for earlier periods (their numbers are kept). The
// credit exposure is the inbox's (its files count as inputs). The set of
// the run's own period is not read for this: numbering the same inputs
// again against the set they published gives that set's numbers, so an
// up-to-date set stays one.
func quotesReads(_ context.Context, r *Run) ([]Read, error) {
	h, err := latestHistory(r.Config, true)
	if err != nil {
		return nil, err
	}
	dirs, err := publishedQuotes(r)
	if err != nil {
		return nil, err
	}
	hash := sha256.New()
	for _, dir := range dirs {
		if filepath.Base(dir) == r.Config.Period {
			continue
		}
		for _, f := range []string{reports.Quotes.Name + ".parquet", "manifest.json"} {
			sum, err := publish.SHA256File(filepath.Join(dir, f))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("published revisions: %w", err)
			}
			fmt.Fprintf(hash, "%s %s %s\n", filepath.Base(dir), f, sum)
		}
	}
	return []Read{h, {What: "quote revisions published before", SHA256: hex.EncodeToString(hash.Sum(nil))}}, nil
}

// lifecycleReads: the price table renewals and true-ups are valued with,
// and the reconciliations published (t36_calendar closes each month's
// reconciliation event with the as-of of its first succeeded run).
func lifecycleReads(ctx context.Context, r *Run) ([]Read, error) {
	h, err := latestHistory(r.Config, true)
	if err != nil {
		return nil, err
	}
	rows, err := r.W.Conn.QueryContext(ctx, `SELECT period, strftime(min(as_of), '%Y-%m-%d') FROM runs
		WHERE pipeline = ? AND status = 'succeeded' GROUP BY period ORDER BY period`, Reconciliation.Name)
	if err != nil {
		return nil, fmt.Errorf("run ledger: %w", err)
	}
	defer rows.Close()
	hash := sha256.New()
	for rows.Next() {
		var period string
		var day sql.NullString
		if err := rows.Scan(&period, &day); err != nil {
			return nil, fmt.Errorf("run ledger: %w", err)
		}
		fmt.Fprintf(hash, "%s %s\n", period, day.String)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run ledger: %w", err)
	}
	return []Read{h, {What: "reconciliations published", SHA256: hex.EncodeToString(hash.Sum(nil))}}, nil
}
