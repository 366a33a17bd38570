package transform

import (
	"context"
	"reflect"
	"testing"
)

func newTestParser(t *testing.T) *parser {
	t.Helper()
	p, closeParser, err := newParser(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeParser)
	return p
}

// testCatalog returns the embedded models and the declared sources.
func testCatalog(t *testing.T) (map[string]*Model, map[string]*Source) {
	t.Helper()
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := Sources()
	if err != nil {
		t.Fatal(err)
	}
	return models, srcs
}

// TestResolveReads checks which names of a query DuckDB's parser makes
// its inputs, models apart from sources, and the positioned error for a
// name that is neither.
func TestResolveReads(t *testing.T) {
	p := newTestParser(t)
	models := map[string]*Model{"orders": {}, "customers": {}, "stg_ptax": {}, "fx_rates": {}, "reconciliation": {}}
	sources := map[string]*Source{"files": {}, "file_columns": {}, "calendar_days": {}, "runs": {}}
	const notDeclared = "which is no model, no CTE of its query and no source declared in transform/models/sources.yml"
	tests := []struct {
		name, sql     string
		refs, sources []string
		err           string
	}{
		{name: "sources named", sql: "select * from calendar_days join files using (file_id)",
			sources: []string{"calendar_days", "files"}},
		{name: "models and sources apart", sql: "select * from stg_ptax join fx_rates using (currency), runs",
			refs: []string{"fx_rates", "stg_ptax"}, sources: []string{"runs"}},
		// t36_calendar.sql names its event 'reconciliation': the word scan
		// made the lifecycle build the reconciliation mart.
		{name: "a string, a comment, a column and an alias are no input",
			sql:     "-- from orders\nselect 'reconciliation' as event, c.customers, 1 as orders from calendar_days c",
			sources: []string{"calendar_days"}},
		{name: "case does not matter", sql: "SELECT * FROM Calendar_Days JOIN \"Orders\" USING (day)",
			refs: []string{"orders"}, sources: []string{"calendar_days"}},
		{name: "schema-qualified", sql: "select * from main.runs, temp.main.orders",
			refs: []string{"orders"}, sources: []string{"runs"}},
		{name: "a CTE shadows a model", sql: "with orders as (select * from runs) select * from orders",
			sources: []string{"runs"}},
		{name: "a subquery's CTE stays inside it",
			sql:  "select * from (with orders as (select 1 as n) select * from orders) x, orders",
			refs: []string{"orders"}},
		{name: "a CTE sees the CTEs before it", sql: "with a as (select * from runs), b as (select * from a) select * from b",
			sources: []string{"runs"}},
		{name: "a recursive CTE reads itself",
			sql: "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r"},
		{name: "subqueries in expressions", sql: "select (select max(day) from calendar_days) where exists (select 1 from orders)",
			refs: []string{"orders"}, sources: []string{"calendar_days"}},
		// named_rejects (macros.sql) joins files and file_columns and reads
		// the relation passed to it.
		{name: "a table macro's relations are the caller's",
			sql:     "with errors as (select * from runs) select * from named_rejects(errors)",
			sources: []string{"file_columns", "files", "runs"}},
		{name: "a table macro's table parameter", sql: "select * from named_rejects(orders)",
			refs: []string{"orders"}, sources: []string{"file_columns", "files"}},
		{name: "query_table of a name", sql: "select * from query_table('customers')",
			refs: []string{"customers"}},
		{name: "a table function is no relation", sql: "select * from range(3), read_csv('x.csv')"},
		{name: "an unknown name, positioned", sql: "select 1\nfrom  somewhere",
			err: `m.sql:2:7: m reads "somewhere", ` + notDeclared},
		{name: "columns count characters", sql: "-- ação\nselect 'é' as é, * from nowhere",
			err: `m.sql:2:25: m reads "nowhere", ` + notDeclared},
		{name: "a CTE does not see those after it", sql: "with a as (select * from b), b as (select 1) select * from a",
			err: `m.sql:1:26: m reads "b", ` + notDeclared},
		{name: "an unknown table macro argument", sql: "select * from named_rejects(nothing)",
			err: `m.sql:1:29: m reads "nothing", ` + notDeclared},
		{name: "itself", sql: "select * from orders, m", err: "m.sql:1:23: m reads itself"},
		{name: "a syntax error, positioned", sql: "select 'ç'\nfrom from x", err: `m.sql:2:6: syntax error at or near "from"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs, srcs, err := resolveReads(context.Background(), p, "m.sql", "m", tt.sql, models, sources)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Fatalf("error %q, want %q", got, tt.err)
			}
			if !reflect.DeepEqual(refs, tt.refs) || !reflect.DeepEqual(srcs, tt.sources) {
				t.Errorf("reads models %v, sources %v; want %v, %v", refs, srcs, tt.refs, tt.sources)
			}
		})
	}
}

// TestMacroReads checks what the macros of a script read, and that a
// macro reading an undeclared name fails the catalog.
func TestMacroReads(t *testing.T) {
	p := newTestParser(t)
	script := `
		-- A comment; with a ' quote.
		CREATE OR REPLACE MACRO plain(x) AS x || ';';
		CREATE OR REPLACE MACRO last_run(p) AS (SELECT max(run_id) FROM runs WHERE pipeline = p);
		CREATE OR REPLACE MACRO pick(t, n) AS TABLE SELECT * FROM query_table(t) LIMIT n;
		CREATE MACRO picked_orders(k) AS TABLE SELECT *, last_run('x') FROM pick(orders, k) JOIN "odd;name" USING (id);`
	p.macros = map[string]*macro{} // not those of macros.sql
	if err := p.readMacros(context.Background(), script); err != nil {
		t.Fatal(err)
	}
	want := map[string]macro{
		"plain":         {},
		"last_run":      {reads: []string{"runs"}},
		"pick":          {tableParams: []int{0}},
		"picked_orders": {reads: []string{"odd;name", "orders", "runs"}},
	}
	for name, w := range want {
		got := p.macros[name]
		if got == nil {
			t.Errorf("macro %s not read", name)
			continue
		}
		if !reflect.DeepEqual(got.reads, w.reads) || !reflect.DeepEqual(got.tableParams, w.tableParams) {
			t.Errorf("macro %s reads %v, table parameters %v; want %v, %v", name, got.reads, got.tableParams, w.reads, w.tableParams)
		}
	}
	err := checkMacroReads(p, map[string]*Model{"orders": {}}, map[string]*Source{"runs": {}})
	wantErr := `transform/macros.sql: macro picked_orders reads "odd;name", which is no model and no source declared in transform/models/sources.yml`
	if err == nil || err.Error() != wantErr {
		t.Errorf("error %v, want %q", err, wantErr)
	}
}

// TestStatements checks the split of a script at its semicolons.
func TestStatements(t *testing.T) {
	tests := []struct {
		name, script string
		want         []string
	}{
		{"two", "select 1; select 2;", []string{"select 1", " select 2"}},
		{"no last semicolon", "select 1;\nselect 2\n", []string{"select 1", "\nselect 2\n"}},
		{"in a string", "select ';', 'it''s;'; x", []string{"select ';', 'it''s;'", " x"}},
		{"in a quoted name", `select 1 as "a;b"; x`, []string{`select 1 as "a;b"`, " x"}},
		{"comments left out", "select 1 -- a; 'b\n; /* c; */ x", []string{"select 1 \n", "  x"}},
		{"only a comment after", "select 1; -- end\n", []string{"select 1"}},
		{"an unclosed quote", "select 1; select 'a;", []string{"select 1", " select 'a;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statements(tt.script); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("statements = %q, want %q", got, tt.want)
			}
		})
	}
}
