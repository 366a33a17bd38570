package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// slowestSteps reads a run's debug log (slog text lines: msg=model
// name=reconciliation build=12.3s …) and names its n longest steps, e.g.
// "model reconciliation 12.3 s, write quote_prices.xlsx 8.1 s". Lines that
// sum others (run: the pipeline, sync: its loads, report: its files) are
// left out, so the steps named are the ones to work on.
func slowestSteps(log string, n int) string {
	f, err := os.Open(log)
	if err != nil {
		return ""
	}
	defer f.Close()
	type step struct {
		label string
		took  time.Duration
	}
	var steps []step
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		kv := logFields(sc.Text())
		if kv["level"] == "" {
			kv = logPackageFields(sc.Text())
		}
		if kv["level"] != "DEBUG" || kv["msg"] == "run" || kv["msg"] == "sync" || kv["msg"] == "report" {
			continue
		}
		var took time.Duration
		for _, k := range []string{"took", "build", "waited"} {
			if d, err := time.ParseDuration(kv[k]); err == nil {
				took = d
				break
			}
		}
		if took == 0 {
			continue
		}
		label := kv["msg"]
		for _, k := range []string{"name", "file", "report", "pipeline"} {
			if v := kv[k]; v != "" {
				label += " " + v
				break
			}
		}
		steps = append(steps, step{label, took})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].took > steps[j].took })
	var parts []string
	for _, s := range steps[:min(n, len(steps))] {
		parts = append(parts, fmt.Sprintf("%s %.1f s", s.label, s.took.Seconds()))
	}
	return strings.Join(parts, ", ")
}

// logFields splits a slog text line into its key=value pairs (values
// quoted when they hold spaces).
func logFields(line string) map[string]string {
	kv := map[string]string{}
	for line != "" {
		line = strings.TrimLeft(line, " ")
		k, rest, ok := strings.Cut(line, "=")
		if !ok {
			break
		}
		var v string
		if strings.HasPrefix(rest, `"`) {
			// A quoted value ends at the next unescaped quote.
			i := 1
			for i < len(rest) && (rest[i] != '"' || rest[i-1] == '\\') {
				i++
			}
			v = strings.ReplaceAll(rest[1:min(i, len(rest))], `\"`, `"`)
			rest = rest[min(i+1, len(rest)):]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
		}
		kv[k] = v
		line = rest
	}
	return kv
}

// logPackageFields reads a line of slog's default handler, which writes
// through package log ("2026/11/30 00:24:32 DEBUG msg key=value…"): what
// salesops prints when its config sets no log format.
func logPackageFields(line string) map[string]string {
	f := strings.SplitN(line, " ", 5)
	if len(f) < 4 {
		return map[string]string{}
	}
	kv := map[string]string{}
	if len(f) == 5 {
		kv = logFields(f[4])
	}
	kv["level"], kv["msg"] = f[2], f[3]
	return kv
}
