package pipelines

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"

	"github.com/salesops/salesops/filename"
	"github.com/salesops/salesops/load/publish"
	"github.com/salesops/salesops/reports"
)

// The published sets are laid out by pipeline and period
// (<out>/<pipeline>/<period>/), which suits people and the site. Engines
// that query the whole history (DuckDB, Trino, Spark, Athena) want one
// folder per table with one subfolder per partition, Hive-style, so each
// report's Parquet is also kept in a dataset tree:
//
//	<out>/datasets/<report>/period=YYYY-MM/<report>.parquet
//
// (<report> the report's DatasetName: the lifecycle's data_quality is
// lifecycle_data_quality beside the reconciliation's)
//
// the same bytes as the published file (a hard link where the file system
// allows, else a copy), replaced atomically after each publication, and
// uploaded beside the sets when S3 publishing is configured. Dataset names
// of reports that publish Parquet are unique across the pipelines (a test
// holds it),
// so each dataset is one table with one schema.

// datasetsDir is the root of the dataset tree.
func datasetsDir(cfg Config) string { return filepath.Join(cfg.Out, "datasets") }

// dataset is one report's Parquet file of one period in the dataset tree.
type dataset struct {
	Output publish.Output // as in the set's manifest
	Local  string         // the published file
	Target string         // its place in the dataset tree
	Key    string         // and under the S3 publication: datasets/<report>/period=…/<report>.parquet
}

// datasetsOf lists the dataset files of the set published in dir.
func datasetsOf(cfg Config, p *Pipeline, dir string, m publish.Manifest) []dataset {
	var out []dataset
	for _, rep := range p.Reports {
		if !slices.Contains(rep.Formats, reports.Parquet) {
			continue
		}
		name := rep.Name + ".parquet"
		i := slices.IndexFunc(m.Outputs, func(o publish.Output) bool { return o.Path == name })
		if i < 0 {
			continue
		}
		// The tree's folders are named for values (a period, one day perhaps
		// a vendor or a customer): each goes through filename.Safe, as every
		// name from data, so no value makes a path. A declared report name
		// and a valid period come out as they are (TestDatasetNames).
		table, part := filename.Safe(rep.DatasetName()), "period="+filename.Safe(cfg.Period)
		file := table + ".parquet"
		out = append(out, dataset{
			Output: m.Outputs[i],
			Local:  filepath.Join(dir, name),
			Target: filepath.Join(datasetsDir(cfg), table, part, file),
			Key:    path.Join("datasets", table, part, file),
		})
	}
	return out
}

// writeDatasets puts the set's Parquet files into the dataset tree. A file
// already there as the same file (a link made by an earlier run of this
// set) is left alone, so a run with nothing new writes nothing.
func writeDatasets(cfg Config, p *Pipeline, dir string, m publish.Manifest) error {
	for _, d := range datasetsOf(cfg, p, dir, m) {
		if err := publish.LinkOrCopy(d.Local, d.Target); err != nil {
			return fmt.Errorf("dataset %s: %w", d.Target, err)
		}
	}
	return nil
}
