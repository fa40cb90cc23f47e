package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// printable returns s, a string from the user's data (a name, a lead_id, a
// path), safe to print to a terminal: every control character is shown as
// an escape instead of acting on the terminal. Escaped are C0 controls and
// DEL (\a \b \t \n \v \f \r by name, others as \x1b), C1 controls
// (\u009b), the bidirectional overrides and isolates and the line and
// paragraph separators (\u202e), and bytes that are not UTF-8 (\xff).
// Everything else, backslashes included, is kept as written. Every
// user-data string funnel prints to stdout or stderr goes through it; the
// HTML and JSON outputs hold the names as written and escape them in their
// own way.
func printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			b.WriteString(controlEscape(r))
		case isHiddenControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// controlEscape is the escape of a C0 control or DEL: its usual name, or
// \xNN.
func controlEscape(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\v':
		return `\v`
	case '\f':
		return `\f`
	case '\r':
		return `\r`
	}
	return fmt.Sprintf(`\x%02x`, r)
}

// needsEscape reports whether printable would change s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r < 0x20 || r == 0x7f || isHiddenControl(r) {
			return true
		}
		i += size
	}
	return false
}

// isHiddenControl reports whether r is a non-ASCII control a terminal acts
// on or that reorders text: C1 (U+0080–U+009F), the bidirectional marks,
// embeddings, overrides and isolates, and the line and paragraph
// separators.
func isHiddenControl(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x2028 || r == 0x2029
}
