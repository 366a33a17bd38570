package extract

import (
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

const taxHeader = "tax;rate_pct;applies_to;included_in_price;valid_from;valid_to;source\n"

// TestReadTaxRules reads rules/taxes.csv: the rows kept as raw_tax_rules
// has them, or the whole positioned error of the first bad line.
func TestReadTaxRules(t *testing.T) {
	tests := []struct {
		name string
		body string
		want [][]driver.Value // rows after file id
		err  string
	}{
		{
			name: "the rows of 2025 and 2026, a rate that changes mid-year",
			body: taxHeader +
				"ISS;2,00;licence;sim;01/01/2025;30/06/2026;LC 116/2003 item 1.05\n" +
				"iss;2,5%;licence;sim;01/07/2026;;Lei municipal\n" +
				"PIS;0,65;all;Sim;01/01/2025;;Lei 9.718/1998\n" +
				"CBS;0,9;all;não;01/01/2026;31/12/2026;LC 214/2025 art. 346\n" +
				"IBS;0,1;all;nao;01/01/2026;31/12/2026;LC 214/2025 art. 343\n" +
				"ISS;3;hardware;sim;01/01/2025;;another scope does not overlap\n",
			want: [][]driver.Value{
				{int64(2), "ISS", "2", "licence", true, "2025-01-01", "2026-06-30", "LC 116/2003 item 1.05"},
				{int64(3), "ISS", "2.5", "licence", true, "2026-07-01", nil, "Lei municipal"},
				{int64(4), "PIS", "0.65", "all", true, "2025-01-01", nil, "Lei 9.718/1998"},
				{int64(5), "CBS", "0.9", "all", false, "2026-01-01", "2026-12-31", "LC 214/2025 art. 346"},
				{int64(6), "IBS", "0.1", "all", false, "2026-01-01", "2026-12-31", "LC 214/2025 art. 343"},
				{int64(7), "ISS", "3", "hardware", true, "2025-01-01", nil, "another scope does not overlap"},
			},
		},
		{
			name: "unknown tax",
			body: taxHeader + "ISS;2;licence;sim;01/01/2025;;LC 116\nVAT;20;all;sim;01/01/2025;;EU\n",
			err:  `rules/taxes.csv:3:1: tax: "VAT" is not a known tax (ISS, PIS, COFINS, CBS, IBS, ICMS)`,
		},
		{
			name: "rate over 100",
			body: taxHeader + "ISS;100,5;licence;sim;01/01/2025;;LC 116\n",
			err:  `rules/taxes.csv:2:2: rate_pct: "100,5": a rate is from 0 to 100`,
		},
		{
			name: "negative rate",
			body: taxHeader + "ISS;-2;licence;sim;01/01/2025;;LC 116\n",
			err:  `rules/taxes.csv:2:2: rate_pct: "-2" is negative`,
		},
		{
			name: "rate with a dot",
			body: taxHeader + "PIS;0.65;all;sim;01/01/2025;;Lei 9.718\n",
			err:  `rules/taxes.csv:2:2: rate_pct: "0.65" is not a number with a decimal comma (e.g. 12,5)`,
		},
		{
			name: "applies_to unknown",
			body: taxHeader + "ISS;2;software;sim;01/01/2025;;LC 116\n",
			err:  `rules/taxes.csv:2:3: applies_to: "software": must be all, licence or hardware`,
		},
		{
			name: "included_in_price not sim or não",
			body: taxHeader + "ISS;2;licence;yes;01/01/2025;;LC 116\n",
			err:  `rules/taxes.csv:2:4: included_in_price: "yes": must be sim or não`,
		},
		{
			name: "no start date",
			body: taxHeader + "ISS;2;licence;sim;;;LC 116\n",
			err:  `rules/taxes.csv:2:5: valid_from: empty: the day the rate starts is required (dd/mm/aaaa)`,
		},
		{
			name: "end before start",
			body: taxHeader + "CBS;0,9;all;não;01/01/2026;31/12/2025;LC 214\n",
			err:  `rules/taxes.csv:2:6: valid_to: "31/12/2025" is before valid_from "01/01/2026"`,
		},
		{
			name: "no source",
			body: taxHeader + "ISS;2;licence;sim;01/01/2025;; \n",
			err:  `rules/taxes.csv:2:7: source: empty: name the law or rule of the rate`,
		},
		{
			name: "an open row overlaps a later one of the same tax and scope",
			body: taxHeader + "ISS;2;licence;sim;01/01/2025;;LC 116\nPIS;0,65;all;sim;01/01/2025;;Lei 9.718\nISS;2,5;licence;sim;01/07/2026;;BH\n",
			err:  `rules/taxes.csv:4:5: valid_from: ISS licence 01/07/2026–(open) overlaps line 2 (01/01/2025–(open)): one rate per tax, applies_to and day`,
		},
		{
			name: "a row ending the day another starts overlaps it",
			body: taxHeader + "CBS;0,9;all;não;01/01/2026;31/12/2026;LC 214\nCBS;8,8;all;não;31/12/2026;;LC 214\n",
			err:  `rules/taxes.csv:3:5: valid_from: CBS all 31/12/2026–(open) overlaps line 2 (01/01/2026–31/12/2026): one rate per tax, applies_to and day`,
		},
		{
			name: "missing column",
			body: "tax;rate_pct;applies_to;included_in_price;valid_from\nISS;2;licence;sim;01/01/2025\n",
			err:  `rules/taxes.csv: missing column "source"`,
		},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			local := filepath.Join(dir, "taxes.csv")
			if err := os.WriteFile(local, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			var got [][]driver.Value
			n, err := readTaxRules(File{Path: "rules/taxes.csv", Local: local}, 9, func(v ...driver.Value) error {
				if v[0] != int64(9) {
					t.Errorf("file id %v, want 9", v[0])
				}
				got = append(got, v[1:])
				return nil
			})
			if tt.err != "" {
				var pe *PosError
				if err == nil || err.Error() != tt.err || !errors.As(err, &pe) {
					t.Fatalf("err = %v, want the *PosError %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(tt.want)) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("read %d rows:\n%v\nwant\n%v", n, got, tt.want)
			}
		})
	}
}

// FuzzTaxRules reads arbitrary rules/taxes.csv files. Properties: an error
// is a *PosError on the file with a line inside it (but for a missing
// column or an empty file) and a column when it names a field; every row
// kept is one the checks allow (a known tax and scope, a rate from 0 to
// 100, valid_to not before valid_from, a source), in file order, and no two
// kept rows of one tax and scope share a day.
func FuzzTaxRules(f *testing.F) {
	f.Add(taxHeader + "ISS;2,00;licence;sim;01/01/2025;;LC 116\nPIS;0,65;all;não;01/01/2025;31/12/2025;Lei 9.718\n")
	f.Add(taxHeader + "ISS;2;licence;sim;01/01/2025;;a\nISS;3;licence;sim;01/01/2026;;b\n")
	f.Add(taxHeader + "CBS;0,9;all;nao;01/01/2026;31/12/2026;LC 214\nCBS;8,8;all;nao;01/01/2027;;LC 214\n")
	f.Add("tax;rate_pct\n")
	f.Add("")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		local := filepath.Join(dir, "taxes.csv")
		if err := os.WriteFile(local, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		var spans []taxSpan
		_, err := readTaxRules(File{Path: "rules/taxes.csv", Local: local}, 1, func(v ...driver.Value) error {
			from, _ := time.Parse("2006-01-02", v[6].(string))
			s := taxSpan{tax: v[2].(string), scope: v[4].(string), from: from, line: v[1].(int64)}
			if v[7] != nil {
				to, _ := time.Parse("2006-01-02", v[7].(string))
				if to.Before(from) {
					t.Fatalf("row %v: valid_to before valid_from", v)
				}
				s.to = &to
			}
			rate := decimal.RequireFromString(v[3].(string))
			if !slices.Contains(Taxes, s.tax) || !slices.Contains(TaxScopes, s.scope) || rate.IsNegative() ||
				rate.GreaterThan(decimal.NewFromInt(100)) || strings.TrimSpace(v[8].(string)) == "" {
				t.Fatalf("row %v: kept a row the checks forbid", v)
			}
			for _, o := range spans {
				if s.overlaps(o) || s.line <= o.line {
					t.Fatalf("row %v: overlaps or follows line %d", v, o.line)
				}
			}
			spans = append(spans, s)
			return nil
		})
		if err != nil {
			checkRulesError(t, err, "rules/taxes.csv", content)
		}
	})
}
