package reports

import (
	"regexp"
	"testing"
)

// apply labels s as the site does (Go's regexp; DuckDB's regexp_replace
// takes the same RE2 patterns through SQLReplace).
func apply(labels []Label, s string) string {
	for _, l := range labels {
		s = regexp.MustCompile(l.Pattern).ReplaceAllString(s, l.Replace)
	}
	return s
}

func TestLabels(t *testing.T) {
	tests := []struct {
		name   string
		labels []Label
		in     string
		want   string
	}{
		{"decimal comma", rejectReasons, "not a number with a decimal comma (1.234,56)", "não é número com vírgula decimal (1.234,56)"},
		{"number", rejectReasons, "not a number", "não é número"},
		{"US date", rejectReasons, "not a date (m/d/yyyy h:mm:ss AM)", "não é data no formato americano (m/d/aaaa h:mm:ss AM)"},
		{"must be", rejectReasons, "must be new, renewal, annual, true_up, recurrence, credit or rebill", "deve ser new, renewal, annual, true_up, recurrence, credit ou rebill"},
		{"out of range keeps R$", rejectReasons, "out of range: 100.000 or more BRL per unit (a decimal comma lost?)", "fora da faixa: R$ 100.000 ou mais por unidade (vírgula decimal perdida?)"},
		{"SAM contract", rejectReasons, "contract K010 belongs to C001", "o contrato K010 é do cliente C001"},
		{"NF root", rejectReasons, "root element <procEventoNFe>: not an NF-e or NFS-e document (later documents of the file not read)", "elemento raiz <procEventoNFe>: não é NF-e nem NFS-e (documentos seguintes do arquivo não lidos)"},
		{"unknown reason kept", rejectReasons, "something new", "something new"},
		{"period", periodLabel, "2025-12", "12/2025"},
		{"not a period", periodLabel, "2025-12-01", "2025-12-01"},
		{"bucket 0-30 whole", renewalBuckets, "0-30", "0–30 dias"},
		{"bucket 91-120 not taken for 0-30", renewalBuckets, "91-120", "91–120 dias"},
		{"status", eventStatuses, "due_61_90", "Vence em 61–90 dias"},
		{"overview item", overviewItems, "update_statement", "Update statement"},
		{"surplus", trueUpNotes, "surplus of 2.00: not credited", "excedente de 2,00: não creditado"},
		{"price source", priceSources, "price_table 2025-12", "tabela de preços de 12/2025"},
	}
	for _, tt := range tests {
		if got := apply(tt.labels, tt.in); got != tt.want {
			t.Errorf("%s: %q → %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// Every declared label compiles, as Go and DuckDB (both RE2) take it.
func TestLabelsCompile(t *testing.T) {
	reps := append(append([]Report{}, LifecycleWorkbook.Sheets...), ReconciliationSheets...)
	reps = append(reps, PricelistWorkbook.Sheets...)
	reps = append(reps, QuotePrices, PriceChanges)
	for _, r := range reps {
		for col, ls := range r.Labels {
			if _, ok := r.Column(col); !ok {
				t.Errorf("%s: labels for %q, which is not a column", r.Name, col)
			}
			for _, l := range ls {
				if _, err := regexp.Compile(l.Pattern); err != nil {
					t.Errorf("%s.%s: %v", r.Name, col, err)
				}
			}
		}
	}
}
