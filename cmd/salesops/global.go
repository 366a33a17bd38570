package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/transform"
)

// GlobalOptions are the flags every verb takes (the root command's
// persistent flags): where the config file is and the output folder,
// which holds the publications, the site and, unless the config says
// otherwise, the warehouse. Each verb reads its config with load and a
// verb that reads the warehouse opens it with openWarehouse, so no two
// verbs find or open it differently.
type GlobalOptions struct {
	Config string
	Out    string

	// configTestHook, when set, sees every config a verb resolves; an
	// error from it is load's, so a test can stop the verb there.
	configTestHook func(pipelines.Config) error
}

// AddFlags registers the options' flags.
func (o *GlobalOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Config, "config", "", "YAML config `file` (see docs/config.md); flags override it")
	f.StringVar(&o.Out, "out", "", "output `folder` for publications, the site and the warehouse (default ./out)")
}

// configFlags are the config keys a verb's own flags set: run has all
// of them, customer --as-of. An empty one keeps the config file's value.
type configFlags struct {
	Inbox, Publish, Period, AsOf string
}

// addAsOfFlag registers --as-of, of run and customer.
func addAsOfFlag(f *pflag.FlagSet, p *string) {
	f.StringVar(p, "as-of", "", "reference `date` YYYY-MM-DD (default: the config's, else today)")
}

// load is the config a verb runs with: the defaults, then the config file
// (--config), then the flags (--out and the verb's own), resolved and
// validated on now (pipelines.Config.Resolve). A config file that cannot
// be read or a value out of range is a *pipelines.UsageError (exit 2).
func (o GlobalOptions) load(now time.Time, flags configFlags) (pipelines.Config, error) {
	var cfg pipelines.Config
	if o.Config != "" {
		var err error
		if cfg, err = pipelines.LoadConfig(o.Config); err != nil {
			return cfg, &pipelines.UsageError{Err: err}
		}
	}
	for _, f := range []struct{ flag, dst *string }{
		{&o.Out, &cfg.Out}, {&flags.Inbox, &cfg.Inbox}, {&flags.Publish, &cfg.Publish},
		{&flags.Period, &cfg.Period}, {&flags.AsOf, &cfg.AsOf},
	} {
		if *f.flag != "" {
			*f.dst = *f.flag
		}
	}
	if err := cfg.Resolve(now); err != nil {
		return cfg, err
	}
	if o.configTestHook != nil {
		return cfg, o.configTestHook(cfg)
	}
	return cfg, nil
}

// openWarehouse opens cfg's warehouse for a verb that reads what runs put
// there, as a run opens it (pipelines.Config.OpenWarehouse: waiting up to
// lock_wait for a run holding it). A warehouse that does not exist is an
// error ending with hint (what to run first): opening would create an
// empty one.
func openWarehouse(ctx context.Context, cfg pipelines.Config, hint string) (*transform.Warehouse, error) {
	if _, err := os.Stat(cfg.Warehouse); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("warehouse %s: no such file: %s", cfg.Warehouse, hint)
	}
	return cfg.OpenWarehouse(ctx)
}
