package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/load/write"
	"github.com/salesops/salesops/synth"
	"github.com/salesops/salesops/transform"
)

// go test ./cmd/salesops -run TestCrash -v -crash.trials 30 [-crash.seed N]
var (
	// One trial by default: with the build and the first publication it
	// takes about a minute on the shared 2-core machine.
	crashTrials = flag.Int("crash.trials", 1, "TestCrash: runs killed with SIGKILL (skipped with -short)")
	crashSeed   = flag.Int64("crash.seed", 0, "TestCrash: seed of the kill delays (0: from the clock; printed)")
	crashRows   = flag.Int("crash.rows", 250_000, "TestCrash: rows of the generated Microsoft price list")
)

const (
	crashPeriod = "2025-12"
	crashList   = "pricelists/microsoft/nce.csv" // the list's path in the inbox and the manifest
)

// TestCrash kills the CLI with SIGKILL at random points of a price-list run
// over a few hundred thousand rows and checks, after each kill, what
// README promises of a run that dies: (a) the warehouse opens, holding the
// previous list or the new one, loaded whole; (b) the published folder is
// one complete publication, every output as its manifest records it
// (sha256, bytes, rows read back), the previous set or the new one, never a
// mix; (c) the next run exits 0 and publishes the new input, and the price
// history keeps its quote_prices.parquet; (d) after it no staging folder
// (.<period>.tmp-*) is left beside the target, no temporary copy in the
// history; (e) a --force run of the same input killed at a random point,
// then a run with nothing new (up to date, unless the kill fell between the
// exchange and the commit), leave nothing of the killed run under out: no
// stage, no site build (.site.tmp-*, .site.db-*, site.old), no temporary
// file in the datasets or the history.
//
// Every trial changes the price list, so the killed run has real work in
// each phase (load, build, write, publish). Kill points rotate through three
// modes, each drawn from the last full run: a delay after the staged
// manifest.json appears, drawn over the publication window of that run
// (from there until the run's commit has replaced the price history: some
// tens of milliseconds that a draw over the whole run would seldom hit);
// a delay drawn across the whole run; and one drawn from its last quarter
// (writing the outputs).
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and runs it on a generated list of a few hundred thousand rows")
	}
	trials := *crashTrials
	seed := *crashSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (reproduce the kill points with -crash.seed %d -crash.trials %d -crash.rows %d)", seed, seed, trials, *crashRows)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "salesops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	inbox, out := filepath.Join(tmp, "inbox"), filepath.Join(tmp, "out")
	if err := synth.PricelistInputs(inbox); err != nil {
		t.Fatal(err)
	}
	c := &crashRun{t: t, bin: bin, inbox: inbox, out: out, lists: map[string]int64{}}

	// The first publication. Kill points are drawn over the last full run's
	// duration (it drifts with the load of a shared machine, so each trial's
	// next run measures it again) and the longest publication window seen.
	prev := c.writeList(0)
	last := c.run(nil)
	if last.code != 0 {
		t.Fatalf("first run: exit %d\n%s", last.code, last.stderr)
	}
	t.Logf("first run (%d rows): %v, publication window %v", *crashRows, round(last.took), round(last.publish))
	if got := c.checkPublished("first run"); got != prev {
		t.Fatalf("first run published input %s, want the list written (%s)", got, prev)
	}

	window := last.publish // the longest publication window seen
	// A forced run of the same input (nothing to load) measures the span
	// over which (e) draws its kills.
	forced := c.run(nil, "--force")
	if forced.code != 0 {
		t.Fatalf("forced run: exit %d\n%s", forced.code, forced.stderr)
	}
	forcedTook := forced.took
	upToDate := 0
	endedFirst := 0
	// The modes rotate from one the seed picks, so that one trial (the
	// default) kills in each in turn over many runs.
	mode0 := rng.IntN(3)
	phases := map[string]int{} // kills by where they landed
	for i := range trials {
		name := fmt.Sprintf("trial %d", i+1)
		cur := c.writeList(i + 1)
		var desc string
		var kill func(elapsed, sinceStaged time.Duration) bool
		switch (mode0 + i) % 3 {
		case 0:
			// Over the longest window seen (it varies tenfold with the
			// fsyncs' luck), and a quarter more: the runs row is updated
			// and committed after the history copy.
			d := randDuration(rng, window*5/4)
			desc = fmt.Sprintf("%v after the staged manifest appears (publication window up to %v)", round(d), round(window))
			kill = func(_, sinceStaged time.Duration) bool { return sinceStaged >= d }
		case 1:
			d := randDuration(rng, last.took)
			desc = fmt.Sprintf("after %v of ~%v", round(d), round(last.took))
			kill = func(elapsed, _ time.Duration) bool { return elapsed >= d }
		default:
			d := last.took*3/4 + randDuration(rng, last.took/4)
			desc = fmt.Sprintf("late, after %v of ~%v", round(d), round(last.took))
			kill = func(elapsed, _ time.Duration) bool { return elapsed >= d }
		}
		k := c.run(kill)
		switch {
		case k.killed:
			t.Logf("%s: kill %s: killed after %v; last step logged: %s", name, desc, round(k.took), lastLine(k.stderr))
		case k.code == 0:
			// Not a crash, but the checks still hold: the new set must be
			// published.
			endedFirst++
			t.Logf("%s: kill %s: the run ended first (exit 0 after %v)", name, desc, round(k.took))
		default:
			t.Fatalf("%s: the run to kill failed before the kill: exit %d\n%s", name, k.code, k.stderr)
		}

		// (a) The warehouse opens (DuckDB replays its WAL) before the next
		// run touches it, with one of the two lists loaded, whole.
		c.openWarehouse(name, prev, cur)
		// (b) What is published is one whole run's: the previous input's or,
		// when the kill came after the exchange, this one's.
		got := c.checkPublished(name + ", after the kill")
		switch {
		case !k.killed && got != cur:
			t.Errorf("%s: the run exited 0 but published input %s, want %s", name, got, cur)
		case got != prev && got != cur:
			t.Errorf("%s: published input %s, want the previous %s or the new %s", name, got, prev, cur)
		case k.killed:
			// Where the kill landed, from what it left.
			phase := "after the commit's history copy"
			switch {
			case !k.staged:
				phase = "before publication"
			case got == prev:
				phase = "in publication, before the exchange"
			case k.publish == 0:
				phase = "in publication, after the exchange, before the commit's history copy"
			}
			phases[phase]++
			t.Logf("%s: killed %s", name, phase)
		}
		// (c) The next run publishes the new input.
		if last = c.run(nil); last.code != 0 {
			t.Fatalf("%s: next run: exit %d\n%s", name, last.code, last.stderr)
		}
		t.Logf("%s: next run took %v, publication window %v", name, round(last.took), round(last.publish))
		window = max(window, last.publish)
		if got := c.checkPublished(name + ", after the next run"); got != cur {
			t.Errorf("%s: next run published input %s, want %s", name, got, cur)
		}
		c.checkHistory(name)
		// (d) Nothing of the killed run is left beside the target, nor in
		// the price history.
		if left := c.stageNames(); len(left) > 0 {
			t.Errorf("%s: staging folders left beside %s after the next run: %v", name, c.target(), left)
		}
		if left := c.historyTemps(); len(left) > 0 {
			t.Errorf("%s: temporary copies left in the price history after the next run: %v", name, left)
		}
		// (e) Kill a forced run of the same input from a quarter of the way
		// in (before that it has written nothing: it loads nothing, and
		// builds in the warehouse), then run again with nothing new.
		d := forcedTook/4 + randDuration(rng, forcedTook*3/4)
		f := c.run(func(elapsed, _ time.Duration) bool { return elapsed >= d }, "--force")
		switch {
		case f.killed:
			t.Logf("%s: forced run killed after %v of ~%v; last step logged: %s", name, round(f.took), round(forcedTook), lastLine(f.stderr))
		case f.code == 0:
			forcedTook = f.took
			t.Logf("%s: forced run ended before its kill at %v (exit 0 after %v)", name, round(d), round(f.took))
		default:
			t.Fatalf("%s: the forced run failed before the kill: exit %d\n%s", name, f.code, f.stderr)
		}
		t.Logf("%s: the forced run left %q", name, leftoversUnder(t, c.out))
		next := c.run(nil)
		if next.code != 0 {
			t.Fatalf("%s: run after the forced kill: exit %d\n%s", name, next.code, next.stderr)
		}
		if strings.Contains(next.stdout, ": up to date (") {
			upToDate++
		}
		t.Logf("%s: run after the forced kill: %s", name, strings.TrimSpace(next.stdout))
		if got := c.checkPublished(name + ", after the forced kill"); got != cur {
			t.Errorf("%s: after the forced kill, published input %s, want %s", name, got, cur)
		}
		c.checkHistory(name + ", after the forced kill")
		if left := append(leftoversUnder(t, c.out), c.historyTemps()...); len(left) > 0 {
			t.Errorf("%s: left after the forced kill and the next run: %q", name, left)
		}
		prev = cur
	}
	t.Logf("kills: %v; %d of %d runs ended before their kill; %d of %d runs after a forced kill were up to date", phases, endedFirst, trials, upToDate, trials)
}

// crashRun is one test's binary, inbox and output folder, and what it wrote.
type crashRun struct {
	t               *testing.T
	bin, inbox, out string
	lists           map[string]int64 // sha256 of each price list written → its rows
	counted         sync.Map         // sha256 of an output file → its rows, as read back
}

func (c *crashRun) target() string { return filepath.Join(c.out, "pricelist", crashPeriod) }

// writeList writes variant v of the price list in place of the last one
// (the same inbox path: the run replaces the rows that file loaded). Its
// row count differs by variant too, so a published set mixing two runs
// shows in the rows as well as in the hashes.
func (c *crashRun) writeList(v int) string {
	n := *crashRows + 10*v
	sum, err := synth.MSPriceList(filepath.Join(c.inbox, filepath.FromSlash(crashList)), n, v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.lists[sum] = int64(n)
	return sum
}

func (c *crashRun) command(args ...string) *exec.Cmd {
	cmd := exec.Command(c.bin, append([]string{"run", "pricelist", "--inbox", c.inbox, "--out", c.out,
		"--period", crashPeriod, "--as-of", "2025-12-01"}, args...)...)
	// Debug lines name each step as it ends: the last one says where a kill
	// landed.
	cmd.Env = append(os.Environ(), "SALESOPS_LOG=debug")
	return cmd
}

// runResult is how one run of the CLI ended.
type runResult struct {
	code   int  // exit status (-1 when killed)
	killed bool // by the test's SIGKILL
	took   time.Duration
	// publish is the publication window: from the staged manifest.json
	// appearing until the commit has replaced the price history's copy of
	// quote_prices.parquet (0 if either was not seen).
	publish time.Duration
	staged  bool // the staged manifest.json was seen
	stdout  string
	stderr  string
}

// run runs the pipeline (with args) and, every millisecond until it ends, asks kill
// (if not nil) whether to send it SIGKILL now, given the time since the
// start and since the manifest.json of a new staging folder appeared (-1
// before). WriteManifest is the last write before Publish, so that moment
// starts the publication: the fsync of the stage, the rename exchange, the
// removal of the previous set, then the run's commit (price history, runs
// row) and the warehouse's close.
func (c *crashRun) run(kill func(elapsed, sinceStaged time.Duration) bool, args ...string) runResult {
	before := c.stageNames()
	hist, _ := os.Stat(c.historyFile())
	var r runResult
	cmd := c.command(args...)
	var stdout, stderr bytes.Buffer // read once Wait has returned: no lock needed
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	started := time.Now()
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var staged time.Time
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-tick.C:
			if staged.IsZero() && c.manifestStaged(before) {
				staged = time.Now()
			}
			if !staged.IsZero() && r.publish == 0 && c.historyReplaced(hist) {
				r.publish = time.Since(staged)
			}
			sinceStaged := time.Duration(-1)
			if !staged.IsZero() {
				sinceStaged = time.Since(staged)
			}
			if kill != nil && kill(time.Since(started), sinceStaged) {
				cmd.Process.Kill() // SIGKILL; an error means it has just exited
				err = <-done
				break wait
			}
		}
	}
	r.took, r.stdout, r.stderr, r.staged = time.Since(started), stdout.String(), stderr.String(), !staged.IsZero()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
		r.killed = exit.Sys().(syscall.WaitStatus).Signaled()
	default:
		c.t.Fatal(err)
	}
	return r
}

func (c *crashRun) historyFile() string {
	return filepath.Join(c.out, "history", "quote_prices", "period="+crashPeriod, "quote_prices.parquet")
}

// historyReplaced reports whether the price history's copy of the period's
// quote_prices.parquet is another file than before (nil: there was none);
// the commit renames a new copy into place.
func (c *crashRun) historyReplaced(before os.FileInfo) bool {
	now, err := os.Stat(c.historyFile())
	return err == nil && (before == nil || !os.SameFile(before, now))
}

// manifestStaged reports whether a staging folder not in before holds a
// manifest.json.
func (c *crashRun) manifestStaged(before []string) bool {
	for _, s := range c.stageNames() {
		if slices.Contains(before, s) {
			continue
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(c.target()), s, "manifest.json")); err == nil {
			return true
		}
	}
	return false
}

// randDuration draws a duration in [0, max).
func randDuration(rng *rand.Rand, max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return time.Duration(rng.Int64N(int64(max)))
}

func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "(none)"
	}
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// stageNames lists the staging folders of the target (and the ".old" a
// publication without rename exchange sets aside).
func (c *crashRun) stageNames() []string {
	entries, err := os.ReadDir(filepath.Dir(c.target()))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		c.t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+crashPeriod+".tmp-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// historyTemps lists the temporary copies the commit's publish.CopyFile left in the
// price history (it removes its own only when it returns): the history
// reads quote_prices.parquet by name, so they are garbage, not harm.
func (c *crashRun) historyTemps() []string {
	entries, err := os.ReadDir(filepath.Dir(c.historyFile()))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		c.t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if e.Name() != "quote_prices.parquet" {
			left = append(left, e.Name())
		}
	}
	return left
}

// openWarehouse opens the warehouse with the DuckDB driver itself, read
// only: DuckDB must make sense of the file and WAL the kill left without
// the CLI's help (migrations, repairs), and without writing, so the next
// run still starts from the crashed state. It also checks that the price
// list is loaded whole or not at all: the files ledger names the previous
// list or the new one, with that list's rows (a load is one transaction).
func (c *crashRun) openWarehouse(name string, prev, cur string) {
	path := filepath.Join(c.out, "warehouse.duckdb")
	wal := "no WAL"
	if info, err := os.Stat(path + ".wal"); err == nil {
		wal = fmt.Sprintf("a WAL of %d bytes", info.Size())
	}
	db, err := sql.Open("duckdb", path+"?access_mode=READ_ONLY")
	if err != nil {
		c.t.Fatalf("%s: warehouse: %v", name, err)
	}
	defer db.Close()
	var runs, running int64
	if err := db.QueryRow("SELECT count(*), count(*) FILTER (status = 'running') FROM runs").Scan(&runs, &running); err != nil {
		c.t.Fatalf("%s: the warehouse (%s) does not open after the kill: %v", name, wal, err)
	}
	c.t.Logf("%s: warehouse opens (%s): %d runs, %d of them left 'running'", name, wal, runs, running)
	rows, err := db.Query("SELECT sha256, rows FROM files WHERE path = ?", crashList)
	if err != nil {
		c.t.Fatalf("%s: files: %v", name, err)
	}
	defer rows.Close()
	var loaded []string
	for rows.Next() {
		var sum string
		var n int64
		if err := rows.Scan(&sum, &n); err != nil {
			c.t.Fatal(err)
		}
		loaded = append(loaded, sum)
		if sum != prev && sum != cur || n != c.lists[sum] {
			c.t.Errorf("%s: the warehouse holds %s as sha256 %s with %d rows; want the previous list (%s, %d rows) or the new one (%s, %d rows)",
				name, crashList, sum, n, prev, c.lists[prev], cur, c.lists[cur])
		}
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	if len(loaded) != 1 {
		c.t.Errorf("%s: the warehouse holds %d loads of %s (%v), want 1", name, len(loaded), crashList, loaded)
	}
}

// checkPublished checks the publication folder against its manifest.json:
// every output listed exists with the recorded sha256, size and rows (read
// back from the file: CSV records, Parquet rows, XLSX data rows); the
// folder holds nothing else; quote_prices has the rows of the price list
// the manifest names as input. It returns that list's sha256.
func (c *crashRun) checkPublished(name string) string {
	t := c.t
	dir := c.target()
	defer func(start time.Time) { t.Logf("%s: checked in %v", name, time.Since(start).Round(time.Millisecond)) }(time.Now())
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var m publish.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: manifest.json: %v", name, err)
	}
	if m.Pipeline != "pricelist" || m.Period != crashPeriod || len(m.Outputs) == 0 {
		t.Errorf("%s: manifest of %q %q with %d outputs, want pricelist %s with outputs", name, m.Pipeline, m.Period, len(m.Outputs), crashPeriod)
	}
	listed := map[string]bool{"manifest.json": true}
	rows := map[string]int64{}
	// Each output is hashed, and its rows counted, in its own goroutine
	// (the XLSX inflate is most of the time); a file already counted is
	// known by its hash (the set left by a kill is often the one checked
	// after the run before).
	type result struct {
		sum        string
		size, rows int64
		err        error
	}
	// A workbook (an .xlsx with no CSV of the same report) gathers a cover
	// and summaries: its sheets' rows are no report's; its bytes are checked.
	workbook := map[string]bool{}
	for _, o := range m.Outputs {
		if strings.HasSuffix(o.Path, ".xlsx") && !slices.ContainsFunc(m.Outputs, func(c publish.Output) bool {
			return c.Path == strings.TrimSuffix(o.Path, ".xlsx")+".csv"
		}) {
			workbook[o.Path] = true
		}
	}
	results := make([]result, len(m.Outputs))
	var wg sync.WaitGroup
	for i, o := range m.Outputs {
		listed[o.Path] = true
		rows[o.Path] = o.Rows
		wg.Go(func() {
			r := &results[i]
			p := filepath.Join(dir, filepath.FromSlash(o.Path))
			if r.sum, r.size, r.err = hashFile(p); r.err != nil {
				return
			}
			if n, ok := c.counted.Load(r.sum); ok {
				r.rows = n.(int64)
				return
			}
			if r.rows, r.err = countRows(p); r.err == nil {
				c.counted.Store(r.sum, r.rows)
			}
		})
	}
	wg.Wait()
	for i, o := range m.Outputs {
		switch r := results[i]; {
		case r.err != nil:
			t.Errorf("%s: output %s: %v", name, o.Path, r.err)
		case r.sum != o.SHA256 || r.size != o.Bytes:
			t.Errorf("%s: %s is %d bytes, sha256 %s; manifest says %d bytes, %s", name, o.Path, r.size, r.sum, o.Bytes, o.SHA256)
		case r.rows != o.Rows && !workbook[o.Path]:
			t.Errorf("%s: %s has %d rows; manifest says %d", name, o.Path, r.rows, o.Rows)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("%s: %s is in the publication but not in its manifest", name, e.Name())
		}
	}
	var list string
	for _, in := range m.Inputs {
		if in.Path == crashList {
			list = in.SHA256
		}
	}
	want, ok := c.lists[list]
	switch {
	case !ok:
		t.Errorf("%s: manifest's input %s has sha256 %q: not a list this test wrote", name, crashList, list)
	case rows["quote_prices.csv"] != want || rows["quote_prices.parquet"] != want || rows["quote_prices.xlsx"] != want:
		t.Errorf("%s: quote_prices has %d/%d/%d rows (csv/parquet/xlsx), want the %d rows of input %s", name,
			rows["quote_prices.csv"], rows["quote_prices.parquet"], rows["quote_prices.xlsx"], want, list)
	}
	return list
}

// checkHistory checks that the price history keeps the period's published
// quote_prices.parquet (the run's commit copies it there): after a
// completed run it must be the published file, not the killed run's or the
// one before.
func (c *crashRun) checkHistory(name string) {
	pub, _, err := hashFile(filepath.Join(c.target(), "quote_prices.parquet"))
	if err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
	hist, _, err := hashFile(c.historyFile())
	if err != nil {
		c.t.Errorf("%s: price history: %v", name, err)
	} else if hist != pub {
		c.t.Errorf("%s: price history's quote_prices.parquet (sha256 %s) is not the published one (%s)", name, hist, pub)
	}
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// countRows reads a published file back with a reader other than the one
// that wrote it and counts its data rows, headers excluded.
func countRows(p string) (int64, error) {
	switch path.Ext(p) {
	case ".csv":
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
		r.ReuseRecord = true
		var n int64 = -1 // the header
		for {
			if _, err := r.Read(); err == io.EOF {
				return max(n, 0), nil
			} else if err != nil {
				return 0, err
			}
			n++
		}
	case ".parquet":
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return 0, err
		}
		defer db.Close()
		var n int64
		err = db.QueryRowContext(context.Background(), "SELECT count(*) FROM read_parquet(?)", p).Scan(&n)
		return n, err
	case ".xlsx":
		return countXLSXRows(p)
	}
	return 0, fmt.Errorf("no row count for %s files", path.Ext(p))
}

// countXLSXRows counts the <row> elements of every worksheet less each
// sheet's header row and the note of an empty sheet.
func countXLSXRows(p string) (int64, error) {
	z, err := zip.OpenReader(p)
	if err != nil {
		return 0, err
	}
	defer z.Close()
	var n int64
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return 0, err
		}
		rows, err := countTag(r, []byte("<row "))
		r.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f.Name, err)
		}
		// An empty sheet's line saying why is no data row: the writer
		// gives its one cell the note style (write.NoteStyle).
		if r, err = f.Open(); err != nil {
			return 0, err
		}
		notes, err := countTag(r, []byte(fmt.Sprintf(`" s="%d"`, write.NoteStyle)))
		r.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f.Name, err)
		}
		rows -= notes
		if rows == 0 {
			return 0, fmt.Errorf("%s: no header row", f.Name)
		}
		n += rows - 1
	}
	return n, nil
}

// countTag counts occurrences of tag in r, across read boundaries. Cell
// text cannot contain it: XML escapes '<'.
func countTag(r io.Reader, tag []byte) (int64, error) {
	buf := make([]byte, 1<<20)
	keep := 0 // bytes carried over from the last read: a tag cut in two
	var n int64
	for {
		m, err := r.Read(buf[keep:])
		data := buf[:keep+m]
		n += int64(bytes.Count(data, tag))
		keep = min(len(tag)-1, len(data))
		copy(buf, data[len(data)-keep:])
		if err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
	}
}

// leftovers are what killed runs leave under out, by kind: a stage of the
// target (whatever follows the dash) and its aside copy, the site's
// staging and scratch folders, a dataset's temporary link or copy.
var leftovers = []string{
	"pricelist/.2025-12.tmp-4242/quote_prices.csv",
	"pricelist/.2025-12.tmp-x.old/quote_prices.csv",
	".site.tmp-17/index.html",
	".site.db-3/duckdb.tmp",
	"datasets/quote_prices/period=2025-12/.quote_prices.parquet.tmp-link",
	"datasets/quote_prices/period=2025-12/.quote_prices.parquet.tmp-123",
}

// plantLeftovers writes paths (leftovers) under out.
func plantLeftovers(t *testing.T, out string, paths []string) {
	t.Helper()
	for _, p := range paths {
		p = filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// leftoversUnder lists what is under out of a killed run: staging folders
// of any pipeline's target, the site's, temporary files in the datasets.
func leftoversUnder(t *testing.T, out string) []string {
	t.Helper()
	var left []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if strings.Contains(name, ".tmp-") || strings.HasPrefix(name, ".site.db-") || name == "site.old" {
			rel, _ := filepath.Rel(out, p)
			left = append(left, filepath.ToSlash(rel))
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// Every run clears what killed runs left of the targets it touches and of
// the site: a run with nothing new (which writes nothing else), a forced
// one, and salesops site (which takes the warehouse's lock as runs do).
func TestLeftoversCleared(t *testing.T) {
	cfg, out := exampleConfig(t, "1m")
	dir := filepath.Join(out, "pricelist", "2025-12")
	site := "site: " + filepath.Join(out, "site", "index.html") + "\n"
	run := func(force bool) string { return runPricelist(t, cfg, force) }
	run(false)
	for _, tt := range []struct {
		name    string
		planted []string
		do      func() string
		stdout  string
	}{
		{"up to date", leftovers, func() string { return run(false) }, "pricelist 2025-12: up to date (" + dir + ")\n" + site},
		{"--force", leftovers, func() string { return run(true) }, "pricelist 2025-12: published " + dir + " (15 rows in quote_prices.csv, 4 rejects)\n" +
			"  rejects: " + filepath.Join(dir, "rejects.csv") + "\n" + site},
		// The verb touches the site only.
		{"salesops site", leftovers[2:4], func() string {
			var buf strings.Builder
			if err := runSite(context.Background(), &buf, GlobalOptions{Config: cfg}); err != nil {
				t.Fatal(err)
			}
			return buf.String()
		}, "site: 1 publication(s) in " + filepath.Join(out, "site", "index.html") + "\n"},
	} {
		plantLeftovers(t, out, tt.planted)
		if got := tt.do(); got != tt.stdout {
			t.Errorf("%s printed %q, want %q", tt.name, got, tt.stdout)
		}
		if left := leftoversUnder(t, out); len(left) > 0 {
			t.Errorf("%s: left %q", tt.name, left)
		}
	}
	// salesops site waits for a run holding the warehouse, then gives up.
	short, shortOut := exampleConfig(t, "200ms")
	w := holdWarehouse(t, filepath.Join(shortOut, "warehouse.duckdb"))
	defer w.Close()
	err := runSite(context.Background(), io.Discard, GlobalOptions{Config: short})
	if !errors.Is(err, transform.ErrBusy) {
		t.Errorf("salesops site while a run holds the warehouse: %v, want it busy", err)
	}
}

// runPricelist runs the price list with the config file cfg (--force if
// force) and returns what it printed.
func runPricelist(t *testing.T, cfg string, force bool) string {
	t.Helper()
	var buf strings.Builder
	if err := runRun(context.Background(), &buf, GlobalOptions{Config: cfg}, RunOptions{Force: force}, []string{"pricelist"}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestMemoryLimitSharedStrings runs the fault case mem-shared-strings
// (testdata/faults: a workbook of 1.2 MB whose shared strings inflate to
// 1.2 GB, each under the cell limit) under its memory_limit of 1GB and
// checks, beyond its exit and stderr, that the run failed fast and within
// the budget + 20 %, from the child's peak RSS: before the reader counted
// the shared strings against the budget, it failed after 31 s at 5.0 GB.
func TestMemoryLimitSharedStrings(t *testing.T) {
	const (
		name    = "mem-shared-strings"
		budget  = 1e9 // memory_limit: 1GB, as the case sets it
		maxTook = 20 * time.Second
	)
	bin, err := salesopsBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	c := readFaultCase(t, filepath.Join("testdata", "faults", name))
	if !slices.Contains(c.config, "memory_limit: 1GB") {
		t.Fatalf("%s/case.txt: want the config line memory_limit: 1GB, have %q", name, c.config)
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	inbox, out := filepath.Join(root, "inbox"), filepath.Join(root, "out")
	copyTree(t, filepath.Join(examples, "inbox"), inbox)
	faultGenerators[name](t, root, inbox)
	cfg := filepath.Join(root, "salesops.yaml")
	base := readBytes(t, filepath.Join(examples, "salesops.yaml"))
	writeBytes(t, cfg, []byte(string(base)+"\n"+strings.Join(c.config, "\n")+"\n"))

	cmd := exec.Command(bin, "run", c.pipeline, "--config", cfg, "--inbox", inbox, "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != c.exit {
		t.Fatalf("run: %v, want exit %d\n%s", err, c.exit, stderr.String())
	}
	if got, want := strings.TrimSuffix(strings.ReplaceAll(stderr.String(), root, "ROOT"), "\n"), strings.Join(c.stderr, "\n"); got != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
	}
	if took > maxTook {
		t.Errorf("failed after %v, want within %v", took.Round(time.Millisecond), maxTook)
	}
	rss, ok := peakRSS(cmd.ProcessState)
	if !ok {
		t.Logf("failed after %v; peak RSS not measured on this system", took.Round(time.Millisecond))
		return
	}
	t.Logf("failed after %v at a peak RSS of %d bytes", took.Round(time.Millisecond), rss)
	if most := int64(budget * 1.2); rss > most {
		t.Errorf("peak RSS %d bytes, want at most %d (memory_limit + 20 %%)", rss, most)
	}
}

// writeSharedStringsBomb writes at p a workbook of one sheet whose shared
// strings inflate to 1.2 GB from about 1.2 MB of zip: 40,000 strings of
// 30,000 bytes each, under Excel's 32,767 (limits.max_cell_bytes).
func writeSharedStringsBomb(t *testing.T, p string) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Prices" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`},
	} {
		w, err := z.Create(part.name)
		if err == nil {
			_, err = io.WriteString(w, part.body)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	w, err := z.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="40000" uniqueCount="40000">`)
	si := []byte("<si><t>" + strings.Repeat("A", 30000) + "</t></si>")
	for range 40000 {
		if _, err := w.Write(si); err != nil {
			t.Fatal(err)
		}
	}
	io.WriteString(w, `</sst>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}
