package queries

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// InputError is a problem with an input file that the user can fix: a
// missing column, a value that does not parse, a file that is not what its
// name says. Loading stops at the first one and the database is unchanged.
type InputError struct {
	// File is the path of the input file as given.
	File string
	// Line is the 1-based position of the problem: a file line for CSV and
	// NDJSON (the header is line 1 of a CSV, so its first record is line 2),
	// a record number for Parquet and JSON arrays (see Record). Zero means
	// the problem concerns the whole file.
	Line int
	// Record is true when Line counts records (rows of a Parquet file or
	// elements of a JSON array), not lines of text.
	Record bool
	// Column is the contract's name of the column concerned, or empty.
	Column string
	// Value is the offending value as read, or empty.
	Value string
	// Problem says what is wrong, in lower case without a final period,
	// e.g. `cannot parse "2024-13-45" as a timestamp`.
	Problem string
	// More is how many further rows of the same file have a problem.
	More int64
}

// Error reads like
// `events.csv line 57: column occurred_at: cannot parse "2024-13-45" as a timestamp`.
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.Record {
			fmt.Fprintf(&b, " row %d", e.Line)
		} else {
			fmt.Fprintf(&b, " line %d", e.Line)
		}
	}
	b.WriteString(": ")
	if e.Column != "" {
		fmt.Fprintf(&b, "column %s: ", e.Column)
	}
	b.WriteString(e.Problem)
	switch {
	case e.More == 1:
		b.WriteString(" (1 more row has a problem)")
	case e.More > 1:
		fmt.Fprintf(&b, " (%d more rows have problems)", e.More)
	}
	return b.String()
}

var (
	csvLineRE    = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	csvColumnsRE = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)
	jsonRecordRE = regexp.MustCompile(`Malformed JSON in file "[^"]*", at byte (\d+) in (?:record/value|line) (\d+): ([^\n]*)`)
)

// readerError turns an error of DuckDB's file readers into an InputError
// where the message is recognisable, and wraps it otherwise.
func readerError(f inputFile, err error) error {
	msg := err.Error()
	switch {
	case f.format == formatCSV && csvLineRE.MatchString(msg):
		line, _ := strconv.Atoi(csvLineRE.FindStringSubmatch(msg)[1])
		problem := clip(firstSentence(msg[strings.Index(msg, "\n")+1:]))
		if m := csvColumnsRE.FindStringSubmatch(msg); m != nil {
			problem = fmt.Sprintf("expected %s fields like the header, found %s", m[1], m[2])
		} else if strings.Contains(msg, "Invalid unicode") {
			problem = "not valid UTF-8 (save the file as UTF-8)"
		}
		// DuckDB counts a record with quoted line breaks as one line, so
		// its number is a lower bound of the file line in such files.
		return &InputError{File: f.path, Line: line, Problem: problem}
	case f.format == formatJSON && jsonRecordRE.MatchString(msg):
		m := jsonRecordRE.FindStringSubmatch(msg)
		rec, _ := strconv.Atoi(m[2])
		return &InputError{File: f.path, Line: rec, Record: !f.ndjson,
			Problem: "not valid JSON: " + clip(strings.TrimSuffix(strings.TrimSpace(m[3]), "."))}
	case f.format == formatParquet && strings.Contains(msg, "No magic bytes found"):
		return &InputError{File: f.path, Problem: "not a Parquet file"}
	case f.format == formatParquet && (strings.Contains(msg, "Parquet") || strings.Contains(msg, "parquet")):
		return &InputError{File: f.path, Problem: "unreadable Parquet file: " + clip(firstSentence(stripErrorType(msg)))}
	}
	if strings.HasPrefix(msg, "Invalid Input Error") || strings.HasPrefix(msg, "Conversion Error") {
		// Anything else DuckDB's reader says about the file, on one line.
		return &InputError{File: f.path, Problem: fmt.Sprintf("cannot read as %s: %s", f.format, clip(firstSentence(stripErrorType(msg))))}
	}
	// Not the file's fault (memory, disk, a bug): the first line of it.
	return fmt.Errorf("load %s %s: %s", f.kind, f.path, firstSentence(msg))
}

// stripErrorType removes DuckDB's "Invalid Input Error: " style prefix.
func stripErrorType(msg string) string {
	if i := strings.Index(msg, "Error: "); i >= 0 && i < 40 {
		return msg[i+len("Error: "):]
	}
	return msg
}

// firstSentence is the first line of s without a final period.
func firstSentence(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

// csvRecordLine returns the 1-based file line on which data record rec
// (0-based, the header not counted) of a CSV file starts. It follows the
// reader's dialect only as far as needed to find record boundaries: lines
// before the header (skip), quoted fields with line breaks (quote, escape)
// and blank lines, which DuckDB skips. It returns 0 when r ends first. It
// runs only after a problem was found, so its speed does not matter.
func csvRecordLine(r io.Reader, quote, escape byte, skip, rec int) (int, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	line := 1
	next := -1 // index of the next record to start; -1 is the header
	inRecord, inQuote := false, false
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		if line <= skip {
			if c == '\n' {
				line++
			}
			continue
		}
		if !inRecord {
			switch c {
			case '\n':
				line++
				continue
			case '\r':
				continue
			}
			if next == rec {
				return line, nil
			}
			inRecord = true
		}
		switch {
		case inQuote && escape != 0 && escape != quote && c == escape:
			n, err := br.ReadByte()
			if err == io.EOF {
				return 0, nil
			}
			if err != nil {
				return 0, err
			}
			if n == '\n' {
				line++
			}
		case quote != 0 && c == quote:
			inQuote = !inQuote
		case c == '\n':
			line++
			if !inQuote {
				inRecord = false
				next++
			}
		}
	}
}
