package gen

import "math"

// model holds the lookup tables derived from the planted model (spec.go),
// built once per Generate and read-only afterwards.
type model struct {
	channelCum []float64
	attrCum    [numAttrs][]float64
	freeCum    []float64
	// Background activity: for each window (early, late) and group
	// (engagement, intent), the actions, their cumulative shares and the
	// total expected count for a propensity of 1.
	early, late [2]actionTable
	// steady are the null actions (groupSteady) with their rates per day.
	steady []steadyAction
	// weights and points indexed by action.
	weight [numActions]float64
	points [numActions]int
	// companyDomains are the made-up corporate domains.
	companyDomains []string
}

type steadyAction struct {
	a      action
	perDay float64
}

type actionTable struct {
	actions []action
	cum     []float64
	total   float64
}

func (t *actionTable) pick(u float64) action {
	return t.actions[pickCum(t.cum, u)]
}

// pickCum returns the index i with cum[i-1] <= u·cum[last] < cum[i].
func pickCum(cum []float64, u float64) int {
	x := u * cum[len(cum)-1]
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

func cumulative(shares []float64) []float64 {
	cum := make([]float64, len(shares))
	var s float64
	for i, x := range shares {
		s += x
		cum[i] = s
	}
	return cum
}

func newModel() *model {
	m := &model{}
	shares := make([]float64, len(channelSpecs))
	for i, c := range channelSpecs {
		shares[i] = c.share
	}
	m.channelCum = cumulative(shares)
	for a, spec := range attrSpecs {
		s := make([]float64, len(spec.values))
		for i, v := range spec.values {
			s[i] = v.share
		}
		m.attrCum[a] = cumulative(s)
	}
	fs := make([]float64, len(freeDomains))
	for i, d := range freeDomains {
		fs[i] = d.share
	}
	m.freeCum = cumulative(fs)
	for a, spec := range actionSpecs {
		m.weight[a] = spec.weight
		m.points[a] = spec.points
		switch spec.group {
		case groupNone:
			continue
		case groupSteady:
			m.steady = append(m.steady, steadyAction{action(a), spec.early})
			continue
		}
		g := 0
		if spec.group == groupIntent {
			g = 1
		}
		for w, tab := range []*[2]actionTable{&m.early, &m.late} {
			rate := spec.early
			if w == 1 {
				rate = spec.late
			}
			t := &tab[g]
			t.actions = append(t.actions, action(a))
			t.total += rate
			t.cum = append(t.cum, t.total)
		}
	}
	for _, a := range domainSyllables {
		for _, b := range domainSyllables {
			m.companyDomains = append(m.companyDomains, a+b)
		}
	}
	return m
}

// appendDomain appends the e-mail domain of l.
func (m *model) appendDomain(b []byte, l *lead) []byte {
	if l.attrs[attrEmailType] == emailFree {
		return append(b, freeDomains[l.freeDomain].domain...)
	}
	n := len(m.companyDomains)
	b = append(b, m.companyDomains[l.company%n]...)
	return append(b, domainTLDs[l.company/n%len(domainTLDs)]...)
}

// sigmoid is 1/(1+e^−z).
func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
