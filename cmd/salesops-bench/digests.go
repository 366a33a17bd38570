package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/salesops/salesops/load/publish"
)

// outputDigests are the SHA-256 of every file the runs published under
// out, by path, as their manifests record them. A run that published
// nothing is an error: two empty sets would compare equal.
func outputDigests(out string) (map[string]string, error) {
	manifests, err := filepath.Glob(filepath.Join(out, "*", "*", "manifest.json"))
	if err != nil {
		return nil, err
	}
	if len(manifests) == 0 {
		return nil, fmt.Errorf("%s: no publication (no <pipeline>/<period>/manifest.json)", out)
	}
	d := make(map[string]string)
	for _, path := range manifests {
		m, err := publish.ReadManifest(filepath.Dir(path))
		if err != nil {
			return nil, err
		}
		dir, _ := filepath.Rel(out, filepath.Dir(path))
		for _, o := range m.Outputs {
			d[filepath.ToSlash(filepath.Join(dir, o.Path))] = o.SHA256
		}
	}
	return d, nil
}

// sameBytes checks that a repeated cold run published the files of the
// first, byte for byte: same inputs, same bytes. A shuffled CSV at 148,000
// rows went unnoticed until runs were compared.
func sameBytes(first, again map[string]string) error {
	var diff []string
	for p, h := range first {
		if again[p] != h {
			diff = append(diff, p)
		}
	}
	for p := range again {
		if _, ok := first[p]; !ok {
			diff = append(diff, p)
		}
	}
	if len(diff) == 0 {
		return nil
	}
	slices.Sort(diff)
	return fmt.Errorf("same inputs, different outputs from the first run: %s", strings.Join(diff, ", "))
}
