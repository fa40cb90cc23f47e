package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Table is one table of a result's JSON, flat enough for a spreadsheet or
// a BI tool: named columns, one value per cell (a JSON number as
// json.Number, a string, a bool, or nil).
type Table struct {
	// Name is the file name without extension: the JSON key path joined
	// with "_" ("by_channel", "by_channel_conversion", "time_in_stage_overall").
	Name    string
	Columns []string
	Rows    [][]any
}

// Tables flattens the JSON form of v (what WriteJSON writes) into tables:
//
//   - the top-level scalars (and scalars of nested objects, as
//     parent_field) make the one-row table "report";
//   - an array of objects is a table named by its key path, one row per
//     object; an object's nested objects become columns named
//     field_subfield;
//   - an array of objects inside a row is a child table named
//     table_field, each of its rows led by the parent row's first column
//     (channel, month, action …) so the two join;
//   - an array of scalars is one text cell holding it as JSON.
//
// Columns are in the order the JSON first has them; a row without a
// column has nil there. Tables are in the order the JSON has them, the
// "report" table first.
func Tables(v any) ([]Table, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	root, err := decodeOrdered(dec)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	obj, ok := root.(ordered)
	if !ok {
		return nil, fmt.Errorf("tables: the JSON is not an object")
	}
	f := flattener{byName: map[string]*tableBuilder{}}
	top := f.table("report")
	rec := record{}
	f.object(obj, "", "", &rec, nil)
	top.add(rec)
	out := make([]Table, 0, len(f.order))
	for _, name := range f.order {
		if t := f.byName[name].table(); len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// WriteNDJSON writes t as newline-delimited JSON, one object a row with
// every column in order: what DuckDB's read_json reads back.
func (t Table) WriteNDJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, r := range t.Rows {
		bw.WriteByte('{')
		for i, c := range t.Columns {
			if i > 0 {
				bw.WriteByte(',')
			}
			k, _ := json.Marshal(c) // a string always marshals
			v, err := json.Marshal(r[i])
			if err != nil {
				return fmt.Errorf("table %s column %s: %w", t.Name, c, err)
			}
			bw.Write(k)
			bw.WriteByte(':')
			bw.Write(v)
		}
		bw.WriteString("}\n")
	}
	return bw.Flush()
}

// ordered is a JSON object with its keys in document order.
type ordered struct {
	keys []string
	vals []any
}

// decodeOrdered reads one JSON value, keeping object key order.
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
				o.keys, o.vals = append(o.keys, k.(string)), append(o.vals, v)
			}
			_, err := dec.Token() // }
			return o, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ]
			return arr, err
		}
		return nil, fmt.Errorf("unexpected %v", d)
	default:
		return tok, nil
	}
}

// record is one row being built: columns in order of addition.
type record struct {
	cols []string
	vals []any
}

func (r *record) set(col string, v any) {
	r.cols, r.vals = append(r.cols, col), append(r.vals, v)
}

// tableBuilder collects the rows of one table and the union of their
// columns.
type tableBuilder struct {
	name string
	cols []string
	idx  map[string]int
	rows []record
}

func (b *tableBuilder) add(r record) {
	for _, c := range r.cols {
		if _, ok := b.idx[c]; !ok {
			b.idx[c] = len(b.cols)
			b.cols = append(b.cols, c)
		}
	}
	b.rows = append(b.rows, r)
}

func (b *tableBuilder) table() Table {
	t := Table{Name: b.name, Columns: b.cols}
	for _, r := range b.rows {
		row := make([]any, len(b.cols))
		for i, c := range r.cols {
			row[b.idx[c]] = r.vals[i]
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// flattener turns nested JSON into tables.
type flattener struct {
	byName map[string]*tableBuilder
	order  []string
}

func (f *flattener) table(name string) *tableBuilder {
	if b, ok := f.byName[name]; ok {
		return b
	}
	b := &tableBuilder{name: name, idx: map[string]int{}}
	f.byName[name] = b
	f.order = append(f.order, name)
	return b
}

// object adds the fields of o to rec, column names prefixed with prefix;
// arrays of objects become tables named path_key, whose rows start with
// parent (the first column of the row they belong to), if any.
func (f *flattener) object(o ordered, path, prefix string, rec *record, parent *[2]any) {
	for i, k := range o.keys {
		col := keyPath(prefix, k)
		switch v := o.vals[i].(type) {
		case ordered:
			f.object(v, keyPath(path, k), col, rec, parent)
		case []any:
			if !allObjects(v) {
				b, _ := json.Marshal(scalars(v))
				rec.set(col, string(b))
				continue
			}
			name := keyPath(path, k)
			t := f.table(name)
			for _, e := range v {
				child := record{}
				if parent != nil {
					child.set(parent[0].(string), parent[1])
				}
				eo := e.(ordered)
				var key *[2]any
				if len(eo.keys) > 0 {
					if _, nested := eo.vals[0].(ordered); !nested {
						key = &[2]any{eo.keys[0], eo.vals[0]}
					}
				}
				f.object(eo, name, "", &child, key)
				t.add(child)
			}
		default:
			rec.set(col, v)
		}
	}
}

// allObjects reports whether every element of a non-empty array is an
// object.
func allObjects(a []any) bool {
	for _, e := range a {
		if _, ok := e.(ordered); !ok {
			return false
		}
	}
	return len(a) > 0
}

// scalars turns an array of JSON values back into plain Go values for
// encoding as one cell.
func scalars(a []any) []any {
	out := make([]any, len(a))
	for i, e := range a {
		switch v := e.(type) {
		case ordered:
			m := map[string]any{}
			for k, key := range v.keys {
				m[key] = v.vals[k]
			}
			out[i] = m
		case []any:
			out[i] = scalars(v)
		default:
			out[i] = v
		}
	}
	return out
}

func keyPath(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "_" + strings.ReplaceAll(k, " ", "_")
}
