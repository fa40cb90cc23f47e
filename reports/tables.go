package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Table is one table of a JSON output (report.json, calibration.json) in
// rows and columns, as an export writes it to CSV and Parquet. Values are
// nil (missing), bool, string or json.Number (the JSON's own digits).
type Table struct {
	// Name is the JSON path of the table with "_" between keys:
	// "coefficients", "metrics_by_landmark", "backtest_months"; "summary"
	// holds the single values of the document.
	Name string
	// Columns are the column names: an object's key, nested objects' keys
	// joined with "_" ("current_mqls"). A table nested in a row of another
	// has first a column "<parent>_row", the 1-based row of its parent.
	Columns []string
	// Kinds are the columns' types: "integer", "number", "boolean" or
	// "text" (also for a column of mixed types).
	Kinds []string
	// Rows hold one value per column.
	Rows [][]any
}

// Tables turns the JSON form of v into tables: every array of objects, at
// any depth, becomes a table named by its path; the document's other
// values (numbers, texts, flags, and lists of plain values joined with
// "; ") go into one row of the table "summary", in the order they appear.
// Tables are returned in the order they appear, "summary" first.
func Tables(v any) ([]Table, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	doc, err := decodeOrdered(dec)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	obj, ok := doc.(ordered)
	if !ok {
		return nil, fmt.Errorf("tables: the document is not a JSON object")
	}
	b := &tableBuilder{byName: map[string]*Table{}}
	summary := b.table("summary", "")
	cols, vals := b.flatten(obj, "", "summary", 0)
	summary.add(cols, vals)
	out := []Table{}
	for _, name := range b.order {
		t := b.byName[name]
		if name == "summary" && len(t.Columns) == 0 {
			continue
		}
		t.setKinds()
		out = append(out, *t)
	}
	return out, nil
}

// WriteCSV writes t as CSV: a header of the column names, then one line per
// row; numbers as in the JSON, missing values empty.
func (t Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, r := range t.Rows {
		for i, v := range r {
			rec[i] = cellText(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Column returns column i's values, converted to its kind: int64 for
// "integer", float64 for "number", bool, or string; nil for a missing value.
func (t Table) Column(i int) []any {
	out := make([]any, len(t.Rows))
	for r, row := range t.Rows {
		v := row[i]
		if v == nil {
			continue
		}
		switch t.Kinds[i] {
		case "integer":
			n, _ := v.(json.Number).Int64()
			out[r] = n
		case "number":
			f, _ := v.(json.Number).Float64()
			out[r] = f
		case "boolean":
			out[r] = v
		default:
			out[r] = cellText(v)
		}
	}
	return out
}

// cellText is a value as CSV text.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "true"
		}
		return "false"
	case json.Number:
		return x.String()
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// tableBuilder collects the tables of one document.
type tableBuilder struct {
	byName map[string]*Table
	order  []string
}

// table returns the table called name, creating it (with the parent row
// column when it is nested in a row of parent).
func (b *tableBuilder) table(name, parent string) *Table {
	if t, ok := b.byName[name]; ok {
		return t
	}
	t := &Table{Name: name}
	if parent != "" && parent != "summary" {
		t.Columns = []string{parent + "_row"}
	}
	b.byName[name] = t
	b.order = append(b.order, name)
	return t
}

// flatten turns obj into columns and values, prefixing keys with prefix;
// arrays of objects become tables named after path, nested in row of owner.
func (b *tableBuilder) flatten(obj ordered, prefix, owner string, row int) ([]string, []any) {
	var cols []string
	var vals []any
	path := func(k string) string { return strings.TrimPrefix(prefix+"_"+k, "_") }
	for _, kv := range obj {
		switch x := kv.value.(type) {
		case ordered:
			c, v := b.flatten(x, path(kv.key), owner, row)
			cols, vals = append(cols, c...), append(vals, v...)
		case []any:
			if len(x) > 0 && isObjectList(x) {
				name := path(kv.key)
				if owner != "summary" {
					name = owner + "_" + name
				}
				t := b.table(name, owner)
				for _, e := range x {
					c, v := b.flatten(e.(ordered), "", name, len(t.Rows)+1)
					if owner != "summary" {
						c, v = append([]string{owner + "_row"}, c...), append([]any{json.Number(fmt.Sprint(row))}, v...)
					}
					t.add(c, v)
				}
				continue
			}
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = cellText(e)
			}
			cols, vals = append(cols, path(kv.key)), append(vals, strings.Join(parts, "; "))
		default:
			cols, vals = append(cols, path(kv.key)), append(vals, x)
		}
	}
	return cols, vals
}

// add appends a row given as columns and values, adding new columns (with
// missing values in the rows before).
func (t *Table) add(cols []string, vals []any) {
	at := map[string]int{}
	for i, c := range t.Columns {
		at[c] = i
	}
	for _, c := range cols {
		if _, ok := at[c]; !ok {
			at[c] = len(t.Columns)
			t.Columns = append(t.Columns, c)
			for r := range t.Rows {
				t.Rows[r] = append(t.Rows[r], nil)
			}
		}
	}
	rec := make([]any, len(t.Columns))
	for i, c := range cols {
		rec[at[c]] = vals[i]
	}
	t.Rows = append(t.Rows, rec)
}

// setKinds sets each column's kind from its values.
func (t *Table) setKinds() {
	t.Kinds = make([]string, len(t.Columns))
	for i := range t.Columns {
		kinds := map[string]bool{}
		for _, r := range t.Rows {
			switch v := r[i].(type) {
			case nil:
			case bool:
				kinds["boolean"] = true
			case json.Number:
				if _, err := v.Int64(); err == nil {
					kinds["integer"] = true
				} else {
					kinds["number"] = true
				}
			default:
				kinds["text"] = true
			}
		}
		if kinds["integer"] && kinds["number"] {
			delete(kinds, "integer")
		}
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
		}
		sort.Strings(names)
		switch len(names) {
		case 0:
			t.Kinds[i] = "text"
		case 1:
			t.Kinds[i] = names[0]
		default:
			t.Kinds[i] = "text"
		}
	}
}

// isObjectList reports whether every element of a is an object.
func isObjectList(a []any) bool {
	for _, e := range a {
		if _, ok := e.(ordered); !ok {
			return false
		}
	}
	return true
}

// ordered is a JSON object with its keys in document order.
type ordered []keyValue

type keyValue struct {
	key   string
	value any
}

// decodeOrdered decodes one JSON value, objects as ordered.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch d := tok.(type) {
	case json.Delim:
		switch d {
		case '{':
			var o ordered
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o = append(o, keyValue{key: k.(string), value: v})
			}
			_, err := dec.Token()
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
	}
	return tok, nil
}
