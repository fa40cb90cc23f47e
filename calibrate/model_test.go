package calibrate

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// specModel is the example of the model file format from issue 4.
const specModel = `version: 1
target: won
points_to_double_odds: 10
intercept: -3.2            # optional; needed for probability
half_life_days: 14         # optional decay; 0/absent = no decay
observe_days: 30
threshold: 25              # MQL when score >= threshold
actions:   {demo_request: {points: 12, cap: 3}, ebook_download: {points: 3}}
channels:  {referral: 15, paid_search: -2}
attributes: {title: {student: -20}, email_type: {free: -8}}
features:  # optional transform per action: count|log1p|yesno
`

func TestParseModelSpec(t *testing.T) {
	m, err := ParseModel(strings.NewReader(specModel))
	if err != nil {
		t.Fatal(err)
	}
	b := -3.2
	want := &Model{
		Version: 1, Target: "won", PointsToDoubleOdds: 10, Intercept: &b, HalfLifeDays: 14, ObserveDays: 30, Threshold: 25,
		Actions:    map[string]ActionPoints{"demo_request": {Points: 12, Cap: 3}, "ebook_download": {Points: 3}},
		Channels:   map[string]int{"referral": 15, "paid_search": -2},
		Attributes: map[string]map[string]int{"title": {"student": -20}, "email_type": {"free": -8}},
		Features:   map[string]string{},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got %+v\nwant %+v", m, want)
	}
	names := []string{"action:demo_request", "action:ebook_download", "channel:paid_search", "channel:referral",
		"attr:email_type=free", "attr:title=student"}
	if got := m.FeatureNames(); !reflect.DeepEqual(got, names) {
		t.Errorf("FeatureNames = %v, want %v", got, names)
	}
}

// TestParseModelDefaults: a minimal hand-written model with short action entries.
func TestParseModelDefaults(t *testing.T) {
	m, err := ParseModel(strings.NewReader("version: 1\nthreshold: 40\nactions:\n  webinar: 5\n  pricing_page: {points: 8}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Target != "won" || m.PointsToDoubleOdds != 10 || m.ObserveDays != 30 || m.Intercept != nil || m.HalfLifeDays != 0 ||
		m.Actions["webinar"].Points != 5 || m.Actions["pricing_page"].Points != 8 {
		t.Errorf("defaults = %+v", m)
	}
	if _, ok := m.Probability(40); ok {
		t.Error("Probability known without an intercept")
	}
}

func TestParseModelErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "the file is empty"},
		{"not a mapping", "- 1\n- 2\n", "line 1: model file must be a mapping"},
		{"unknown key", "version: 1\nthreshold: 5\ntreshold: 5\n", `line 3: unknown key "treshold"`},
		{"duplicate key", "version: 1\nthreshold: 5\nthreshold: 6\n", `line 3: model file: key "threshold" is repeated (first at line 2)`},
		{"duplicate action", "version: 1\nthreshold: 5\nactions:\n  a: 1\n  a: 2\n", `line 5: actions: key "a" is repeated`},
		{"negative cap", "version: 1\nthreshold: 5\nactions:\n  demo: {points: 3, cap: -1}\n", "line 4: actions: demo: cap -1 is negative"},
		{"unknown action key", "version: 1\nthreshold: 5\nactions:\n  demo: {points: 3, max: 2}\n", `line 4: actions: demo: unknown key "max"`},
		{"missing points", "version: 1\nthreshold: 5\nactions:\n  demo: {cap: 2}\n", "line 4: actions: demo: points is missing"},
		{"fractional points", "version: 1\nthreshold: 5\nchannels:\n  referral: 2.5\n", `line 4: channels: referral: "2.5" is not a whole number`},
		{"version 2", "version: 2\nthreshold: 5\n", "line 1: version 2 is not supported"},
		{"no version", "threshold: 5\n", "version is missing"},
		{"no threshold", "version: 1\n", "threshold is missing"},
		{"null threshold", "version: 1\nthreshold:\n", "threshold has no value"},
		{"bad target", "version: 1\nthreshold: 5\ntarget: revenue\n", `line 3: target "revenue": use won or sql`},
		{"bad transform", "version: 1\nthreshold: 5\nactions: {a: 1}\nfeatures: {a: sqrt}\n", `line 4: features: a: transform "sqrt"`},
		{"transform without action", "version: 1\nthreshold: 5\nactions: {a: 1}\nfeatures:\n  b: log1p\n", "line 5: features: b is not among the actions"},
		{"bad pdo", "version: 1\nthreshold: 5\npoints_to_double_odds: 0\n", "points_to_double_odds must be > 0"},
		{"nan intercept", "version: 1\nthreshold: 5\nintercept: .nan\n", `line 3: intercept: ".nan" is not a finite number`},
		{"huge observation window", "version: 1\nthreshold: 5\nobserve_days: 1e300\n", "line 3: observe_days must be > 0 and at most 36500 (100 years), not 1e300"},
		{"zero observation window", "version: 1\nthreshold: 5\nobserve_days: 0\n", "line 3: observe_days must be > 0 and at most 36500 (100 years), not 0"},
		{"negative half-life", "version: 1\nthreshold: 5\nhalf_life_days: -3\n", "line 3: half_life_days must be ≥ 0"},
		{"attribute column with =", "version: 1\nthreshold: 5\nattributes:\n  a=b: {c: 1}\n", "line 4: attributes: column name"},
		{"attribute not a mapping", "version: 1\nthreshold: 5\nattributes:\n  title: 3\n", "line 4: attributes: title must be a mapping"},
		{"huge points", "version: 1\nthreshold: 5\nchannels: {x: 99999999999}\n", "out of range"},
		{"two documents", "version: 1\nthreshold: 5\n---\nversion: 1\n", "line 3: a second YAML document"},
		{"alias", "version: 1\nthreshold: 5\nchannels: &c {a: 1}\nactions: *c\n", "aliases are not allowed"},
		{"syntax", "version: 1\nthreshold: [5\n", "yaml:"},
		{"landmarks descending", "version: 1\nthreshold: 5\nlandmarks: {7: -3, 1: -2}\n", "line 3: landmarks: ages must be ascending (1 after 7)"},
		{"landmark age negative", "version: 1\nthreshold: 5\nlandmarks:\n  -1: -2\n", "line 4: landmarks: age -1 must be a number of days ≥ 0"},
		{"landmark intercept text", "version: 1\nthreshold: 5\nlandmarks: {1: cold}\n", `line 3: landmarks: 1: "cold" is not a finite number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseModel(strings.NewReader(tt.yaml))
			if !errors.Is(err, ErrInvalidModel) {
				t.Fatalf("err = %v (model %+v), want ErrInvalidModel", err, m)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestWriteYAML checks the exact layout and that it reads back to the same model.
func TestWriteYAML(t *testing.T) {
	b := -3.25
	m := &Model{
		Version: 1, Target: "won", PointsToDoubleOdds: 10, Intercept: &b, HalfLifeDays: 14, ObserveDays: 30, Threshold: 25,
		Actions:    map[string]ActionPoints{"ebook_download": {Points: 3}, "demo_request": {Points: 12, Cap: 3}, "page_view": {Points: 2, Cap: 50}},
		Channels:   map[string]int{"referral": 15, "paid_search": -2, "404": 1},
		Attributes: map[string]map[string]int{"title": {"student": -20}, "email_type": {"free": -8, "yes": 1}},
		Features:   map[string]string{"page_view": "log1p"},
		Comments:   map[string]string{"action:demo_request": "weight 0.83, 95% CI 0.71–0.95", "channel:referral": "two\nlines: x"},
	}
	var buf bytes.Buffer
	if err := m.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	want := `# funnel scoring model: a lead's score is the sum of the points of its features;
# it is an MQL when the score is at least the threshold.
version: 1
target: won
points_to_double_odds: 10
intercept: -3.25 # log-odds of the target at score 0
half_life_days: 14
observe_days: 30
threshold: 25 # MQL when score >= threshold
actions:
  demo_request: {points: 12, cap: 3} # weight 0.83, 95% CI 0.71–0.95
  ebook_download: {points: 3}
  page_view: {points: 2, cap: 50}
channels:
  "404": 1
  paid_search: -2
  referral: 15 # two lines: x
attributes:
  email_type:
    free: -8
    yes: 1
  title:
    student: -20
features: # count | log1p | yesno
  page_view: log1p
`
	if buf.String() != want {
		t.Errorf("WriteYAML:\n%s\nwant:\n%s", buf.String(), want)
	}
	back, err := ParseModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	m.Comments = nil
	if !reflect.DeepEqual(back, m) {
		t.Errorf("read back %+v\nwant %+v", back, m)
	}
	bad := &Model{Version: 1, Target: "won", PointsToDoubleOdds: 10, ObserveDays: 30, Actions: map[string]ActionPoints{"a": {Points: 1, Cap: -2}}}
	if err := bad.WriteYAML(&bytes.Buffer{}); !errors.Is(err, ErrInvalidModel) {
		t.Errorf("negative cap written: %v", err)
	}
}

// TestModelScore scores one lead by hand with the spec model (pdo 10, intercept −3.2):
//
//	demo_request 5 times, capped at 3: 3 × 12 = 36
//	ebook_download 2 times: 2 × 3 = 6
//	channel referral: 15
//	title student: −20
//	email_type corporate (not listed): 0; an unknown feature: ignored
//	score = 36 + 6 + 15 − 20 = 37; reasons by size: demo 36, student −20, referral 15, ebook 6
//	probability at 37: 37·ln2/10 = 2.5646446; 1/(1+exp(3.2 − 2.5646446)) = 1/(1+exp(0.6353554)) = 1/2.887693 = 0.3462973
func TestModelScore(t *testing.T) {
	m, err := ParseModel(strings.NewReader(specModel))
	if err != nil {
		t.Fatal(err)
	}
	f := FeatureRow{
		"action:demo_request": 5, "action:ebook_download": 2, "channel:referral": 1,
		"attr:title=student": 1, "attr:email_type=corporate": 1, "action:webinar": 4,
	}
	score, reasons := m.Score(f)
	if score != 37 {
		t.Errorf("score = %d, want 37", score)
	}
	want := []Reason{
		{"action:demo_request", 3, 36}, {"attr:title=student", 1, -20}, {"channel:referral", 1, 15}, {"action:ebook_download", 2, 6},
	}
	if !reflect.DeepEqual(reasons, want) {
		t.Errorf("reasons = %+v, want %+v", reasons, want)
	}
	p, ok := m.Probability(37)
	if !ok || math.Abs(p-0.3462973) > 1e-6 {
		t.Errorf("Probability(37) = %v, %v; want 0.3462973", p, ok)
	}
	// Decayed counts and transforms: log1p(e−1) = 1 → 4 points; yes/no → 9 once.
	m2 := &Model{Version: 1, Target: "won", PointsToDoubleOdds: 10, ObserveDays: 30,
		Actions:  map[string]ActionPoints{"visit": {Points: 4}, "trial": {Points: 9}},
		Features: map[string]string{"visit": "log1p", "trial": "yesno"}}
	if s, _ := m2.Score(FeatureRow{"action:visit": math.E - 1, "action:trial": 0.3}); s != 13 {
		t.Errorf("transformed score = %d, want 13", s)
	}
	if s, r := m2.Score(FeatureRow{}); s != 0 || len(r) != 0 {
		t.Errorf("empty lead scored %d, %v", s, r)
	}
}

func TestCheckFeatures(t *testing.T) {
	m, err := ParseModel(strings.NewReader(specModel))
	if err != nil {
		t.Fatal(err)
	}
	known := []string{"action:demo_request", "action:ebook_download", "channel:paid_search", "channel:referral", "attr:title=student"}
	err = m.CheckFeatures(known)
	if !errors.Is(err, ErrUnknownFeature) || !strings.Contains(err.Error(), "attr:email_type=free") || strings.Contains(err.Error(), "student") {
		t.Errorf("err = %v, want ErrUnknownFeature naming only attr:email_type=free", err)
	}
	if err := m.CheckFeatures(append(known, "attr:email_type=free")); err != nil {
		t.Errorf("all known: %v", err)
	}
}

func TestTransformValue(t *testing.T) {
	tests := []struct {
		transform       string
		cap, count, out float64
	}{
		{"count", 0, 7, 7},
		{"", 3, 7, 3},
		{"log1p", 0, math.E - 1, 1},
		{"log1p", 1, 5, math.Ln2},
		{"yesno", 0, 0.01, 1},
		{"yesno", 0, 0, 0},
	}
	for _, tt := range tests {
		if got := TransformValue(tt.transform, tt.cap, tt.count); math.Abs(got-tt.out) > 1e-15 {
			t.Errorf("TransformValue(%q, %v, %v) = %v, want %v", tt.transform, tt.cap, tt.count, got, tt.out)
		}
	}
	if !math.IsNaN(TransformValue("sqrt", 0, 4)) {
		t.Error("unknown transform not NaN")
	}
}

// TestModelLandmarks checks that a model's landmarks read back from its
// file and that ProbabilityAt takes the intercept of the largest landmark
// not past the lead's age: with PDO 10 and score 20, log-odds = intercept +
// 20·ln 2/10 = intercept + 2 ln 2.
func TestModelLandmarks(t *testing.T) {
	m, err := ParseModel(strings.NewReader("version: 1\nthreshold: 5\nintercept: -3\nlandmarks: {1: -3, 7: -3.5, 30: -4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []ModelLandmark{{1, -3}, {7, -3.5}, {30, -4}}
	if !reflect.DeepEqual(m.Landmarks, want) {
		t.Fatalf("landmarks %+v, want %+v", m.Landmarks, want)
	}
	var b strings.Builder
	if err := m.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	back, err := ParseModel(strings.NewReader(b.String()))
	if err != nil || !reflect.DeepEqual(back.Landmarks, want) {
		t.Fatalf("read back %+v (%v) from\n%s", back.Landmarks, err, b.String())
	}
	sig := func(icpt float64) float64 { return 1 / (1 + math.Exp(-(icpt + 2*math.Ln2))) }
	for _, tc := range []struct{ age, icpt float64 }{
		{0.5, -3}, // younger than the first landmark: the first's
		{1, -3}, {6.9, -3}, {7, -3.5}, {29, -3.5}, {30, -4}, {400, -4},
	} {
		p, ok := m.ProbabilityAt(20, tc.age)
		if !ok || math.Abs(p-sig(tc.icpt)) > 1e-12 {
			t.Errorf("age %g: p %v, want %v (intercept %g)", tc.age, p, sig(tc.icpt), tc.icpt)
		}
	}
	plain := &Model{PointsToDoubleOdds: 10, Intercept: m.Intercept}
	if p, ok := plain.ProbabilityAt(20, 30); !ok || math.Abs(p-sig(-3)) > 1e-12 {
		t.Errorf("a model without landmarks: p %v, want %v", p, sig(-3))
	}
}
