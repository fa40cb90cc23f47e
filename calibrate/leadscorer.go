package calibrate

import (
	"math"
	"slices"
	"strings"
)

// leadScorer scores leads straight from the columns of Leads and
// ActionValues: the one path by which calibrate (threshold, backtest) and
// funnel score turn a lead into points. It gives exactly what Model.Score
// gives for the same lead's FeatureRow (a test checks both agree on every
// lead; both rank and sum through rankedTotal), without building a map and
// the feature names per lead: names, points, caps and transforms are looked
// up once.
type leadScorer struct {
	actions []scorerAction
	// rowOf maps a row of Leads to its row of the action values (nil: the
	// same row).
	rowOf []int32
	// channel is Leads.Channel; chans[c] the model's entry for channel
	// index c of Leads.Channels.
	channel []int32
	chans   []scorerLevel
	attrs   []scorerAttr
	numeric []scorerNumeric
}

// scorerNumeric is one numeric feature of the model.
type scorerNumeric struct {
	name string // "attr:<column>" or "value:<action>"
	np   NumericPoints
	vals []float64 // Leads.Numbers values of the feature; nil: all missing
}

// scorerAction is one model action the data has.
type scorerAction struct {
	name      string                           // "action:<name>"
	pts       int                              // points per unit of the transformed value
	transform func(cap, count float64) float64 // TransformValue of m.Features[name]
	cap       float64                          // m.Actions[name].Cap
	vals      []float64                        // the lead values at the model's half-life, by lead
}

// scorerLevel is the model's points for one channel or attribute value.
type scorerLevel struct {
	name string // "channel:<c>" or "attr:<col>=<v>"
	pts  int
	ok   bool // the model has an entry for this level
	// unseen is true for a level the model never saw: it has no entry, is
	// not the group's baseline, and the model records that baseline (a
	// calibrated model knows every level it was fitted on; a hand-written
	// one lists only the levels it gives points).
	unseen bool
}

// scorerAttr is one model attribute column the data has.
type scorerAttr struct {
	values []string               // Leads.AttrValues of the column
	levels map[string]scorerLevel // by level name (levelName)
	// baseline is the model's baseline level of the column ("" when the
	// model does not record one: then no value counts as unseen).
	baseline string
}

// newLeadScorer prepares scoring l and av with m; rowOf maps a row of l to
// its row of av (nil: the same row).
func newLeadScorer(m *Model, l *Leads, av *ActionValues, rowOf []int32) *leadScorer {
	s := &leadScorer{rowOf: rowOf, channel: l.Channel, chans: make([]scorerLevel, len(l.Channels))}
	for j, name := range av.Actions {
		ap, ok := m.Actions[name]
		if !ok {
			continue
		}
		vals := av.values(j, m.HalfLifeDays)
		if vals == nil {
			vals = av.Counts[j]
		}
		s.actions = append(s.actions, scorerAction{name: "action:" + name, pts: ap.Points,
			transform: transformOf(m.Features[name]), cap: ap.Cap, vals: vals})
	}
	chanBase, chanKnown := m.Baselines[BaselineChannel]
	for c, raw := range l.Channels {
		name := levelName(false, raw)
		pts, ok := m.Channels[name]
		s.chans[c] = scorerLevel{name: "channel:" + name, pts: pts, ok: ok, unseen: chanKnown && !ok && name != chanBase}
	}
	for k, col := range l.Attributes {
		vals, ok := m.Attributes[col]
		base := m.Baselines[col]
		if !ok && base == "" {
			continue
		}
		a := scorerAttr{values: l.AttrValues[k], levels: make(map[string]scorerLevel, len(vals)), baseline: base}
		for v, pts := range vals {
			a.levels[v] = scorerLevel{name: "attr:" + col + "=" + v, pts: pts, ok: true}
		}
		s.attrs = append(s.attrs, a)
	}
	for _, key := range sortedKeys(m.Numeric) {
		n := scorerNumeric{name: numericFeature(key), np: m.Numeric[key]}
		for _, in := range l.Numbers {
			if in.Name == n.name {
				n.vals = in.Values
			}
		}
		s.numeric = append(s.numeric, n)
	}
	return s
}

// score returns lead i's score and reasons, as Model.Score does.
func (s *leadScorer) score(i int) (int, []Reason) {
	return s.scoreAppend(make([]Reason, 0, s.maxReasons()), i)
}

// maxReasons is the most reasons a lead can have: room for every feature
// at once, so the reasons never grow (growing from nothing took four or
// five allocations per lead, about a third of the scoring time at 5M).
func (s *leadScorer) maxReasons() int {
	return len(s.actions) + 1 + len(s.attrs) + len(s.numeric)
}

// scoreAppend is score with the reasons appended to reasons[:0], whose
// capacity must hold maxReasons: the caller hands out slices of a larger
// block instead of one allocation per lead.
func (s *leadScorer) scoreAppend(reasons []Reason, i int) (int, []Reason) {
	reasons = reasons[:0]
	r := row(s.rowOf, i)
	for _, a := range s.actions {
		if c := a.vals[r]; c != 0 {
			reasons = addReason(reasons, a.name, a.pts, a.transform(a.cap, c))
		}
	}
	if ch := s.chans[s.channel[i]]; ch.ok {
		reasons = addReason(reasons, ch.name, ch.pts, 1)
	}
	for _, a := range s.attrs {
		if lv, ok := a.levels[levelName(true, a.values[i])]; ok {
			reasons = addReason(reasons, lv.name, lv.pts, 1)
		}
	}
	for _, n := range s.numeric {
		x := math.NaN()
		if n.vals != nil {
			x = n.vals[i]
		}
		if r := n.np.reason(n.name, x, !math.IsNaN(x)); r.Points != 0 && r.Value != 0 {
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		reasons = nil // as Model.Score gives for a lead without reasons
	}
	return rankedTotal(reasons)
}

// addReason appends a feature's contribution, pts × value, when neither is 0.
func addReason(reasons []Reason, name string, pts int, value float64) []Reason {
	if value != 0 && pts != 0 {
		reasons = append(reasons, Reason{Feature: name, Value: value, Points: float64(pts) * value})
	}
	return reasons
}

// rankedTotal orders contributions by size, largest |Points| first, then by
// name (names are distinct, so the order is total and any sort gives it),
// and returns their sum in that order rounded to the nearest integer: the
// score. Model.Score and leadScorer both end here, so they cannot disagree
// on rounding or order.
func rankedTotal(reasons []Reason) (int, []Reason) {
	slices.SortFunc(reasons, func(a, b Reason) int {
		if pa, pb := math.Abs(a.Points), math.Abs(b.Points); pa != pb {
			if pa > pb {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Feature, b.Feature)
	})
	total := 0.0
	for _, r := range reasons {
		total += r.Points
	}
	return int(math.Round(total)), reasons
}

// unseen returns how many of lead i's channel and attribute levels the
// model never saw (see scorerLevel.unseen): they score as the baseline.
func (s *leadScorer) unseen(i int) int {
	n := 0
	if s.chans[s.channel[i]].unseen {
		n++
	}
	for _, a := range s.attrs {
		if a.baseline == "" {
			continue
		}
		v := levelName(true, a.values[i])
		if _, ok := a.levels[v]; !ok && v != a.baseline {
			n++
		}
	}
	return n
}
