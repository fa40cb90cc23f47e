package queries

import (
	"fmt"
	"sort"
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
		// created_at is optional: a flat export often has no dates, and an
		// undated lead (created_at NULL) is kept as such.
		return []contractColumn{{"lead_id", typeText, true}, {"created_at", typeTimestamp, false}, {"channel", typeText, true}}
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

// columnSpec is how a file's columns become the contract's: the mapping's
// renames and constants for the file's kind (see Mapping.For and
// Mapping.Constants) and, for a leads file, its outcome column.
type columnSpec struct {
	renames, constants map[string]string
	outcome            OutcomeColumn
	// placeholders stores a leads file's placeholder values (see
	// PlaceholderValues) of channel and attributes as missing.
	placeholders bool
}

// givesColumn reports whether a file's columns or the mapping's constants
// give the contract column name.
func givesColumn(cols []fileColumn, spec columnSpec, name string) bool {
	if _, ok := spec.constants[name]; ok {
		return true
	}
	for _, c := range cols {
		if targetName(c.name, spec.renames) == name {
			return true
		}
	}
	return false
}

// constantColumns are the mapping's constants as columns named by their
// contract (or attribute) name, in name order.
func constantColumns(constants map[string]string) []fileColumn {
	names := make([]string, 0, len(constants))
	for name := range constants {
		names = append(names, name)
	}
	sort.Strings(names)
	cols := make([]fileColumn, len(names))
	for i, name := range names {
		cols[i] = fileColumn{name: name, dbType: "VARCHAR", constant: constants[name], isConstant: true}
	}
	return cols
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
// and mapping are refused; the checks use the file's dialect (f.dialect).
// The mapping's constants (spec.constants) give their columns to every
// row; a file column giving the same column is refused.
// A leads file's outcome column (spec.outcome, if named) gives
// _raw_outcome and _outcome (see outcomeColumnExprs) and is no attribute.
// It returns, per contract column, how the file names it (for messages),
// and a leads file's attribute names, as the staging relation names them.
// Identifiers from the file go through QuoteIdent only.
func columnsFor(f inputFile, cols []fileColumn, spec columnSpec) (string, map[string]string, []string, error) {
	renames, oc := spec.renames, spec.outcome
	written, err := writtenNames(f, cols)
	if err != nil {
		return "", nil, nil, err
	}
	byTarget := map[string]fileColumn{}
	writtenBy := map[string]string{}
	var order []string
	consts := constantColumns(spec.constants)
	for i, c := range append(cols[:len(cols):len(cols)], consts...) {
		t := c.name
		if i < len(cols) {
			t = targetName(written[i], renames)
		} else {
			written = append(written, constantPrefix+c.constant)
		}
		if prev, ok := writtenBy[t]; ok && c.isConstant {
			return "", nil, nil, &InputError{File: f.path, Line: headerLine(f),
				Problem: fmt.Sprintf("column %q gives column %s, which the mapping sets to the constant %q; drop one of them", clip(prev), clip(t), clip(c.constant))}
		}
		if prev, ok := writtenBy[t]; ok {
			problem := fmt.Sprintf("columns %q and %q both give column %s", clip(prev), clip(written[i]), clip(t))
			if prev == written[i] {
				problem = fmt.Sprintf("column %q appears twice", clip(prev))
			}
			return "", nil, nil, &InputError{File: f.path, Line: headerLine(f), Problem: problem}
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
			problem := fmt.Sprintf("missing required column %s (columns found: %s)", cc.name, foundColumns(cols))
			if len(cols) == 1 && f.format == formatCSV {
				problem += "; if the file is delimited, a row may have more fields than the header"
			}
			return "", nil, nil, &InputError{File: f.path, Line: headerLine(f), Problem: problem}
		}
		used[cc.name] = true
		shown[cc.name] = cc.name
		switch {
		case ok && c.isConstant:
			shown[cc.name] = fmt.Sprintf("%s (the mapping's constant)", cc.name)
		case ok && normName(c.name) != cc.name:
			shown[cc.name] = fmt.Sprintf("%s (%q in the file)", cc.name, clip(c.name))
		}
		list = append(list, columnExprs(cc, c, ok, spec.placeholders)...)
	}
	list = append(list, checkExpr(f, byTarget))
	var attrs []string
	if f.kind == KindLeads {
		c, present := fileColumn{}, false
		if oc.Column != "" {
			t := targetName(oc.Column, renames)
			if c, present = byTarget[t]; !present {
				return "", nil, nil, &InputError{File: f.path, Line: headerLine(f),
					Problem: fmt.Sprintf("outcome column %q not found (columns found: %s)", clip(oc.Column), foundColumns(cols))}
			}
			used[t] = true
			shown["outcome"] = fmt.Sprintf("%q", clip(c.name))
		}
		list = append(list, outcomeColumnExprs(oc, c, present)...)
		for _, t := range order {
			if used[t] {
				continue
			}
			if strings.HasPrefix(t, "_") {
				return "", nil, nil, &InputError{File: f.path, Line: headerLine(f),
					Problem: fmt.Sprintf("column name %q is reserved (names starting with _); rename it with --map", clip(byTarget[t].name))}
			}
			// An empty value is a group of its own, like an empty channel.
			list = append(list, "coalesce("+textValueExpr(byTarget[t], spec.placeholders)+", "+quoteLiteral(NoValue)+") AS "+QuoteIdent(t))
			attrs = append(attrs, t)
		}
	}
	return strings.Join(list, ",\n    "), shown, attrs, nil
}

// foundColumns lists a file's column names for a message, clipped.
func foundColumns(cols []fileColumn) string {
	found := make([]string, len(cols))
	for i, c := range cols {
		found[i] = c.name
	}
	list := strings.Join(found, ", ")
	if c := clip(list); c != list {
		list = fmt.Sprintf("%s; %d columns in all", c, len(found))
	}
	return list
}

// NoChannel is the channel of a lead whose channel field is empty; such
// leads form their own group in every table.
const NoChannel = "(none)"

// columnExprs are the select-list entries of contract column cc taken from
// file column c (present says whether the file has it); with placeholders,
// a channel that is a placeholder value is NoChannel.
func columnExprs(cc contractColumn, c fileColumn, present, placeholders bool) []string {
	name := cc.name
	raw, typed := "_raw_"+name, "_typed_"+name
	switch cc.typ {
	case typeText:
		if name == "channel" {
			// An empty source is a group of its own, not a refused file:
			// real exports have leads whose source nobody filled in.
			return []string{"coalesce(" + textValueExpr(c, placeholders) + ", " + quoteLiteral(NoChannel) + ") AS " + QuoteIdent(name)}
		}
		return []string{trimmedText(c) + " AS " + QuoteIdent(name)}
	case typeOutcome:
		return []string{trimmedText(c) + " AS " + QuoteIdent(raw)}
	case typeTimestamp:
		if !present {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "NULL::TIMESTAMP AS " + QuoteIdent(typed)}
		}
		if isTemporal(c.dbType) {
			return []string{"NULL::VARCHAR AS " + QuoteIdent(raw), "CAST(" + QuoteIdent(c.name) + " AS TIMESTAMP) AS " + QuoteIdent(typed)}
		}
		return []string{trimmedText(c) + " AS " + QuoteIdent(raw), "NULL::TIMESTAMP AS " + QuoteIdent(typed)}
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
		return []string{trimmedText(c) + " AS " + QuoteIdent(raw), "NULL::DOUBLE AS " + QuoteIdent(typed)}
	}
	return nil
}

// trimmedText is file column c as text with surrounding spaces removed
// and NULL for nothing left (funnel_text), or as it is when c's values
// need no trimming (fileColumn.unpadded).
func trimmedText(c fileColumn) string {
	if c.unpadded && !c.isConstant && c.dbType == "VARCHAR" {
		return textExpr(c)
	}
	return "funnel_text(" + textExpr(c) + ")"
}

// textExpr is file column c as text: JSON values unquoted, other types
// cast, a mapping's constant as a literal.
func textExpr(c fileColumn) string {
	id := QuoteIdent(c.name)
	switch {
	case c.isConstant:
		return quoteLiteral(c.constant)
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
