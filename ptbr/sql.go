package ptbr

import _ "embed"

// SQL creates the macros of ptbr.sql, the SQL twins of this package's
// functions; package transform runs it after its own macros wherever it
// opens DuckDB, so models and writers may call them.
//
//go:embed ptbr.sql
var SQL string

// The functions below write a call of a ptbr.sql macro on the SQL
// expression e, for the writers that build their SELECT lists in Go.

// MoneySQL is e as Money writes it: R$ 1.234,56, -R$ 50,00.
func MoneySQL(e string) string { return "ptbr_money(" + e + ")" }

// DateSQL is the DATE e as Date writes it: dd/mm/aaaa.
func DateSQL(e string) string { return "ptbr_date(" + e + ")" }

// BoolSQL is the BOOLEAN e as Bool writes it: sim or não.
func BoolSQL(e string) string { return "ptbr_bool(" + e + ")" }

// PlainSQL is the number e as a spreadsheet set to pt-BR reads it in a
// CSV: a decimal comma, no thousands separator, e's own digits.
func PlainSQL(e string) string { return "ptbr_plain(" + e + ")" }

// QuantitySQL is e as Quantity writes it: 20, 1.234,5.
func QuantitySQL(e string) string { return "ptbr_quantity(" + e + ")" }

// QuantityPlainSQL is the quantity e as a spreadsheet set to pt-BR reads it
// in a CSV: PlainSQL without trailing zeros (20, 2,5).
func QuantityPlainSQL(e string) string { return "ptbr_quantity_plain(" + e + ")" }
