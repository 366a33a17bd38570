package transform

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// sourcesFile declares the sources, beside the models.
const sourcesFile = "transform/models/sources.yml"

// Source is a relation the models read that no model makes: a raw table
// the loader fills, a ledger of the warehouse, or a relation a pipeline
// makes in Go before it builds. models/sources.yml declares each, as dbt's
// models/staging/__sources.yml does, so a reader of the SQL finds where
// every name a model reads comes from; a model reading any other name
// fails to parse (see Models).
type Source struct {
	Name string `yaml:"name"`
	// Group is the source group it is declared in (inbox, warehouse,
	// pipelines).
	Group string `yaml:"-"`
	// MadeBy is the file that creates it: a migration, or a Go file and
	// its function ("pipelines/pricelist.go historyView").
	MadeBy string `yaml:"made_by"`
	// RowsBy is the file and function writing its rows, when another
	// than MadeBy does.
	RowsBy      string `yaml:"rows_by"`
	Description string `yaml:"description"`
}

// sourceGroup is a group of sources.yml: sources made and filled alike.
type sourceGroup struct {
	Name        string    `yaml:"name"`
	Description string    `yaml:"description"`
	Tables      []*Source `yaml:"tables"`
}

var (
	sources     map[string]*Source
	sourcesErr  error
	sourcesOnce sync.Once
)

// Sources returns the declared sources by name (read once).
func Sources() (map[string]*Source, error) {
	sourcesOnce.Do(func() {
		body, err := modelFS.ReadFile("models/sources.yml")
		if err != nil {
			sourcesErr = err
			return
		}
		sources, sourcesErr = parseSources(body)
	})
	return sources, sourcesErr
}

func parseSources(body []byte) (map[string]*Source, error) {
	var doc struct {
		Sources []sourceGroup `yaml:"sources"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(body))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", sourcesFile, err)
	}
	out := map[string]*Source{}
	for _, g := range doc.Sources {
		for _, s := range g.Tables {
			s.Name = strings.ToLower(s.Name)
			switch {
			case s.Name == "":
				return nil, fmt.Errorf("%s: source group %s: a table without a name", sourcesFile, g.Name)
			case out[s.Name] != nil:
				return nil, fmt.Errorf("%s: source %s declared twice", sourcesFile, s.Name)
			case s.MadeBy == "":
				return nil, fmt.Errorf("%s: source %s: no made_by (the file that creates it)", sourcesFile, s.Name)
			}
			s.Group = g.Name
			out[s.Name] = s
		}
	}
	return out, nil
}
