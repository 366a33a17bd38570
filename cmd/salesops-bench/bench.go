package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salesops/salesops/pipelines"
)

// bench holds what every case shares.
type bench struct {
	o       Options
	self    string // this binary, for the baseline child
	bin     string // the salesops binary built for the run
	work    string
	logs    string
	inbox   *inbox
	periods []string // generated periods, oldest first
	seq     int      // numbers child logs and baseline databases
	out     io.Writer
	// loadStart is the load average when the measures began.
	loadStart string
	start     time.Time
	commit    string  // the code measured
	cases     []*Case // measured so far, in order
}

// Limits from issue 10's table.
const (
	gib = int64(1) << 30
)

func runBench(ctx context.Context, o Options, stdout io.Writer) error {
	start := time.Now()
	if o.Config != "" {
		cfg, err := pipelines.LoadConfig(o.Config)
		if err != nil {
			return err
		}
		// Each run gets its own --out; a warehouse set in the config
		// would be shared by all of them.
		if cfg.Warehouse != "" {
			return fmt.Errorf("config %s sets warehouse: every run needs its own, under its --out", o.Config)
		}
		if o.Config, err = filepath.Abs(o.Config); err != nil {
			return err
		}
	}
	work, err := filepath.Abs(o.Out)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	b := &bench{o: o, work: work, logs: filepath.Join(work, "logs"), out: stdout, start: start}
	for _, d := range []string{b.logs, filepath.Join(work, "bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if b.self, err = os.Executable(); err != nil {
		return err
	}
	b.bin = filepath.Join(work, "bin", "salesops")
	b.commit = gitCommit(ctx)
	fmt.Fprintln(stdout, "building salesops…")
	build := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "github.com/salesops/salesops/cmd/salesops")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build salesops: %w", err)
	}

	var genOut string
	var genTook time.Duration
	root := o.Inbox
	if root == "" {
		root = filepath.Join(work, "generated")
		t := time.Now()
		if genOut, b.periods, err = b.generate(ctx, root); err != nil {
			return err
		}
		genTook = time.Since(t)
		fmt.Fprintf(stdout, "generated %s in %s: %d periods, %s … %s\n", root, genTook.Round(time.Second), len(b.periods), b.periods[0], b.periods[len(b.periods)-1])
	} else {
		b.periods = []string{o.Period}
	}
	if b.inbox, err = scanInbox(ctx, root, b.periods); err != nil {
		return err
	}

	b.loadStart = loadAverage()
	cases, err := b.runCases(ctx)
	if err != nil {
		return err
	}
	section := b.section(cases, genOut, genTook, time.Since(start))
	fmt.Fprint(stdout, "\n"+section)
	if err := b.write(section); err != nil {
		return err
	}
	if o.MD != "" {
		fmt.Fprintf(stdout, "\nwrote the table into %s\n", o.MD)
	}
	return nil
}

// write puts section between this size's markers in --md.
func (b *bench) write(section string) error {
	if b.o.MD == "" {
		return nil
	}
	doc, err := os.ReadFile(b.o.MD)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	begin, end := markers(b.sizeLabel())
	return os.WriteFile(b.o.MD, []byte(Splice(string(doc), begin, end, section)), 0o644)
}

// sizeLabel names the inbox a table is for: its own section of
// BENCHMARKS.md, replaced by a rerun of the same size.
func (b *bench) sizeLabel() string {
	if b.o.Inbox != "" {
		return "inbox " + filepath.Base(b.o.Inbox)
	}
	return fmt.Sprintf("%s bill lines", thousands(int64(b.o.BillLines)))
}

func markers(label string) (string, string) {
	return "<!-- salesops-bench: " + label + ": begin -->", "<!-- salesops-bench: " + label + ": end -->"
}

// generate runs "salesops gen" for one month more than the history, with
// the bill lines scaled so the history holds about --bill-lines, and
// returns its output and the periods it printed.
func (b *bench) generate(ctx context.Context, dir string) (string, []string, error) {
	months := b.o.Months + 1
	lines := int64(b.o.BillLines) * int64(months) / int64(b.o.Months)
	args := []string{"gen", "--out", dir, "--customers", strconv.Itoa(b.o.Customers), "--months", strconv.Itoa(months),
		"--bill-lines", strconv.FormatInt(lines, 10), "--seed", strconv.FormatInt(b.o.Seed, 10)}
	cmd := exec.CommandContext(ctx, b.bin, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	fmt.Fprintln(b.out, "salesops", strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return "", nil, fmt.Errorf("salesops gen: %w", err)
	}
	periods := parsePeriods(out.String())
	if len(periods) != months {
		return "", nil, fmt.Errorf("salesops gen printed %d periods, want %d:\n%s", len(periods), months, out.String())
	}
	return out.String(), periods, nil
}

var periodRE = regexp.MustCompile(`(?:^|[^\d-])(\d{4}-(?:0[1-9]|1[0-2]))(?:$|[^\d-])`)

// parsePeriods returns the distinct YYYY-MM of the generator's output in
// the order it printed them (the latest last); dates (YYYY-MM-DD) are not
// periods.
func parsePeriods(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		// Matches may share a separator: scan token by token.
		for _, tok := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == ':' }) {
			if m := periodRE.FindStringSubmatch(tok); m != nil && !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// asOf is the reference date of a period's run: the 10th of the next month,
// as in the example config (period 2025-12, as-of 2026-01-10).
func asOf(period string) string {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 1, 9).Format("2006-01-02")
}

// child runs one process, waits for it and measures it; its stdout is
// returned, its stderr kept in the log file.
func (b *bench) child(ctx context.Context, log string, env []string, name string, args ...string) (Sample, string, error) {
	f, err := os.Create(log)
	if err != nil {
		return Sample{}, "", err
	}
	defer f.Close()
	fmt.Fprintf(f, "$ %s %s\n", name, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout bytes.Buffer
	cmd.Stdout = io.MultiWriter(&stdout, f)
	cmd.Stderr = f
	t := time.Now()
	err = cmd.Run()
	s := Sample{Wall: time.Since(t)}
	if cmd.ProcessState != nil {
		s.MaxRSS = maxRSS(cmd.ProcessState)
	}
	if err != nil {
		return s, stdout.String(), fmt.Errorf("%s %s: %w (log: %s)", filepath.Base(name), strings.Join(args, " "), err, log)
	}
	return s, stdout.String(), nil
}

// baselineRun loads the files into a fresh database file in a child
// process and removes the file after.
func (b *bench) baselineRun(ctx context.Context, label string, files []BaselineFile) (Sample, int64, error) {
	b.seq++
	plan := filepath.Join(b.work, fmt.Sprintf("plan-%03d.json", b.seq))
	js, err := json.Marshal(files)
	if err != nil {
		return Sample{}, 0, err
	}
	if err := os.WriteFile(plan, js, 0o644); err != nil {
		return Sample{}, 0, err
	}
	db := filepath.Join(b.work, fmt.Sprintf("baseline-%03d.duckdb", b.seq))
	log := filepath.Join(b.logs, fmt.Sprintf("%03d-%s-baseline.log", b.seq, fileLabel(label)))
	s, out, err := b.child(ctx, log, nil, b.self, "baseline", "--db", db, "--plan", plan)
	os.Remove(db)
	os.Remove(db + ".wal")
	os.Remove(plan)
	if err != nil {
		return s, 0, err
	}
	rows, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		return s, 0, fmt.Errorf("baseline printed %q, not a row count (log: %s)", out, log)
	}
	return s, rows, nil
}

// salesops runs "salesops run" with debug logging, whose step times the
// verdict quotes; it returns the log's path.
func (b *bench) salesops(ctx context.Context, label string, inbox, out, period string, names ...string) (Sample, string, error) {
	b.seq++
	log := filepath.Join(b.logs, fmt.Sprintf("%03d-%s-run.log", b.seq, fileLabel(label)))
	args := append([]string{"run"}, names...)
	args = append(args, "--inbox", inbox, "--out", out, "--period", period, "--as-of", asOf(period))
	if b.o.Config != "" {
		args = append(args, "--config", b.o.Config)
	}
	s, _, err := b.child(ctx, log, []string{"SALESOPS_LOG=debug"}, b.bin, args...)
	return s, log, err
}

// copyTree copies a folder (a prepared warehouse and its publications, with
// their modification times), so each repetition starts from the same state.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&os.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		outf, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(outf, in); err != nil {
			outf.Close()
			return err
		}
		if err := outf.Close(); err != nil {
			return err
		}
		// The same state includes the times: a run tells a published file
		// unchanged since the site was built by its size and mtime.
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
}

// fileLabel makes a case name fit a file name: "+1 month to 12" is
// "plus1-month-to-12".
func fileLabel(name string) string {
	return strings.NewReplacer(" ", "-", "(", "", ")", "", "+", "plus").Replace(name)
}
