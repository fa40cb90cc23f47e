package gen

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// Truth is the planted model a generated data set was drawn from, as
// written to truth.yaml. The target is a won outcome within HorizonDays of
// lead creation; its probability is
//
//	logit P(won) = Intercept
//	             + Weights["channel:<channel>"]
//	             + Σ_columns Weights["attr:<column>=<value>"]
//	             + Σ_actions Weights["action:<action>"] × D(action)
//	D(action)    = Σ over the lead's events of that action with occurred_at < cut-off
//	               of 0.5^((cut-off − occurred_at) / HalfLifeDays)   (times in fractional days)
//	cut-off      = min(created_at + ObserveDays, first entry into any of CutoffStages)
//
// A feature missing from Weights has weight 0: the baseline channel, each
// column's baseline value, and every value of columns without an effect
// (industry, country).
type Truth struct {
	// Seed, Leads and Months are the generator's configuration.
	Seed   uint64 `yaml:"seed"`
	Leads  int    `yaml:"leads"`
	Months int    `yaml:"months"`
	// End is the end of the data: every timestamp is before it. Written as
	// a date (YYYY-MM-DD) when it is midnight UTC, else as RFC 3339.
	End time.Time `yaml:"end"`
	// ObserveDays is the longest observation window after creation, days.
	ObserveDays float64 `yaml:"observe_days"`
	// HorizonDays is the outcome window after creation, days.
	HorizonDays float64 `yaml:"horizon_days"`
	// HalfLifeDays is the decay half-life of an action's effect, days.
	HalfLifeDays float64 `yaml:"half_life_days"`
	// CutoffStages are the stages whose first entry ends the observation
	// window (sal, sql, opportunity).
	CutoffStages []string `yaml:"cutoff_stages"`
	// Intercept is the logit of a baseline lead without actions.
	Intercept float64 `yaml:"intercept"`
	// BaselineChannel is the most common channel; its weight is 0.
	BaselineChannel string `yaml:"baseline_channel"`
	// BaselineAttributes maps each categorical profile column to its most
	// common value, whose weight is 0.
	BaselineAttributes map[string]string `yaml:"baseline_attributes"`
	// Weights maps feature names (action:<name>, channel:<name>,
	// attr:<column>=<value>) to logit weights.
	Weights map[string]float64 `yaml:"weights"`
	// Notes explain the data set in plain words.
	Notes []string `yaml:"notes"`
}

// Features are one lead's inputs to the true model.
type Features struct {
	// Channel is the lead's channel.
	Channel string
	// Attributes maps profile columns to the lead's values; nil means none.
	Attributes map[string]string
	// Actions maps action names to D(action), the decayed event sum before
	// the cut-off (see Truth); nil means no actions.
	Actions map[string]float64
}

// WinLogit returns the true log-odds that a lead with features f is won
// within HorizonDays (the formula on Truth).
func (t *Truth) WinLogit(f Features) float64 {
	z := t.Intercept + t.Weights["channel:"+f.Channel]
	for col, v := range f.Attributes {
		z += t.Weights["attr:"+col+"="+v]
	}
	for a, d := range f.Actions {
		z += t.Weights["action:"+a] * d
	}
	return z
}

// WinProbability returns the true probability, in [0,1], that a lead with
// features f is won within HorizonDays: 1/(1+exp(−WinLogit(f))).
func (t *Truth) WinProbability(f Features) float64 {
	return 1 / (1 + math.Exp(-t.WinLogit(f)))
}

// Decay returns an event's contribution to D(action): 0.5^(age/HalfLifeDays)
// with age = cutoff − occurred in fractional days, or 0 when the event is
// not strictly before the cut-off.
func (t *Truth) Decay(cutoff, occurred time.Time) float64 {
	if !occurred.Before(cutoff) {
		return 0
	}
	age := cutoff.Sub(occurred).Seconds() / 86400
	return math.Exp2(-age / t.HalfLifeDays)
}

// CutOff returns min(created + ObserveDays, firstSales); a zero firstSales
// means the lead never entered a cut-off stage.
func (t *Truth) CutOff(created, firstSales time.Time) time.Time {
	c := created.Add(time.Duration(t.ObserveDays * 86400 * float64(time.Second)))
	if !firstSales.IsZero() && firstSales.Before(c) {
		return firstSales
	}
	return c
}

// truthYAML is Truth as written, with End as text.
type truthYAML struct {
	Seed               uint64             `yaml:"seed"`
	Leads              int                `yaml:"leads"`
	Months             int                `yaml:"months"`
	End                yaml.Node          `yaml:"end"`
	ObserveDays        float64            `yaml:"observe_days"`
	HorizonDays        float64            `yaml:"horizon_days"`
	HalfLifeDays       float64            `yaml:"half_life_days"`
	CutoffStages       []string           `yaml:"cutoff_stages,flow"`
	Intercept          float64            `yaml:"intercept"`
	BaselineChannel    string             `yaml:"baseline_channel"`
	BaselineAttributes map[string]string  `yaml:"baseline_attributes"`
	Weights            map[string]float64 `yaml:"weights"`
	Notes              []string           `yaml:"notes"`
}

// MarshalYAML writes End as a YAML timestamp: a date when it is midnight
// UTC, else RFC 3339.
func (t Truth) MarshalYAML() (any, error) {
	end := t.End.UTC()
	s := end.Format(time.RFC3339)
	if end.Equal(end.Truncate(24 * time.Hour)) {
		s = end.Format(time.DateOnly)
	}
	return truthYAML{
		Seed: t.Seed, Leads: t.Leads, Months: t.Months,
		End:         yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s},
		ObserveDays: t.ObserveDays, HorizonDays: t.HorizonDays, HalfLifeDays: t.HalfLifeDays,
		CutoffStages: t.CutoffStages, Intercept: t.Intercept,
		BaselineChannel: t.BaselineChannel, BaselineAttributes: t.BaselineAttributes,
		Weights: t.Weights, Notes: t.Notes,
	}, nil
}

// UnmarshalYAML reads End as a date (YYYY-MM-DD) or an RFC 3339 time.
func (t *Truth) UnmarshalYAML(n *yaml.Node) error {
	var y truthYAML
	if err := n.Decode(&y); err != nil {
		return err
	}
	return t.fromYAML(y)
}

func (t *Truth) fromYAML(y truthYAML) error {
	*t = Truth{
		Seed: y.Seed, Leads: y.Leads, Months: y.Months,
		ObserveDays: y.ObserveDays, HorizonDays: y.HorizonDays, HalfLifeDays: y.HalfLifeDays,
		CutoffStages: y.CutoffStages, Intercept: y.Intercept,
		BaselineChannel: y.BaselineChannel, BaselineAttributes: y.BaselineAttributes,
		Weights: y.Weights, Notes: y.Notes,
	}
	// Empty and absent read the same.
	if len(t.CutoffStages) == 0 {
		t.CutoffStages = nil
	}
	if len(t.BaselineAttributes) == 0 {
		t.BaselineAttributes = nil
	}
	if len(t.Notes) == 0 {
		t.Notes = nil
	}
	if y.End.Kind != yaml.ScalarNode || y.End.Value == "" {
		return fmt.Errorf("end missing: %w", ErrBadTruth)
	}
	end, err := time.Parse(time.DateOnly, y.End.Value)
	if err != nil {
		if end, err = time.Parse(time.RFC3339, y.End.Value); err != nil {
			return fmt.Errorf("end %q is neither YYYY-MM-DD nor RFC 3339: %w", y.End.Value, ErrBadTruth)
		}
	}
	t.End = end.UTC()
	return nil
}

// ParseTruth reads a truth.yaml document. Unknown keys are an error; it
// fails with ErrBadTruth when a required field is missing or out of range.
func ParseTruth(r io.Reader) (*Truth, error) {
	var y truthYAML
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil {
		return nil, fmt.Errorf("parse truth: %w", err)
	}
	var t Truth
	if err := t.fromYAML(y); err != nil {
		return nil, fmt.Errorf("parse truth: %w", err)
	}
	switch {
	case !(t.ObserveDays > 0), !(t.HorizonDays > 0), !(t.HalfLifeDays > 0):
		return nil, fmt.Errorf("parse truth: observe_days, horizon_days and half_life_days must be positive: %w", ErrBadTruth)
	case t.BaselineChannel == "":
		return nil, fmt.Errorf("parse truth: baseline_channel missing: %w", ErrBadTruth)
	case len(t.Weights) == 0:
		return nil, fmt.Errorf("parse truth: weights missing: %w", ErrBadTruth)
	}
	for name, w := range t.Weights {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("parse truth: weight %s is %v: %w", name, w, ErrBadTruth)
		}
	}
	return &t, nil
}

// LoadTruth reads the truth.yaml file at path (see ParseTruth).
func LoadTruth(path string) (*Truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load truth %s: %w", path, err)
	}
	defer f.Close()
	t, err := ParseTruth(f)
	if err != nil {
		return nil, fmt.Errorf("load truth %s: %w", path, err)
	}
	return t, nil
}

// newTruth builds the truth of a configuration from the planted model.
func newTruth(cfg Config) *Truth {
	t := &Truth{
		Seed: cfg.Seed, Leads: cfg.Leads, Months: cfg.Months, End: cfg.End.UTC(),
		ObserveDays: observeDays, HorizonDays: horizonDays, HalfLifeDays: halfLifeDays,
		CutoffStages:       []string{"sal", "sql", "opportunity"},
		Intercept:          intercept,
		BaselineChannel:    channelSpecs[0].name,
		BaselineAttributes: map[string]string{},
		Weights:            map[string]float64{},
	}
	for _, c := range channelSpecs[1:] {
		t.Weights["channel:"+c.name] = c.weight
	}
	for _, a := range attrSpecs {
		t.BaselineAttributes[a.column] = a.values[0].value
		for _, v := range a.values[1:] {
			if v.weight != 0 {
				t.Weights["attr:"+a.column+"="+v.value] = v.weight
			}
		}
	}
	for _, a := range actionSpecs {
		t.Weights["action:"+a.name] = a.weight
	}
	t.Notes = truthNotes()
	return t
}

func truthNotes() []string {
	return []string{
		"Synthetic B2B leads drawn from the model below; a correct leak-free logistic fit of won-within-horizon on these features recovers the weights.",
		"Target: an outcome 'won' closed within horizon_days of created_at. Leads created less than horizon_days before end may still be open (no outcome yet): treat them as censored, not lost.",
		"Cut-off: min(created_at + observe_days, first entry into sal, sql or opportunity). Features use only events strictly before it; each event counts 0.5^(age in days / half_life_days).",
		"Weights are logit coefficients; a feature not listed has weight 0 (baseline channel, each column's baseline value, all industry and country values, which have no effect).",
		"email_domain is a free-text detail of email_type (free = gmail.com, outlook.com, yahoo.com, hotmail.com); use email_type as the feature.",
		"Leakage trap: after the cut-off, leads that go on to win do many more demo_request, pricing_page, talk_to_sales, free_trial and case_study events; a model that counts events after the cut-off overstates those actions.",
		"The MQL stage comes from a different, hand-made score (points without decay, procurement rewarded, free e-mail not penalised): MQL status is not the truth.",
		"Referral leads sometimes enter straight at sql, skipping mql and sal; recycled and nurture leads may return to mql later; disqualified leads are mostly students and competitors.",
	}
}
