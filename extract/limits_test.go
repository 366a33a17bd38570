package extract

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLimitsThroughSync loads hostile files the way a run does, through
// Sync, and checks the message the user gets names the file and the limit.
func TestLimitsThroughSync(t *testing.T) {
	nfe, err := os.ReadFile(filepath.Join("nfxml", "testdata", "nfe_autorizada.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parts := minimalParts()
	const sstStart = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`
	parts["xl/sharedStrings.xml"] = zipEntry{raw: deflated(t, sstStart, 'a', 4<<20, `</t></si></sst>`), claim: 2 << 30}
	workbook := zipBytes(t, parts)

	tests := []struct {
		name, path string
		body       []byte
		lim        Limits
		want       string
	}{
		{
			name: "XLSX with a 2 GiB shared string, default limits", path: "pricelists/adobe/x.xlsx", body: workbook,
			want: "pricelists/adobe/x.xlsx: xl/sharedStrings.xml: a cell longer than 32767 bytes (limits.max_cell_bytes)",
		},
		{
			name: "NF-e over a configured max_xml_bytes", path: "nf/nfe.xml", body: nfe,
			lim:  Limits{MaxXMLBytes: 4096},
			want: "nf/nfe.xml:2:1: document too large: longer than 4096 bytes (limits.max_xml_bytes)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := syncFile(t, openWarehouse(t), tt.path, tt.body, Options{Limits: tt.lim.WithDefaults()})
			var pe *PosError
			if err == nil || err.Error() != tt.want || !errors.As(err, &pe) {
				t.Fatalf("err = %v, want the *PosError %q", err, tt.want)
			}
		})
	}
}

func zipBytes(t *testing.T, parts map[string]zipEntry) []byte {
	t.Helper()
	b, err := os.ReadFile(writeZip(t, parts))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
