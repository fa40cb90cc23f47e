package calibrate

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// handNumericModel is a hand-written model with a binned attribute (with
// missing points), a binned one without, and a linear event value sum.
const handNumericModel = `version: 1
threshold: 10
channels: {referral: 4}
numeric:
  minutes:
    missing: -4
    bins:
      - {below: 5, points: -9}
      - {below: 60, points: 0}
      - {points: 12}
  balance:
    bins:
      - {below: 0, points: -6}
      - {points: 3}
  value:webinar: {points: 35, per: 100}
`

func TestNumericModelScore(t *testing.T) {
	m, err := ParseModel(strings.NewReader(handNumericModel))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]NumericPoints{
		"minutes":       {Missing: -4, Bins: []NumericBin{{5, -9}, {60, 0}, {math.Inf(1), 12}}},
		"balance":       {Bins: []NumericBin{{0, -6}, {math.Inf(1), 3}}},
		"value:webinar": {Points: 35, Per: 100},
	}
	if !reflect.DeepEqual(m.Numeric, want) {
		t.Fatalf("Numeric = %+v\nwant %+v", m.Numeric, want)
	}
	for _, tc := range []struct {
		name   string
		row    FeatureRow
		points int
		top    string // the largest reason's feature
	}{
		// minutes 75 → [60,inf) 12; balance −20 → −6; webinar 40 → 35·40/100 = 14;
		// referral 4: 12 − 6 + 14 + 4 = 24.
		{"every feature", FeatureRow{"channel:referral": 1, "attr:minutes": 75, "attr:balance": -20, "value:webinar": 40}, 24, "value:webinar"},
		// Bounds are excluded: minutes 5 is in [5,60) (0), balance 0 in
		// [0,inf) (3); webinar 0 → 0.
		{"on the bounds", FeatureRow{"attr:minutes": 5, "attr:balance": 0, "value:webinar": 0}, 3, "attr:balance=[0,inf)"},
		// No minutes: the missing points −4; no balance and the model has
		// no missing points for it: 0, the baseline; webinar −10 → −3.5.
		// −4 − 3.5 = −7.5 → −8 (half away from zero).
		{"missing", FeatureRow{"value:webinar": -10}, -8, "attr:minutes=(missing)"},
		{"below the first bound", FeatureRow{"attr:minutes": -1e9, "attr:balance": 1e9}, -6, "attr:minutes=(-inf,5)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pts, reasons := m.Score(tc.row)
			if pts != tc.points {
				t.Errorf("score %d, want %d (reasons %+v)", pts, tc.points, reasons)
			}
			if len(reasons) == 0 || reasons[0].Feature != tc.top {
				t.Errorf("reasons %+v, want %s first", reasons, tc.top)
			}
		})
	}
	_, reasons := m.Score(FeatureRow{"channel:referral": 1, "attr:minutes": 75, "attr:balance": -20, "value:webinar": 40})
	if got, want := string((LeadScore{Reasons: reasons}).AppendTopReasons(nil, 3)), "value:webinar +14; minutes=[60,inf) +12; balance=(-inf,0) -6"; got != want {
		t.Errorf("AppendTopReasons = %q, want %q", got, want)
	}
	// The model names the features attr:minutes, attr:balance and value:webinar.
	if err := m.CheckFeatures([]string{"channel:referral", "attr:minutes", "attr:balance"}); !errors.Is(err, ErrUnknownFeature) || !strings.Contains(err.Error(), "value:webinar") {
		t.Errorf("CheckFeatures without value:webinar: %v", err)
	}
}

func TestNumericModelRoundTrip(t *testing.T) {
	m, err := ParseModel(strings.NewReader(handNumericModel))
	if err != nil {
		t.Fatal(err)
	}
	m.Comments = map[string]string{"attr:minutes=[60,inf)": "weight 0.8", "value:webinar": "weight 0.02"}
	var buf bytes.Buffer
	if err := m.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		"- {below: 5, points: -9} # (-inf,5)",
		"- {points: 12} # [60,inf): weight 0.8",
		"value:webinar: {points: 35, per: 100, missing: 0} # 35 points per 100 of value:webinar; weight 0.02",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("model file lacks %q:\n%s", want, text)
		}
	}
	back, err := ParseModel(strings.NewReader(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if !reflect.DeepEqual(back.Numeric, m.Numeric) {
		t.Errorf("read back %+v, want %+v", back.Numeric, m.Numeric)
	}
}

func TestNumericModelErrors(t *testing.T) {
	head := "version: 1\nthreshold: 1\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"descending", "numeric:\n  m:\n    bins:\n      - {below: 5, points: 1}\n      - {below: 5, points: 2}\n      - {points: 3}\n", "line 7: numeric: m: bin 2: below must be larger"},
		{"last bound", "numeric:\n  m:\n    bins:\n      - {below: 5, points: 1}\n      - {below: 9, points: 2}\n", "line 7: numeric: m: bin 2: the last bin holds every larger value"},
		{"missing bound", "numeric:\n  m:\n    bins:\n      - {points: 1}\n      - {points: 2}\n", "line 6: numeric: m: bin 1: below is missing"},
		{"both", "numeric:\n  m: {points: 1, bins: [{points: 2}]}\n", "line 4: numeric: m: give either bins or points"},
		{"neither", "numeric:\n  m: {missing: 1}\n", "line 4: numeric: m: give bins, or points per unit"},
		{"per zero", "numeric:\n  m: {points: 1, per: 0}\n", "numeric: m: per 0 must be a number > 0"},
		{"unknown key", "numeric:\n  m: {points: 1, unit: 3}\n", `line 4: numeric: m: unknown key "unit"`},
		{"also categorical", "attributes: {m: {a: 1}}\nnumeric:\n  m: {points: 1}\n", "m is also under attributes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseModel(strings.NewReader(head + tc.yaml))
			if !errors.Is(err, ErrInvalidModel) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLinearPoints(t *testing.T) {
	for _, tc := range []struct {
		coef        float64
		points      int
		per         float64
		description string
	}{
		// 0.0001 · 10/ln 2 = 0.0014427 points per unit: per 100,000 → 144.27 → 144.
		{0.0001, 144, 1e5, "small"},
		// 0.5 · 10/ln 2 = 7.2135 per unit: per 100 → 721.
		{0.5, 721, 100, "medium"},
		// −20 · 10/ln 2 = −288.54 per unit: per 1 → −289.
		{-20, -289, 1, "large"},
		// 100 · 10/ln 2 = 1442.7 per unit: per 0.1 → 144.
		{100, 144, 0.1, "larger than 1000"},
		{0, 0, 1, "zero"},
	} {
		pts, per := linearPoints(tc.coef, 10)
		if pts != tc.points || math.Abs(per-tc.per) > 1e-12*tc.per {
			t.Errorf("%s: linearPoints(%g) = %d per %g, want %d per %g", tc.description, tc.coef, pts, per, tc.points, tc.per)
		}
	}
}

// TestLeadScorerNumeric: the column scorer funnel score uses gives what
// Model.Score gives on the feature row of every lead of the reference
// export, with the hand-written numeric model (minutes binned with missing
// points, balance binned, webinar absent from the data: missing for all).
func TestLeadScorerNumeric(t *testing.T) {
	m, err := ParseModel(strings.NewReader(handNumericModel))
	if err != nil {
		t.Fatal(err)
	}
	l := numericLeads(t)
	av := &ActionValues{}
	sc := newLeadScorer(m, l, av, nil)
	missing := 0
	for i := range l.IDs {
		want, wantReasons := m.Score(featureRow(l, av, 0, i, nil))
		got, reasons := sc.score(i)
		if got != want || !reflect.DeepEqual(reasons, wantReasons) {
			t.Fatalf("lead %d: scorer %d %+v, Model.Score %d %+v", i, got, reasons, want, wantReasons)
		}
		if math.IsNaN(l.Numbers[1].Values[i]) {
			missing++
			if reasons[len(reasons)-1].Feature != "attr:minutes=(missing)" && !containsFeature(reasons, "attr:minutes=(missing)") {
				t.Errorf("lead %d without minutes: reasons %+v", i, reasons)
			}
		}
	}
	if missing == 0 {
		t.Error("no lead without minutes: the missing path is not exercised")
	}
}

func containsFeature(rs []Reason, f string) bool {
	for _, r := range rs {
		if r.Feature == f {
			return true
		}
	}
	return false
}
