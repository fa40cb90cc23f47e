package queries

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// csvRejects returns an InputError for the first row the CSV reader
// rejected, or nil.
func csvRejects(ctx context.Context, q querier, f inputFile) error {
	var (
		offset, line, n int64
		typ, msg        string
	)
	err := q.QueryRowContext(ctx, csvRejectsSQL).Scan(&offset, &line, &typ, &msg, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load %s %s: rejected rows: %w", f.kind, f.path, err)
	}
	ie := &InputError{File: f.path, Line: int(line), More: n - 1, Problem: clip(firstSentence(msg))}
	if l, err := lineAtOffset(f, offset); err == nil && l > 0 {
		ie.Line = l
	}
	if m := csvColumnsRE.FindStringSubmatch(msg); m != nil {
		ie.Problem = fmt.Sprintf("expected %s fields like the header, found %s", m[1], m[2])
	} else if typ == "INVALID ENCODING" {
		ie.Problem = "not valid UTF-8 (save the file as UTF-8)"
	}
	return ie
}

// openContent opens the file for reading its content, decompressed when it is
// gzipped. The caller closes the file.
func openContent(f inputFile) (*os.File, io.Reader, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, nil, err
	}
	if !f.gz {
		return fh, fh, nil
	}
	zr, err := gzip.NewReader(fh)
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return fh, zr, nil
}

// lineAtOffset is the 1-based line of the file's (decompressed) content at
// byte offset.
func lineAtOffset(f inputFile, offset int64) (int, error) {
	fh, r, err := openContent(f)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	buf := make([]byte, 1<<16)
	lines := 1
	for offset > 0 {
		n, err := r.Read(buf[:min(int64(len(buf)), offset)])
		lines += bytes.Count(buf[:n], []byte{'\n'})
		offset -= int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	return lines, nil
}

// firstProblem returns an InputError for the first staged row with a
// problem, or nil when there is none.
func firstProblem(ctx context.Context, q querier, sf stagedFile, shown map[string]string) error {
	f := sf.file
	var (
		rec       int64
		col, kind string
		value     sql.NullString
		problems  int64
	)
	err := q.QueryRowContext(ctx, fill(firstProblemSQL, "/*STAGE*/", sf.table)).Scan(&rec, &col, &kind, &value, &problems)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load %s %s: check: %w", f.kind, f.path, err)
	}
	ie := &InputError{File: f.path, Column: shown[col], Value: value.String, More: problems - 1}
	if ie.Column == "" {
		ie.Column = col
	}
	v := clip(value.String)
	switch kind {
	case "empty":
		ie.Problem = "empty value"
	case "timestamp":
		ie.Problem = fmt.Sprintf("cannot parse %q as a timestamp", v)
	case "number":
		ie.Problem = fmt.Sprintf("cannot parse %q as a number", v)
		if isNonFinite(v) {
			ie.Problem = fmt.Sprintf("%q is not a finite number", v)
		}
	case "grouped":
		ie.Problem = fmt.Sprintf(`%q is ambiguous in a file separated by ";": its dots may separate thousands (%s) or decimals; write numbers without thousands separators`,
			v, strings.ReplaceAll(v, ".", ""))
	case "nested":
		ie.Problem = fmt.Sprintf("%s is a nested value (an object or a list), not a single text, number or date", v)
	case "outcome":
		ie.Problem = fmt.Sprintf("unknown outcome %q (want won or lost)", v)
	case "outcome_value":
		ie.Problem = unreadableOutcome(v)
	default:
		ie.Problem = kind
	}
	ie.Line, ie.Record = recordPosition(ctx, q, f, rec)
	return ie
}

// isNonFinite reports whether s spells NaN or an infinity, as DuckDB writes
// them ("nan", "inf", "-inf") or an export might ("NaN", "Infinity").
func isNonFinite(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return strings.EqualFold(s, "nan") || strings.EqualFold(s, "inf") || strings.EqualFold(s, "infinity")
}

// recordPosition turns a 0-based record number into what a user finds in
// the file: a line for CSV (header is line 1) and NDJSON, a row otherwise.
func recordPosition(ctx context.Context, q querier, f inputFile, rec int64) (int, bool) {
	switch {
	case f.format == formatJSON && f.ndjson:
		return int(rec) + 1, false
	case f.format != formatCSV:
		return int(rec) + 1, true
	}
	fallback := int(rec) + 2
	d := f.dialect // sniffed when the file was staged (prepareStage)
	if d.delim == 0 {
		var err error
		if d, err = sniffCSV(ctx, q, f); err != nil {
			return fallback, false
		}
	}
	line, err := locateCSVRecord(f, d.quote, d.escape, d.skip, int(rec))
	if err != nil || line == 0 {
		return fallback, false
	}
	return line, false
}

// locateCSVRecord opens the file (decompressing .gz) and finds the line of
// record rec.
func locateCSVRecord(f inputFile, quote, escape byte, skip, rec int) (int, error) {
	fh, r, err := openContent(f)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	return csvRecordLine(r, quote, escape, skip, rec)
}
