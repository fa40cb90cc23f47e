package gen

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestTruthRoundTrip(t *testing.T) {
	dir, sum := generateDir(t, Config{Leads: 500, Months: 3, Seed: 9})
	raw, err := os.ReadFile(filepath.Join(dir, TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseTruth(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sum.Truth) {
		t.Errorf("parsed truth differs from the one generated:\n%+v\n%+v", got, sum.Truth)
	}
	if got.Seed != 9 || got.Leads != 500 || got.Months != 3 || !got.End.Equal(DefaultEnd) {
		t.Errorf("config fields %d %d %d %v", got.Seed, got.Leads, got.Months, got.End)
	}
	if !bytes.Contains(raw, []byte("\nend: 2026-07-01\n")) {
		t.Errorf("end not written as a date:\n%s", raw)
	}
	var again bytes.Buffer
	enc := yaml.NewEncoder(&again)
	enc.SetIndent(2)
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	if again.String() != string(raw) {
		t.Errorf("re-encoded truth differs from the file:\n%s\nvs\n%s", again.String(), raw)
	}
	// Plain yaml.Unmarshal into a Truth works too, and end reads as a
	// YAML timestamp for a reader with its own struct.
	var viaYAML Truth
	if err := yaml.Unmarshal(raw, &viaYAML); err != nil || !reflect.DeepEqual(&viaYAML, got) {
		t.Errorf("yaml.Unmarshal: %v", err)
	}
	var other struct {
		End time.Time `yaml:"end"`
	}
	if err := yaml.Unmarshal(raw, &other); err != nil || !other.End.Equal(DefaultEnd) {
		t.Errorf("end as time.Time: %v, %v", other.End, err)
	}
}

func TestParseTruthErrors(t *testing.T) {
	const good = `end: 2026-07-01
planted_age_days: 7
horizon_days: 180
half_life_days: 14
intercept: -4
baseline_channel: organic_search
weights: {"action:demo_request": 1.2}
`
	if _, err := ParseTruth(strings.NewReader(good)); err != nil {
		t.Fatalf("good document: %v", err)
	}
	cases := []struct {
		name, doc string
		bad       bool // wraps ErrBadTruth (else a YAML error)
	}{
		{"no end", strings.Replace(good, "end: 2026-07-01\n", "", 1), true},
		{"bad end", strings.Replace(good, "2026-07-01", "July 2026", 1), true},
		{"zero half-life", strings.Replace(good, "half_life_days: 14", "half_life_days: 0", 1), true},
		{"no baseline", strings.Replace(good, "baseline_channel: organic_search\n", "", 1), true},
		{"no weights", strings.Replace(good, "weights: {\"action:demo_request\": 1.2}\n", "", 1), true},
		{"NaN weight", strings.Replace(good, "1.2}", ".nan}", 1), true},
		{"unknown key", good + "colour: blue\n", false},
		{"not a map", "- 1\n- 2\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTruth(strings.NewReader(c.doc))
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrBadTruth) != c.bad {
				t.Errorf("err = %v, ErrBadTruth %v, want %v", err, errors.Is(err, ErrBadTruth), c.bad)
			}
		})
	}
	if _, err := LoadTruth(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestWinLogit(t *testing.T) {
	cfg, _ := Config{}.withDefaults()
	truth := newTruth(cfg)
	// Hand arithmetic from the planted weights in spec.go:
	// intercept −4.0, channel:referral +1.3, attr:title=executive +0.6,
	// attr:email_type=free −0.8, industry has no effect (0),
	// action:demo_request 1.2 × 0.5 = 0.6, action:unsubscribe −1.2 × 0.25 = −0.3:
	// −4.0 + 1.3 + 0.6 − 0.8 + 0.6 − 0.3 = −2.6.
	f := Features{
		Channel:    "referral",
		Attributes: map[string]string{"title": "executive", "email_type": "free", "industry": "retail"},
		Actions:    map[string]float64{"demo_request": 0.5, "unsubscribe": 0.25},
	}
	if got := truth.WinLogit(f); math.Abs(got-(-2.6)) > 1e-12 {
		t.Errorf("WinLogit = %v, want -2.6", got)
	}
	// 1/(1+e^2.6) = 1/(1+13.46373804) = 0.0691384.
	if got := truth.WinProbability(f); math.Abs(got-0.0691384) > 1e-6 {
		t.Errorf("WinProbability = %v, want 0.0691384", got)
	}
	// The baseline lead: organic search, baseline attributes, no actions.
	base := Features{Channel: "organic_search", Attributes: truth.BaselineAttributes}
	if got := truth.WinLogit(base); got != -4.0 {
		t.Errorf("baseline WinLogit = %v, want -4.0", got)
	}

	created := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	sal := created.Add(50 * time.Hour)
	if got := truth.Landmark(created); !got.Equal(time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("Landmark = %v, want 7 days after creation", got)
	}
	// Half-life 14 days: 14 days old → 0.5, 7 days → 2^−0.5 = 0.70710678,
	// at or after the cut-off → 0.
	decays := []struct {
		age  time.Duration
		want float64
	}{
		{14 * 24 * time.Hour, 0.5},
		{7 * 24 * time.Hour, 0.70710678},
		{28 * 24 * time.Hour, 0.25},
		{0, 0},
		{-time.Hour, 0},
	}
	for _, d := range decays {
		if got := truth.Decay(sal, sal.Add(-d.age)); math.Abs(got-d.want) > 1e-8 {
			t.Errorf("Decay(age %v) = %v, want %v", d.age, got, d.want)
		}
	}
}

// FuzzParseTruth checks that ParseTruth never panics and that whatever it
// accepts survives a write and a second parse unchanged.
func FuzzParseTruth(f *testing.F) {
	cfg, _ := Config{}.withDefaults()
	seed, err := yaml.Marshal(newTruth(cfg))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add("end: 2026-07-01T12:00:00Z\nplanted_age_days: 1\nhorizon_days: 2\nhalf_life_days: 3\nbaseline_channel: x\nweights: {a: 1}\n")
	f.Add("end: [1]\n")
	f.Fuzz(func(t *testing.T, doc string) {
		tr, err := ParseTruth(strings.NewReader(doc))
		if err != nil {
			return
		}
		out, err := yaml.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseTruth(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", out, err)
		}
		// yaml.v3 folds line breaks and other control characters inside
		// quoted strings, so such text need not survive unchanged.
		if strings.ContainsFunc(doc, func(r rune) bool { return r < 0x20 && r != '\n' }) {
			return
		}
		if !reflect.DeepEqual(tr, again) {
			t.Fatalf("round trip changed the truth:\n%+v\n%+v", tr, again)
		}
	})
}
