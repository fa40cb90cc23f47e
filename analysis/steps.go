package analysis

// Step is a pair of funnel stages a rate is measured between, From before
// To.
type Step struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// StepRate is the windowed rate of a Step over one group's base (see
// Funnel): Num leads of the base reached To within the window, of Den that
// reached From within the window (the base itself when From is the first
// stage), with its 95% Wilson interval.
type StepRate struct {
	From string `json:"from"`
	To   string `json:"to"`
	Proportion
}

// keyStepPairs are the step rates every breakdown and the comparison show,
// as stage indexes: first→second stage (lead→mql), Qualified→"sql" when the
// funnel has a stage named sql after the qualified one, and Qualified→last
// (mql→won); duplicates dropped.
func keyStepPairs(m StageModel) [][2]int {
	q := m.index(m.Qualified)
	last := len(m.Stages) - 1
	pairs := [][2]int{{0, 1}}
	if s := m.index("sql"); s > q {
		pairs = append(pairs, [2]int{q, s})
	}
	pairs = append(pairs, [2]int{q, last})
	out := pairs[:0]
	seen := map[[2]int]bool{}
	for _, p := range pairs {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// keySteps names keyStepPairs.
func keySteps(m StageModel) []Step {
	pairs := keyStepPairs(m)
	out := make([]Step, len(pairs))
	for i, p := range pairs {
		out[i] = Step{From: m.Stages[p[0]], To: m.Stages[p[1]]}
	}
	return out
}

// stepRates returns f's rate of each pair over its base:
//
//	Wilson(converted[to], converted[from]), converted[0] = Base
func (f Funnel) stepRates(stages []string, pairs [][2]int) []StepRate {
	out := make([]StepRate, len(pairs))
	for i, p := range pairs {
		out[i] = StepRate{From: stages[p[0]], To: stages[p[1]], Proportion: Wilson(f.converted(p[1]), f.converted(p[0]))}
	}
	return out
}

// setSteps fills Steps of every funnel of r with the key step rates.
func (r *Report) setSteps(m StageModel) {
	pairs := keyStepPairs(m)
	set := func(f *Funnel) { f.Steps = f.stepRates(m.Stages, pairs) }
	set(&r.Total)
	set(&r.ActionPopulation)
	for i := range r.ByChannel {
		set(&r.ByChannel[i].Funnel)
	}
	for i := range r.ByAction {
		set(&r.ByAction[i].Funnel)
	}
	for i := range r.ByMonth {
		set(&r.ByMonth[i].Funnel)
	}
	if r.ByAttribute != nil {
		for i := range r.ByAttribute.Rows {
			set(&r.ByAttribute.Rows[i].Funnel)
		}
	}
}

// Step returns f's rate from → to among Steps, and whether it is there.
func (f Funnel) Step(from, to string) (StepRate, bool) {
	for _, s := range f.Steps {
		if s.From == from && s.To == to {
			return s, true
		}
	}
	return StepRate{}, false
}
