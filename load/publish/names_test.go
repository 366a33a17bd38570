package publish

import (
	"regexp"
	"strings"
	"testing"
)

// TestSafeName: the hashes are the first 16 hex digits of `printf '%s'
// '<id>' | sha256sum`, computed outside Go.
func TestSafeName(t *testing.T) {
	long := "Q" + strings.Repeat("1", 300)
	tests := []struct {
		name, id, want string
	}{
		{"plain id stays", "Q-101-r1", "Q-101-r1"},
		{"underscore stays", "Q_101", "Q_101"},
		{"parent folders", "../../x", "x-9cdf6a50100a862e"},
		{"slash", "Q/101", "Q_101-6422a8600d6985e2"},
		{"colon cleans like the slash, another hash", "Q:101", "Q_101-20c4902e276859fe"},
		{"two dots", "a..b", "a_b-f62b42414c514fa6"},
		{"hidden", ".hidden", "hidden-1692419006a88aab"},
		{"no '_' beside a '-'", "RN-../../../../PWN_K", "RN-PWN_K-b368b03c8376d6a9"},
		{"space and newline", "Q 101\n", "Q_101-cb692b5d4b07f2b8"},
		{"301 characters", long, "Q" + strings.Repeat("1", 82) + "-d7ff333f5e08d464"},
		{"100 bytes stay", strings.Repeat("a", 100), strings.Repeat("a", 100)},
		{"101 bytes are cut", strings.Repeat("a", 101), strings.Repeat("a", 83) + "-9d0793397991b57a"},
		{"accents dropped", "Ação", "Acao-1dfbdde6410ab51a"},
		{"no ASCII letter", "日本", "cf2abf0c5be326cb"},
		{"empty", "", "e3b0c44298fc1c14"},
		{"Windows device", "CON", "CON-a3dbc4b644a9a2c5"},
		{"Windows device, any case", "com1", "com1-957a49c3e803f505"},
		{"not a device", "COM10", "COM10"},
		{"leading dash", "-rf", "rf-686c39acd6327bbd"},
		{"looks changed", "abcdef0123456789", "abcdef0123456789-f445801e0cb89926"},
		{"upper-case hex does not look changed", "Q-ABCDEF0123456789", "Q-ABCDEF0123456789"},
	}
	valid := regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SafeName(tt.id)
			if got != tt.want {
				t.Errorf("SafeName(%q) = %q, want %q", tt.id, got, tt.want)
			}
			if !valid.MatchString(got) || len(got) > maxStem {
				t.Errorf("SafeName(%q) = %q (%d bytes): not a plain name of at most %d bytes", tt.id, got, len(got), maxStem)
			}
		})
	}
}

// Ids that clean up alike keep two files, and so do ids equal but for case
// (one file on Windows and macOS); the order given decides which changes.
func TestSafeNames(t *testing.T) {
	got := SafeNames([]string{"Q/101", "Q:101", "Q_101", "Q-101-r1", "q-101-r1", "Q-102-r1"})
	want := []string{"Q_101-6422a8600d6985e2", "Q_101-20c4902e276859fe", "Q_101", "Q-101-r1", "q-101-r1-24ace3bfca191b4e", "Q-102-r1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("SafeNames = %q\nwant       %q", got, want)
	}
}

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
