// Package pipelines defines the jobs salesops runs — for each, the inbox
// kinds it reads, the models it builds and the reports it publishes — and
// runs them end to end: inbox → warehouse → models → staged outputs →
// atomic publication.
package pipelines

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/salesops/salesops/extract"
	"github.com/salesops/salesops/load"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/site"
	"github.com/salesops/salesops/transform"
)

// Pipeline is one publishable job. Its declaration is its contract: the
// CLI, the ledger, the guards, the report site and the generated docs read
// what it is from here.
type Pipeline struct {
	Name    string
	Title   string // for people: the report site's heading
	Summary string
	Kinds   []string // extract kinds it reads
	// Needs are the inputs without which the set would be wrong: a run
	// where one has no file, or only files without rows, publishes nothing.
	Needs []Need
	// Whole lists the kinds of which every file must hold rows: a
	// header-only price list would publish a table without its vendor.
	Whole []string
	// Parts count what a set is made of (rows per vendor, the period's
	// orders…): a part that had rows in the previous set and has none now
	// fails the run (guards.go).
	Parts []Part
	// What it publishes, each declared once in package reports: the models
	// a run builds follow from these (see Targets).
	Reports []reports.Report
	// Guarded names the report whose shrink the guard watches (default:
	// the first): one whose rows a missing input would take away, not one
	// that shrinks as time passes.
	Guarded   string
	Workbook  *reports.Workbook // gathers reports in one XLSX, if set
	Calendars []reports.Calendar
	// Prepare runs after the inbox is loaded and before the models are
	// built (e.g. write the holiday calendar the models read).
	Prepare func(ctx context.Context, r *Run) error
	// Check runs before the targets are built (it may build the models it
	// reads) and before anything is written: a failed check publishes
	// nothing.
	Check func(ctx context.Context, r *Run) error
	// Commit runs in the transaction that marks the run succeeded, after
	// publication (e.g. keep this period's prices for next month's changes).
	Commit func(ctx context.Context, r *Run) error
	// Write adds outputs to the staged publication folder dir after the
	// reports, the workbook and the calendars.
	Write func(ctx context.Context, r *Run, dir string) ([]load.Output, error)
	// Reads lists, by content, what the models read besides the inbox
	// (published sets, the price history, the run ledger): part of the
	// fingerprint that tells a run with nothing new (uptodate.go).
	Reads func(ctx context.Context, r *Run) ([]Read, error)
	// Restore runs instead of Commit when a run has nothing new: it puts
	// back what Commit keeps outside the set if it went missing.
	Restore func(ctx context.Context, r *Run, published load.Manifest) error
}

// Targets are the models the pipeline's publications read, in the order
// they are declared: its reports, its workbook's sheets, its calendars.
func (p *Pipeline) Targets() []string {
	var out []string
	seen := map[string]bool{}
	add := func(m string) {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	for _, r := range p.Reports {
		add(r.Model)
	}
	if p.Workbook != nil {
		for _, r := range p.Workbook.Sheets {
			add(r.Model)
		}
	}
	for _, c := range p.Calendars {
		add(c.Model)
	}
	return out
}

// Need is one input a pipeline cannot publish without: a file of any of
// Kinds, with rows.
type Need struct {
	Kinds []string
	What  string // as users know it, e.g. "a vendor price list (pricelists/<vendor>/)"
}

// All lists every pipeline in the order "run all" runs them.
var All = []*Pipeline{Pricelist, Reconciliation, Lifecycle, Quotes}

// Lookup resolves pipeline names; "all" means every pipeline.
func Lookup(names []string) ([]*Pipeline, error) {
	var out []*Pipeline
	seen := map[string]bool{}
	for _, n := range names {
		if n == "all" {
			for _, p := range All {
				if !seen[p.Name] {
					out = append(out, p)
					seen[p.Name] = true
				}
			}
			continue
		}
		var found *Pipeline
		for _, p := range All {
			if p.Name == n {
				found = p
			}
		}
		if found == nil {
			return nil, &UsageError{fmt.Errorf("unknown pipeline %q (known: %s, all)", n, strings.Join(Names(), ", "))}
		}
		if !seen[n] {
			out = append(out, found)
			seen[n] = true
		}
	}
	if len(out) == 0 {
		return nil, &UsageError{errors.New("name at least one pipeline, or all")}
	}
	return out, nil
}

// Names lists the pipelines' names.
func Names() []string {
	var n []string
	for _, p := range All {
		n = append(n, p.Name)
	}
	return n
}

// Run is the state of one pipeline run.
type Run struct {
	ID        string
	Pipeline  *Pipeline
	Config    Config
	W         *transform.Warehouse
	Inputs    []extract.Input
	Manifest  load.Manifest
	Dir       string // the publication folder
	s3        *s3Client
	startedAt time.Time
}

// Result is what a successful run published, or found already published.
type Result struct {
	Pipeline string
	Dir      string
	Manifest load.Manifest
	// UpToDate: the run had nothing new (its fingerprint is that of the
	// published set, which is intact) and wrote nothing; Manifest is the
	// published set's and RunID this run's.
	UpToDate bool
	RunID    string
}

// RunAll opens the warehouse once and runs each pipeline in turn. It goes on
// after a failed pipeline (they are independent) and returns every error.
func RunAll(ctx context.Context, cfg Config, ps []*Pipeline) ([]Result, error) {
	// The inbox first: a run that cannot read it leaves no warehouse behind.
	listStart := time.Now()
	s3c := &s3Client{opts: cfg.S3.options()}
	inbox, err := openInbox(ctx, cfg, s3c)
	if err != nil {
		return nil, err
	}
	listing, err := inbox.List(ctx)
	if err != nil {
		return nil, err
	}
	slog.Debug("list", "inbox", inbox.String(), "took", time.Since(listStart))
	if err := checkPublish(cfg); err != nil {
		return nil, err
	}
	// Open waits for a run holding the warehouse (CLI or daemon), then
	// fails with a *transform.BusyError naming it.
	openStart := time.Now()
	w, err := transform.Open(ctx, cfg.Warehouse, transform.Options{MemoryLimit: cfg.MemoryLimit, Threads: cfg.Threads, LockWait: cfg.LockWait})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	slog.Debug("open", "warehouse", cfg.Warehouse, "took", time.Since(openStart))
	// A run still "running" here was killed (the lock says none is under
	// way): the ledger says so rather than leave it running for ever.
	if _, err := w.Conn.ExecContext(ctx, `UPDATE runs SET status = 'interrupted',
		error = 'the process ended before the run finished (killed, or the machine stopped); nothing of it was published'
		WHERE status = 'running'`); err != nil {
		return nil, fmt.Errorf("run ledger: %w", err)
	}
	// What killed site builds left goes whether or not this run rebuilds
	// the site: holding the lock, nothing else is building it. A leftover
	// that cannot be removed harms no publication: it is said, not fatal.
	if err := site.ClearStale(cfg.Out); err != nil {
		slog.Warn("site: leftovers of an interrupted build not removed", "err", err)
	}
	var results []Result
	var errs []error
	for _, p := range ps {
		res, err := runOne(ctx, cfg, w, s3c, p, inbox, listing)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		results = append(results, res)
	}
	// The report site follows every publication (it reads only what is
	// published, so a failed pipeline leaves its pages as they were; a run
	// that published nothing new leaves them too). DuckDB reads the
	// published CSV through the warehouse's connection, which has the
	// macros: no second database.
	if slices.ContainsFunc(results, func(r Result) bool { return !r.UpToDate }) && ctx.Err() == nil {
		if _, err := site.BuildWith(context.Background(), w.Conn, cfg.Out, SitePipelines()); site.OnlyPageProblems(err) {
			// The pages say what is wrong; `salesops site` exits 1 on it.
			slog.Warn("site: pages show problems in published files", "problems", err.Error())
		} else if err != nil {
			errs = append(errs, fmt.Errorf("site: %w", err))
		}
	}
	return results, errors.Join(errs...)
}

// SitePipelines describes every pipeline to the report site.
func SitePipelines() []site.Pipeline {
	var out []site.Pipeline
	for _, p := range All {
		out = append(out, site.Pipeline{Name: p.Name, Title: p.Title, Reports: p.Reports})
	}
	return out
}

func runOne(ctx context.Context, cfg Config, w *transform.Warehouse, s3c *s3Client, p *Pipeline, inbox extract.Inbox, listing extract.Listing) (res Result, err error) {
	r := &Run{ID: newRunID(p.Name, cfg.Period), Pipeline: p, Config: cfg, W: w, s3: s3c, startedAt: time.Now().UTC()}
	if _, err := w.Conn.ExecContext(ctx, `INSERT INTO runs (run_id, pipeline, period, as_of, started_at, status, "trigger") VALUES (?, ?, ?, ?, ?, 'running', ?)`,
		r.ID, p.Name, cfg.Period, cfg.AsOfDate(), r.startedAt, cfg.trigger()); err != nil {
		return res, err
	}
	defer func() {
		if err != nil {
			w.Conn.ExecContext(context.WithoutCancel(ctx), "UPDATE runs SET status = 'failed', finished_at = ?, error = ?, rows_in = ? WHERE run_id = ?",
				time.Now().UTC(), err.Error(), r.rowsIn(), r.ID)
			err = &RunError{RunID: r.ID, Err: err}
		}
	}()

	var kinds []extract.Kind
	for _, name := range p.Kinds {
		k, ok := extract.KindByName(name)
		if !ok {
			return res, fmt.Errorf("pipeline %s: unknown kind %q", p.Name, name)
		}
		kinds = append(kinds, k)
	}
	files, skipped, err := listing.Select(kinds)
	if err != nil {
		return res, err
	}
	syncStart := time.Now()
	defer func() { slog.Debug("run", "pipeline", p.Name, "took", time.Since(syncStart)) }()
	if r.Inputs, err = extract.Sync(ctx, w, inbox, files, kinds, extract.Options{Vendors: cfg.Vendors, ERPEncoding: cfg.Reconciliation.ERPEncoding, Limits: cfg.Limits.WithDefaults(), MemoryLimit: cfg.MemoryLimit}); err != nil {
		return res, err
	}
	slog.Debug("sync", "pipeline", p.Name, "took", time.Since(syncStart))
	r.Dir = filepath.Join(cfg.Out, p.Name, cfg.Period)
	// Killed runs' stages go first, up to date or not, --force or not (and
	// a set left aside comes back before the up-to-date check reads it).
	if err := load.ClearStale(r.Dir); err != nil {
		return res, err
	}
	fpStart := time.Now()
	fp, err := fingerprint(ctx, r, skipped)
	if err != nil {
		return res, err
	}
	slog.Debug("run fingerprint", "pipeline", p.Name, "took", time.Since(fpStart))
	if !cfg.Force {
		m, why := publishedUpToDate(r.Dir, fp)
		if why == "" {
			why, err = finished(ctx, w, m.RunID)
			if err != nil {
				return res, err
			}
		}
		if why == "" {
			return upToDate(ctx, r, m)
		}
		slog.Debug("not up to date", "pipeline", p.Name, "dir", r.Dir, "why", why)
	}
	if err := w.SetVars(ctx, map[string]any{
		"period":          cfg.Period,
		"period_start":    cfg.PeriodStart(),
		"as_of":           cfg.AsOfDate(),
		"fx_max_age_days": cfg.FX.MaxAgeDays,
	}); err != nil {
		return res, err
	}
	if err := checkNeeds(p, r.Inputs); err != nil {
		return res, err
	}
	if p.Prepare != nil {
		if err := p.Prepare(ctx, r); err != nil {
			return res, err
		}
	}
	w.ResetBuilt()
	r.Manifest = load.Manifest{RunID: r.ID, Pipeline: p.Name, Period: cfg.Period, AsOf: cfg.AsOf,
		StartedAt: r.startedAt.Format(time.RFC3339), Fingerprint: fp}
	for _, s := range skipped {
		r.Manifest.Skipped = append(r.Manifest.Skipped, load.Skipped(s))
	}
	for _, in := range r.Inputs {
		r.Manifest.Inputs = append(r.Manifest.Inputs, load.Input{Path: in.Path, Kind: in.Kind, SHA256: in.SHA256, Rows: in.Rows, DuplicateOf: in.DuplicateOf})
		if in.DuplicateOf != "" {
			r.Manifest.Notes = append(r.Manifest.Notes, fmt.Sprintf("%s has the same content as %s: read once", in.Path, in.DuplicateOf))
		}
	}
	if p.Check != nil {
		if err := p.Check(ctx, r); err != nil {
			return res, err
		}
	}
	if err := w.Build(ctx, p.Targets()...); err != nil {
		return res, err
	}

	stage, err := load.NewStage(r.Dir)
	if err != nil {
		return res, err
	}
	published := false
	defer func() {
		if !published {
			stage.Discard()
		}
	}()
	for _, rep := range p.Reports {
		t := time.Now()
		outs, err := load.WriteReport(ctx, w, stage.Dir, rep)
		if err != nil {
			return res, err
		}
		slog.Debug("report", "name", rep.Name, "took", time.Since(t))
		r.Manifest.Outputs = append(r.Manifest.Outputs, outs...)
		if rep.Name == "rejects" && len(outs) > 0 {
			r.Manifest.Rejects = outs[0].Rows
		}
	}
	if p.Workbook != nil {
		out, notes, err := load.WriteWorkbookFor(ctx, w, stage.Dir, *p.Workbook, r.Manifest)
		if err != nil {
			return res, err
		}
		r.Manifest.Outputs = append(r.Manifest.Outputs, out)
		r.Manifest.Notes = append(r.Manifest.Notes, notes...)
	}
	for _, c := range p.Calendars {
		// DTSTAMP is as-of, not the clock: the same inputs give the same file.
		out, err := load.WriteCalendar(ctx, w, stage.Dir, c, cfg.AsOfDate())
		if err != nil {
			return res, err
		}
		r.Manifest.Outputs = append(r.Manifest.Outputs, out)
	}
	if p.Write != nil {
		outs, err := p.Write(ctx, r, stage.Dir)
		if err != nil {
			return res, err
		}
		r.Manifest.Outputs = append(r.Manifest.Outputs, outs...)
	}
	if err := countParts(ctx, r); err != nil {
		return res, err
	}
	if err := checkShrink(r); err != nil {
		return res, err
	}
	r.Manifest.FinishedAt = time.Now().UTC().Format(time.RFC3339)
	if err := load.WriteManifest(stage.Dir, r.Manifest); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	publishStart := time.Now()
	if err := stage.Publish(); err != nil {
		return res, err
	}
	slog.Debug("publish", "dir", r.Dir, "took", time.Since(publishStart))
	published = true
	commitStart := time.Now()
	defer func() { slog.Debug("commit", "pipeline", p.Name, "took", time.Since(commitStart)) }()
	err = w.InTx(ctx, func() error {
		if p.Commit != nil {
			if err := p.Commit(ctx, r); err != nil {
				return err
			}
		}
		_, err := w.Conn.ExecContext(ctx, "UPDATE runs SET status = 'succeeded', finished_at = ?, rejects = ?, rows_in = ?, rows_out = ? WHERE run_id = ?",
			time.Now().UTC(), r.Manifest.Rejects, r.rowsIn(), r.rowsOut(), r.ID)
		return err
	})
	if err != nil {
		return res, err
	}
	// The dataset tree and the remote copy come after the commit: the local
	// set is published and its commit (e.g. the price history) done whatever
	// they meet; a failure fails the run, and the next run, up to date,
	// makes them again.
	if err := writeDatasets(cfg, p, r.Dir, r.Manifest); err != nil {
		return res, err
	}
	if err := publishRemote(ctx, cfg, r.s3, r.Dir, p, r.Manifest, false); err != nil {
		return res, err
	}
	return Result{Pipeline: p.Name, Dir: r.Dir, Manifest: r.Manifest, RunID: r.ID}, nil
}

// upToDate ends a run with nothing new: the published set m stays as it is,
// its dataset files and remote copy are made only if missing, and the
// ledger records the run as up_to_date.
func upToDate(ctx context.Context, r *Run, m load.Manifest) (Result, error) {
	if r.Pipeline.Restore != nil {
		if err := r.Pipeline.Restore(ctx, r, m); err != nil {
			return Result{}, err
		}
	}
	if err := writeDatasets(r.Config, r.Pipeline, r.Dir, m); err != nil {
		return Result{}, err
	}
	if err := publishRemote(ctx, r.Config, r.s3, r.Dir, r.Pipeline, m, true); err != nil {
		return Result{}, err
	}
	var rowsOut int64
	if len(m.Outputs) > 0 {
		rowsOut = m.Outputs[0].Rows
	}
	if _, err := r.W.Conn.ExecContext(ctx, "UPDATE runs SET status = 'up_to_date', finished_at = ?, rejects = ?, rows_in = ?, rows_out = ? WHERE run_id = ?",
		time.Now().UTC(), m.Rejects, r.rowsIn(), rowsOut, r.ID); err != nil {
		return Result{}, err
	}
	return Result{Pipeline: r.Pipeline.Name, Dir: r.Dir, Manifest: m, UpToDate: true, RunID: r.ID}, nil
}

func newRunID(pipeline, period string) string {
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%s-%s-%s", time.Now().UTC().Format("20060102T150405Z"), pipeline, period, hex.EncodeToString(b))
}
