package extract

import (
	"errors"
	"fmt"
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
	s := e.File
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
)

func missingColumn(file, name string) error {
	return &PosError{File: file, Err: fmt.Errorf("%w %q", ErrMissingColumn, name)}
}
