package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sample is one child process measured from outside: its wall time and its
// own peak resident set (rusage of that process alone).
type Sample struct {
	Wall   time.Duration
	MaxRSS int64 // bytes; 0 when the OS does not say
}

// Target is what a case must meet, from issue 10's table; a zero field is
// no target. Relative targets compare the case with another case's run.
type Target struct {
	MaxRatio   float64       // run / baseline
	MaxWall    time.Duration // run's median wall time
	MaxRSS     int64         // bytes
	RelativeTo string        // case name: the run may take at most MaxRel × that case's
	MaxRel     float64
	Note       string // shown when the target is not one of the above
}

// Case is one measured row: paired baseline and run samples, in the order
// they ran (baseline, run, baseline, run…).
type Case struct {
	Name      string
	What      string // the row's meaning, for BENCHMARKS.md
	InputRows int64  // rows of the CSV files the run reads (the baseline's rows)
	Baseline  []Sample
	Run       []Sample
	Target    Target
	NoRate    bool   // rows/s means nothing (a no-op re-run)
	Why       string // the slowest steps of the median run, from its debug log
	Skipped   string // why the case did not run
}

// Median of durations: the middle one, or the mean of the two middle ones.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func walls(ss []Sample) []time.Duration {
	var out []time.Duration
	for _, s := range ss {
		out = append(out, s.Wall)
	}
	return out
}

// PeakRSS is the largest peak resident set among the samples: the memory
// a machine must have for every one of them.
func PeakRSS(ss []Sample) int64 {
	var m int64
	for _, s := range ss {
		m = max(m, s.MaxRSS)
	}
	return m
}

// Stats are a case's figures as the table shows them.
type Stats struct {
	Baseline, Run   time.Duration // medians
	Ratio           float64       // median run / median baseline
	RunRSS, BaseRSS int64
	RowsPerSec      float64
}

// Stats computes medians and ratios. The ratio is of the two medians, not
// the median of per-pair ratios: each median already discounts one slow
// neighbour, and the two are what the table shows side by side.
func (c *Case) Stats() Stats {
	s := Stats{Baseline: Median(walls(c.Baseline)), Run: Median(walls(c.Run)), RunRSS: PeakRSS(c.Run), BaseRSS: PeakRSS(c.Baseline)}
	if s.Baseline > 0 {
		s.Ratio = float64(s.Run) / float64(s.Baseline)
	}
	if s.Run > 0 && !c.NoRate {
		s.RowsPerSec = float64(c.InputRows) / s.Run.Seconds()
	}
	return s
}

// Verdict says whether the case meets its target and, if not, by how much
// against each limit it passes. others gives the cases a relative target
// refers to.
func (c *Case) Verdict(others map[string]*Case) string {
	if c.Skipped != "" {
		return "not run: " + c.Skipped
	}
	t := c.Target
	if t == (Target{}) {
		return "no target"
	}
	s := c.Stats()
	var miss []string
	over := func(got, limit float64) string { return fmt.Sprintf("+%.0f %%", (got/limit-1)*100) }
	if t.MaxRatio > 0 && s.Ratio > t.MaxRatio {
		miss = append(miss, fmt.Sprintf("%.1f× > %g× (%s)", s.Ratio, t.MaxRatio, over(s.Ratio, t.MaxRatio)))
	}
	if t.MaxWall > 0 && s.Run > t.MaxWall {
		miss = append(miss, fmt.Sprintf("%s > %s (%s)", secs(s.Run), secs(t.MaxWall), over(s.Run.Seconds(), t.MaxWall.Seconds())))
	}
	if t.MaxRSS > 0 && s.RunRSS > t.MaxRSS {
		miss = append(miss, fmt.Sprintf("RSS %s > %s (%s)", bytesIEC(s.RunRSS), bytesIEC(t.MaxRSS), over(float64(s.RunRSS), float64(t.MaxRSS))))
	}
	if t.RelativeTo != "" {
		o := others[t.RelativeTo]
		if o == nil || o.Skipped != "" || len(o.Run) == 0 {
			return "no comparison: " + t.RelativeTo + " did not run"
		}
		limit := float64(o.Stats().Run) * t.MaxRel
		if float64(s.Run) > limit {
			miss = append(miss, fmt.Sprintf("%s > %g × %s (%s)", secs(s.Run), t.MaxRel, secs(o.Stats().Run), over(float64(s.Run), limit)))
		}
	}
	if len(miss) == 0 {
		return "meets"
	}
	v := "misses: " + strings.Join(miss, "; ")
	if c.Why != "" {
		v += "; slowest steps: " + c.Why
	}
	return v
}

// TargetText is the target as the table shows it.
func (t Target) String() string {
	var parts []string
	if t.MaxRatio > 0 {
		parts = append(parts, fmt.Sprintf("≤ %g×", t.MaxRatio))
	}
	if t.MaxWall > 0 {
		parts = append(parts, "≤ "+secs(t.MaxWall))
	}
	if t.MaxRSS > 0 {
		parts = append(parts, "≤ "+bytesIEC(t.MaxRSS))
	}
	if t.RelativeTo != "" {
		parts = append(parts, fmt.Sprintf("≤ %g × %s", t.MaxRel, t.RelativeTo))
	}
	if t.Note != "" {
		parts = append(parts, t.Note)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// Table renders the cases as a markdown table, in their order.
func Table(cases []*Case) string {
	byName := map[string]*Case{}
	for _, c := range cases {
		byName[c.Name] = c
	}
	var b strings.Builder
	b.WriteString("| case | input rows | baseline s | run s | ratio | target | peak RSS run / baseline | rows/s | verdict |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|---:|---:|---|\n")
	for _, c := range cases {
		if c.Skipped != "" {
			fmt.Fprintf(&b, "| %s | | | | | %s | | | %s |\n", c.Name, c.Target, c.Verdict(byName))
			continue
		}
		s := c.Stats()
		rate := "—"
		if s.RowsPerSec > 0 {
			rate = thousands(int64(s.RowsPerSec + 0.5))
		}
		fmt.Fprintf(&b, "| %s | %s | %.2f | %.2f | %.2f× | %s | %s / %s | %s | %s |\n",
			c.Name, thousands(c.InputRows), s.Baseline.Seconds(), s.Run.Seconds(), s.Ratio, c.Target,
			bytesIEC(s.RunRSS), bytesIEC(s.BaseRSS), rate, c.Verdict(byName))
	}
	return b.String()
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// bytesIEC shows a size in MiB below 1 GiB, else in GiB.
func bytesIEC(n int64) string {
	const mib, gib = 1 << 20, 1 << 30
	if n >= gib {
		return fmt.Sprintf("%.2f GiB", float64(n)/gib)
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/mib)
}

// thousands writes n with comma separators (1,000,000).
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Splice puts section between the lines begin and end of doc, replacing
// what was there, or appends the three at the end when doc lacks them, so
// a rerun replaces its own table and leaves the rest of the file alone.
func Splice(doc, begin, end, section string) string {
	block := begin + "\n" + section + end + "\n"
	i := strings.Index(doc, begin+"\n")
	j := strings.Index(doc, end+"\n")
	if i < 0 || j < i {
		if doc != "" && !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		if doc != "" {
			doc += "\n"
		}
		return doc + block
	}
	return doc[:i] + block + doc[j+len(end)+1:]
}
