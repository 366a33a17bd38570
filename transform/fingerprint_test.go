package transform

import (
	"context"
	"reflect"
	"sort"
	"testing"
	"time"
)

// tableOIDs returns the catalog id of every stored table: DuckDB gives a
// table created again a new one, so a changed id is a rebuild, seen
// without asking Build.
func tableOIDs(t *testing.T, w *Warehouse) map[string]int64 {
	t.Helper()
	rows, err := w.Conn.QueryContext(context.Background(), "SELECT table_name, table_oid FROM duckdb_tables() WHERE NOT temporary")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var name string
		var oid int64
		if err := rows.Scan(&name, &oid); err != nil {
			t.Fatal(err)
		}
		m[name] = oid
	}
	return m
}

// TestBuildSkipsUnchanged builds the PTAX chain (stg_ptax view → fx_rates
// table → period_fx table) and business_days, changes one input at a time
// and checks which tables were created again.
func TestBuildSkipsUnchanged(t *testing.T) {
	ctx := context.Background()
	w := openTest(t)
	exec := func(q string) {
		t.Helper()
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	setPeriod := func(day string) {
		t.Helper()
		d, _ := time.Parse("2006-01-02", day)
		if err := w.SetVars(ctx, map[string]any{"period_start": d, "fx_max_age_days": 10}); err != nil {
			t.Fatal(err)
		}
	}
	// Two PTAX files: USD on 28/11 and 01/12/2025 (file 1), EUR on 28/11 (file 2, later).
	exec(`INSERT INTO raw_ptax (file_id, line, rate_date, code, type, symbol, buy, sell) VALUES
		(1, 1, '28112025', '220', 'A', 'USD', '5,3210', '5,3216'),
		(1, 2, '01122025', '220', 'A', 'USD', '5,3300', '5,3306')`)
	exec(`INSERT INTO calendar_days VALUES (DATE '2025-12-01', true, NULL), (DATE '2025-12-02', true, NULL)`)
	setPeriod("2025-12-01")

	tests := []struct {
		name    string
		change  func()
		rebuilt []string
	}{
		{"first build", func() {}, []string{"business_days", "fx_rates", "period_fx"}},
		{"nothing changed", func() {}, nil},
		{"another period: only the model reading it", func() { setPeriod("2025-12-02") }, []string{"period_fx"}},
		{"same period again", func() {}, nil},
		{"a new file: its readers", func() {
			exec(`INSERT INTO raw_ptax (file_id, line, rate_date, code, type, symbol, buy, sell) VALUES (2, 1, '28112025', '978', 'B', 'EUR', '6,2401', '6,2409')`)
		}, []string{"fx_rates", "period_fx"}},
		{"a file gone", func() { exec("DELETE FROM raw_ptax WHERE file_id = 2") }, []string{"fx_rates", "period_fx"}},
		{"a row written by hand under a loaded file", func() {
			exec(`INSERT INTO raw_ptax (file_id, line, rate_date, code, type, symbol, buy, sell) VALUES (1, 3, '27112025', '220', 'A', 'USD', '5,3000', '5,3001')`)
		}, []string{"fx_rates", "period_fx"}},
		{"a table dropped", func() { exec("DROP TABLE period_fx") }, []string{"period_fx"}},
		{"the calendar rewritten", func() { exec("UPDATE calendar_days SET is_business_day = false WHERE day = DATE '2025-12-02'") }, []string{"business_days"}},
		// Built again from the same inputs, fx_rates has the same
		// fingerprint: what reads it stays.
		{"its fingerprint forgotten", func() { exec("DELETE FROM model_state WHERE name = 'fx_rates'") }, []string{"fx_rates"}},
		// A temp view made in Go cannot be fingerprinted: what reads it
		// is built every time.
		{"a temp view over an input", func() {
			exec("CREATE TEMP VIEW calendar_days AS SELECT DATE '2025-12-01' AS day, true AS is_business_day, NULL::VARCHAR AS holiday")
		}, []string{"business_days"}},
		{"a temp view over an input, again", func() {}, []string{"business_days"}},
		{"the temp view gone", func() { exec("DROP VIEW temp.main.calendar_days") }, []string{"business_days"}},
		{"then unchanged", func() {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tableOIDs(t, w)
			tt.change()
			w.ResetBuilt()
			if err := w.Build(ctx, "period_fx", "business_days"); err != nil {
				t.Fatal(err)
			}
			after := tableOIDs(t, w)
			var rebuilt []string
			for _, name := range []string{"business_days", "fx_rates", "period_fx"} {
				if b, ok := before[name]; !ok || b != after[name] {
					rebuilt = append(rebuilt, name)
				}
			}
			sort.Strings(rebuilt)
			if !reflect.DeepEqual(rebuilt, tt.rebuilt) {
				t.Errorf("rebuilt %v, want %v", rebuilt, tt.rebuilt)
			}
		})
	}
	// The period is 02/12/2025: its rate is the last one before it, USD of
	// 01/12 (file 1), 5,3306; EUR left with file 2.
	var usd string
	if err := w.Conn.QueryRowContext(ctx, "SELECT sell_rate::VARCHAR FROM period_fx WHERE currency = 'USD'").Scan(&usd); err != nil {
		t.Fatal(err)
	}
	if usd != "5.330600" {
		t.Errorf("USD rate %s, want 5.330600 (01/12/2025, the last day before the period of 02/12)", usd)
	}
}

// TestRelationsOf checks which relations a model's fingerprint hashes:
// the declared sources it reads that the warehouse holds, not the models
// (their fingerprints count instead).
func TestRelationsOf(t *testing.T) {
	models, srcs := testCatalog(t)
	p := newTestParser(t)
	s := &fpScope{rels: map[string]relation{
		"calendar_days": {}, "files": {fileKeyed: true}, "runs": {}, "raw_ptax": {fileKeyed: true},
		"file_columns": {fileKeyed: true},
	}}
	tests := []struct {
		name, sql string
		want      []string
	}{
		{"sources named", "select * from calendar_days join files using (file_id)", []string{"calendar_days", "files"}},
		{"models are not relations", "select * from stg_ptax join fx_rates using (currency)", nil},
		{"comments and strings aside", "-- from runs\nselect 'raw_ptax' as x from calendar_days", []string{"calendar_days"}},
		{"a source the warehouse lacks", "select * from quote_prices_history, runs", []string{"runs"}},
		// named_rejects (macros.sql) joins files and file_columns.
		{"a table macro's relations are the caller's", "with errors as (select * from raw_ptax) select * from named_rejects(errors)",
			[]string{"file_columns", "files", "raw_ptax"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sources, err := resolveReads(context.Background(), p, "m.sql", "m", tt.sql, models, srcs)
			if err != nil {
				t.Fatal(err)
			}
			got := relationsOf(&Model{Name: "m", SQL: tt.sql, Sources: sources}, s)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("relationsOf = %v, want %v", got, tt.want)
			}
		})
	}
}
