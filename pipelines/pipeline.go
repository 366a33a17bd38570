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
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/reports"
	"github.com/salesops/salesops/site"
	"github.com/salesops/salesops/transform"
)

// Pipeline is one publishable job. Its declaration is its contract: the
// CLI, the ledger, the guards, the report site and the generated docs read
// what it is from here, and TestDeclarations checks it holds together.
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
	// What it publishes, each declared once in package reports, in the
	// order its set lists them; rejects.csv (Rejects) follows. The models
	// a run builds follow from these (see Targets).
	Reports []reports.Report
	// Main is the one of Reports that stands for the set: the CLI's line
	// and the ledger's rows_out count the rows of its CSV, and the shrink
	// guard watches it (max_shrink_pct), so it must be one whose rows a
	// missing input would take away, not one that shrinks as time passes.
	Main reports.Report
	// Rejects is rejects.csv, whose rows are the manifest's rejects count.
	// Its rows follow the kinds: every row the staging model of one of
	// Kinds rejected (extract.Kind.Errors) and every row the loader did,
	// which each run gathers in kind_rejects (rejects.go). Left zero it is
	// reports.Rejects, those rows only; a pipeline whose own checks reject
	// more declares a report whose mart adds them to kind_rejects.
	Rejects reports.Report
	// RejectedElsewhere lists kinds it reads whose rejected rows another
	// pipeline's rejects.csv lists: its own leaves them out.
	RejectedElsewhere []string
	Workbook          *reports.Workbook // gathers reports in one XLSX, if set
	Calendars         []reports.Calendar
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
	Write func(ctx context.Context, r *Run, dir string) ([]publish.Output, error)
	// Reads lists, by content, what the models read besides the inbox
	// (published sets, the price history, the run ledger): part of the
	// fingerprint that tells a run with nothing new (uptodate.go).
	Reads func(ctx context.Context, r *Run) ([]Read, error)
	// Restore runs instead of Commit when a run has nothing new: it puts
	// back what Commit keeps outside the set if it went missing.
	Restore func(ctx context.Context, r *Run, published publish.Manifest) error
}

// Published lists the reports a run publishes, in the order its set lists
// them: Reports, then rejects.csv.
func (p *Pipeline) Published() []reports.Report {
	return append(slices.Clip(p.Reports), p.RejectsReport())
}

// RejectsReport is p's rejects.csv: Rejects, else reports.Rejects.
func (p *Pipeline) RejectsReport() reports.Report {
	if p.Rejects.Model == "" {
		return reports.Rejects
	}
	return p.Rejects
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
	for _, r := range p.Published() {
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
	Manifest  publish.Manifest
	Dir       string // the publication folder
	s3        *s3Client
	startedAt time.Time
}

// Result is what a successful run published, or found already published.
type Result struct {
	Pipeline string
	Dir      string
	Manifest publish.Manifest
	// Main is the CSV of the pipeline's Main report as Manifest lists it.
	Main publish.Output
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
	w, err := cfg.OpenWarehouse(ctx)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	slog.Debug("open", "warehouse", cfg.Warehouse, "took", time.Since(openStart))
	// A run still "running" here was killed (the lock says none is under
	// way): the ledger says so rather than leave it running for ever.
	if err := markInterrupted(ctx, w.Conn); err != nil {
		return nil, err
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
		out = append(out, site.Pipeline{Name: p.Name, Title: p.Title, Reports: p.Published()})
	}
	return out
}

// runOne runs p: it records the run in the ledger, syncs the inbox, and
// ends there if the published set is up to date; otherwise it builds the
// models, writes the set into a stage and publishes it.
func runOne(ctx context.Context, cfg Config, w *transform.Warehouse, s3c *s3Client, p *Pipeline, inbox extract.Inbox, listing extract.Listing) (res Result, err error) {
	r := &Run{ID: newRunID(p.Name, cfg.Period), Pipeline: p, Config: cfg, W: w, s3: s3c, startedAt: time.Now().UTC()}
	if err := r.ledger().start(ctx); err != nil {
		return res, err
	}
	defer func() {
		if err != nil {
			r.ledger().fail(ctx, err)
			err = &RunError{RunID: r.ID, Err: err}
		}
	}()
	start := time.Now()
	defer func() { slog.Debug("run", "pipeline", p.Name, "took", time.Since(start)) }()
	skipped, err := r.sync(ctx, inbox, listing)
	if err != nil {
		return res, err
	}
	fp, published, err := r.published(ctx, skipped)
	if err != nil {
		return res, err
	}
	if published != nil {
		return r.upToDate(ctx, *published)
	}
	if err := r.build(ctx, fp, skipped); err != nil {
		return res, err
	}
	stage, err := r.writeSet(ctx)
	if err != nil {
		return res, err
	}
	if err := r.publishSet(ctx, stage); err != nil {
		return res, err
	}
	return r.result(r.Manifest, false), nil
}

// kinds resolves the names of p's kinds.
func (p *Pipeline) kinds(names []string) ([]extract.Kind, error) {
	var kinds []extract.Kind
	for _, name := range names {
		k, ok := extract.KindByName(name)
		if !ok {
			return nil, fmt.Errorf("pipeline %s: unknown kind %q", p.Name, name)
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

// sync loads the inbox files of the pipeline's kinds into the warehouse
// (r.Inputs) and returns the inbox entries it skipped.
func (r *Run) sync(ctx context.Context, inbox extract.Inbox, listing extract.Listing) ([]extract.Skipped, error) {
	kinds, err := r.Pipeline.kinds(r.Pipeline.Kinds)
	if err != nil {
		return nil, err
	}
	files, skipped, err := listing.Select(kinds)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	cfg := r.Config
	erp, err := extract.ResolveERP(cfg.ERP)
	if err != nil {
		return nil, &UsageError{err}
	}
	r.Inputs, err = extract.Sync(ctx, r.W, inbox, files, kinds, extract.Options{Vendors: cfg.Vendors, ERP: erp, ERPEncoding: cfg.Reconciliation.ERPEncoding,
		Limits: cfg.Limits.WithDefaults(), MemoryLimit: cfg.MemoryLimit})
	if err != nil {
		return nil, err
	}
	slog.Debug("sync", "pipeline", r.Pipeline.Name, "took", time.Since(start))
	return skipped, nil
}

// published clears what killed runs left beside the set's folder and
// fingerprints the run. Unless --force, it returns the published set's
// manifest when that set is up to date (nil: the run builds).
func (r *Run) published(ctx context.Context, skipped []extract.Skipped) (fp string, _ *publish.Manifest, err error) {
	r.Dir = filepath.Join(r.Config.Out, r.Pipeline.Name, r.Config.Period)
	// Killed runs' stages go first, up to date or not, --force or not (and
	// a set left aside comes back before the up-to-date check reads it).
	if err := publish.ClearStale(r.Dir); err != nil {
		return "", nil, err
	}
	start := time.Now()
	if fp, err = fingerprint(ctx, r, skipped); err != nil {
		return "", nil, err
	}
	slog.Debug("run fingerprint", "pipeline", r.Pipeline.Name, "took", time.Since(start))
	if r.Config.Force {
		return fp, nil, nil
	}
	m, why := publishedUpToDate(r.Dir, fp)
	if why == "" {
		if why, err = finished(ctx, r.W, m.RunID); err != nil {
			return "", nil, err
		}
	}
	if why != "" {
		slog.Debug("not up to date", "pipeline", r.Pipeline.Name, "dir", r.Dir, "why", why)
		return fp, nil, nil
	}
	return fp, &m, nil
}

// build sets the run's variables, checks its needs, runs the pipeline's
// Prepare and Check, starts the manifest and builds the models the
// publications read.
func (r *Run) build(ctx context.Context, fp string, skipped []extract.Skipped) error {
	p, cfg := r.Pipeline, r.Config
	if err := r.W.SetVars(ctx, map[string]any{
		"period":          cfg.Period,
		"period_start":    cfg.PeriodStart(),
		"as_of":           cfg.AsOfDate(),
		"fx_max_age_days": cfg.FX.MaxAgeDays,
	}); err != nil {
		return err
	}
	if err := r.W.SetVars(ctx, cfg.fiscalVars()); err != nil {
		return err
	}
	if err := checkNeeds(p, r.Inputs); err != nil {
		return err
	}
	if p.Prepare != nil {
		if err := p.Prepare(ctx, r); err != nil {
			return err
		}
	}
	r.W.ResetBuilt()
	r.Manifest = r.newManifest(fp, skipped)
	if slices.Contains(p.Kinds, "tax_rules") {
		if err := noteTaxes(ctx, r); err != nil {
			return err
		}
	}
	if p.Check != nil {
		if err := p.Check(ctx, r); err != nil {
			return err
		}
	}
	if err := kindRejects(ctx, r); err != nil {
		return err
	}
	return r.W.Build(ctx, p.Targets()...)
}

// newManifest starts the set's manifest: the run, its fingerprint, what
// it read and what it skipped.
func (r *Run) newManifest(fp string, skipped []extract.Skipped) publish.Manifest {
	m := publish.Manifest{RunID: r.ID, Pipeline: r.Pipeline.Name, Period: r.Config.Period, AsOf: r.Config.AsOf,
		StartedAt: r.startedAt.Format(time.RFC3339), Fingerprint: fp}
	for _, s := range skipped {
		m.Skipped = append(m.Skipped, publish.Skipped(s))
	}
	for _, in := range r.Inputs {
		m.Inputs = append(m.Inputs, publish.Input{Path: in.Path, Kind: in.Kind, SHA256: in.SHA256, Rows: in.Rows, DuplicateOf: in.DuplicateOf})
		if in.DuplicateOf != "" {
			m.Notes = append(m.Notes, fmt.Sprintf("%s has the same content as %s: read once", in.Path, in.DuplicateOf))
		}
	}
	return m
}

// writeSet writes the set into a stage beside its folder: its files, then,
// once the guards pass, its manifest. A stage that fails is discarded.
func (r *Run) writeSet(ctx context.Context) (*publish.Stage, error) {
	stage, err := publish.NewStage(r.Dir)
	if err != nil {
		return nil, err
	}
	if err := r.writeStage(ctx, stage.Dir); err != nil {
		stage.Discard()
		return nil, err
	}
	return stage, nil
}

// writeStage writes the set's files into dir, counts its parts and, once
// the guards pass, writes its manifest.
func (r *Run) writeStage(ctx context.Context, dir string) error {
	if err := r.writeOutputs(ctx, dir); err != nil {
		return err
	}
	if err := countParts(ctx, r); err != nil {
		return err
	}
	if err := checkShrink(r); err != nil {
		return err
	}
	r.Manifest.FinishedAt = time.Now().UTC().Format(time.RFC3339)
	return publish.WriteManifest(dir, r.Manifest)
}

// writeOutputs writes the set's files into dir, in the order the manifest
// lists them: the reports and rejects.csv (whose rows are the rejects
// count the workbook's cover shows), the workbook, the calendars, and what
// the pipeline's Write adds.
func (r *Run) writeOutputs(ctx context.Context, dir string) error {
	p := r.Pipeline
	for _, rep := range p.Published() {
		t := time.Now()
		outs, err := write.Report(ctx, r.W, dir, rep)
		if err != nil {
			return err
		}
		slog.Debug("report", "name", rep.Name, "took", time.Since(t))
		r.Manifest.Outputs = append(r.Manifest.Outputs, outs...)
	}
	rejects, ok := outputOf(r.Manifest, p.RejectsReport())
	if !ok {
		return fmt.Errorf("pipeline %s: %s is not among the outputs", p.Name, p.RejectsReport().File(reports.CSV))
	}
	r.Manifest.Rejects = rejects.Rows
	if p.Workbook != nil {
		out, notes, err := write.WorkbookFor(ctx, r.W, dir, *p.Workbook, r.Manifest)
		if err != nil {
			return err
		}
		r.Manifest.Outputs = append(r.Manifest.Outputs, out)
		r.Manifest.Notes = append(r.Manifest.Notes, notes...)
	}
	for _, c := range p.Calendars {
		// DTSTAMP is as-of, not the clock: the same inputs give the same file.
		outs, err := write.Calendar(ctx, r.W, dir, c, write.CalendarOptions{Stamp: r.Config.AsOfDate(),
			Company: r.Config.Quotes.Company.Name, AlarmDays: r.Config.Lifecycle.AlarmDays})
		if err != nil {
			return err
		}
		r.Manifest.Outputs = append(r.Manifest.Outputs, outs...)
	}
	if p.Write != nil {
		outs, err := p.Write(ctx, r, dir)
		if err != nil {
			return err
		}
		r.Manifest.Outputs = append(r.Manifest.Outputs, outs...)
	}
	return nil
}

// publishSet swaps the staged set into place (or discards it) and marks
// the run succeeded in the transaction of the pipeline's Commit; the
// dataset tree and the remote copy follow.
func (r *Run) publishSet(ctx context.Context, stage *publish.Stage) error {
	if err := ctx.Err(); err != nil {
		stage.Discard()
		return err
	}
	start := time.Now()
	if err := stage.Publish(); err != nil {
		stage.Discard()
		return err
	}
	slog.Debug("publish", "dir", r.Dir, "took", time.Since(start))
	commitStart := time.Now()
	defer func() { slog.Debug("commit", "pipeline", r.Pipeline.Name, "took", time.Since(commitStart)) }()
	err := r.W.InTx(ctx, func() error {
		if r.Pipeline.Commit != nil {
			if err := r.Pipeline.Commit(ctx, r); err != nil {
				return err
			}
		}
		return r.ledger().succeed(ctx)
	})
	if err != nil {
		return err
	}
	// The dataset tree and the remote copy come after the commit: the local
	// set is published and its commit (e.g. the price history) done whatever
	// they meet; a failure fails the run, and the next run, up to date,
	// makes them again.
	if err := writeDatasets(r.Config, r.Pipeline, r.Dir, r.Manifest); err != nil {
		return err
	}
	return publishRemote(ctx, r.Config, r.s3, r.Dir, r.Pipeline, r.Manifest, false)
}

// upToDate ends a run with nothing new: the published set m stays as it is,
// its dataset files and remote copy are made only if missing, and the
// ledger records the run as up_to_date.
func (r *Run) upToDate(ctx context.Context, m publish.Manifest) (Result, error) {
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
	if err := r.ledger().upToDate(ctx, m); err != nil {
		return Result{}, err
	}
	return r.result(m, true), nil
}

// result is the run's Result for the set whose manifest is m.
func (r *Run) result(m publish.Manifest, upToDate bool) Result {
	main, _ := r.Pipeline.mainOutput(m)
	return Result{Pipeline: r.Pipeline.Name, Dir: r.Dir, Manifest: m, Main: main, UpToDate: upToDate, RunID: r.ID}
}

// mainOutput is the CSV of p's Main report as m lists it.
func (p *Pipeline) mainOutput(m publish.Manifest) (publish.Output, bool) { return outputOf(m, p.Main) }

// outputOf is the CSV of rep as m lists it.
func outputOf(m publish.Manifest, rep reports.Report) (publish.Output, bool) {
	i := slices.IndexFunc(m.Outputs, func(o publish.Output) bool { return o.Path == rep.File(reports.CSV) })
	if i < 0 {
		return publish.Output{}, false
	}
	return m.Outputs[i], true
}

func newRunID(pipeline, period string) string {
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%s-%s-%s", time.Now().UTC().Format("20060102T150405Z"), pipeline, period, hex.EncodeToString(b))
}
