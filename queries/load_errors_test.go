package queries

import (
	"strings"
	"testing"
)

func TestInputErrorMessage(t *testing.T) {
	tests := []struct {
		e    InputError
		want string
	}{
		{InputError{File: "events.csv", Line: 57, Column: "occurred_at", Value: "2024-13-45", Problem: `cannot parse "2024-13-45" as a timestamp`},
			`events.csv line 57: column occurred_at: cannot parse "2024-13-45" as a timestamp`},
		{InputError{File: "e.parquet", Line: 3, Record: true, Column: "lead_id", Problem: "empty value", More: 1},
			"e.parquet row 3: column lead_id: empty value (1 more row has a problem)"},
		{InputError{File: "e.csv", Line: 2, Problem: "not valid UTF-8 (save the file as UTF-8)", More: 9},
			"e.csv line 2: not valid UTF-8 (save the file as UTF-8) (9 more rows have problems)"},
		{InputError{File: "leads.csv", Problem: "file is empty"}, "leads.csv: file is empty"},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// TestCSVRecordLine checks the record → line mapping on hand-numbered files.
func TestCSVRecordLine(t *testing.T) {
	tests := []struct {
		name            string
		body            string
		quote, escape   byte
		skip, rec, want int
	}{
		{"plain", "h\na\nb\nc\n", '"', '"', 0, 2, 4},
		{"first record", "h\na\n", '"', '"', 0, 0, 2},
		{"CRLF", "h\r\na\r\nb\r\n", '"', '"', 0, 1, 3},
		// line 1 header, 2-4 one record, 5 blank, 6 the next record
		{"quoted line breaks and a blank line", "h,x\n\"a\n\nb\",1\n\nc,2\n", '"', '"', 0, 1, 6},
		// doubled quotes inside a quoted field do not end it
		{"doubled quotes", "h,x\n\"say \"\"hi\n\"\"\",1\nc,2\n", '"', '"', 0, 1, 4},
		// backslash escape: \" does not end the field
		{"backslash escape", "h,x\n\"a\\\"\nb\",1\nc,2\n", '"', '\\', 0, 1, 4},
		{"rows before the header", "title\n\nh\na\nb\n", '"', '"', 2, 1, 5},
		{"no quote character", "h\n\"a\n\"b\n", 0, 0, 0, 1, 3},
		{"past the end", "h\na\n", '"', '"', 0, 5, 0},
	}
	for _, tc := range tests {
		got, err := csvRecordLine(strings.NewReader(tc.body), tc.quote, tc.escape, tc.skip, tc.rec)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: record %d on line %d, want %d", tc.name, tc.rec, got, tc.want)
		}
	}
}
