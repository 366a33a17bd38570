package pipelines

import (
	"path/filepath"
	"testing"
)

// exampleConfig is examples/salesops.yaml (period 2025-12, as-of
// 2026-01-10, its Kaspersky mapping) reading inbox, or the examples' own
// inbox when inbox is "", and writing to out, the warehouse included;
// resolved. Tests set what else they need on the result (a setting that
// Resolve reads, such as lifecycle.true_up, takes a second Resolve).
func exampleConfig(t *testing.T, inbox, out string) Config {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join("..", "examples", "salesops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if inbox != "" {
		cfg.Inbox = inbox
	}
	cfg.Out, cfg.Warehouse = out, ""
	if err := cfg.Resolve(cfg.AsOfDate()); err != nil {
		t.Fatal(err)
	}
	return cfg
}
