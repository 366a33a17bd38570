package publish

import (
	"strings"
	"testing"
)

func TestCheckOutputPath(t *testing.T) {
	tests := []struct {
		path, err string // err "": accepted
	}{
		{"quote_prices.csv", ""},
		{"reconciliation.pt-BR.csv", ""},
		{"proposals/Q-101-r1.pdf", ""},
		{"proposals/../../../../PWN_Q-r1.pdf", `output path "proposals/../../../../PWN_Q-r1.pdf": a ".." part (outside the set)`},
		{"../x.csv", `output path "../x.csv": a ".." part (outside the set)`},
		{"./x.csv", `output path "./x.csv": a "." part (outside the set)`},
		{"/etc/passwd", `output path "/etc/passwd": absolute`},
		{`proposals\..\x.pdf`, `output path "proposals\\..\\x.pdf": a backslash or a colon (not a plain relative path)`},
		{`C:x.pdf`, `output path "C:x.pdf": a backslash or a colon (not a plain relative path)`},
		{"proposals//x.pdf", `output path "proposals//x.pdf": an empty part`},
		{"proposals/", `output path "proposals/": an empty part`},
		{"proposals/.x.pdf", `output path "proposals/.x.pdf": a hidden part ".x.pdf"`},
		{"a\nb.csv", `output path "a\nb.csv": a control character`},
		{"", `output path "": empty`},
		{strings.Repeat("a", 252) + ".pdf", `output path "` + strings.Repeat("a", 252) + `.pdf": a part of 256 bytes (at most 255)`},
	}
	for _, tt := range tests {
		err := checkOutputPath(tt.path)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("checkOutputPath(%q) = %v, want it accepted", tt.path, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("checkOutputPath(%q) = %v\nwant %s", tt.path, err, tt.err)
		}
	}
}
