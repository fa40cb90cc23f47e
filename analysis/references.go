package analysis

import "strings"

// Reference is a published rule of thumb for one step of the funnel, shown
// beside the team's own rate and always labelled as a reference: context
// for the reader, never an input to any computation.
type Reference struct {
	// From and To name the step (stage names as the report's Stages spell
	// them).
	From string `json:"from"`
	To   string `json:"to"`
	// Rate is the quoted conversion in [0,1].
	Rate float64 `json:"rate"`
	// Label is what the page says beside it.
	Label string `json:"label"`
	// Source says where the figure is quoted.
	Source string `json:"source"`
}

// SLAReferenceDays is the response time from MQL to first sales touch the
// speed-to-lead view is held against when the team gives none: a common
// one-business-day SLA, shown as a reference.
const SLAReferenceDays = 1.0

// PublishedReferences returns the published figures whose step exists in
// the funnel's stages (any case). Source: the rules of thumb of the
// project's DOMAIN.md ("Typical MQL→SQL conversion is quoted around 13%").
func PublishedReferences(stages []string) []Reference {
	known := []Reference{
		{From: "mql", To: "sql", Rate: 0.13, Label: "published reference: MQL→SQL ≈ 13%",
			Source: "a commonly quoted B2B rule of thumb, for context only"},
	}
	spelled := map[string]string{}
	for _, s := range stages {
		spelled[strings.ToLower(s)] = s
	}
	out := []Reference{}
	for _, r := range known {
		from, ok1 := spelled[r.From]
		to, ok2 := spelled[r.To]
		if ok1 && ok2 {
			r.From, r.To = from, to
			out = append(out, r)
		}
	}
	return out
}
