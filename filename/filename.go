// Package filename makes a file name of a value from data (a request id, a
// contract id, an account manager, a vendor). Such a value is data, never a
// path: "../../../../x" must not leave the publication, "Q/101" must not make
// a folder, a 301-character id must not exceed the 255 bytes a file system
// allows. Safe is the one way a name from data becomes a file name, in Go
// and in SQL (the warehouse registers it as the DuckDB function safe_name,
// so a report's column names the file the writer makes).
package filename

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxStem bounds Safe's result: with an extension, a revision suffix
// and the ".<name>.tmp-<digits>" of a temporary copy, a file name stays far
// below 255 bytes.
const maxStem = 100

// hashDigits is how many hex digits of the id's SHA-256 a changed name
// ends with (64 bits): two ids that clean up alike keep two files.
const hashDigits = 16

// Safe returns id as the stem of a file name (the caller adds the
// extension): id itself when it is a plain name, letters, digits, '-' and
// '_' only (ASCII), at most 100 bytes, not starting with '-', not a name
// Windows reserves (CON, NUL, COM1…), not ending like a changed name.
// Otherwise a changed name: the id's letters (accents dropped), digits,
// '-' and '_', other runs of characters as one '_' (none beside a '-' or
// '_'), cut to fit, then '-' and 16 hex digits of the id's SHA-256:
//
//	"Q-101-r1"          → "Q-101-r1"
//	"../../x"           → "x-" + 16 hex digits
//	"Ação"              → "Acao-" + 16 hex digits
//
// It has no dot, so the name has one, before the extension. The same id
// gives the same name; two ids give two names (a changed name ends in the
// id's hash, which an unchanged one never does). The file's content keeps
// the real id: only its name is cleaned.
func Safe(id string) string {
	if plainName(id) {
		return id
	}
	return hashedName(id)
}

// SafeSet names the files of one folder from names that may already be
// Safe's (SQL's safe_name made them): a name Safe could have returned stays
// as it is, any other is Safe of it; a name equal, but for case, to an
// earlier one (the same file where the file system ignores case, as
// Windows' and macOS' do) is changed again, to the changed name of itself.
// Give the names in a fixed order: the same names give the same result.
func SafeSet(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		if !IsSafe(n) {
			n = Safe(n)
		}
		if seen[strings.ToLower(n)] {
			n = hashedName(n)
		}
		seen[strings.ToLower(n)] = true
		out[i] = n
	}
	return out
}

// IsSafe reports whether name is one Safe returns: a plain name, or a
// changed one (the name characters, at most 100 bytes, ending in '-' and 16
// lower-case hex digits, or those digits alone).
func IsSafe(name string) bool {
	if plainName(name) {
		return true
	}
	if name == "" || len(name) > maxStem || name[0] == '-' || name[0] == '_' || !looksHashed(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !nameByte(name[i]) {
			return false
		}
	}
	return true
}

// plainName reports whether id is a file name stem as it is (see Safe).
func plainName(id string) bool {
	if id == "" || len(id) > maxStem || id[0] == '-' || looksHashed(id) || windowsReserved(id) {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !nameByte(id[i]) {
			return false
		}
	}
	return true
}

// nameByte: the characters a name keeps.
func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// looksHashed reports whether s ends as a changed name does: hashDigits
// lower-case hex digits, alone or after a '-'.
func looksHashed(s string) bool {
	if len(s) < hashDigits {
		return false
	}
	tail := s[len(s)-hashDigits:]
	if strings.Trim(tail, "0123456789abcdef") != "" {
		return false
	}
	return len(s) == hashDigits || s[len(s)-hashDigits-1] == '-'
}

// windowsReserved reports whether Windows reserves stem as a file name,
// whatever the extension ("CON.pdf" is the console).
func windowsReserved(stem string) bool {
	switch s := strings.ToUpper(stem); {
	case s == "CON" || s == "PRN" || s == "AUX" || s == "NUL":
		return true
	case len(s) == 4 && (strings.HasPrefix(s, "COM") || strings.HasPrefix(s, "LPT")) && '0' <= s[3] && s[3] <= '9':
		return true
	}
	return false
}

// hashedName is id's changed name (see Safe).
func hashedName(id string) string {
	var b strings.Builder
	gap := false
	// NFD splits "ç" into "c" and a combining cedilla, which is dropped.
	for _, r := range norm.NFD.String(id) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 0x80 && nameByte(byte(r)):
			if last := b.String(); gap && last != "" && !strings.HasSuffix(last, "-") && !strings.HasSuffix(last, "_") {
				b.WriteByte('_')
			}
			gap = false
			b.WriteRune(r)
		default:
			gap = true
		}
	}
	// ASCII only: cutting at any byte keeps whole characters.
	stem := strings.TrimLeft(b.String(), "-_")
	stem = strings.TrimRight(stem[:min(len(stem), maxStem-1-hashDigits)], "-_")
	sum := sha256.Sum256([]byte(id))
	h := hex.EncodeToString(sum[:])[:hashDigits]
	if stem == "" {
		return h
	}
	return stem + "-" + h
}
