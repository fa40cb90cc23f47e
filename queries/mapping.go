package queries

import (
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
// column not mentioned keeps its own name.
type Mapping struct {
	Leads    map[string]string `yaml:"leads"`
	Events   map[string]string `yaml:"events"`
	Stages   map[string]string `yaml:"stages"`
	Outcomes map[string]string `yaml:"outcomes"`
}

// For returns the renaming for files of kind k, keyed and valued by
// normalised names (see normName). The result is never nil.
func (m Mapping) For(k Kind) map[string]string {
	src := m.renames(k)
	out := make(map[string]string, len(src))
	for from, to := range src {
		out[normName(from)] = normName(to)
	}
	return out
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
// Top-level keys other than leads, events, stages and outcomes are an error,
// as are empty names, names longer than 256 bytes, not valid UTF-8 or
// holding a NUL byte, and one export column listed twice (names compared
// ignoring case and surrounding spaces). Several export columns may be
// renamed to one name (a CRM's label and its internal name); a file having
// two of them is refused when it is loaded.
func ParseMapping(r io.Reader) (Mapping, error) {
	var m Mapping
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return Mapping{}, errors.New("mapping file is empty")
		}
		return Mapping{}, fmt.Errorf("mapping file: %w", err)
	}
	for _, k := range loadOrder() {
		if err := checkRenames(k, m.renames(k)); err != nil {
			return Mapping{}, err
		}
	}
	return m, nil
}

// checkRenames validates one kind's renaming; errors name the kind and the
// offending names in a stable (sorted) order.
func checkRenames(k Kind, src map[string]string) error {
	froms := make([]string, 0, len(src))
	for f := range src {
		froms = append(froms, f)
	}
	sort.Strings(froms)
	seenFrom := map[string]string{}
	for _, from := range froms {
		to := src[from]
		for _, name := range []string{from, to} {
			if err := checkName(name); err != nil {
				return fmt.Errorf("mapping file: %s: %w", k, err)
			}
		}
		nf := normName(from)
		if prev, ok := seenFrom[nf]; ok {
			return fmt.Errorf("mapping file: %s: column %q is listed twice (also as %q)", k, from, prev)
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
