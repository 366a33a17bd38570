package reports

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesops/salesops/ptbr"
)

// Format, as the site and the dossier call it: values as DuckDB writes
// them, the text people read written by hand.
func TestTypeFormat(t *testing.T) {
	for _, c := range []struct {
		t       Type
		v, want string
	}{
		{MoneyBRL, "-50.00", "-R$ 50,00"},
		{MoneyBRL, "1234.5", "R$ 1.234,50"},
		{MoneyBRL, "0.125", "R$ 0,12"},
		{Money, "-1234.5", "-1.234,50"},
		{Percent, "12.5", "12,50 %"},
		{Rate, "5.321600", "5,3216"},
		{Integer, "1234", "1.234"},
		{Date, "2026-01-05", "05/01/2026"},
		{Bool, "true", "sim"},
		{Bool, "false", "não"},
		{Text, "=1+1", "=1+1"},
		{MoneyBRL, "n/a", "n/a"},
		{Date, "05/01/2026", "05/01/2026"},
		{Bool, "maybe", "maybe"},
	} {
		if got := c.t.Format(c.v); got != c.want {
			t.Errorf("%v.Format(%q) = %q, want %q", c.t, c.v, got, c.want)
		}
	}
}

// ShowSQL in each form, on one row and on a row of NULLs, in DuckDB with
// the ptbr macros the warehouse creates: a Display expression, labels,
// and each type.
func TestShowSQL(t *testing.T) {
	db := ptbrDB(t)
	ctx := context.Background()
	r := Report{
		Columns: []Column{
			{"amount_brl", MoneyBRL, "Valor"}, {"day", Date, "Dia"}, {"ok", Bool, "OK"},
			{"class", Text, "Classe"}, {"lines", Integer, "Linhas"}, {"name", Text, "Nome"},
		},
		Labels:  map[string][]Label{"class": Codes(map[string]string{"matched": "Conciliado"})},
		Display: map[string]string{"name": "coalesce(name, '(sem nome)')"},
	}
	rows := `(VALUES (-1234.5::DECIMAL(18,2), DATE '2026-01-05', true, 'matched', 1234::BIGINT, NULL::VARCHAR),
		(NULL, NULL, NULL, NULL, NULL, 'Ana')) t(amount_brl, day, ok, class, lines, name)`
	for _, c := range []struct {
		name string
		f    Form
		want [2][6]string // "" for NULL
	}{
		{"Cells", Cells, [2][6]string{{"-1234.50", "2026-01-05", "sim", "Conciliado", "1234", "(sem nome)"}, {"", "", "", "", "", "Ana"}}},
		{"Values", Values, [2][6]string{{"-1234.50", "2026-01-05", "true", "Conciliado", "1234", "(sem nome)"}, {"", "", "", "", "", "Ana"}}},
		{"Sheet", Sheet, [2][6]string{{"-1234,50", "05/01/2026", "sim", "Conciliado", "1234", "(sem nome)"}, {"", "", "", "", "", "Ana"}}},
	} {
		q := "SELECT "
		for i, col := range r.Columns {
			if i > 0 {
				q += ", "
			}
			q += r.ShowSQL(col, r.ValueSQL(col), c.f)
		}
		res, err := db.QueryContext(ctx, q+" FROM "+rows)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, q)
		}
		k := 0
		for ; res.Next(); k++ {
			var got [6]sql.NullString
			if err := res.Scan(&got[0], &got[1], &got[2], &got[3], &got[4], &got[5]); err != nil {
				t.Fatal(err)
			}
			for i, g := range got {
				if w := c.want[k][i]; g.String != w || g.Valid != (w != "") {
					t.Errorf("%s row %d %s: %q (valid %v), want %q", c.name, k, r.Columns[i].Name, g.String, g.Valid, w)
				}
			}
		}
		if err := res.Close(); err != nil {
			t.Fatal(err)
		}
		if k != 2 {
			t.Errorf("%s: %d rows, want 2", c.name, k)
		}
	}
}

// A credit reason's amount reads as money in every form (Display, then the
// labels): the sign before R$, thousands dots.
func TestCreditReasonShown(t *testing.T) {
	db := ptbrDB(t)
	ctx := context.Background()
	col, _ := CreditRebill.Column("reason")
	for in, want := range map[string]string{
		"invoice differs from the order value by -300.00":   "nota difere do valor do pedido em -R$ 300,00",
		"invoice differs from the order value by 1000.50":   "nota difere do valor do pedido em R$ 1.000,50",
		"invoice differs from the order value by 50.00":     "nota difere do valor do pedido em R$ 50,00",
		"order already billed by an earlier invoice":        "pedido já faturado por nota anterior",
		"invoice differs from the order value by a mistake": "nota difere do valor do pedido em a mistake",
		"": "",
	} {
		for _, f := range []Form{Cells, Values, Sheet} {
			var got sql.NullString
			q := "SELECT " + CreditRebill.ShowSQL(col, CreditRebill.ValueSQL(col), f) + " FROM (SELECT nullif(?, '') AS reason)"
			if err := db.QueryRowContext(ctx, q, in).Scan(&got); err != nil {
				t.Fatalf("%q: %v\n%s", in, err, q)
			}
			if got.String != want || got.Valid != (want != "") {
				t.Errorf("form %d, %q: %q (valid %v), want %q", f, in, got.String, got.Valid, want)
			}
		}
	}
}

// ptbrDB is an in-memory DuckDB with the ptbr macros, as the warehouse
// and the site's scratch database have them.
func ptbrDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(ptbr.SQL); err != nil {
		t.Fatal(err)
	}
	return db
}
