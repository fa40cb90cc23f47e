package analysis

import "github.com/funnel-dev/funnel/queries"

// cell is one histogram cell: leads sharing the latest stage reached ever
// and within the window, maturity and openness.
type cell struct {
	maxIdx, maxIdxW int
	immature, open  bool
}

// histogram counts leads per cell. It is what every funnel row is summed
// from.
type histogram map[cell]int64

func (h histogram) add(g queries.FunnelGroup) {
	h[cell{g.MaxIdx, g.MaxIdxWindow, g.Immature, g.Open}] += g.Leads
}

// minus returns h − o cell by cell (o must be a sub-population of h).
func (h histogram) minus(o histogram) histogram {
	out := histogram{}
	for c, n := range h {
		if d := n - o[c]; d != 0 {
			out[c] = d
		}
	}
	return out
}

// funnel sums a histogram into a Funnel over the stages.
//
//	Reached[k]   = Σ leads with maxIdx ≥ k
//	MatureLeads  = Σ leads not immature; OpenLeads = Σ leads open
//	Base         = MatureLeads, or all leads when MatureLeads = 0
//	converted[k] = Σ leads of the base with maxIdxW ≥ k
//	Conversion[k−1].FromLead     = Wilson(converted[k], Base)
//	Conversion[k−1].FromPrevious = Wilson(converted[k], converted[k−1]) (converted[0] = Base)
func (h histogram) funnel(stages []string) Funnel {
	k := len(stages)
	reached := make([]int64, k)
	converted := make([]int64, k)
	var total, mature, open int64
	for c, n := range h {
		total += n
		if !c.immature {
			mature += n
		}
		if c.open {
			open += n
		}
		for i := 0; i <= c.maxIdx && i < k; i++ {
			reached[i] += n
		}
	}
	useMature := mature > 0
	for c, n := range h {
		if useMature && c.immature {
			continue
		}
		for i := 0; i <= c.maxIdxW && i < k; i++ {
			converted[i] += n
		}
	}
	f := Funnel{
		Reached:     make(StageCounts, k),
		MatureLeads: mature,
		OpenLeads:   open,
		Immature:    mature < total,
		Base:        converted[0],
	}
	if total > 0 {
		f.OpenShare = float64(open) / float64(total)
	}
	for i, s := range stages {
		f.Reached[i] = StageCount{Stage: s, Leads: reached[i]}
	}
	f.Conversion = make([]StageConversion, 0, k-1)
	for i := 1; i < k; i++ {
		f.Conversion = append(f.Conversion, StageConversion{
			Stage:        stages[i],
			Converted:    converted[i],
			FromLead:     Wilson(converted[i], converted[0]),
			FromPrevious: Wilson(converted[i], converted[i-1]),
		})
	}
	return f
}

// converted returns the windowed conversion count into stage index i
// (0: the base).
func (f Funnel) converted(i int) int64 {
	if i == 0 {
		return f.Base
	}
	if i-1 < len(f.Conversion) {
		return f.Conversion[i-1].Converted
	}
	return 0
}
