package queries

import (
	"strings"
	"testing"
)

// TestOpenQuoteLine checks the quote scan on hand-numbered files.
func TestOpenQuoteLine(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		delim  byte
		escape byte
		want   int
	}{
		{"closed", "h,x\n\"a\",1\n", ',', '"', 0},
		{"open to the end", "h,x\na,1\n\"b,2\nc,3\n", ',', '"', 3},
		{"doubled quotes stay inside", "h,x\n\"say \"\"hi\"\"\",1\n", ',', '"', 0},
		{"quoted line break closed", "h,x\n\"a\nb\",1\nc,2\n", ',', '"', 0},
		// line 3 opens a field; the quote on line 4 is followed by text
		{"swallowed line end", "h,x\n\"a, b\",1\nc,\"d\ne,\"f\",2\n", ',', '"', 3},
		{"bare quote inside a field", "h,x\n5\" monitor,1\n", ',', '"', 0},
		{"quote after text on one line", "h,x\n\"Best\" deals,1\n", ',', '"', 0},
		{"backslash escape", "h;x\n\"a\\\"b\";1\n", ';', '\\', 0},
		{"any delimiter when unknown", "h|x\na|\"b\n", 0, 0, 2},
		{"semicolon is not a field start for a comma file", "h,x\na;\"b,1\n", ',', '"', 0},
	}
	for _, tc := range tests {
		got, err := openQuoteLine(strings.NewReader(tc.body), tc.delim, tc.escape)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: line %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestMixedLineEnd checks which line is found to change line endings.
func TestMixedLineEnd(t *testing.T) {
	tests := []struct {
		body         string
		line         int
		first, other string
	}{
		{"a\r\nb\r\nc\nd\r\n", 3, "CRLF", "LF"},
		{"a\nb\r\n", 2, "LF", "CRLF"},
		{"a\nb\nc", 0, "", ""},
		{"a\r\nb\r\n", 0, "", ""},
		// a first line longer than the reader's buffer, its CR at the cut
		{strings.Repeat("x", 1<<16-1) + "\r\nb\n", 2, "CRLF", "LF"},
	}
	for _, tc := range tests {
		line, first, other := mixedLineEnd(strings.NewReader(tc.body))
		if line != tc.line || first != tc.first || other != tc.other {
			t.Errorf("%.20q: %d %s %s, want %d %s %s", tc.body, line, first, other, tc.line, tc.first, tc.other)
		}
	}
}
