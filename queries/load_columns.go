package queries

import (
	"fmt"
	"strings"
)

// valueType is how a contract column's values are parsed.
type valueType int

const (
	typeText      valueType = iota + 1 // trimmed, empty → NULL
	typeTimestamp                      // funnel_ts
	typeNumber                         // funnel_num
	typeOutcome                        // text, checked to be won or lost
)

// contractColumn is a column of the input contract.
type contractColumn struct {
	name     string
	typ      valueType
	required bool
}

// contractColumns lists a kind's columns, required first.
func contractColumns(k Kind) []contractColumn {
	switch k {
	case KindLeads:
		return []contractColumn{{"lead_id", typeText, true}, {"created_at", typeTimestamp, true}, {"channel", typeText, true}}
	case KindEvents:
		return []contractColumn{{"lead_id", typeText, true}, {"occurred_at", typeTimestamp, true}, {"action", typeText, true}, {"value", typeNumber, false}}
	case KindStages:
		return []contractColumn{{"lead_id", typeText, true}, {"stage", typeText, true}, {"entered_at", typeTimestamp, true}}
	case KindOutcomes:
		return []contractColumn{{"lead_id", typeText, true}, {"closed_at", typeTimestamp, true}, {"outcome", typeOutcome, true}, {"amount", typeNumber, false}}
	}
	return nil
}

// timestampColumn is the name of kind k's timestamp column.
func timestampColumn(k Kind) string {
	for _, c := range contractColumns(k) {
		if c.typ == typeTimestamp {
			return c.name
		}
	}
	return ""
}

// naturalKey lists the columns that identify a row of kind k.
func naturalKey(k Kind) []string {
	switch k {
	case KindEvents:
		return []string{"lead_id", "occurred_at", "action", "value"}
	case KindStages:
		return []string{"lead_id", "stage", "entered_at"}
	case KindOutcomes:
		return []string{"lead_id", "closed_at", "outcome"}
	}
	return []string{"lead_id"}
}

// hasAttributes reports whether a leads file has columns beyond the contract's.
func hasAttributes(cols []fileColumn, renames map[string]string) bool {
	known := map[string]bool{}
	for _, c := range contractColumns(KindLeads) {
		known[c.name] = true
	}
	for _, c := range cols {
		if !known[targetName(c.name, renames)] {
			return true
		}
	}
	return false
}

// targetName is the contract name a file column takes: its mapping, or its
// own name normalised.
func targetName(name string, renames map[string]string) string {
	n := normName(name)
	if to, ok := renames[n]; ok {
		return to
	}
	return n
}

// columnsFor writes the /*COLUMNS*/ select list of a staging statement:
// each contract column from the file column mapped to it, for leads the
// remaining columns as attributes, and _check (see checkExpr). Two columns
// whose names as written (see writtenNames) are equal after case folding
// and mapping are refused; d is the file's dialect, asked for only when
// a check needs it. It returns, per contract column, how the
// file names it (for messages). Identifiers from the file go through
// QuoteIdent only.
func columnsFor(f inputFile, d *lazyDialect, cols []fileColumn, renames map[string]string) (string, map[string]string, error) {
	written, err := writtenNames(f, d, cols)
	if err != nil {
		return "", nil, err
	}
	byTarget := map[string]fileColumn{}
	writtenBy := map[string]string{}
	var order []string
	for i, c := range cols {
		t := targetName(written[i], renames)
		if prev, ok := writtenBy[t]; ok {
			problem := fmt.Sprintf("columns %q and %q both give column %s", clip(prev), clip(written[i]), clip(t))
			if prev == written[i] {
				problem = fmt.Sprintf("column %q appears twice", clip(prev))
			}
			return "", nil, &InputError{File: f.path, Line: headerLine(f), Problem: problem}
		}
		byTarget[t] = c
		writtenBy[t] = written[i]
		order = append(order, t)
	}
	var list []string
	shown := map[string]string{}
	used := map[string]bool{}
	for _, cc := range contractColumns(f.kind) {
		c, ok := byTarget[cc.name]
		if !ok && cc.required {
			found := make([]string, len(cols))
			for i, c := range cols {
				found[i] = c.name
			}
			list := strings.Join(found, ", ")
			if c := clip(list); c != list {
				list = fmt.Sprintf("%s; %d columns in all", c, len(found))
			}
			problem := fmt.Sprintf("missing required column %s (columns found: %s)", cc.name, list)
			if len(cols) == 1 && f.format == formatCSV {
				problem += "; if the file is delimited, a row may have more fields than the header"
			}
			return "", nil, &InputError{File: f.path, Line: headerLine(f), Problem: problem}
		}
		used[cc.name] = true
		shown[cc.name] = cc.name
		if ok && normName(c.name) != cc.name {
			shown[cc.name] = fmt.Sprintf("%s (%q in the file)", cc.name, clip(c.name))
		}
		list = append(list, columnExprs(cc, c, ok)...)
	}
	list = append(list, checkExpr(f, d, byTarget))
	if f.kind == KindLeads {
		for _, t := range order {
			if used[t] {
				continue
			}
			if strings.HasPrefix(t, "_") {
				return "", nil, &InputError{File: f.path, Line: headerLine(f),
					Problem: fmt.Sprintf("column name %q is reserved (names starting with _); rename it with --map", clip(byTarget[t].name))}
			}
			list = append(list, "funnel_text("+textExpr(byTarget[t])+") AS "+QuoteIdent(t))
		}
	}
	return strings.Join(list, ",\n    "), shown, nil
}

// NoChannel is the channel of a lead whose channel field is empty; such
// leads form their own group in every table.
const NoChannel = "(none)"

// columnExprs are the select-list entries of contract column cc taken from
// file column c (present says whether the file has it).
func columnExprs(cc contractColumn, c fileColumn, present bool) []string {
	name := cc.name
	raw, typed := "_raw_"+name, "_typed_"+name
	switch cc.typ {
	case typeText:
		if name == "channel" {
			// An empty source is a group of its own, not a refused file:
			// real exports have leads whose source nobody filled in.
			return []string{"coalesce(funnel_text(" + textExpr(c) + "), " + quoteLiteral(NoChannel) + ") AS " + QuoteIdent(name)}
		}
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(name)}
	case typeOutcome:
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(raw)}
	case typeTimestamp:
		if isTemporal(c.dbType) {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "CAST(" + QuoteIdent(c.name) + " AS TIMESTAMP) AS " + QuoteIdent(typed)}
		}
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(raw), "NULL::TIMESTAMP AS " + QuoteIdent(typed)}
	case typeNumber:
		if !present {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "NULL::DOUBLE AS " + QuoteIdent(typed)}
		}
		if isNumeric(c.dbType) {
			// NaN and ±Inf are refused as in text files: kept as text in
			// _raw, they fail to parse.
			num := "CAST(" + QuoteIdent(c.name) + " AS DOUBLE)"
			return []string{"CASE WHEN NOT isfinite(" + num + ") THEN CAST(" + QuoteIdent(c.name) + " AS VARCHAR) END AS " + QuoteIdent(raw),
				"CASE WHEN isfinite(" + num + ") THEN " + num + " END AS " + QuoteIdent(typed)}
		}
		return []string{"funnel_text(" + textExpr(c) + ") AS " + QuoteIdent(raw), "NULL::DOUBLE AS " + QuoteIdent(typed)}
	}
	return nil
}

// textExpr is file column c as text: JSON values unquoted, other types cast.
func textExpr(c fileColumn) string {
	id := QuoteIdent(c.name)
	switch {
	case c.dbType == "VARCHAR":
		return id
	case c.dbType == "JSON":
		return "json_extract_string(" + id + ", '$')"
	}
	return "CAST(" + id + " AS VARCHAR)"
}

func isTemporal(t string) bool {
	return t == "DATE" || strings.HasPrefix(t, "TIMESTAMP")
}

func isNumeric(t string) bool {
	for _, p := range []string{"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// headerLine is the line of a file's column names: 1 for CSV, none otherwise.
func headerLine(f inputFile) int {
	if f.format == formatCSV {
		return 1
	}
	return 0
}
