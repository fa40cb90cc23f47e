package gen

// CurrentRules are the points of the lead score the simulated marketing team
// says it uses today (set in a meeting, not from data), for backtests
// (current.yaml). It is not the truth: calibration should beat it. A lead's
// score is the sum of its channel's points, its attribute values' points and
// the points of every event it did, counted without decay or cap; it is an
// MQL once the score reaches Threshold. The generated stage history does not
// follow this score: MQL timing follows the outcome (see Generate), so that
// it carries no selection on the lead's actions.
type CurrentRules struct {
	// Actions are points per event, keyed by action name.
	Actions map[string]int
	// Channels are points by channel name.
	Channels map[string]int
	// Attributes are points keyed by attribute column, then value; values
	// not listed score 0.
	Attributes map[string]map[string]int
	// Threshold is the MQL threshold in points.
	Threshold int
}

// Current returns the scoring rules the simulated team says it uses.
func Current() CurrentRules {
	r := CurrentRules{
		Actions:    map[string]int{},
		Channels:   map[string]int{},
		Attributes: map[string]map[string]int{},
		Threshold:  mqlThreshold,
	}
	for _, a := range actionSpecs {
		r.Actions[a.name] = a.points
	}
	for _, c := range channelSpecs {
		if c.points != 0 {
			r.Channels[c.name] = c.points
		}
	}
	for _, a := range attrSpecs {
		for _, v := range a.values {
			if v.points == 0 {
				continue
			}
			if r.Attributes[a.column] == nil {
				r.Attributes[a.column] = map[string]int{}
			}
			r.Attributes[a.column][v.value] = v.points
		}
	}
	return r
}
