package main

import (
	"io"
	"log/slog"
	"os"

	"github.com/salesops/salesops/pipelines"
)

// setupLogging makes the default slog logger write to w in the config's
// format and level (SALESOPS_LOG=debug still forces debug), so the
// pipelines' own log lines come out the same way, and returns it.
func setupLogging(lc pipelines.LogConfig, w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	switch lc.Level {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	if os.Getenv("SALESOPS_LOG") == "debug" {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if lc.Format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}
