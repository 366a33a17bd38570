package transform

import "testing"

// TestMaterialization checks the kind a model header gives (each with its
// builder) and the layer's default.
func TestMaterialization(t *testing.T) {
	tests := []struct {
		name, layer, header string
		want                Materialization
		err                 string
	}{
		{"staging default", "staging", "", AsView, ""},
		{"core default", "core", "", AsTable, ""},
		{"temp", "core", "-- materialized: temp\n", AsTemp, ""},
		{"incremental", "staging", "-- materialized: incremental\n", AsIncremental, ""},
		{"a view in marts", "marts", "-- materialized: view\n", AsView, ""},
		{"no such kind", "core", "-- materialized: ephemeral\n", "", `materialized must be view, table, temp or incremental, not "ephemeral"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseModel(tt.layer, "m", tt.header+"select 1")
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Fatalf("error %q, want %q", got, tt.err)
			}
			if err != nil {
				return
			}
			if m.Materialized != tt.want || m.Materialized.builder() == nil {
				t.Errorf("materialized %q (builder %v), want %q", m.Materialized, m.Materialized.builder() != nil, tt.want)
			}
		})
	}
}
