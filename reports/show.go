package reports

import (
	"strings"

	"github.com/salesops/salesops/ptbr"
)

// How a report's columns read for people, in Go and in DuckDB SQL: each
// Type picks one of package ptbr's renderings, here only.

// Format is v, a value of type t as DuckDB writes it as text ("-1234.5",
// "2026-01-05", "true"), as people read it: R$ 1.234,56 and -R$ 50,00
// (MoneyBRL), 1.234,56 (Money, in its row's currency), 12,34 %, 5,3216,
// 1.234, 20 and 2,5 (Quantity), 05/01/2026, sim/não. Text, and a value that is not of its type,
// stay as written.
func (t Type) Format(v string) string {
	switch t {
	case Integer:
		return ptbr.Number(v, 0)
	case Money:
		return ptbr.Number(v, 2)
	case MoneyBRL:
		return ptbr.Money(v)
	case Percent:
		return ptbr.Percent(v)
	case Rate:
		return ptbr.Rate(v)
	case Quantity:
		return ptbr.Quantity(v)
	case Date:
		return ptbr.Date(v)
	case Bool:
		switch v {
		case "true":
			return ptbr.Bool(true)
		case "false":
			return ptbr.Bool(false)
		}
	}
	return v
}

// Form is what a column's SQL text is made for (ShowSQL).
type Form int

const (
	// Cells is what the XLSX writer takes: numbers as plain decimal text
	// (the cell's number format shows them the pt-BR way), dates as ISO
	// text, booleans as sim/não, text labelled.
	Cells Form = iota
	// Values is what the site formats in Go (Type.Format): values as
	// DuckDB writes them, text labelled.
	Values
	// Sheet is the CSV for people (CSVPeople): numbers with a decimal
	// comma and no thousands separator, dates as dd/mm/aaaa, booleans as
	// sim/não, text labelled.
	Sheet
)

// ValueSQL is column c of r as people see it, before it is written as
// text: its Display expression, or the column itself.
func (r Report) ValueSQL(c Column) string {
	if d, ok := r.Display[c.Name]; ok {
		return "(" + d + ")"
	}
	return `"` + strings.ReplaceAll(c.Name, `"`, `""`) + `"`
}

// ShowSQL is e, a DuckDB expression holding a value of column c of r
// (ValueSQL, or that rounded), as text for people in form f: the one
// rendering the workbooks, the CSV for people and the site share.
func (r Report) ShowSQL(c Column, e string, f Form) string {
	switch c.Type {
	case Text:
		return LabelSQL(e+"::VARCHAR", r.Labels[c.Name])
	case Date:
		switch f {
		case Cells:
			return "strftime(" + e + ", '%Y-%m-%d')"
		case Sheet:
			return ptbr.DateSQL(e)
		}
	case Bool:
		if f != Values {
			return ptbr.BoolSQL(e)
		}
	case Integer, Money, MoneyBRL, Percent, Rate:
		if f == Sheet {
			return ptbr.PlainSQL(e)
		}
	case Quantity:
		if f == Sheet {
			return ptbr.QuantityPlainSQL(e)
		}
	}
	return e + "::VARCHAR"
}
