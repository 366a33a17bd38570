package transform

import (
	"regexp"
	"strconv"
	"strings"
)

// DuckDB's error texts, read here and nowhere else.
//
// Written against DuckDB 1.5.6 (github.com/duckdb/duckdb-go/v2 v2.10506.0).
//
// DuckDB reports an error as text. duckdb-go's *duckdb.Error adds only a
// type, itself read from the text's first words ("Catalog Error: …"), and
// none of what salesops needs from it: the record a CSV failed on, the
// file a full disk refused, what memory ran out. So the text is matched,
// each match below with why it exists. When DuckDB is upgraded, these
// tests tell which text changed: TestDuckDBTexts here, TestExplain and
// TestCorruptWarehouse (warehouse_test.go), extract's TestLoadMessages and
// TestLineOverDuckDBBuffers (messages_test.go), and cmd/salesops's
// TestCustomer.

// A warehouse file DuckDB cannot open, and why in a few words
// (openError): told apart from other failures at Open, so the advice is
// to move the file aside, which the next run rebuilds from the inbox.
var duckCorrupt = []struct{ text, reason string }{
	{"but it is not a valid DuckDB database file", "not a DuckDB file: overwritten?"},
	{"Could not read enough bytes from file", "shorter than its contents: truncated?"},
	{"Corrupt database file", "a block fails its checksum: damaged"},
}

// corruptReason says why DuckDB could not read a warehouse file, if err
// is one of duckCorrupt's.
func corruptReason(err error) (string, bool) {
	for _, c := range duckCorrupt {
		if strings.Contains(err.Error(), c.text) {
			return c.reason, true
		}
	}
	return "", false
}

var (
	// A write the disk had no room for: DuckDB gives strerror(ENOSPC) as
	// text, not the errno, so errors.Is(err, syscall.ENOSPC) misses it
	// (diskFull).
	duckNoSpace = "No space left on device"
	// The file it was writing, which names the folder to free (the WAL,
	// a COPY's output).
	duckWriteFile = regexp.MustCompile(`Could not write file "([^"]+)"`)
)

// noSpace tells whether err is DuckDB's write to a full disk, and the
// file it was writing, if DuckDB names it.
func noSpace(err error) (file string, ok bool) {
	msg := err.Error()
	if !strings.Contains(msg, duckNoSpace) {
		return "", false
	}
	if m := duckWriteFile.FindStringSubmatch(msg); m != nil {
		return m[1], true
	}
	return "", true
}

// DuckDB out of its memory_limit (Explain): the first line says what it
// could not allocate; the lines after it are SET statements to try, which
// people need not read (the advice is memory_limit or threads).
const duckOutOfMemory = "Out of Memory Error: "

// outOfMemory tells whether err is DuckDB out of memory: before is the
// text before DuckDB's words (the step that ran it, as the caller wrapped
// it), detail the first line of DuckDB's.
func outOfMemory(err error) (before, detail string, ok bool) {
	before, after, ok := strings.Cut(err.Error(), duckOutOfMemory)
	if !ok {
		return "", "", false
	}
	detail, _, _ = strings.Cut(after, "\n")
	return strings.TrimSuffix(before, ": "), strings.TrimSpace(detail), true
}

// droppedOtherKind tells whether err, from "DROP VIEW|TABLE IF EXISTS x"
// (Build, before it creates model x), only says the name holds the other
// kind, which the next DROP of the four removes: DuckDB fails IF EXISTS
// then ("Catalog Error: Existing object x is of type Table, trying to
// drop type View"). "does not exist" is kept from when the temp schema's
// drops were added (dffc2a6); 1.5.6 answers a missing object or schema
// with no error, and says it only of a missing catalog, which temp and
// main never are.
func droppedOtherKind(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "trying to drop") || strings.Contains(msg, "does not exist")
}

// duckMissingTable starts DuckDB's words for a query of a table the
// warehouse does not hold ("Catalog Error: Table with name customers does
// not exist!").
const duckMissingTable = "Table with name "

// MissingTable returns the table err says the warehouse does not hold:
// salesops customer reads models a run builds, and tells people to run
// one first rather than show DuckDB's error.
func MissingTable(err error) (string, bool) {
	msg := err.Error()
	i := strings.Index(msg, duckMissingTable)
	if i < 0 {
		return "", false
	}
	name := strings.Fields(msg[i+len(duckMissingTable):])
	if len(name) == 0 {
		return "", false
	}
	return name[0], true
}

// DuckDB's read_csv errors are its only report of where a file went
// wrong; extract's csvError reads them through CSVFaultOf to name the line.
var (
	// "CSV Error on Line: 12": the record number, header included, not
	// the file's line when a quoted field spans lines.
	duckCSVLine = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	// The errors told in words of our own, by the start of a line of
	// DuckDB's: a record with another number of fields than the header
	// (loadCSV counts them again), and a quote never closed.
	duckColumns      = "Expected Number of Columns"
	duckUnterminated = "Value with unterminated quote"
	// Bytes that are not UTF-8, in a kind whose encoding is fixed to it.
	duckInvalidUnicode = "Invalid unicode"
	// A record longer than max_line_size.
	duckLineSize = "Maximum line size of"
	// A record longer than the parallel reader's buffers (about 32 MB):
	// DuckDB gives no line, and no line-size error either.
	duckBufferTooSmall = "does not support a full read on this file"
)

// CSVFault is what an error of DuckDB's read_csv says went wrong, as far
// as salesops reads it.
type CSVFault struct {
	// Record is the failing record's number, the header included ("CSV
	// Error on Line: N", which counts records, not lines); 0 when DuckDB
	// names none.
	Record int64
	// LineTooLong: a record over max_line_size, or over the reader's
	// buffers (then with no Record).
	LineTooLong bool
	// InvalidUnicode: bytes that are not UTF-8.
	InvalidUnicode bool
	// FieldCount: a record with another number of fields than the header.
	FieldCount bool
	// Unterminated: a quoted value never closed.
	Unterminated bool
}

// CSVFaultOf reads err as an error of DuckDB's read_csv; ok is false when
// it is none (its text says neither "CSV" nor that the buffers were too
// small).
func CSVFaultOf(err error) (f CSVFault, ok bool) {
	msg := err.Error()
	if !strings.Contains(msg, "CSV") && !strings.Contains(msg, duckBufferTooSmall) {
		return f, false
	}
	f.LineTooLong = strings.Contains(msg, duckLineSize) || strings.Contains(msg, duckBufferTooSmall)
	if m := duckCSVLine.FindStringSubmatch(msg); m != nil {
		f.Record, _ = strconv.ParseInt(m[1], 10, 64)
	}
	f.InvalidUnicode = strings.Contains(msg, duckInvalidUnicode)
	f.FieldCount = hasLine(msg, duckColumns)
	f.Unterminated = hasLine(msg, duckUnterminated)
	return f, true
}

// hasLine tells whether a line of DuckDB's error msg starts with prefix.
func hasLine(msg, prefix string) bool {
	for _, l := range strings.Split(msg, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return true
		}
	}
	return false
}
