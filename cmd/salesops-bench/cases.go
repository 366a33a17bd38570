package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Case names; "+1 month to 36" is held to "+1 month to 12".
const (
	caseNoop    = "no-op re-run (all)"
	casePlus12  = "+1 month to 12"
	casePlus36  = "+1 month to 36"
	caseAllCold = "all cold"
)

func (b *bench) want(name string) bool {
	if b.o.Cases == "" {
		return true
	}
	for _, c := range strings.Split(b.o.Cases, ",") {
		if strings.TrimSpace(c) == name {
			return true
		}
	}
	return false
}

// measure runs the case's pairs: the baseline of files, then one run
// (whose untimed setup is run's own business), reps times.
func (b *bench) measure(ctx context.Context, c *Case, files []BaselineFile, run func(rep int) (Sample, string, error)) error {
	label := c.Name
	var logs []string
	for rep := range b.o.Reps {
		bs, rows, err := b.baselineRun(ctx, label, files)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		c.Baseline = append(c.Baseline, bs)
		c.InputRows = rows
		rs, log, err := run(rep)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		c.Run = append(c.Run, rs)
		logs = append(logs, log)
		fmt.Fprintf(b.out, "  %s %d/%d: baseline %.2f s (%s), run %.2f s (%s)\n", c.Name, rep+1, b.o.Reps,
			bs.Wall.Seconds(), bytesIEC(bs.MaxRSS), rs.Wall.Seconds(), bytesIEC(rs.MaxRSS))
	}
	// The steps of the run nearest the median say where its time went.
	med := Median(walls(c.Run))
	best := 0
	for i, s := range c.Run {
		if (s.Wall - med).Abs() < (c.Run[best].Wall - med).Abs() {
			best = i
		}
	}
	c.Why = slowestSteps(logs[best], 3)
	// The table so far goes into the file after every case: a run cut
	// short leaves what it measured.
	return b.write(b.section(b.cases, "", 0, time.Since(b.start)) + "\n(cut short: the cases after the last row did not run)\n")
}

// runCases runs every case in a fixed order; each case's rows of input are
// those its baseline loaded.
func (b *bench) runCases(ctx context.Context) ([]*Case, error) {
	generated := b.o.Inbox == ""
	latest := b.periods[len(b.periods)-1]
	histDir, histPeriod := b.o.Inbox, b.o.Period
	hist := b.inbox.Files
	if generated {
		// The cold runs read the history: everything but the last month.
		hist = b.inbox.subset(func(p string) bool { return p != latest })
		histDir = filepath.Join(b.work, fmt.Sprintf("inbox-%d", b.o.Months))
		histPeriod = b.periods[len(b.periods)-2]
		if err := materialize(histDir, hist); err != nil {
			return nil, err
		}
	}
	runs := filepath.Join(b.work, "runs")
	fresh := func(name string) (string, error) {
		d := filepath.Join(runs, name)
		return d, os.RemoveAll(d)
	}

	add := func(c *Case) *Case { b.cases = append(b.cases, c); return c }
	pipelineCases := []struct {
		name   string
		target Target
	}{
		{"pricelist", Target{MaxRatio: 3, MaxRSS: 1 * gib}},
		{"reconciliation", Target{MaxRatio: 2, MaxRSS: 2 * gib}},
		{"lifecycle", Target{}},
		{"quotes", Target{}},
		{"all", Target{}},
	}
	for _, pc := range pipelineCases {
		c := add(&Case{Name: pc.name + " cold", Target: pc.target,
			What: fmt.Sprintf("`run %s` on an empty warehouse and out", pc.name)})
		if !b.want(c.Name) {
			c.Skipped = "not in --cases"
			continue
		}
		files, err := plan(hist, []string{pc.name})
		if err != nil {
			return nil, err
		}
		// Quotes need a published price list and reconciliation: they
		// are made once, untimed, and copied before each run.
		var prepared string
		if pc.name == "quotes" {
			if prepared, err = fresh("quotes-prepared"); err != nil {
				return nil, err
			}
			fmt.Fprintln(b.out, "  preparing quotes: run pricelist reconciliation (untimed)")
			if _, _, err := b.salesops(ctx, "quotes-prepare", histDir, prepared, histPeriod, "pricelist", "reconciliation"); err != nil {
				return nil, err
			}
		}
		name := pc.name
		var first map[string]string
		err = b.measure(ctx, c, files, func(rep int) (Sample, string, error) {
			out, err := fresh(name)
			if err != nil {
				return Sample{}, "", err
			}
			if prepared != "" {
				if err := copyTree(prepared, out); err != nil {
					return Sample{}, "", err
				}
			}
			s, log, err := b.salesops(ctx, c.Name, histDir, out, histPeriod, name)
			if err != nil {
				return s, log, err
			}
			d, err := outputDigests(out)
			if err == nil && rep > 0 {
				err = sameBytes(first, d)
			}
			if rep == 0 {
				first = d
			}
			return s, log, err
		})
		if err != nil {
			return nil, err
		}
	}

	// The no-op re-run repeats the last cold "all" on what it left.
	allOut := filepath.Join(runs, "all")
	noop := add(&Case{Name: caseNoop, Target: Target{MaxWall: time.Second}, NoRate: true,
		What: "`run all` again, right after the last cold `all`, nothing changed"})
	var snapshot36 string
	switch {
	case !b.want(caseNoop):
		noop.Skipped = "not in --cases"
	case !b.want(caseAllCold):
		noop.Skipped = "needs " + caseAllCold
	default:
		if generated && b.want(casePlus36) {
			snapshot36 = filepath.Join(b.work, fmt.Sprintf("warehouse-%d", b.o.Months))
			if err := copyTree(allOut, snapshot36); err != nil {
				return nil, err
			}
		}
		files, err := plan(hist, []string{"all"})
		if err != nil {
			return nil, err
		}
		err = b.measure(ctx, noop, files, func(int) (Sample, string, error) {
			return b.salesops(ctx, "noop", histDir, allOut, histPeriod, "all")
		})
		if err != nil {
			return nil, err
		}
	}

	// One month added: the new month's files land in an inbox whose
	// history is in the warehouse; the baseline loads the new files only.
	hs := []int{12}
	if b.o.Months != 12 {
		hs = append(hs, b.o.Months)
	}
	for _, h := range hs {
		name := casePlus12
		c := &Case{Name: name}
		if h != 12 {
			name = casePlus36
			c = &Case{Name: fmt.Sprintf("+1 month to %d", h), Target: Target{RelativeTo: casePlus12, MaxRel: 2}}
		}
		c.What = fmt.Sprintf("`run all` for month %d on a warehouse holding months 1–%d", h+1, h)
		add(c)
		switch {
		case !generated:
			c.Skipped = "needs a generated inbox"
			continue
		case !b.want(name):
			c.Skipped = "not in --cases"
			continue
		case h > b.o.Months:
			c.Skipped = fmt.Sprintf("needs %d months of history", h)
			continue
		}
		added := b.periods[h]
		var newFiles []inboxFile
		for _, f := range b.inbox.Files {
			if f.Period == added {
				newFiles = append(newFiles, f)
			}
		}
		dir := filepath.Join(b.work, fmt.Sprintf("inbox-%d-plus-1", h))
		if err := materialize(dir, b.inbox.subset(func(p string) bool { return p <= added })); err != nil {
			return nil, err
		}
		// The warehouse holding the history: the cold "all"'s for the
		// whole history, else made here, untimed.
		snapshot := snapshot36
		if h != b.o.Months || snapshot == "" {
			hdir := histDir
			if h != b.o.Months {
				hdir = filepath.Join(b.work, fmt.Sprintf("inbox-%d", h))
				if err := materialize(hdir, b.inbox.subset(func(p string) bool { return p < added })); err != nil {
					return nil, err
				}
			}
			snapshot = filepath.Join(b.work, fmt.Sprintf("warehouse-%d", h))
			fmt.Fprintf(b.out, "  preparing %s: run all on months 1–%d (untimed)\n", c.Name, h)
			if _, _, err := b.salesops(ctx, fmt.Sprintf("history-%d", h), hdir, snapshot, b.periods[h-1], "all"); err != nil {
				return nil, err
			}
		}
		files, err := plan(newFiles, []string{"all"})
		if err != nil {
			return nil, err
		}
		err = b.measure(ctx, c, files, func(int) (Sample, string, error) {
			out, err := fresh(fmt.Sprintf("plus-%d", h))
			if err != nil {
				return Sample{}, "", err
			}
			if err := copyTree(snapshot, out); err != nil {
				return Sample{}, "", err
			}
			return b.salesops(ctx, c.Name, dir, out, added, "all")
		})
		if err != nil {
			return nil, err
		}
	}
	return b.cases, nil
}

// section is what BENCHMARKS.md holds for this size, between its markers,
// and what the command prints.
func (b *bench) section(cases []*Case, genOut string, genTook, took time.Duration) string {
	var s strings.Builder
	o := b.o
	if o.Inbox == "" {
		fmt.Fprintf(&s, "### %s bill lines, %s customers, %d months of history (+1 added)\n\n", thousands(int64(o.BillLines)), thousands(int64(o.Customers)), o.Months)
	} else {
		fmt.Fprintf(&s, "### Inbox %s, period %s\n\n", o.Inbox, o.Period)
	}
	fmt.Fprintf(&s, "```sh\n%s\n```\n\n", b.command())
	fmt.Fprintf(&s, "Measured %s, salesops at %s, on %s; %d pairs per case; the whole run took %s",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), b.commit, machine(), o.Reps, took.Round(time.Second))
	if genTook > 0 {
		fmt.Fprintf(&s, " (generating the inbox: %s)", genTook.Round(time.Second))
	}
	s.WriteString(".")
	if b.loadStart != "" {
		fmt.Fprintf(&s, " Load average (1 min) at the start %s, at the end %s: other work on the machine slows both sides of each pair.", b.loadStart, loadAverage())
	}
	s.WriteString("\n\n")
	s.WriteString(Table(cases))
	if genOut != "" {
		s.WriteString("\n<details><summary>salesops gen printed</summary>\n\n```\n" + strings.TrimRight(genOut, "\n") + "\n```\n</details>\n")
	}
	return s.String()
}

// command is the command line that reproduces this run.
func (b *bench) command() string {
	o := b.o
	c := "go run ./cmd/salesops-bench"
	if o.Inbox != "" {
		c += fmt.Sprintf(" --inbox %s --period %s", o.Inbox, o.Period)
	} else {
		c += fmt.Sprintf(" --bill-lines %d --customers %d --months %d --seed %d", o.BillLines, o.Customers, o.Months, o.Seed)
	}
	c += fmt.Sprintf(" --reps %d --out %s", o.Reps, o.Out)
	if o.Config != "" {
		c += " --config " + o.Config
	}
	if o.Cases != "" {
		c += fmt.Sprintf(" --cases %q", o.Cases)
	}
	return c
}

// machine describes the computer from /proc (Linux): CPU model, CPUs
// usable, memory.
func machine() string {
	cpu, mem := "unknown CPU", "unknown memory"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		for _, l := range strings.Split(string(b), "\n") {
			if _, err := fmt.Sscanf(l, "MemTotal: %d kB", &kb); err == nil {
				mem = fmt.Sprintf("%.1f GiB RAM", float64(kb)/(1<<20))
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d CPUs, %s (%s/%s)", cpu, runtime.NumCPU(), mem, runtime.GOOS, runtime.GOARCH)
}

// loadAverage is the 1-minute load average from /proc/loadavg ("" where
// there is none).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// gitCommit names the code measured: the commit, and whether the working
// tree had changes on top of it.
func gitCommit(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "an unknown commit"
	}
	c := "commit " + strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += " with uncommitted changes"
	}
	return c
}
