package gen

import (
	"fmt"
	"time"
)

// Default configuration values.
const (
	DefaultLeads  = 20000
	DefaultMonths = 24
	DefaultSeed   = 1
)

// DefaultEnd is the default end of the data, 2026-07-01 00:00 UTC: every
// timestamp falls before it, so the data runs through 2026-06-30. A fixed
// date (not the clock) keeps the output reproducible.
var DefaultEnd = time.Date(2026, time.July, 1, 0, 0, 0, 0, time.UTC)

// Names of the files Generate writes in its output folder.
const (
	LeadsFile    = "leads.csv"
	EventsFile   = "events.csv"
	StagesFile   = "stages.csv"
	OutcomesFile = "outcomes.csv"
	TruthFile    = "truth.yaml"
)

// Config says what to generate.
type Config struct {
	// Leads is the number of leads; 0 means DefaultLeads.
	Leads int
	// Months is the length of the lead-creation period before End, in
	// calendar months; 0 means DefaultMonths.
	Months int
	// Seed selects the random streams; the same Config gives byte-identical
	// files. 0 means DefaultSeed (so seeds 0 and 1 give the same data).
	Seed uint64
	// End is the end of the data (exclusive); the zero time means
	// DefaultEnd.
	End time.Time
	// Progress, if not nil, is called each time a block of leads has been
	// written to leads.csv, with the number of leads written so far and the
	// total. It is called
	// from one goroutine at a time, in increasing order.
	Progress func(done, total int)
}

// Summary is what Generate wrote.
type Summary struct {
	// Files are the paths written: leads, events, stages, outcomes, truth.
	Files []string
	// Leads, Events, Stages and Outcomes are the data rows (without header)
	// in each CSV file.
	Leads, Events, Stages, Outcomes int64
	// Truth is the planted model, as written to truth.yaml.
	Truth *Truth
}

// withDefaults fills zero fields and checks the result.
func (c Config) withDefaults() (Config, error) {
	if c.Leads == 0 {
		c.Leads = DefaultLeads
	}
	if c.Months == 0 {
		c.Months = DefaultMonths
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.End.IsZero() {
		c.End = DefaultEnd
	}
	c.End = c.End.UTC().Truncate(time.Second)
	switch {
	case c.Leads < 0:
		return c, fmt.Errorf("leads %d: must be positive: %w", c.Leads, ErrBadConfig)
	case c.Months < 0 || c.Months > 1200:
		return c, fmt.Errorf("months %d: must be between 1 and 1200: %w", c.Months, ErrBadConfig)
	}
	start := c.End.AddDate(0, -c.Months, 0)
	if start.Year() < 1 || c.End.AddDate(1, 0, 0).Year() > 9999 {
		return c, fmt.Errorf("data from %s to %s: must lie within years 1-9999: %w",
			start.Format(time.DateOnly), c.End.Format(time.DateOnly), ErrBadConfig)
	}
	return c, nil
}
