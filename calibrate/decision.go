package calibrate

// Decision sets the proposed scoring beside today's on the same test
// leads, one lead counted once (its highest score over its snapshots): the
// figures a reader needs to accept or refuse the change. Every count is
// over the test period, TestMonths long.
type Decision struct {
	// TestLeads is the number of test leads; Targets of them reached the target.
	TestLeads int `json:"test_leads"`
	Targets   int `json:"targets"`
	// Proposed is what the proposed model at its threshold gave.
	Proposed BacktestTotals `json:"proposed"`
	// Comparisons set today's way of choosing MQLs beside the proposed
	// one: the team's MQL stage (basis "mql_stage", when the data has MQL
	// entries among the test leads) and the current model file (basis
	// "current_model", when one was given). Empty when there is neither.
	Comparisons []Comparison `json:"comparisons"`
}

// Comparison is one of today's ways of choosing MQLs against the proposed
// model on the test leads.
type Comparison struct {
	// Basis is "mql_stage" (the leads that entered an MQL stage at any
	// time) or "current_model" (the current model file at its threshold).
	Basis string `json:"basis"`
	// Today is what that way gave; its Threshold is 0 for "mql_stage".
	Today BacktestTotals `json:"today"`
	// ChangedSide counts the leads that would change side if the proposed
	// model replaced it: NewMQLs are MQLs under the proposed model only,
	// DroppedMQLs under today's only, each with those that reached the
	// target. Its Sample is empty.
	Changed ChangedSide `json:"changed"`
}

// Comparison bases.
const (
	BasisMQLStage     = "mql_stage"
	BasisCurrentModel = "current_model"
)

// decide fills res.Decision from the test leads (leadRows: each lead's first
// row; scores: its highest proposed score), the proposed threshold, and the
// current model's backtest bt (nil when none was given).
func decide(res *Result, l *Leads, leadRows, scores []int, bt *Backtest) {
	months := res.Options.TestMonths
	stage := make([]int, len(leadRows))
	anyStage := false
	for k, i := range leadRows {
		if l.Qualified != nil && l.Qualified[i] {
			stage[k], anyStage = 1, true
		}
	}
	// The MQL stage is a model with one point for entering it and a
	// threshold of 1.
	byStage := compareModels(BasisMQLStage, 1, stage, res.Threshold.Points, scores, l, leadRows, months)
	d := Decision{TestLeads: len(leadRows), Proposed: byStage.Proposed, Comparisons: []Comparison{}}
	for _, i := range leadRows {
		if l.Label[i] == 1 {
			d.Targets++
		}
	}
	if anyStage {
		today := byStage.Current
		today.Threshold = 0
		d.Comparisons = append(d.Comparisons, comparison(BasisMQLStage, today, byStage.Changed))
	}
	if bt != nil {
		d.Comparisons = append(d.Comparisons, comparison(BasisCurrentModel, bt.Current, bt.Changed))
	}
	res.Decision = d
}

// comparison is a Comparison without the changed leads' sample.
func comparison(basis string, today BacktestTotals, ch ChangedSide) Comparison {
	ch.Sample = []ChangedLead{}
	return Comparison{Basis: basis, Today: today, Changed: ch}
}
