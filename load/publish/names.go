package publish

import (
	"fmt"
	"path"
	"strings"
	"unicode"
)

// checkOutputPath refuses a manifest output path that is not a plain
// relative path inside the set: slash-separated parts, none empty, "." or
// "..", none hidden (a leading dot), no backslash, colon or control
// character, no part longer than 255 bytes.
func checkOutputPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("output path %q: empty", p)
	case path.IsAbs(p):
		return fmt.Errorf("output path %q: absolute", p)
	case strings.ContainsAny(p, `\:`):
		return fmt.Errorf("output path %q: a backslash or a colon (not a plain relative path)", p)
	case strings.ContainsFunc(p, unicode.IsControl):
		return fmt.Errorf("output path %q: a control character", p)
	}
	for part := range strings.SplitSeq(p, "/") {
		switch {
		case part == "":
			return fmt.Errorf("output path %q: an empty part", p)
		case part == "." || part == "..":
			return fmt.Errorf("output path %q: a %q part (outside the set)", p, part)
		case part[0] == '.':
			return fmt.Errorf("output path %q: a hidden part %q", p, part)
		case len(part) > 255:
			return fmt.Errorf("output path %q: a part of %d bytes (at most 255)", p, len(part))
		}
	}
	return nil
}
