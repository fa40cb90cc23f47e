package oracle

import "time"

// Event is one row of events.csv.
type Event struct {
	// At is occurred_at, UTC.
	At time.Time
	// Action is the action name as written.
	Action string
	// Value is the value column as written ("" when empty or absent).
	Value string
}

// Stage is one row of stages.csv.
type Stage struct {
	// Name is the stage as written.
	Name string
	// At is entered_at, UTC.
	At time.Time
}

// Outcome is one row of outcomes.csv.
type Outcome struct {
	// At is closed_at, UTC.
	At time.Time
	// Outcome is "won" or "lost" as written.
	Outcome string
	// Amount is the amount column as written ("" when empty or absent).
	Amount string
}

// Lead is one lead with its rows from the four files.
type Lead struct {
	// ID is lead_id.
	ID string
	// Created is created_at, UTC.
	Created time.Time
	// Channel is the channel as written.
	Channel string
	// Attributes maps every other column of leads.csv (by its header name)
	// to the lead's value, "" when empty.
	Attributes map[string]string
	// Events, Stages and Outcomes are the lead's rows, sorted by time (rows
	// with equal times keep their file order).
	Events   []Event
	Stages   []Stage
	Outcomes []Outcome
}

// Truth is the planted model as this package reads it from truth.yaml (see
// package gen's Truth for the formula; only the fields the oracle uses).
type Truth struct {
	// PlantedAgeDays is the age (days after creation) at which the truth
	// looks at a lead; HorizonDays the outcome window; HalfLifeDays the
	// decay half-life of actions (all days).
	PlantedAgeDays, HorizonDays, HalfLifeDays float64
	// Intercept is the logit of a baseline lead without actions.
	Intercept float64
	// Weights maps action:<name>, channel:<name> and attr:<column>=<value>
	// to logit weights; a missing feature weighs 0.
	Weights map[string]float64
	// SalesStages are the sales-owned stage names (may be nil).
	SalesStages []string
	// NullActions are the actions with weight 0 and a steady rate (may be
	// nil).
	NullActions []string
	// SalesFilledColumns are leads.csv columns filled in by sales after the
	// outcome (may be nil).
	SalesFilledColumns []string
}

// Dataset is a generated data set read back from its files.
type Dataset struct {
	// Truth is truth.yaml.
	Truth Truth
	// Leads are the leads in file order.
	Leads []*Lead
	// DataEnd is the latest timestamp in any of the four CSV files.
	DataEnd time.Time
	// Orphans counts rows of events, stages and outcomes whose lead_id is
	// not in leads.csv; they are not attached to any lead.
	Orphans int

	byID map[string]*Lead
}

// Lead returns the lead with the given ID, or nil.
func (d *Dataset) Lead(id string) *Lead { return d.byID[id] }

// days converts a number of days to a duration.
func days(n float64) time.Duration { return time.Duration(n * 86400 * float64(time.Second)) }

// Label reports whether l has a won outcome closed at or before
// created_at + HorizonDays.
func (d *Dataset) Label(l *Lead) bool {
	limit := l.Created.Add(days(d.Truth.HorizonDays))
	for _, o := range l.Outcomes {
		if o.Outcome == "won" && !o.At.After(limit) {
			return true
		}
	}
	return false
}

// Mature reports whether l's outcome window has closed within the data:
// created_at + HorizonDays ≤ DataEnd.
func (d *Dataset) Mature(l *Lead) bool {
	return !l.Created.Add(days(d.Truth.HorizonDays)).After(d.DataEnd)
}
