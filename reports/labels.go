package reports

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Labels maps names as written in the data (a channel, an action, an
// attribute column or value, or a whole feature such as
// "attr:company_size=1000+") to the words both pages show. A nil or empty
// Labels shows the names as written, underscores read as spaces. It is the
// one place a name becomes a label, for the funnel report and the
// calibration evidence page alike.
type Labels map[string]string

// ParseLabels reads a labels file: one YAML mapping of name → label, e.g.
//
//	webinar: Webinar (live)
//	demo_request: Demo request
//	company_size: Company size
//	"attr:company_size=1000+": Enterprise (1,000+ staff)
//
// An error names the line of the offending entry: a file that is not one
// mapping, a name or label that is not text, an empty one, or a name given
// twice. An empty file is no labels.
func ParseLabels(r io.Reader) (Labels, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return Labels{}, nil
		}
		return nil, err
	}
	if len(doc.Content) == 0 {
		return Labels{}, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: expected lines of the form name: label", m.Line)
	}
	out := Labels{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: expected name: label, both plain text", k.Line)
		}
		name, label := strings.TrimSpace(k.Value), strings.TrimSpace(v.Value)
		switch {
		case name == "" || label == "":
			return nil, fmt.Errorf("line %d: empty name or label", k.Line)
		case !utf8.ValidString(label) || strings.ContainsRune(label, 0):
			return nil, fmt.Errorf("line %d: the label of %q is not valid text", k.Line, name)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("line %d: %q is given twice", k.Line, name)
		}
		out[name] = label
	}
	return out, nil
}

// Name returns the label of a name as written in the data: the labels
// file's entry, or the name with underscores read as spaces.
func (l Labels) Name(name string) string {
	if s, ok := l[name]; ok {
		return s
	}
	return strings.ReplaceAll(name, "_", " ")
}

// AsWritten returns the label of a channel, action or attribute value of
// the funnel report: the labels file's entry, or the name exactly as
// written in the data.
func (l Labels) AsWritten(name string) string {
	if s, ok := l[name]; ok {
		return s
	}
	return name
}

// Column returns the label of an attribute column: the labels file's
// entry, or the name with underscores as spaces and a capital first letter
// ("company_size" → "Company size").
func (l Labels) Column(col string) string {
	if s, ok := l[col]; ok {
		return s
	}
	return capitalize(strings.ReplaceAll(col, "_", " "))
}

// Feature returns the label of a model feature: "channel:webinar" →
// "Channel: webinar", "action:demo_request" → "Action: demo request",
// "attr:company_size=1000+" → "Company size: 1000+", "value:webinar=[20,30)"
// → "Value of webinar: [20,30)". An entry for the whole
// feature in the labels file wins over its parts. A name without a known
// kind is shown as written.
func (l Labels) Feature(f string) string {
	if s, ok := l[f]; ok {
		return s
	}
	kind, name, ok := strings.Cut(f, ":")
	if !ok {
		return f
	}
	switch kind {
	case "channel":
		return "Channel: " + l.Name(name)
	case "action":
		return "Action: " + l.Name(name)
	case "attr":
		col, val, ok := strings.Cut(name, "=")
		if !ok {
			return l.Column(name)
		}
		return l.Column(col) + ": " + l.Name(val)
	case "value":
		// The sum of an action's values before the snapshot, whole
		// ("value:webinar") or one bin ("value:webinar=[20,30)").
		act, bin, ok := strings.Cut(name, "=")
		if !ok {
			return "Value of " + l.Name(act)
		}
		return "Value of " + l.Name(act) + ": " + bin
	}
	return f
}

// Group returns the label of a one-hot group as Result.Baselines keys it:
// "channel" → "Channel", "attr:company_size" → "Company size".
func (l Labels) Group(g string) string {
	if col, ok := strings.CutPrefix(g, "attr:"); ok {
		return l.Column(col)
	}
	return l.Column(g)
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
