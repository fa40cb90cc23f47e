package queries

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxEcho is the most characters of a name, value or header a message
// repeats from an input file.
const maxEcho = 200

// clip shortens s to maxEcho characters, marking the cut with "…".
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	r := []rune(s)
	return string(r[:maxEcho]) + "…"
}

// renamedRE matches the names DuckDB's readers give a repeated column
// name: the name, an underscore and a number ("Channel_1").
var renamedRE = regexp.MustCompile(`^(.+)_(\d+)$`)

// writtenNames returns the names of cols as the file writes them. DuckDB's
// readers rename a column whose name repeats an earlier one (in any case)
// to NAME_1, NAME_2, …; such a name is turned back into NAME when an
// earlier column has that name (in any case) and the file does not itself
// hold a column called NAME_1. Only names of that shape are looked up in
// the file, so a file without them is not read again.
func writtenNames(f inputFile, cols []fileColumn) ([]string, error) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		m := renamedRE.FindStringSubmatch(c.name)
		if m == nil {
			continue
		}
		earlier := false
		for _, e := range cols[:i] {
			earlier = earlier || strings.EqualFold(e.name, m[1])
		}
		if !earlier {
			continue
		}
		written, err := writtenAs(f, f.dialect, c.name)
		if err != nil {
			return nil, fmt.Errorf("load %s %s: read column names: %w", f.kind, f.path, err)
		}
		if !written {
			names[i] = m[1]
		}
	}
	return names, nil
}

// writtenAs reports whether file f holds a column called name: a field of
// a CSV file's header line, a key of a JSON file, a string in a Parquet
// file (whose footer holds its column names).
func writtenAs(f inputFile, d csvDialect, name string) (bool, error) {
	fh, r, err := openContent(f)
	if err != nil {
		return false, err
	}
	defer fh.Close()
	switch f.format {
	case formatCSV:
		br := bufio.NewReader(r)
		var header []byte
		for i := 0; i <= d.skip; i++ {
			if header, err = br.ReadBytes('\n'); err != nil && err != io.EOF {
				return false, err
			}
		}
		cr := csv.NewReader(bytes.NewReader(header))
		if d.delim != 0 && d.delim != '"' && d.delim != '\r' && d.delim != '\n' {
			cr.Comma = rune(d.delim)
		}
		cr.LazyQuotes = true
		fields, err := cr.Read()
		if err != nil {
			return false, nil
		}
		for _, fd := range fields {
			if fd == name || strings.TrimSpace(fd) == name {
				return true, nil
			}
		}
		return false, nil
	case formatJSON:
		key, _ := json.Marshal(name)
		return containsBytes(r, key)
	}
	return containsBytes(r, []byte(name))
}

// containsBytes reports whether r's content holds needle.
func containsBytes(r io.Reader, needle []byte) (bool, error) {
	chunk := make([]byte, 1<<20)
	window := make([]byte, 0, len(chunk)+len(needle))
	for {
		n, err := r.Read(chunk)
		window = append(window, chunk[:n]...)
		if bytes.Contains(window, needle) {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		// keep what could be the start of a needle cut by the chunk's end
		if k := len(needle) - 1; len(window) > k {
			window = append(window[:0], window[len(window)-k:]...)
		}
	}
}

// isNested reports whether DuckDB type t holds more than one value: a
// struct, map, union, list or array.
func isNested(t string) bool {
	for _, p := range []string{"STRUCT", "MAP", "UNION"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return strings.HasSuffix(t, "]")
}

// groupedNumberRE matches a number whose dots may separate thousands
// ("20.900", "1.234.567"): in a file separated by ";", the convention of
// locales that write decimals with a comma, "20.900" is more likely 20900
// than 20.9.
const groupedNumberRE = `[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+`

// checkExpr is the /*COLUMNS*/ entry _check: the first problem of a row
// found in the file's own columns before they are parsed, as {col, kind,
// value}, or NULL. Problems: a nested value (kind nested: a struct or list
// column, or a JSON object or array) in a contract column, and a number
// whose dot may separate thousands in a ;-separated file (kind grouped).
// byContract holds the file column each present contract column comes from.
func checkExpr(f inputFile, byContract map[string]fileColumn) string {
	problem := func(col, kind, value string) string {
		return "{'col': '" + col + "', 'kind': '" + kind + "', 'value': " + value + "}"
	}
	var whens []string
	for _, cc := range contractColumns(f.kind) {
		c, ok := byContract[cc.name]
		if !ok || c.isConstant {
			continue
		}
		id := QuoteIdent(c.name)
		switch {
		case isNested(c.dbType):
			whens = append(whens, "WHEN "+id+" IS NOT NULL THEN "+problem(cc.name, "nested", "to_json("+id+")::VARCHAR"))
		case c.dbType == "JSON":
			whens = append(whens, "WHEN json_type("+id+") IN ('OBJECT', 'ARRAY') THEN "+problem(cc.name, "nested", id+"::VARCHAR"))
		case cc.typ == typeNumber && f.format == formatCSV && f.semicolon && f.dialect.delim == ';':
			whens = append(whens, "WHEN regexp_full_match(funnel_text("+id+"), '"+groupedNumberRE+"') THEN "+problem(cc.name, "grouped", "funnel_text("+id+")"))
		}
	}
	if len(whens) == 0 {
		return `NULL::STRUCT(col VARCHAR, kind VARCHAR, "value" VARCHAR) AS _check`
	}
	return "CASE " + strings.Join(whens, " ") + " END AS _check"
}
