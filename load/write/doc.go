// Package write turns the warehouse's marts into the files a set publishes:
// reports (CSV, Parquet, pt-BR CSV, XLSX), workbooks, proposals and calendars.
package write
