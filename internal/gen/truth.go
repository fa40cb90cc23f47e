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
// written to truth.yaml. It is stated at a fixed age of the lead, in a
// user's terms: what the lead was and did in its first PlantedAgeDays. The
// target is a won outcome within HorizonDays of lead creation; its
// probability is
//
//	logit P(won within HorizonDays of created_at)
//	             = Intercept
//	             + Weights["channel:<channel>"]
//	             + Σ_columns Weights["attr:<column>=<value>"]
//	             + Σ_actions Weights["action:<action>"] × D(action)
//	D(action)    = Σ over the lead's events of that action with occurred_at < L
//	               of 0.5^((L − occurred_at) / HalfLifeDays)   (times in fractional days)
//	L            = created_at + PlantedAgeDays
//
// No stage enters the formula: the outcome is drawn from it, and the stage
// history is drawn afterwards from the outcome. A feature missing from
// Weights has weight 0: the baseline channel, each column's baseline value,
// and every value of columns without an effect (industry, country). The
// null actions are listed in Weights with weight 0.
type Truth struct {
	// Seed, Leads and Months are the generator's configuration.
	Seed   uint64 `yaml:"seed"`
	Leads  int    `yaml:"leads"`
	Months int    `yaml:"months"`
	// End is the end of the data: every timestamp is before it. Written as
	// a date (YYYY-MM-DD) when it is midnight UTC, else as RFC 3339.
	End time.Time `yaml:"end"`
	// PlantedAgeDays is the lead's age, days after created_at, at which the
	// truth is stated (L in the formula).
	PlantedAgeDays float64 `yaml:"planted_age_days"`
	// HorizonDays is the outcome window after creation, days.
	HorizonDays float64 `yaml:"horizon_days"`
	// HalfLifeDays is the decay half-life of an action's effect, days.
	HalfLifeDays float64 `yaml:"half_life_days"`
	// SalesStages are the stage names owned by sales (sal, sql,
	// opportunity): a landmark snapshot of a lead at age ℓ exists only
	// while it has entered none of them. They play no part in the formula.
	SalesStages []string `yaml:"sales_stages"`
	// Intercept is the logit of a baseline lead without actions.
	Intercept float64 `yaml:"intercept"`
	// BaselineChannel is the most common channel; its weight is 0.
	BaselineChannel string `yaml:"baseline_channel"`
	// BaselineAttributes maps each categorical profile column of the truth
	// to its most common value, whose weight is 0.
	BaselineAttributes map[string]string `yaml:"baseline_attributes"`
	// Weights maps feature names (action:<name>, channel:<name>,
	// attr:<column>=<value>) to logit weights.
	Weights map[string]float64 `yaml:"weights"`
	// NullActions are the actions with weight exactly 0 that go on at the
	// same steady rate for every lead from creation to the end of the data.
	NullActions []string `yaml:"null_actions"`
	// SalesFilledColumns are leads.csv columns sales fills in after the
	// outcome (lead_quality): not part of the truth, and a leak if fitted.
	SalesFilledColumns []string `yaml:"sales_filled_columns"`
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
	// created_at + PlantedAgeDays (see Truth); nil means no actions.
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
// with age = landmark − occurred in fractional days, or 0 when the event is
// not strictly before the landmark.
func (t *Truth) Decay(landmark, occurred time.Time) float64 {
	if !occurred.Before(landmark) {
		return 0
	}
	age := landmark.Sub(occurred).Seconds() / 86400
	return math.Exp2(-age / t.HalfLifeDays)
}

// Landmark returns created + PlantedAgeDays, the moment the truth looks at
// a lead created at created.
func (t *Truth) Landmark(created time.Time) time.Time {
	return created.Add(time.Duration(t.PlantedAgeDays * 86400 * float64(time.Second)))
}

// truthYAML is Truth as written, with End as text.
type truthYAML struct {
	Seed               uint64             `yaml:"seed"`
	Leads              int                `yaml:"leads"`
	Months             int                `yaml:"months"`
	End                yaml.Node          `yaml:"end"`
	PlantedAgeDays     float64            `yaml:"planted_age_days"`
	HorizonDays        float64            `yaml:"horizon_days"`
	HalfLifeDays       float64            `yaml:"half_life_days"`
	SalesStages        []string           `yaml:"sales_stages,flow"`
	Intercept          float64            `yaml:"intercept"`
	BaselineChannel    string             `yaml:"baseline_channel"`
	BaselineAttributes map[string]string  `yaml:"baseline_attributes"`
	Weights            map[string]float64 `yaml:"weights"`
	NullActions        []string           `yaml:"null_actions,flow"`
	SalesFilledColumns []string           `yaml:"sales_filled_columns,flow"`
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
		End:            yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s},
		PlantedAgeDays: t.PlantedAgeDays, HorizonDays: t.HorizonDays, HalfLifeDays: t.HalfLifeDays,
		SalesStages: t.SalesStages, Intercept: t.Intercept,
		BaselineChannel: t.BaselineChannel, BaselineAttributes: t.BaselineAttributes,
		Weights: t.Weights, NullActions: t.NullActions, SalesFilledColumns: t.SalesFilledColumns,
		Notes: t.Notes,
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
		PlantedAgeDays: y.PlantedAgeDays, HorizonDays: y.HorizonDays, HalfLifeDays: y.HalfLifeDays,
		SalesStages: y.SalesStages, Intercept: y.Intercept,
		BaselineChannel: y.BaselineChannel, BaselineAttributes: y.BaselineAttributes,
		Weights: y.Weights, NullActions: y.NullActions, SalesFilledColumns: y.SalesFilledColumns,
		Notes: y.Notes,
	}
	// Empty and absent read the same.
	if len(t.SalesStages) == 0 {
		t.SalesStages = nil
	}
	if len(t.NullActions) == 0 {
		t.NullActions = nil
	}
	if len(t.SalesFilledColumns) == 0 {
		t.SalesFilledColumns = nil
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
	case !(t.PlantedAgeDays > 0), !(t.HorizonDays > 0), !(t.HalfLifeDays > 0):
		return nil, fmt.Errorf("parse truth: planted_age_days, horizon_days and half_life_days must be positive: %w", ErrBadTruth)
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
		PlantedAgeDays: plantedAgeDays, HorizonDays: horizonDays, HalfLifeDays: halfLifeDays,
		SalesStages:        []string{stageNames[stSAL], stageNames[stSQL], stageNames[stOpportunity]},
		Intercept:          intercept,
		BaselineChannel:    channelSpecs[0].name,
		BaselineAttributes: map[string]string{},
		Weights:            map[string]float64{},
		SalesFilledColumns: []string{qualityColumn},
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
		if a.group == groupSteady {
			t.NullActions = append(t.NullActions, a.name)
		}
	}
	t.Notes = truthNotes()
	return t
}

func truthNotes() []string {
	return []string{
		"Synthetic B2B leads drawn from the model below, stated at a fixed age of the lead: what it was and did in its first planted_age_days (7). A leak-free logistic fit on landmark snapshots at that age recovers every weight (its intercept differs, see below).",
		"Target: an outcome 'won' closed within horizon_days of created_at. Leads created less than horizon_days before end may still be open (no outcome yet): treat them as censored, not lost.",
		"Features: events strictly before created_at + planted_age_days, each counting 0.5^(age in days / half_life_days), the age measured from created_at + planted_age_days. No stage enters the truth.",
		"Weights are logit coefficients; a feature not listed has weight 0 (baseline channel, each column's baseline value, all industry and country values, which have no effect).",
		"Null actions: email_open and page_view have weight exactly 0; every lead does them at a steady rate (its own, independent of everything else) from creation to the end of the data, winners and losers alike.",
		"Stage timing follows the outcome, not the actions: winners are handed to sales (first sal, sql or opportunity) at 3 + Exp(mean 12) days, about 28% of them before day 7; losers that reach sales (about 7.5%) at 5 + Exp(mean 30) days. Among leads not yet in sales at age 7 the win rate is lower than overall, so a fit there has a lower intercept than the truth, but the same slopes.",
		"Trap, outcome-dependent windows: counting or decaying actions up to min(created_at + 30 days, first sales stage) gives winners short, fresh windows; the null actions then look harmful and decay looks predictive. Landmark snapshots (the same age for every lead, leads not yet in sales) avoid it.",
		"Trap, buying burst: after sales accepts them, winners do many demo_request, pricing_page, talk_to_sales, free_trial and case_study events; a model that counts events after the landmark overstates those actions.",
		"Trap, sales-filled column: lead_quality (A, B, C) is filled in by sales once it qualifies a lead, so it is non-empty for nearly all winners and few others; it is not part of the truth and must not be fitted.",
		"email_domain is a free-text detail of email_type (free = gmail.com, outlook.com, yahoo.com, hotmail.com); use email_type as the feature.",
		"current.yaml holds the hand-made score the team says it uses (points without decay, procurement and page views rewarded, free e-mail not penalised); the MQL stage in this data follows the outcome, not that score.",
		"Referral leads that reach sales sometimes enter straight at sql, skipping mql and sal; recycled and nurture leads may return to mql later; after sales has worked a lead, students and competitors are mostly disqualified.",
	}
}
