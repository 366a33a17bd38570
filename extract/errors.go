package extract

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// PosError is a problem at a place in an input file, printed like a
// compiler message: "file:line:col: column: message". Line and Column count
// from 1; zero means unknown and is left out.
type PosError struct {
	File   string // path relative to the inbox
	Line   int64
	Column int    // 1-based field index
	Field  string // column name as the file spells it
	Err    error
}

func (e *PosError) Error() string {
	s := printablePath(e.File)
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Column > 0 {
			s += fmt.Sprintf(":%d", e.Column)
		}
	}
	s += ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Err.Error()
}

func (e *PosError) Unwrap() error { return e.Err }

// Causes a caller can test with errors.Is.
var (
	ErrMissingColumn = errors.New("missing column")
	ErrNoFormat      = errors.New("no known format and no mapping in the config")
	ErrBadValue      = errors.New("bad value")
	// ErrNotCSV: the bytes are not a CSV the loader can read as delivered
	// (UTF-16, binary, another delimiter, mixed line endings).
	ErrNotCSV = errors.New("not a readable CSV")
	// ErrLineTooLong: a line is longer than limits.max_line_bytes.
	ErrLineTooLong = errors.New("line too long")
	// ErrFileName: the file's name cannot be stored or shown as text.
	ErrFileName = errors.New("file name not UTF-8")
	// ErrMixedEncoding: some lines are UTF-8, others Windows-1252.
	ErrMixedEncoding = errors.New("mixed encodings")
	// ErrOverBudget: reading the file would hold more memory than the
	// run's memory_limit leaves beside DuckDB.
	ErrOverBudget = errors.New("over the memory budget")
)

func missingColumn(file, name string) error {
	return &PosError{File: file, Err: &columnError{name}}
}

// columnError is a required column a header lacks, by the name it was
// looked for under.
type columnError struct{ name string }

func (e *columnError) Error() string { return fmt.Sprintf("%s %q", ErrMissingColumn, e.name) }
func (e *columnError) Unwrap() error { return ErrMissingColumn }

// causeError is a message of its own that errors.Is still matches with one
// of the causes above, for messages the cause's text would not read well in.
type causeError struct {
	cause error
	msg   string
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.cause }

// because is the error format says, matched by errors.Is with cause.
func because(cause error, format string, args ...any) error {
	return &causeError{cause: cause, msg: fmt.Sprintf(format, args...)}
}

// printablePath is p, or, when p is not UTF-8 (a name made on a machine
// with another encoding), p with its invalid bytes escaped as \xNN, so an
// error shows the bytes of the name rather than U+FFFD.
func printablePath(p string) string {
	if utf8.ValidString(p) {
		return p
	}
	q := strconv.Quote(p)
	return q[1 : len(q)-1]
}

// fileNameError refuses a name that is not UTF-8 (a folder unzipped or
// copied from a machine with another encoding). Reading it through a
// UTF-8-named link would load it, but its name is stored as text
// (files.path) and printed in rejects.csv, the manifest and every report's
// source_file, where invalid bytes cannot go or would show as U+FFFD; a
// rename fixes all of those at once. The Windows-1252 reading is the
// likely intended name.
func fileNameError(p string) error {
	guess, _ := charmap.Windows1252.NewDecoder().String(path.Base(p))
	return &PosError{File: p, Err: because(ErrFileName, "the file name is not UTF-8 (in Windows-1252 it reads %q): rename the file", guess)}
}
