// Package write turns the warehouse's marts into the files a set publishes:
// reports in the formats of formats.go, workbooks, proposals and calendars.
package write
