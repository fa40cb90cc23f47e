package calibrate

import (
	"fmt"
	"math"
	"strings"
)

// NumericPoints are the points of one numeric feature of a model: a
// numeric profile attribute (keyed by its column in Model.Numeric) or the
// sum of an action's event values before the scoring moment (keyed
// "value:<action>"). Either Bins are set (a scorecard's coarse classes) or
// the feature is linear: Points per Per units of the number.
//
//	numeric:
//	  minutes_on_site:          # bins: below is the bin's upper bound (excluded)
//	    missing: -4             # a lead without a value
//	    bins:
//	      - {below: 5, points: -9}
//	      - {below: 60, points: 0}
//	      - {points: 12}        # the last bin has no bound
//	  value:webinar: {points: 35, per: 100, missing: 0}   # 35 points per 100 units
type NumericPoints struct {
	// Bins are the bins in ascending order; nil for a linear feature.
	Bins []NumericBin
	// Points per Per units of the value, for a linear feature (Per > 0).
	Points int
	Per    float64
	// Missing are the points of a lead without a value (a missing or
	// non-numeric attribute, an action whose events carry no value); 0, the
	// baseline, when the model gives none.
	Missing int
}

// NumericBin is one bin of a numeric feature: the values below Below (and
// not below the previous bin's) get Points. The last bin's Below is +Inf.
type NumericBin struct {
	Below  float64
	Points int
}

// Linear reports whether the feature enters as a number (no bins).
func (n NumericPoints) Linear() bool { return len(n.Bins) == 0 }

// numericFeature is the feature name of a Model.Numeric key: "attr:<column>"
// for an attribute, the key itself for "value:<action>".
func numericFeature(key string) string {
	if strings.HasPrefix(key, valuePrefix) {
		return key
	}
	return "attr:" + key
}

// edges returns the bins' cut points (every Below but the last).
func (n NumericPoints) edges() []float64 {
	out := make([]float64, 0, len(n.Bins))
	for _, b := range n.Bins[:len(n.Bins)-1] {
		out = append(out, b.Below)
	}
	return out
}

// reason returns the contribution of value x (ok false: missing) of the
// feature named feature: the missing points, the points of x's bin (named
// like calibrate names bins, "attr:minutes=[5,60)"), or Points·x/Per.
func (n NumericPoints) reason(feature string, x float64, ok bool) Reason {
	if !ok || math.IsNaN(x) {
		return Reason{Feature: feature + "=" + missingBin, Value: 1, Points: float64(n.Missing)}
	}
	if n.Linear() {
		return Reason{Feature: feature, Value: x, Points: float64(n.Points) * x / n.Per}
	}
	edges := n.edges()
	k := binOf(edges, x)
	return Reason{Feature: binFeature(feature, edges, k), Value: 1, Points: float64(n.Bins[k].Points)}
}

// validate checks the bins ascend and end with +Inf, Per is positive and
// points are in range.
func (n NumericPoints) validate(key string) error {
	what := "numeric: " + key
	if key == "" || key == valuePrefix || strings.Contains(key, "=") {
		return fmt.Errorf("numeric: name %q must be a column without '=' or value:<action>", key)
	}
	inRange := func(p int) bool { return p >= -maxPoints && p <= maxPoints }
	if !inRange(n.Missing) {
		return fmt.Errorf("%s: missing points %d out of range ±%d", what, n.Missing, maxPoints)
	}
	if n.Linear() {
		if !(n.Per > 0) || math.IsInf(n.Per, 0) {
			return fmt.Errorf("%s: per %v must be a number > 0", what, n.Per)
		}
		if !inRange(n.Points) {
			return fmt.Errorf("%s: points %d out of range ±%d", what, n.Points, maxPoints)
		}
		return nil
	}
	for k, b := range n.Bins {
		last := k == len(n.Bins)-1
		switch {
		case last && !math.IsInf(b.Below, 1):
			return fmt.Errorf("%s: the last bin must have no bound (below is %v)", what, b.Below)
		case !last && (math.IsNaN(b.Below) || math.IsInf(b.Below, 0)):
			return fmt.Errorf("%s: bin %d: below %v must be a finite number", what, k+1, b.Below)
		case k > 0 && !(b.Below > n.Bins[k-1].Below):
			return fmt.Errorf("%s: bin %d: bounds must ascend (%v after %v)", what, k+1, b.Below, n.Bins[k-1].Below)
		case !inRange(b.Points):
			return fmt.Errorf("%s: bin %d: points %d out of range ±%d", what, k+1, b.Points, maxPoints)
		}
	}
	return nil
}

// linearPoints turns a linear feature's logit coefficient into integer
// points per a power-of-ten unit: the smallest per = 10^k for which
// |coef·pdo/ln 2·per| ≥ 100 (so rounding changes the slope by at most
// 0.5%), and points = round(coef·pdo/ln 2·per). A zero coefficient is 0
// points per 1.
func linearPoints(coef, pdo float64) (points int, per float64) {
	perUnit := coef * pdoOrDefault(pdo) / math.Ln2
	if perUnit == 0 || math.IsNaN(perUnit) || math.IsInf(perUnit, 0) {
		return 0, 1
	}
	k := math.Ceil(math.Log10(100 / math.Abs(perUnit)))
	per = math.Pow(10, k)
	if math.Abs(math.Round(perUnit*per)) < 100 { // Log10 rounding
		per *= 10
	}
	return int(math.Round(perUnit * per)), per
}

// numericFeatures returns the feature names of m.Numeric, sorted by key.
func (m *Model) numericFeatures() []string {
	var out []string
	for _, key := range sortedKeys(m.Numeric) {
		out = append(out, numericFeature(key))
	}
	return out
}
