// Package load writes report outputs (CSV, Parquet, XLSX, manifest) and publishes them atomically.
package load
