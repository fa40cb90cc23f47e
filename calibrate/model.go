package calibrate

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Model is a lead-scoring model, the content of a model.yaml file: points per
// action, channel and profile attribute value, an optional decay, and the MQL
// threshold. Calibration writes one; teams also write one by hand to describe
// the rules they use today. A lead's score is the sum of its features' points
// (Score); it is an MQL when the score is at least Threshold.
//
//	version: 1
//	target: won
//	points_to_double_odds: 10
//	intercept: -3.2            # optional; needed for probabilities
//	half_life_days: 14         # optional decay; 0/absent = no decay
//	observe_days: 30
//	threshold: 25              # MQL when score >= threshold
//	actions:
//	  demo_request: {points: 12, cap: 3}
//	  ebook_download: 3        # short for {points: 3}
//	channels: {referral: 15, paid_search: -2}
//	attributes: {title: {student: -20}, email_type: {free: -8}}
//	baselines: {channel: email, title: manager}   # optional: each group's reference level
//	features: {page_view: log1p}   # optional transform per action: count|log1p|yesno
//	numeric:                       # optional: numeric attributes, value:<action> sums
//	  minutes_on_site: {missing: -4, bins: [{below: 5, points: -9}, {points: 6}]}
//	  value:webinar: {points: 35, per: 100}
type Model struct {
	// Version is the file format version; only 1 exists.
	Version int
	// Target is what the score predicts: "won" or "sql". Default "won".
	Target string
	// PointsToDoubleOdds is the scorecard scale (points that double the odds
	// of the target); default DefaultPointsToDoubleOdds.
	PointsToDoubleOdds float64
	// Intercept is the log-odds of the target at score 0; nil when the model
	// does not say (a hand-written model), so Probability is unknown.
	Intercept *float64
	// HalfLifeDays decays each event by 0.5^(age/HalfLifeDays) at the
	// lead's cut-off before counting it; 0 means no decay.
	HalfLifeDays float64
	// ObserveDays is the observation window in days after lead creation
	// whose events count; default 30.
	ObserveDays float64
	// Threshold is the MQL threshold in points: MQL when score ≥ Threshold.
	Threshold int
	// Actions are the points per action, keyed by action name.
	Actions map[string]ActionPoints
	// Channels are the points for a lead from each channel, keyed by channel
	// name; channels not listed score 0.
	Channels map[string]int
	// Attributes are the points per profile attribute value, keyed by column
	// then value (e.g. title → student → −20); values not listed score 0.
	Attributes map[string]map[string]int
	// Features sets how an action's count enters the score, keyed by action
	// name: "count" (the default), "log1p" (ln(1+count)) or "yesno" (1 if
	// the lead did it at all).
	Features map[string]string
	// Baselines name the reference level of each one-hot group the model
	// was fitted with, keyed by BaselineChannel or the attribute column. A
	// level of such a group that the model neither lists nor has as
	// baseline was never seen in fitting: it scores 0, like the baseline,
	// and funnel score counts it. nil for a hand-written model, whose
	// unlisted levels simply score 0.
	Baselines map[string]string
	// Numeric are the points of numeric features, keyed by attribute column
	// or "value:<action>" (the sum of the action's event values before the
	// scoring moment); see NumericPoints. A column is either here or in
	// Attributes.
	Numeric map[string]NumericPoints
	// Landmarks are the lead ages of a pooled landmark fit with each one's
	// intercept, ascending; nil for a model without (a hand-written one, or
	// one fit at a single landmark), which uses Intercept at every age.
	Landmarks []ModelLandmark
	// Comments are written as end-of-line comments after each feature by
	// WriteYAML (e.g. the fitted weight and its confidence interval), keyed
	// by feature name ("action:demo_request"). ParseModel does not read them.
	Comments map[string]string
}

// ModelLandmark is one landmark of a model: from age Days on (until the
// next landmark), a lead's probability uses Intercept.
type ModelLandmark struct {
	// Days is the lead age in days.
	Days float64
	// Intercept is the log-odds of the target at score 0 at that age.
	Intercept float64
}

// ActionPoints are an action's points and cap.
type ActionPoints struct {
	// Points are added per unit of the action's feature value (per capped
	// count, per ln(1+count), or once for yes/no).
	Points int
	// Cap limits the count before the transform; 0 means no cap.
	Cap float64
}

// BaselineChannel is the key of the channel group in Model.Baselines
// (attribute groups are keyed by their column).
const BaselineChannel = "channel"

// Action feature transforms (Model.Features values).
const (
	transformCountName = "count"
	transformLog1pName = "log1p"
	transformYesNoName = "yesno"
)

// maxPoints bounds any points value or threshold in a model file.
const maxPoints = 1_000_000

// TransformValue turns an action's (decayed) count into its feature value:
// the count is capped at cap when cap > 0, then transformed: "count" or ""
// → the capped count, "log1p" → ln(1 + capped count), "yesno" → 1 if the
// count is > 0 else 0. An unknown transform gives NaN.
func TransformValue(transform string, cap, count float64) float64 {
	return transformOf(transform)(cap, count)
}

// transformOf returns TransformValue for one transform, resolved once for
// a caller that transforms many counts (the scorer: every lead × action).
func transformOf(transform string) func(cap, count float64) float64 {
	capped := func(cap, x float64) float64 {
		if cap > 0 && x > cap {
			return cap
		}
		return x
	}
	switch transform {
	case "", transformCountName:
		return capped
	case transformLog1pName:
		return func(cap, x float64) float64 { return math.Log1p(capped(cap, x)) }
	case transformYesNoName:
		return func(cap, x float64) float64 {
			if capped(cap, x) > 0 {
				return 1
			}
			return 0
		}
	}
	return func(float64, float64) float64 { return math.NaN() }
}

// ActionFeature returns the feature value of an action for a lead that did
// it count times (decayed count when the model decays): TransformValue with
// the action's cap and transform.
func (m *Model) ActionFeature(action string, count float64) float64 {
	return TransformValue(m.Features[action], m.Actions[action].Cap, count)
}

// FeatureNames returns the model's features in a fixed order: actions
// ("action:<name>"), then channels ("channel:<name>"), then attributes
// ("attr:<column>=<value>"), then numeric features ("attr:<column>" or
// "value:<action>"), each sorted by name.
func (m *Model) FeatureNames() []string {
	var out []string
	for _, a := range sortedKeys(m.Actions) {
		out = append(out, "action:"+a)
	}
	for _, c := range sortedKeys(m.Channels) {
		out = append(out, "channel:"+c)
	}
	for _, col := range sortedKeys(m.Attributes) {
		for _, v := range sortedKeys(m.Attributes[col]) {
			out = append(out, "attr:"+col+"="+v)
		}
	}
	for _, key := range sortedKeys(m.Numeric) {
		out = append(out, numericFeature(key))
	}
	return out
}

// sortedKeys returns the keys of a string-keyed map in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CheckFeatures reports the model's features that are not among known (the
// feature names the data has, as FeatureNames spells them), as an error
// wrapping ErrUnknownFeature that lists them all; nil when every one is known.
func (m *Model) CheckFeatures(known []string) error {
	have := make(map[string]bool, len(known))
	for _, k := range known {
		have[k] = true
	}
	var missing []string
	for _, f := range m.FeatureNames() {
		if !have[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%w: the model names %d feature(s) the data does not have: %s",
		ErrUnknownFeature, len(missing), strings.Join(missing, ", "))
}

// FeatureRow is one lead's feature values keyed by feature name, as
// FeatureNames spells them: "action:<name>" → the (decayed) count of the
// action before the lead's cut-off, before cap and transform (Score applies
// them); "channel:<name>" → 1 for the lead's channel; "attr:<column>=<value>"
// → 1 for the lead's attribute values; a numeric feature ("attr:<column>"
// or "value:<action>" of Model.Numeric) → its raw number. Missing keys are
// 0, except a numeric feature's, which is missing (its missing points);
// keys the model does not name are ignored.
type FeatureRow map[string]float64

// Reason is one feature's contribution to a lead's score.
type Reason struct {
	// Feature is the feature name, e.g. "action:demo_request".
	Feature string
	// Value is the feature value after cap and transform.
	Value float64
	// Points is the contribution, points × Value (not rounded).
	Points float64
}

// Score returns a lead's score, the sum over the model's features of points ×
// feature value rounded to the nearest integer, and the non-zero
// contributions ordered by their size (largest |Points| first, then by
// name), so reasons[:3] are the top reasons.
func (m *Model) Score(f FeatureRow) (points int, reasons []Reason) {
	for a, ap := range m.Actions {
		name := "action:" + a
		if c, ok := f[name]; ok {
			reasons = addReason(reasons, name, ap.Points, m.ActionFeature(a, c))
		}
	}
	for c, pts := range m.Channels {
		name := "channel:" + c
		reasons = addReason(reasons, name, pts, f[name])
	}
	for col, vals := range m.Attributes {
		for v, pts := range vals {
			name := "attr:" + col + "=" + v
			reasons = addReason(reasons, name, pts, f[name])
		}
	}
	for key, np := range m.Numeric {
		name := numericFeature(key)
		x, ok := f[name]
		if r := np.reason(name, x, ok); r.Points != 0 && r.Value != 0 {
			reasons = append(reasons, r)
		}
	}
	return rankedTotal(reasons)
}

// Probability returns the probability of the target at a score, from the
// intercept and the scale (see ScoreTable); ok is false when the model has
// no intercept.
func (m *Model) Probability(points int) (p float64, ok bool) {
	if m.Intercept == nil {
		return 0, false
	}
	return ScoreTable{Intercept: *m.Intercept, PDO: m.PointsToDoubleOdds}.Probability(points), true
}

// ProbabilityAt returns the probability of the target at a score for a lead
// of the given age in days: with the intercept of the largest landmark not
// past the age (the first landmark's for a younger lead), or Intercept when
// the model has no landmarks; ok is false when the model has no intercept.
func (m *Model) ProbabilityAt(points int, ageDays float64) (p float64, ok bool) {
	if len(m.Landmarks) == 0 {
		return m.Probability(points)
	}
	icpt := m.Landmarks[0].Intercept
	for _, lm := range m.Landmarks {
		if lm.Days <= ageDays {
			icpt = lm.Intercept
		}
	}
	return ScoreTable{Intercept: icpt, PDO: m.PointsToDoubleOdds}.Probability(points), true
}

// Validate checks the rules of the format: version 1, target "won" or "sql",
// a positive scale and observation window, a non-negative half-life, finite
// numbers, non-negative caps, points within ±1,000,000, known transforms for
// listed actions, and names that are non-empty (attribute columns without
// "="). Errors wrap ErrInvalidModel.
func (m *Model) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidModel, fmt.Sprintf(format, args...))
	}
	if m.Version != 1 {
		return bad("version %d is not supported (use 1)", m.Version)
	}
	if m.Target != "won" && m.Target != "sql" {
		return bad("target %q: use won or sql", m.Target)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !(m.PointsToDoubleOdds > 0) || !finite(m.PointsToDoubleOdds) {
		return bad("points_to_double_odds %v must be a number > 0", m.PointsToDoubleOdds)
	}
	if m.Intercept != nil && !finite(*m.Intercept) {
		return bad("intercept %v is not a finite number", *m.Intercept)
	}
	if !(m.HalfLifeDays >= 0) || !finite(m.HalfLifeDays) {
		return bad("half_life_days %v must be a number ≥ 0", m.HalfLifeDays)
	}
	if !(m.ObserveDays > 0) || !finite(m.ObserveDays) {
		return bad("observe_days %v must be a number > 0", m.ObserveDays)
	}
	if m.Threshold < -maxPoints || m.Threshold > maxPoints {
		return bad("threshold %d is out of range ±%d", m.Threshold, maxPoints)
	}
	pointsOK := func(what string, p int) error {
		if p < -maxPoints || p > maxPoints {
			return bad("%s: points %d out of range ±%d", what, p, maxPoints)
		}
		return nil
	}
	for a, ap := range m.Actions {
		if a == "" {
			return bad("actions: empty action name")
		}
		if !(ap.Cap >= 0) || !finite(ap.Cap) {
			return bad("actions: %s: cap %v must be a number ≥ 0", a, ap.Cap)
		}
		if err := pointsOK("actions: "+a, ap.Points); err != nil {
			return err
		}
	}
	for c, p := range m.Channels {
		if c == "" {
			return bad("channels: empty channel name")
		}
		if err := pointsOK("channels: "+c, p); err != nil {
			return err
		}
	}
	for col, vals := range m.Attributes {
		if col == "" || strings.Contains(col, "=") {
			return bad("attributes: column name %q must be non-empty without '='", col)
		}
		for v, p := range vals {
			if v == "" {
				return bad("attributes: %s: empty value", col)
			}
			if err := pointsOK("attributes: "+col+"="+v, p); err != nil {
				return err
			}
		}
	}
	for key, np := range m.Numeric {
		if err := np.validate(key); err != nil {
			return bad("%v", err)
		}
		if _, both := m.Attributes[key]; both {
			return bad("numeric: %s is also under attributes; a column is one or the other", key)
		}
	}
	for a, t := range m.Features {
		if _, ok := m.Actions[a]; !ok {
			return bad("features: %s is not among the actions", a)
		}
		if t != transformCountName && t != transformLog1pName && t != transformYesNoName {
			return bad("features: %s: transform %q: use count, log1p or yesno", a, t)
		}
	}
	return nil
}
