package calibrate

import (
	"fmt"
	"math"
	"sort"
)

// TradeoffPoint is what one threshold gives: leads with score ≥ Points are MQLs.
type TradeoffPoint struct {
	// Points is the threshold in points.
	Points int
	// Probability is the observed target rate among the leads whose score is
	// exactly Points (the empirical counterpart of the fitted probability at
	// the threshold; ScoreTable.Probability gives the fitted one).
	Probability float64
	// MQLsPerMonth is the weight of leads with score ≥ Points divided by the months.
	MQLsPerMonth float64
	// Precision is the target rate among those MQLs, in [0,1].
	Precision float64
	// Recall is the share of all targets that they include, in [0,1].
	Recall float64
	// ExpectedValue is per month: (targets captured · value − MQLs · cost) / months.
	ExpectedValue float64
}

// TradeoffCurve returns, for each distinct score (increasing), what making
// every lead with a score at or above it an MQL would have given: MQLs per
// month, precision, recall and expected value per month, with leads weighted
// by w (nil = 1), outcomes y (0/1), over a period of months (≤ 0 means the
// figures are totals, as if months were 1). value is what one target reached
// is worth (e.g. the average deal) and cost what one MQL handed to sales costs.
// Nil when the lengths differ or there are no rows.
func TradeoffCurve(scores []int, y, w []float64, months float64, value, cost float64) []TradeoffPoint {
	if len(scores) == 0 || len(scores) != len(y) || (w != nil && len(w) != len(y)) {
		return nil
	}
	if !(months > 0) {
		months = 1
	}
	type agg struct {
		score  int
		n, pos float64
	}
	by := map[int]*agg{}
	totalPos := 0.0
	for i, s := range scores {
		a := by[s]
		if a == nil {
			a = &agg{score: s}
			by[s] = a
		}
		wi := weightAt(w, i)
		a.n += wi
		a.pos += wi * y[i]
		totalPos += wi * y[i]
	}
	list := make([]*agg, 0, len(by))
	for _, a := range by {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].score < list[j].score })
	out := make([]TradeoffPoint, len(list))
	n, pos := 0.0, 0.0
	for k := len(list) - 1; k >= 0; k-- {
		a := list[k]
		n += a.n
		pos += a.pos
		pt := TradeoffPoint{
			Points:        a.score,
			MQLsPerMonth:  n / months,
			ExpectedValue: (pos*value - n*cost) / months,
		}
		if a.n > 0 {
			pt.Probability = a.pos / a.n
		}
		if n > 0 {
			pt.Precision = pos / n
		}
		if totalPos > 0 {
			pt.Recall = pos / totalPos
		}
		out[k] = pt
	}
	return out
}

// ThresholdRule says how ChooseThreshold picks a threshold from a trade-off curve.
type ThresholdRule struct {
	// Capacity is the MQLs per month sales can handle; > 0 picks the lowest
	// threshold whose MQLsPerMonth ≤ Capacity (the most leads sales can take).
	Capacity float64
	// Precision is a target MQL→target rate in (0,1]; > 0 picks the lowest
	// threshold whose Precision ≥ it (the most targets at that rate). With
	// Capacity also set, the lowest threshold meeting both.
	Precision float64
	// Value and Cost, used when Capacity and Precision are 0, pick the
	// threshold with the highest expected value per month,
	// Precision·MQLsPerMonth·Value − MQLsPerMonth·Cost (ties: the higher
	// threshold, fewer MQLs for the same value). When Value and Cost are both
	// 0 as well, there is no money to weigh, and the threshold with the
	// highest F1 = 2·Precision·Recall/(Precision+Recall) is chosen instead.
	Value, Cost float64
	// Volume, used when Capacity and Precision are 0, picks the threshold
	// whose MQLs per month are closest to it (ties: the higher threshold):
	// today's MQL volume, so the proposed score changes who is handed to
	// sales, not how many.
	Volume float64
}

// Name returns how the rule picks: "capacity", "precision",
// "expected_value" or "f1" (see ThresholdRule).
func (r ThresholdRule) Name() string {
	switch {
	case r.Capacity > 0:
		return "capacity"
	case r.Precision > 0:
		return "precision"
	case r.Volume > 0:
		return "today_volume"
	case r.Value != 0 || r.Cost != 0:
		return "expected_value"
	}
	return "f1"
}

// ChooseThreshold picks a point of a trade-off curve (as from TradeoffCurve,
// any order) by the rule. Errors: ErrEmptyData for an empty curve,
// ErrNoThreshold when no threshold meets the capacity or precision, and a
// plain error for a negative capacity or a precision above 1.
func ChooseThreshold(curve []TradeoffPoint, r ThresholdRule) (TradeoffPoint, error) {
	if len(curve) == 0 {
		return TradeoffPoint{}, fmt.Errorf("choose threshold: %w", ErrEmptyData)
	}
	if r.Capacity < 0 || math.IsNaN(r.Capacity) {
		return TradeoffPoint{}, fmt.Errorf("choose threshold: capacity %v is negative", r.Capacity)
	}
	if r.Precision < 0 || r.Precision > 1 || math.IsNaN(r.Precision) {
		return TradeoffPoint{}, fmt.Errorf("choose threshold: precision %v is not in [0,1]", r.Precision)
	}
	sorted := append([]TradeoffPoint(nil), curve...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Points < sorted[j].Points })
	if r.Capacity > 0 || r.Precision > 0 {
		for _, pt := range sorted {
			if (r.Capacity == 0 || pt.MQLsPerMonth <= r.Capacity) && (r.Precision == 0 || pt.Precision >= r.Precision) {
				return pt, nil
			}
		}
		top := sorted[len(sorted)-1]
		bestPrec := 0.0
		for _, pt := range sorted {
			bestPrec = max(bestPrec, pt.Precision)
		}
		return TradeoffPoint{}, fmt.Errorf("choose threshold: %w: capacity %g MQLs/month, precision %g; the highest threshold (%d points) gives %.1f MQLs/month and the best precision is %.3f",
			ErrNoThreshold, r.Capacity, r.Precision, top.Points, top.MQLsPerMonth, bestPrec)
	}
	score := func(pt TradeoffPoint) float64 {
		if r.Volume > 0 {
			return -math.Abs(pt.MQLsPerMonth - r.Volume)
		}
		if r.Value != 0 || r.Cost != 0 {
			return pt.Precision*pt.MQLsPerMonth*r.Value - pt.MQLsPerMonth*r.Cost
		}
		if pt.Precision+pt.Recall == 0 {
			return 0
		}
		return 2 * pt.Precision * pt.Recall / (pt.Precision + pt.Recall)
	}
	best := sorted[0]
	for _, pt := range sorted[1:] {
		if score(pt) >= score(best) {
			best = pt
		}
	}
	return best, nil
}
