package queries

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Kind is the kind of an input file: one of the four tables of the input
// contract.
type Kind string

// The four kinds of input file, in the order a load processes them (leads
// first, so the others' orphan counts see the leads of the same load).
const (
	KindLeads    Kind = "leads"
	KindEvents   Kind = "events"
	KindStages   Kind = "stages"
	KindOutcomes Kind = "outcomes"
)

// loadOrder lists the kinds in the order a load processes them.
func loadOrder() [4]Kind { return [4]Kind{KindLeads, KindEvents, KindStages, KindOutcomes} }

// Mapping renames a CRM export's columns to the input contract's names, per
// kind of file. Each map goes from the column name in the export to the
// contract's name (lead_id, created_at, channel, …) or, for leads, to the
// name of a profile attribute (title, company_size, …). Names are compared
// after trimming spaces and ignoring case. A nil map renames nothing; a
// column not mentioned keeps its own name. An entry whose value starts with
// "=" sets a constant instead: `outcome: "=won"` gives every row of the
// file the outcome won, whatever its columns (see Constants).
type Mapping struct {
	Leads    map[string]string `yaml:"leads"`
	Events   map[string]string `yaml:"events"`
	Stages   map[string]string `yaml:"stages"`
	Outcomes map[string]string `yaml:"outcomes"`
}

// For returns the renaming for files of kind k, keyed and valued by
// normalised names (see normName), constants left out. The result is never
// nil.
func (m Mapping) For(k Kind) map[string]string {
	src := m.renames(k)
	out := make(map[string]string, len(src))
	for from, to := range src {
		if _, ok := constantValue(to); !ok {
			out[normName(from)] = normName(to)
		}
	}
	return out
}

// Constants returns the constant columns the mapping sets for files of kind
// k: the normalised column name and its value as written after the "=".
// The result is never nil.
func (m Mapping) Constants(k Kind) map[string]string {
	out := map[string]string{}
	for name, to := range m.renames(k) {
		if v, ok := constantValue(to); ok {
			out[normName(name)] = v
		}
	}
	return out
}

// constantPrefix starts a mapping value that is a constant, not a name.
const constantPrefix = "="

// constantValue returns the constant a mapping value sets, if it is one.
func constantValue(to string) (string, bool) {
	t := strings.TrimSpace(to)
	if !strings.HasPrefix(t, constantPrefix) {
		return "", false
	}
	return strings.TrimSpace(strings.TrimPrefix(t, constantPrefix)), true
}

// renames is the map of the mapping file for kind k, as written.
func (m Mapping) renames(k Kind) map[string]string {
	switch k {
	case KindLeads:
		return m.Leads
	case KindEvents:
		return m.Events
	case KindStages:
		return m.Stages
	case KindOutcomes:
		return m.Outcomes
	}
	return nil
}

// maxNameLen bounds a column name in a mapping file, in bytes.
const maxNameLen = 256

// ParseMapping reads a mapping file (YAML) like
//
//	leads:
//	  Record ID: lead_id
//	  Create Date: created_at
//	events:
//	  Contact ID: lead_id
//
// A constant is written `column: "=value"`, e.g.
//
//	outcomes:
//	  outcome: "=won"      # a deals file that lists winners only
//	leads:
//	  created_at: "=2024-01-01"
//
// Top-level keys other than leads, events, stages and outcomes are an error,
// as are empty names, names longer than 256 bytes, not valid UTF-8 or
// holding a NUL byte, one export column listed twice (names compared
// ignoring case and surrounding spaces), an empty constant and a constant
// lead_id. Every error names the line of the mapping file. Several export
// columns may be renamed to one name (a CRM's label and its internal name);
// a file having two of them is refused when it is loaded.
func ParseMapping(r io.Reader) (Mapping, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return Mapping{}, fmt.Errorf("mapping file: %w", err)
	}
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(body))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return Mapping{}, errors.New("mapping file is empty")
		}
		return Mapping{}, fmt.Errorf("mapping file: %w", err)
	}
	lines := mappingLines(body)
	for _, k := range loadOrder() {
		if err := checkRenames(k, m.renames(k), lines[k]); err != nil {
			return Mapping{}, err
		}
	}
	return m, nil
}

// mappingLines returns, per kind, the line of each export column's entry
// in a mapping file that decoded without error.
func mappingLines(body []byte) map[Kind]map[string]int {
	out := map[Kind]map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(body, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return out
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		kind, entries := Kind(top.Content[i].Value), top.Content[i+1]
		out[kind] = map[string]int{}
		for j := 0; j+1 < len(entries.Content); j += 2 {
			out[kind][entries.Content[j].Value] = entries.Content[j].Line
		}
	}
	return out
}

// checkRenames validates one kind's renaming; errors name the line (from
// lines, by export column) and the kind, the offending names taken in a
// stable (sorted) order.
func checkRenames(k Kind, src map[string]string, lines map[string]int) error {
	froms := make([]string, 0, len(src))
	for f := range src {
		froms = append(froms, f)
	}
	sort.Strings(froms)
	seenFrom := map[string]string{}
	for _, from := range froms {
		to := src[from]
		at := fmt.Sprintf("mapping file: line %d: %s", lines[from], k)
		names := []string{from, to}
		if v, ok := constantValue(to); ok {
			names = names[:1]
			switch {
			case v == "":
				return fmt.Errorf("%s: %s: empty constant (write \"=value\")", at, from)
			case normName(from) == "lead_id":
				return fmt.Errorf("%s: lead_id cannot be a constant: every row would be the same lead", at)
			case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
				return fmt.Errorf("%s: %s: constant %q is not valid UTF-8 text", at, from, v)
			}
		}
		for _, name := range names {
			if err := checkName(name); err != nil {
				return fmt.Errorf("%s: %w", at, err)
			}
		}
		nf := normName(from)
		if prev, ok := seenFrom[nf]; ok {
			return fmt.Errorf("%s: column %q is listed twice (also as %q)", at, from, prev)
		}
		seenFrom[nf] = from
	}
	return nil
}

func checkName(name string) error {
	switch {
	case normName(name) == "":
		return errors.New("empty column name")
	case len(name) > maxNameLen:
		return fmt.Errorf("column name longer than %d bytes", maxNameLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("column name %q is not valid UTF-8", name)
	case strings.ContainsRune(name, 0):
		return fmt.Errorf("column name %q contains a NUL byte", name)
	}
	return nil
}

// normName is how column names are compared: surrounding spaces and a UTF-8
// byte-order mark removed, lower case.
func normName(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
}
