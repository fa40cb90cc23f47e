package reports

// reference is a published rule of thumb shown beside a team's own figures,
// always labelled as a reference: it is context for the reader, never an
// input to any computation.
type reference struct {
	// From and To name the step (funnel stage names).
	From, To string
	// Rate is the quoted conversion in [0,1].
	Rate float64
	// Label is what the chart and table say.
	Label string
	// Source says where the figure is quoted (DOMAIN.md).
	Source string
}

// references are the published figures the funnel page shows where their
// step exists in the team's funnel. Source: the rules of thumb collected in
// the project's DOMAIN.md ("Typical MQL→SQL conversion is quoted around
// 13%"; "only about 5–15% of leads are sales-ready at first contact").
func references() []reference {
	return []reference{
		{From: "mql", To: "sql", Rate: 0.13, Label: "published reference: MQL→SQL ≈ 13%",
			Source: "a commonly quoted B2B rule of thumb, for context only"},
	}
}

// referenceFor returns the published reference for the step from→to, if any.
func referenceFor(from, to string) (reference, bool) {
	for _, r := range references() {
		if r.From == from && r.To == to {
			return r, true
		}
	}
	return reference{}, false
}

// slaReferenceDays is the response time drawn when Options.SLADays is 0: a
// one-business-day response to an MQL, a common SLA, shown labelled as a
// reference rather than as the team's own commitment.
const slaReferenceDays = 1.0
