// Package load is the outbound end of a run, in two rooms: load/write turns
// the warehouse's marts into the files a set holds (CSV, Parquet, XLSX,
// workbooks, PDF, ICS), load/publish puts a written set in place (manifest,
// atomic swap, upload to S3). It holds no code of its own.
//
// Loading inbox files into the warehouse is not here but extract.Sync: a
// file's reader, its rows and the ledger entry that says it was loaded are
// written in one transaction, so they stay in one package.
package load
