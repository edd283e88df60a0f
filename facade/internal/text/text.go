// Package text holds the small string helpers that package facade and its
// internal core both need for error messages: sanitising and clipping text a
// server or a caller supplied, and listing map keys in order.
package text

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clip makes s single-line printable text of at most n bytes.
func Clip(s string, n int) string {
	return strings.TrimSpace(Sanitize(s, n))
}

// Sanitize keeps printable runes of s (control and invalid bytes become a
// single space), collapses whitespace runs and cuts at n bytes on a rune
// boundary.
func Sanitize(s string, n int) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		need := utf8.RuneLen(r)
		if space {
			need++
		}
		if b.Len()+need > n {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// OneLine replaces control characters (including newlines) by spaces.
func OneLine(s string) string {
	if strings.IndexFunc(s, IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// IsControl reports C0 and C1 control characters and DEL.
func IsControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// SortedKeys returns m's keys in order.
func SortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Redacted is what a secret prints as.
const Redacted = "[REDACTED]"

// maxIDLen bounds an identifier put into a URL path.
const maxIDLen = 255

// IDProblem says what is wrong with a provider identifier (a zone or
// account id, a key name) that is to be put into a URL path, or "" if
// nothing: it must be non-empty, at most 255 bytes, without whitespace,
// control characters, '/' or '\', and not "." or "..". field names the
// argument in the message.
func IDProblem(field, v string) string {
	switch {
	case v == "":
		return field + ": must not be empty"
	case len(v) > maxIDLen:
		return fmt.Sprintf("%s: longer than %d bytes", field, maxIDLen)
	case v == "." || v == "..":
		return fmt.Sprintf("%s %q: not an identifier", field, v)
	case strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' || r == '\\' || r == 0xFFFD
	}):
		return fmt.Sprintf("%s %q: contains whitespace, control characters or slashes", field, Clip(v, 64))
	}
	return ""
}
