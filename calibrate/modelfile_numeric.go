package calibrate

import (
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// parseNumeric reads the numeric section of a model file (see
// NumericPoints): per feature either {points: P, per: U, missing: M} or
// {bins: [{below: B, points: P}, …, {points: P}], missing: M}. per
// defaults to 1 and missing to 0.
func parseNumeric(n *yaml.Node) (map[string]NumericPoints, error) {
	pairs, err := mappingPairs(n, "numeric")
	if err != nil {
		return nil, err
	}
	out := make(map[string]NumericPoints, len(pairs))
	for _, kv := range pairs {
		key := kv[0].Value
		what := "numeric: " + key
		fields, err := mappingPairs(kv[1], what)
		if err != nil {
			return nil, err
		}
		np := NumericPoints{Per: 1}
		var haveBins, havePoints, havePer bool
		for _, f := range fields {
			switch f[0].Value {
			case "bins":
				if np.Bins, err = parseBins(f[1], what); err != nil {
					return nil, err
				}
				haveBins = true
			case "points":
				if np.Points, err = scalarInt(f[1], what+": points"); err != nil {
					return nil, err
				}
				havePoints = true
			case "per":
				if np.Per, err = scalarFloat(f[1], what+": per"); err != nil {
					return nil, err
				}
				havePer = true
			case "missing":
				if np.Missing, err = scalarInt(f[1], what+": missing"); err != nil {
					return nil, err
				}
			default:
				return nil, nodeErr(f[0], "%s: unknown key %q (known: bins, points, per, missing)", what, f[0].Value)
			}
		}
		switch {
		case haveBins && (havePoints || havePer):
			return nil, nodeErr(kv[1], "%s: give either bins or points (per unit), not both", what)
		case !haveBins && !havePoints:
			return nil, nodeErr(kv[1], "%s: give bins, or points per unit", what)
		case haveBins:
			np.Per = 0
		}
		if err := np.validate(key); err != nil {
			return nil, nodeErr(kv[0], "%v", err)
		}
		out[key] = np
	}
	return out, nil
}

// parseBins reads a sequence of {below: B, points: P}; the last bin has no
// below (it holds every larger value), every other one needs it.
func parseBins(n *yaml.Node, what string) ([]NumericBin, error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, nodeErr(n, "%s: bins must be a list of {below: number, points: number}, the last without below", what)
	}
	var out []NumericBin
	for k, item := range n.Content {
		bw := what + ": bin " + strconv.Itoa(k+1)
		fields, err := mappingPairs(item, bw)
		if err != nil {
			return nil, err
		}
		b := NumericBin{Below: math.Inf(1)}
		var haveBelow, havePoints bool
		for _, f := range fields {
			switch f[0].Value {
			case "below":
				if b.Below, err = scalarFloat(f[1], bw+": below"); err != nil {
					return nil, err
				}
				haveBelow = true
			case "points":
				if b.Points, err = scalarInt(f[1], bw+": points"); err != nil {
					return nil, err
				}
				havePoints = true
			default:
				return nil, nodeErr(f[0], "%s: unknown key %q (known: below, points)", bw, f[0].Value)
			}
		}
		last := k == len(n.Content)-1
		switch {
		case !havePoints:
			return nil, nodeErr(item, "%s: points is missing", bw)
		case last && haveBelow:
			return nil, nodeErr(item, "%s: the last bin holds every larger value and has no below", bw)
		case !last && !haveBelow:
			return nil, nodeErr(item, "%s: below is missing (only the last bin has none)", bw)
		case k > 0 && !(b.Below > out[k-1].Below):
			return nil, nodeErr(item, "%s: below must be larger than the previous bin's", bw)
		}
		out = append(out, b)
	}
	return out, nil
}

// numericNode is the numeric section of WriteYAML: one entry per feature,
// linear ones as a flow mapping on one line, binned ones with one line per
// bin; comments keyed by the feature names of the bins and the missing
// value (Model.Comments).
func (m *Model) numericNode() *yaml.Node {
	scalar := func(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
	number := func(v float64) *yaml.Node { return scalar("", strconv.FormatFloat(v, 'g', -1, 64)) }
	integer := func(v int) *yaml.Node { return scalar("!!int", strconv.Itoa(v)) }
	pair := func(mp *yaml.Node, key string, v *yaml.Node, comment string) {
		v.LineComment = comment
		mp.Content = append(mp.Content, scalar("!!str", key), v)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, key := range sortedKeys(m.Numeric) {
		np, name := m.Numeric[key], numericFeature(key)
		missing := m.Comments[name+"="+missingBin]
		if np.Linear() {
			v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
			pair(v, "points", integer(np.Points), "")
			pair(v, "per", number(np.Per), "")
			pair(v, "missing", integer(np.Missing), "")
			comment := strconv.Itoa(np.Points) + " points per " + strconv.FormatFloat(np.Per, 'g', -1, 64) + " of " + key
			if c := m.Comments[name]; c != "" {
				comment += "; " + c
			}
			if missing != "" {
				comment += "; missing: " + missing
			}
			pair(root, key, v, comment)
			continue
		}
		v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		pair(v, "missing", integer(np.Missing), missing)
		bins := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		edges := np.edges()
		for k, b := range np.Bins {
			bn := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
			if k < len(edges) {
				pair(bn, "below", number(b.Below), "")
			}
			pair(bn, "points", integer(b.Points), "")
			comment := binFeature(key, edges, k)[len(key)+1:]
			if c := m.Comments[binFeature(name, edges, k)]; c != "" {
				comment += ": " + c
			} else if b.Points == 0 {
				comment += ": baseline"
			}
			bn.LineComment = comment
			bins.Content = append(bins.Content, bn)
		}
		pair(v, "bins", bins, "")
		kn := scalar("!!str", key)
		kn.LineComment = "bins: below is each bin's upper bound (excluded)"
		root.Content = append(root.Content, kn, v)
	}
	return root
}
