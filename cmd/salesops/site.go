package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/salesops/salesops/pipelines"
	"github.com/salesops/salesops/site"
	"github.com/salesops/salesops/transform"
)

func newSiteCommand(gopts *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "site [--config FILE] [--out DIR]",
		Short: "Build the static report site under <out>/site/",
		Long: `site builds a static report site from what is published under the output
folder: index.html lists every pipeline, period and run; each report gets a
page with its key figures, charts and a sortable, filterable table of its
exceptions (the full detail stays in CSV and Parquet, linked). Open
<out>/site/index.html in a browser, or copy the output folder to a static
website bucket: no server and no internet access are needed.

Each page reads its report's published CSV as the report declares it. A CSV
that lacks a declared column, or holds a number or date that does not parse,
still gets its page, which says so at the top (values shown as written, in
red, left out of totals and charts); the site is written and salesops site
then exits 1 naming each such file. A run of the same warehouse rebuilds the
site too: site waits for it, up to lock_wait.

EXIT STATUS
  0    the site was built from every publication
  1    a publication could not be read as declared (the pages say which),
       or the site could not be written
  2    usage error
  130  interrupted`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSite(cmd.Context(), cmd.OutOrStdout(), *gopts)
		},
	}
	return cmd
}

func runSite(ctx context.Context, stdout io.Writer, gopts GlobalOptions) error {
	cfg, err := gopts.load(time.Now(), configFlags{})
	if err != nil {
		return err
	}
	// The warehouse's lock, as a run holds it: the run rebuilds the site
	// too, and clears what dead builds left (site.ClearStale).
	unlock, err := transform.Lock(ctx, cfg.Warehouse, cfg.LockWait)
	if err != nil {
		return err
	}
	defer unlock()
	if err := site.ClearStale(cfg.Out); err != nil {
		return err
	}
	// A published CSV the site cannot read as declared still gets its
	// page, saying what is wrong; the verb then fails (exit 1) naming it.
	pubs, err := site.BuildContext(ctx, cfg.Out, pipelines.SitePipelines())
	if pubs != nil {
		fmt.Fprintf(stdout, "site: %d publication(s) in %s\n", len(pubs), filepath.Join(cfg.Out, site.Dir, "index.html"))
	}
	return err
}
