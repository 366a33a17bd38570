package filename

import (
	"regexp"
	"strings"
	"testing"
)

// TestSafe: the hashes are the first 16 hex digits of `printf '%s'
// '<id>' | sha256sum`, computed outside Go.
func TestSafe(t *testing.T) {
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
			got := Safe(tt.id)
			if got != tt.want {
				t.Errorf("Safe(%q) = %q, want %q", tt.id, got, tt.want)
			}
			if !valid.MatchString(got) || len(got) > maxStem {
				t.Errorf("Safe(%q) = %q (%d bytes): not a plain name of at most %d bytes", tt.id, got, len(got), maxStem)
			}
		})
	}
}

// Names that are already Safe's stay (SQL's safe_name made them); others
// are made safe; names equal but for case (one file on Windows and macOS)
// keep two files, the later changed (hashes by sha256sum, outside Go).
func TestSafeSet(t *testing.T) {
	got := SafeSet([]string{"Q/101", "Q_101-6422a8600d6985e2", "Q_101", "Q-101-r1", "q-101-r1", "Q-102-r1"})
	want := []string{"Q_101-6422a8600d6985e2", "Q_101-6422a8600d6985e2-5fe6aa6e62acc29a", "Q_101", "Q-101-r1", "q-101-r1-24ace3bfca191b4e", "Q-102-r1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("SafeSet = %q\nwant     %q", got, want)
	}
}

// TestIsSafe: every result of Safe is safe, and only those.
func TestIsSafe(t *testing.T) {
	for _, id := range []string{"Q-101-r1", "../../x", "Q/101", "Ação", "日本", "", "CON", strings.Repeat("a", 301)} {
		if n := Safe(id); !IsSafe(n) {
			t.Errorf("Safe(%q) = %q is not IsSafe", id, n)
		}
	}
	for _, n := range []string{"../x", "a.b", "-x", "_x-9cdf6a50100a862e", "CON", strings.Repeat("a", 101), "Q/101-9cdf6a50100a862e", ""} {
		if IsSafe(n) {
			t.Errorf("IsSafe(%q) = true", n)
		}
	}
}
