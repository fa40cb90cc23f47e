package queries

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// csvDialect is what DuckDB's sniffer finds in a CSV file: delimiter,
// quote and escape characters (0 for none or for a delimiter longer than a
// byte) and the number of lines before the header.
type csvDialect struct {
	delim, quote, escape, comment byte
	skip                          int
	// exact is true when each of the four characters was one byte or
	// none ("(empty)"), so that the dialect can be given back to read_csv
	// as it was found (see readOptions).
	exact bool
	// columns are the header's names as read_csv names them (a repeated
	// name suffixed _1, an empty one columnN): with the dialect given
	// back, the file's columns without another statement (fileColumns).
	columns []string
}

// sniffCSV asks DuckDB's sniffer for f's dialect. It reads only the
// sniffer's sample of the file.
func sniffCSV(ctx context.Context, q querier, f inputFile) (csvDialect, error) {
	var delim, quote, escape, comment, columns string
	var d csvDialect
	if err := q.QueryRowContext(ctx, sniffCSVSQL, f.path).Scan(&delim, &quote, &escape, &comment, &d.skip, &columns); err != nil {
		return csvDialect{}, err
	}
	if err := json.Unmarshal([]byte(columns), &d.columns); err != nil {
		return csvDialect{}, fmt.Errorf("sniffed columns %q: %w", columns, err)
	}
	d.delim, d.quote, d.escape, d.comment = dialectChar(delim), dialectChar(quote), dialectChar(escape), dialectChar(comment)
	d.exact = d.delim != 0
	for _, s := range []string{quote, escape, comment} {
		d.exact = d.exact && (len(s) == 1 || s == sniffedNone)
	}
	return d, nil
}

// sniffedNone is how sniff_csv writes a character the dialect has none of.
const sniffedNone = "(empty)"

// readOptions is d as read_csv options (", delim = ';', skip = 0" and so on),
// or "" when d is not exact (nor sniffed). Given to read_csv, the sniffer
// searches only that dialect: reading no row of the 10M-event leads.csv
// took 0.04 s instead of 0.13, and a load reads each file's header and
// rows through several statements. The 10M-event CSV load took 0.93 of
// the wall time with it (6 pairs, medians 10.8 s against 11.6). Only a
// dialect the sniffer found is given back, so the reader reads the file
// as it did when it sniffed it itself (TestPinnedDialectReadsAsSniffed).
func (d csvDialect) readOptions() string {
	if !d.exact {
		return ""
	}
	char := func(c byte) string {
		if c == 0 {
			return quoteLiteral("")
		}
		return quoteLiteral(string(c))
	}
	return fmt.Sprintf(", delim = %s, quote = %s, escape = %s, comment = %s, skip = %d",
		char(d.delim), char(d.quote), char(d.escape), char(d.comment), d.skip)
}

// dialectChar is a one-byte character from sniff_csv, or 0.
func dialectChar(s string) byte {
	if len(s) == 1 {
		return s[0]
	}
	return 0
}

// openQuote returns an InputError naming the line where a quoted field of
// f opens and is never closed, or nil. A field is quoted when it starts with
// a double quote; inside it, a doubled quote (or d's escape character)
// stands for itself, and any other quote closes it. A field that runs over
// a line end and whose closing quote is followed by more text than a
// delimiter or line end was not closed where its writer meant to. DuckDB's sniffer reads
// such a file in a dialect without quotes, taking `"web` as a value or
// splitting a row wrongly, so the file is checked here, in Go, when it
// holds an odd number of quotes (see checkText); d.delim 0 takes any of
// , ; tab | as a delimiter.
func openQuote(f inputFile, d csvDialect) error {
	fh, r, err := openContent(f)
	if err != nil {
		return fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
	}
	defer fh.Close()
	line, err := openQuoteLine(r, d.delim, d.escape)
	if err != nil {
		return fmt.Errorf("load %s %s: %w", f.kind, f.path, err)
	}
	if line == 0 {
		return nil
	}
	return &InputError{File: f.path, Line: line, Problem: `a quoted field starts on this line and is never closed (a closing " is missing)`}
}

// openQuoteLine is the 1-based line on which a quoted field opens that the
// text of r never closes, or 0 when every quoted field is closed.
func openQuoteLine(r io.Reader, delim, escape byte) (int, error) {
	isDelim := func(c byte) bool {
		if delim != 0 {
			return c == delim
		}
		return c == ',' || c == ';' || c == '\t' || c == '|'
	}
	br := bufio.NewReaderSize(r, 1<<16)
	line, opened := 1, 0
	fieldStart, inQuote := true, false
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			if inQuote {
				return opened, nil
			}
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		if c == '\n' {
			line++
		}
		switch {
		case inQuote && c == '"':
			next, err := br.Peek(1)
			if err == nil && next[0] == '"' {
				br.ReadByte() // a doubled quote stands for itself
				continue
			}
			inQuote = false
			if line > opened && err == nil && next[0] != '\r' && next[0] != '\n' && !isDelim(next[0]) {
				// The field ran over a line end and this quote, followed
				// by more text, cannot end it: the quote that opened it
				// was never closed, and this one opens the next field.
				return opened, nil
			}
		case inQuote && escape != 0 && escape != '"' && c == escape:
			if n, err := br.ReadByte(); err == nil && n == '\n' {
				line++
			}
		case inQuote:
		case fieldStart && c == '"':
			inQuote, opened = true, line
			fieldStart = false
		default:
			fieldStart = c == '\n' || isDelim(c)
		}
	}
}

// lineEndProblem returns an InputError naming the first line of f whose
// ending (CRLF or LF) differs from the first line's, or nil. DuckDB's CSV
// reader fails on such a file without saying where ("Error when sniffing
// file", or "reached an invalid state" past its sample); this runs only
// after it failed.
func lineEndProblem(f inputFile) error {
	fh, r, err := openContent(f)
	if err != nil {
		return nil
	}
	defer fh.Close()
	line, first, other := mixedLineEnd(r)
	if line == 0 {
		return nil
	}
	return &InputError{File: f.path, Line: line,
		Problem: fmt.Sprintf("line ends with %s but line 1 with %s: the file mixes line endings (save it with one kind)", other, first)}
}

// mixedLineEnd returns the first line (1-based) whose ending differs from
// line 1's, and the two endings' names; line 0 when all agree.
func mixedLineEnd(r io.Reader) (line int, first, other string) {
	br := bufio.NewReaderSize(r, 1<<16)
	name := func(crlf bool) string {
		if crlf {
			return "CRLF"
		}
		return "LF"
	}
	var firstCRLF bool
	for n := 1; ; n++ {
		text, err := br.ReadSlice('\n')
		cr := false                      // the part before text ended in CR
		for err == bufio.ErrBufferFull { // a line longer than the buffer
			cr = bytes.HasSuffix(text, []byte("\r"))
			text, err = br.ReadSlice('\n')
		}
		if err != nil {
			return 0, "", ""
		}
		crlf := bytes.HasSuffix(text, []byte("\r\n")) || (len(text) == 1 && cr)
		if n == 1 {
			firstCRLF = crlf
		} else if crlf != firstCRLF {
			return n, name(firstCRLF), name(crlf)
		}
	}
}
