package analysis

import (
	"fmt"
	"strings"
	"time"
)

// StageModel is the funnel's configuration: which stage names are funnel
// steps, in which order, and which are recycle stages. Each company defines
// its stages differently, so none of this is fixed in code.
type StageModel struct {
	// Stages is the funnel in order; names match stage rows in any case.
	// The first stage is reached by every lead at creation; the last is
	// reached by a won outcome. At least two and at most 63 distinct
	// (ignoring case), non-empty names, none of them a row key of the JSON
	// output (see reservedKey).
	Stages []string
	// Qualified is the stage at which a lead is handed to sales (the lead
	// score threshold); empty means Stages[1].
	Qualified string
	// Recycle names the stages a lead is sent back to nurture with; nil
	// means "recycled" and "nurture".
	Recycle []string
}

// DefaultStages is the default funnel: lead, mql, sal, sql, opportunity, won.
func DefaultStages() []string {
	return []string{"lead", "mql", "sal", "sql", "opportunity", "won"}
}

// DefaultStageModel is the default funnel with mql as the qualified stage and
// recycled and nurture as recycle stages.
func DefaultStageModel() StageModel {
	return StageModel{Stages: DefaultStages(), Qualified: "mql", Recycle: []string{"recycled", "nurture"}}
}

// reservedKey reports whether name is a JSON key of funnel rows, which a
// stage may not be named.
func reservedKey(name string) bool {
	switch name {
	case "channel", "action", "month", "value", "mature_leads", "open_leads",
		"open_share", "immature", "base", "conversion", "lift", "steps", "partial":
		return true
	}
	return false
}

// normalized returns the model with defaults filled in, or an error wrapping
// ErrStageModel saying what is wrong.
func (m StageModel) normalized() (StageModel, error) {
	if len(m.Stages) == 0 {
		m.Stages = DefaultStages()
	}
	if len(m.Stages) < 2 || len(m.Stages) > 63 {
		return m, fmt.Errorf("%w: %d stages, need 2 to 63", ErrStageModel, len(m.Stages))
	}
	seen := map[string]bool{}
	for _, s := range m.Stages {
		if s == "" {
			return m, fmt.Errorf("%w: empty stage name", ErrStageModel)
		}
		if reservedKey(s) {
			return m, fmt.Errorf("%w: stage name %q is reserved", ErrStageModel, s)
		}
		if seen[strings.ToLower(s)] {
			return m, fmt.Errorf("%w: stage %q listed twice (names are compared in lower case)", ErrStageModel, s)
		}
		seen[strings.ToLower(s)] = true
	}
	if m.Qualified == "" {
		m.Qualified = m.Stages[1]
	}
	if m.index(m.Qualified) < 1 {
		return m, fmt.Errorf("%w: qualified stage %q is not a funnel stage after the first", ErrStageModel, m.Qualified)
	}
	if m.Recycle == nil {
		m.Recycle = []string{"recycled", "nurture"}
	}
	for _, r := range m.Recycle {
		if seen[strings.ToLower(r)] {
			return m, fmt.Errorf("%w: recycle stage %q is also a funnel stage", ErrStageModel, r)
		}
	}
	return m, nil
}

// index is the position of stage in the funnel, or -1.
func (m StageModel) index(stage string) int {
	for i, s := range m.Stages {
		if s == stage {
			return i
		}
	}
	return -1
}

// Options choose what Compute reports. The zero value is the default report:
// default stage model, window from the data, all cohorts, comparison of the
// latest mature month, no attribute breakdown.
type Options struct {
	// Model is the stage model; zero means DefaultStageModel.
	Model StageModel
	// WindowDays is the conversion window in days; 0 means from the data
	// (the 90th percentile of days from creation to win).
	WindowDays int
	// From and To restrict the cohorts (month of lead creation) reported,
	// inclusive; zero means unbounded. Only year and month are used. Period
	// rows are restricted to the same months.
	From, To time.Time
	// Month is the cohort month to compare with the month before and a year
	// before; zero means the latest month in which every lead is mature.
	Month time.Time
	// LandmarkDays is the age in days at which ByAction looks at leads
	// (actions strictly before created_at + LandmarkDays, leads not yet
	// qualified then); 0 or less means from the data (see
	// Report.ActionLandmarkFromData).
	LandmarkDays int
	// By is a profile attribute (lead_attributes.name) to break the funnel
	// down by; empty means none.
	By string
	// Trace, if not nil, is called after each step of Compute with the
	// step's name and how long it took (for progress and profiling).
	Trace func(step string, elapsed time.Duration)
}

// monthString formats t as YYYY-MM.
func monthString(t time.Time) string { return t.Format("2006-01") }

// ParseMonth parses a YYYY-MM month, as given to --from, --to and --month.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q, want YYYY-MM", ErrMonth, s)
	}
	return t, nil
}
