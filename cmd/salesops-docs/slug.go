package main

import (
	"strings"
	"unicode"
)

// slug is the anchor GitHub gives a heading (github-slugger): lower case,
// letters, digits, marks, '_' and '-' kept, each space a '-', anything else
// dropped. "`t36.ics`" is t36ics, "Pipeline `quotes`" pipeline-quotes.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsMark(r), r == '_', r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
