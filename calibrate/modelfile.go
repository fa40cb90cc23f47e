package calibrate

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// This file reads and writes model.yaml through yaml.v3's node API, so every
// error names its line and the output has a fixed, diff-friendly layout.

// ParseModel reads a model file (YAML, one document). It is strict: unknown
// keys, repeated keys, values of the wrong type, and anything Validate
// rejects are errors naming the line (1-based) and wrapping ErrInvalidModel.
// Missing optional keys take their defaults (target won, 10 points to double
// the odds, 30 observation days, no decay, no intercept); version and
// threshold are required.
func ParseModel(r io.Reader) (*Model, error) {
	dec := yaml.NewDecoder(r)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: the file is empty", ErrInvalidModel)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalidModel, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidModel, err)
		}
		return nil, fmt.Errorf("%w: line %d: a second YAML document; a model file holds one", ErrInvalidModel, line)
	}
	m, err := parseModelNode(&doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidModel, err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// nodeErr formats an error at a node's line.
func nodeErr(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("line %d: %s", n.Line, fmt.Sprintf(format, args...))
}

// isNull reports whether n is an explicit or implicit null (`key:` with no value).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// mappingPairs checks that n is a mapping and returns its key/value pairs,
// rejecting non-scalar and repeated keys. A null node is an empty mapping.
func mappingPairs(n *yaml.Node, what string) ([][2]*yaml.Node, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind == yaml.AliasNode {
		return nil, nodeErr(n, "%s: aliases are not allowed in a model file", what)
	}
	if n.Kind != yaml.MappingNode {
		return nil, nodeErr(n, "%s must be a mapping of name: value", what)
	}
	seen := map[string]int{}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return nil, nodeErr(k, "%s: keys must be plain names", what)
		}
		if line, dup := seen[k.Value]; dup {
			return nil, nodeErr(k, "%s: key %q is repeated (first at line %d)", what, k.Value, line)
		}
		if v.Kind == yaml.AliasNode {
			return nil, nodeErr(v, "%s: %s: aliases are not allowed in a model file", what, k.Value)
		}
		seen[k.Value] = k.Line
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out, nil
}

// scalarInt decodes an integer scalar within ±maxPoints.
func scalarInt(n *yaml.Node, what string) (int, error) {
	var v int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&v) != nil {
		return 0, nodeErr(n, "%s: %q is not a whole number", what, n.Value)
	}
	if v < -maxPoints || v > maxPoints {
		return 0, nodeErr(n, "%s: %d is out of range ±%d", what, v, maxPoints)
	}
	return v, nil
}

// scalarFloat decodes a finite number.
func scalarFloat(n *yaml.Node, what string) (float64, error) {
	var v float64
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || n.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, nodeErr(n, "%s: %q is not a finite number", what, n.Value)
	}
	return v, nil
}

// scalarString decodes a non-empty string scalar.
func scalarString(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) || n.Value == "" {
		return "", nodeErr(n, "%s must be a non-empty text", what)
	}
	return n.Value, nil
}

// maxObserveDays bounds a model file's observe_days: the window becomes a
// count of microseconds in SQL, which overflows near 106,000 days.
const maxObserveDays = 36500

// shortScalar is a YAML scalar as written, cut to 40 bytes for messages.
func shortScalar(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// parseModelNode turns the document node into a Model, checking each value
// where it is, so errors carry lines.
func parseModelNode(doc *yaml.Node) (*Model, error) {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("the file is not a YAML document")
	}
	top, err := mappingPairs(doc.Content[0], "model file")
	if err != nil {
		return nil, err
	}
	m := &Model{Target: "won", PointsToDoubleOdds: DefaultPointsToDoubleOdds, ObserveDays: 30}
	var haveVersion, haveThreshold bool
	for _, kv := range top {
		k, v := kv[0], kv[1]
		if isNull(v) && k.Value != "actions" && k.Value != "channels" && k.Value != "attributes" && k.Value != "features" && k.Value != "intercept" && k.Value != "half_life_days" {
			return nil, nodeErr(v, "%s has no value", k.Value)
		}
		switch k.Value {
		case "version":
			if m.Version, err = scalarInt(v, "version"); err != nil {
				return nil, err
			}
			if m.Version != 1 {
				return nil, nodeErr(v, "version %d is not supported (use 1)", m.Version)
			}
			haveVersion = true
		case "target":
			if m.Target, err = scalarString(v, "target"); err != nil {
				return nil, err
			}
			if m.Target != "won" && m.Target != "sql" {
				return nil, nodeErr(v, "target %q: use won or sql", m.Target)
			}
		case "points_to_double_odds":
			if m.PointsToDoubleOdds, err = scalarFloat(v, k.Value); err != nil {
				return nil, err
			}
			if m.PointsToDoubleOdds <= 0 {
				return nil, nodeErr(v, "points_to_double_odds must be > 0")
			}
		case "intercept":
			if isNull(v) {
				continue
			}
			b, err := scalarFloat(v, k.Value)
			if err != nil {
				return nil, err
			}
			m.Intercept = &b
		case "half_life_days":
			if isNull(v) {
				continue
			}
			if m.HalfLifeDays, err = scalarFloat(v, k.Value); err != nil {
				return nil, err
			}
			if m.HalfLifeDays < 0 {
				return nil, nodeErr(v, "half_life_days must be ≥ 0 (0 = no decay)")
			}
		case "observe_days":
			if m.ObserveDays, err = scalarFloat(v, k.Value); err != nil {
				return nil, err
			}
			if m.ObserveDays <= 0 || m.ObserveDays > maxObserveDays {
				return nil, nodeErr(v, "observe_days must be > 0 and at most %d (100 years), not %s", maxObserveDays, shortScalar(v.Value))
			}
		case "landmarks":
			if m.Landmarks, err = parseLandmarks(v); err != nil {
				return nil, err
			}
		case "threshold":
			if m.Threshold, err = scalarInt(v, k.Value); err != nil {
				return nil, err
			}
			haveThreshold = true
		case "actions":
			if m.Actions, err = parseActions(v); err != nil {
				return nil, err
			}
		case "channels":
			if m.Channels, err = parsePointsMap(v, "channels"); err != nil {
				return nil, err
			}
		case "attributes":
			pairs, err := mappingPairs(v, "attributes")
			if err != nil {
				return nil, err
			}
			m.Attributes = map[string]map[string]int{}
			for _, cv := range pairs {
				col := cv[0].Value
				if col == "" || strings.Contains(col, "=") {
					return nil, nodeErr(cv[0], "attributes: column name %q must be non-empty without '='", col)
				}
				if m.Attributes[col], err = parsePointsMap(cv[1], "attributes: "+col); err != nil {
					return nil, err
				}
			}
		case "baselines":
			pairs, err := mappingPairs(v, "baselines")
			if err != nil {
				return nil, err
			}
			m.Baselines = map[string]string{}
			for _, bv := range pairs {
				if m.Baselines[bv[0].Value], err = scalarString(bv[1], "baselines: "+bv[0].Value); err != nil {
					return nil, err
				}
			}
		case "features":
			pairs, err := mappingPairs(v, "features")
			if err != nil {
				return nil, err
			}
			m.Features = map[string]string{}
			for _, fv := range pairs {
				t, err := scalarString(fv[1], "features: "+fv[0].Value)
				if err != nil {
					return nil, err
				}
				if t != transformCountName && t != transformLog1pName && t != transformYesNoName {
					return nil, nodeErr(fv[1], "features: %s: transform %q: use count, log1p or yesno", fv[0].Value, t)
				}
				m.Features[fv[0].Value] = t
			}
		default:
			return nil, nodeErr(k, "unknown key %q (known: version, target, points_to_double_odds, intercept, half_life_days, observe_days, landmarks, threshold, actions, channels, attributes, baselines, features)", k.Value)
		}
	}
	if !haveVersion {
		return nil, nodeErr(doc.Content[0], "version is missing (add version: 1)")
	}
	if !haveThreshold {
		return nil, nodeErr(doc.Content[0], "threshold is missing (MQL when score >= threshold)")
	}
	for _, kv := range top {
		if kv[0].Value != "features" {
			continue
		}
		pairs, _ := mappingPairs(kv[1], "features")
		for _, fv := range pairs {
			if _, ok := m.Actions[fv[0].Value]; !ok {
				return nil, nodeErr(fv[0], "features: %s is not among the actions", fv[0].Value)
			}
		}
	}
	return m, nil
}

// parseActions reads `name: {points: P, cap: C}` or the short `name: P`.
func parseActions(n *yaml.Node) (map[string]ActionPoints, error) {
	pairs, err := mappingPairs(n, "actions")
	if err != nil {
		return nil, err
	}
	out := make(map[string]ActionPoints, len(pairs))
	for _, kv := range pairs {
		name, v := kv[0].Value, kv[1]
		if name == "" {
			return nil, nodeErr(kv[0], "actions: empty action name")
		}
		what := "actions: " + name
		if v.Kind == yaml.ScalarNode {
			p, err := scalarInt(v, what)
			if err != nil {
				return nil, err
			}
			out[name] = ActionPoints{Points: p}
			continue
		}
		fields, err := mappingPairs(v, what)
		if err != nil {
			return nil, err
		}
		var ap ActionPoints
		havePoints := false
		for _, f := range fields {
			switch f[0].Value {
			case "points":
				if ap.Points, err = scalarInt(f[1], what+": points"); err != nil {
					return nil, err
				}
				havePoints = true
			case "cap":
				if ap.Cap, err = scalarFloat(f[1], what+": cap"); err != nil {
					return nil, err
				}
				if ap.Cap < 0 {
					return nil, nodeErr(f[1], "%s: cap %v is negative (0 = no cap)", what, ap.Cap)
				}
			default:
				return nil, nodeErr(f[0], "%s: unknown key %q (known: points, cap)", what, f[0].Value)
			}
		}
		if !havePoints {
			return nil, nodeErr(v, "%s: points is missing", what)
		}
		out[name] = ap
	}
	return out, nil
}

// parsePointsMap reads `name: points` pairs.
func parsePointsMap(n *yaml.Node, what string) (map[string]int, error) {
	pairs, err := mappingPairs(n, what)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(pairs))
	for _, kv := range pairs {
		if kv[0].Value == "" {
			return nil, nodeErr(kv[0], "%s: empty name", what)
		}
		if out[kv[0].Value], err = scalarInt(kv[1], what+": "+kv[0].Value); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WriteYAML writes the model as model.yaml: keys in the fixed order of the
// format, names sorted, one line per feature (actions as flow mappings), and
// Comments as end-of-line comments, so two versions diff line by line. It
// validates the model first.
func (m *Model) WriteYAML(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	num := func(v float64) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(v, 'g', -1, 64)}
	}
	integer := func(v int) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
	}
	mapping := func(flow bool) *yaml.Node {
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if flow {
			n.Style = yaml.FlowStyle
		}
		return n
	}
	add := func(mp *yaml.Node, key string, v *yaml.Node, comment string) {
		k := str(key)
		// A comment is one line: line breaks would end it and start YAML.
		comment = strings.Join(strings.Fields(comment), " ")
		v.LineComment = comment
		if v.Kind == yaml.MappingNode && v.Style != yaml.FlowStyle {
			k.LineComment, v.LineComment = comment, ""
		}
		mp.Content = append(mp.Content, k, v)
	}
	root := mapping(false)
	add(root, "version", integer(m.Version), "")
	root.Content[0].HeadComment = "funnel scoring model: a lead's score is the sum of the points of its features;\n" +
		"it is an MQL when the score is at least the threshold."
	add(root, "target", str(m.Target), "")
	add(root, "points_to_double_odds", num(m.PointsToDoubleOdds), "")
	if m.Intercept != nil {
		add(root, "intercept", num(*m.Intercept), "log-odds of the target at score 0")
	}
	if m.HalfLifeDays > 0 {
		add(root, "half_life_days", num(m.HalfLifeDays), "")
	}
	add(root, "observe_days", num(m.ObserveDays), "")
	if len(m.Landmarks) > 0 {
		lms := mapping(false)
		for _, lm := range m.Landmarks {
			lms.Content = append(lms.Content, num(lm.Days), num(lm.Intercept))
		}
		add(root, "landmarks", lms, "lead age in days: intercept from that age on")
	}
	add(root, "threshold", integer(m.Threshold), "MQL when score >= threshold")
	if len(m.Actions) > 0 {
		acts := mapping(false)
		for _, a := range sortedKeys(m.Actions) {
			ap := m.Actions[a]
			v := mapping(true)
			add(v, "points", integer(ap.Points), "")
			if ap.Cap > 0 {
				add(v, "cap", num(ap.Cap), "")
			}
			add(acts, a, v, m.Comments["action:"+a])
		}
		add(root, "actions", acts, "")
	}
	if len(m.Channels) > 0 {
		ch := mapping(false)
		for _, c := range sortedKeys(m.Channels) {
			add(ch, c, integer(m.Channels[c]), m.Comments["channel:"+c])
		}
		add(root, "channels", ch, "")
	}
	if len(m.Attributes) > 0 {
		attrs := mapping(false)
		for _, col := range sortedKeys(m.Attributes) {
			vals := mapping(false)
			for _, v := range sortedKeys(m.Attributes[col]) {
				add(vals, v, integer(m.Attributes[col][v]), m.Comments["attr:"+col+"="+v])
			}
			if len(vals.Content) > 0 {
				add(attrs, col, vals, "")
			}
		}
		if len(attrs.Content) > 0 {
			add(root, "attributes", attrs, "")
		}
	}
	if len(m.Baselines) > 0 {
		bs := mapping(false)
		for _, g := range sortedKeys(m.Baselines) {
			add(bs, g, str(m.Baselines[g]), "")
		}
		add(root, "baselines", bs, "reference level of each group (0 points); a level not listed here or above was never seen in fitting and scores as its baseline")
	}
	if len(m.Features) > 0 {
		fs := mapping(false)
		for _, a := range sortedKeys(m.Features) {
			add(fs, a, str(m.Features[a]), "")
		}
		add(root, "features", fs, "count | log1p | yesno")
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// parseLandmarks reads "landmarks: {1: -3.2, 7: -2.9}": lead ages in days,
// ascending, each with the intercept used from that age on.
func parseLandmarks(n *yaml.Node) ([]ModelLandmark, error) {
	pairs, err := mappingPairs(n, "landmarks")
	if err != nil {
		return nil, err
	}
	var out []ModelLandmark
	for _, kv := range pairs {
		days, err := scalarFloat(kv[0], "landmarks")
		if err != nil {
			return nil, err
		}
		if !(days >= 0) || math.IsInf(days, 0) {
			return nil, nodeErr(kv[0], "landmarks: age %v must be a number of days ≥ 0", kv[0].Value)
		}
		if len(out) > 0 && days <= out[len(out)-1].Days {
			return nil, nodeErr(kv[0], "landmarks: ages must be ascending (%g after %g)", days, out[len(out)-1].Days)
		}
		icpt, err := scalarFloat(kv[1], "landmarks: "+kv[0].Value)
		if err != nil {
			return nil, err
		}
		if math.IsInf(icpt, 0) || math.IsNaN(icpt) {
			return nil, nodeErr(kv[1], "landmarks: %s: intercept must be a finite number", kv[0].Value)
		}
		out = append(out, ModelLandmark{Days: days, Intercept: icpt})
	}
	return out, nil
}
