package gen

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// stage indexes the stage names written to stages.csv.
type stage uint8

const (
	stLead stage = iota
	stMQL
	stSAL
	stSQL
	stOpportunity
	stRecycled
	stNurture
	stDisqualified
)

var stageNames = [...]string{"lead", "mql", "sal", "sql", "opportunity", "recycled", "nurture", "disqualified"}

type event struct {
	t int64
	a action
	v int32 // value (minutes, pages); negative means none
}

type stageRow struct {
	t int64
	s stage
}

// lead is one simulated lead; its slices are reused from lead to lead.
type lead struct {
	created int64
	channel int
	attrs   [numAttrs]uint8
	// freeDomain indexes freeDomains when the e-mail is free, else company
	// indexes the corporate domain.
	freeDomain, company int
	events              []event
	stages              []stageRow
	hasOutcome, won     bool
	closed, amount      int64
	// landmark is created + plantedAgeDays: the truth counts the events
	// strictly before it, and everything drawn after the outcome happens at
	// or after it. logit is the truth's log-odds of winning.
	landmark int64
	logit    float64
	// quality is the sales-filled lead_quality value (index into
	// qualityValues; 0 is empty).
	quality uint8
}

// Time constants of the simulated behaviour, in seconds.
const (
	plantedSecs = plantedAgeDays * day
	earlySecs   = earlyDays * day
	horizonSecs = horizonDays * day
	earlyTau    = 12 * day // activity fades after creation with this time constant
	lateTau     = 90 * day // later activity fades with this time constant
	// unsubscribeTau front-loads early unsubscribes.
	unsubscribeTau = 7 * day
)

// simulator draws leads; one per worker, with the shard's random stream.
type simulator struct {
	r   *rand.Rand
	m   *model
	cal *calendar
	end int64
}

func (s *simulator) uniform(lo, hi float64) float64 { return lo + (hi-lo)*s.r.Float64() }

// lognormal returns a draw with the given median and log-scale sigma.
func (s *simulator) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*s.r.NormFloat64())
}

// poisson draws a Poisson count with mean lambda (Knuth's method, with a
// normal approximation above 50).
func (s *simulator) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 50 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*s.r.NormFloat64())))
	}
	limit := math.Exp(-lambda)
	k, p := 0, s.r.Float64()
	for p > limit {
		k++
		p *= s.r.Float64()
	}
	return k
}

// exp draws an exponential variate with the given mean.
func (s *simulator) exp(mean float64) float64 { return mean * s.r.ExpFloat64() }

// truncExp draws an offset in [0, length) from an exponential density with
// time constant tau truncated to the window.
func (s *simulator) truncExp(tau, length float64) int64 {
	f := 1 - math.Exp(-length/tau)
	x := -tau * math.Log1p(-s.r.Float64()*f)
	return min(int64(x), int64(length)-1)
}

func (s *simulator) addEvent(l *lead, t int64, a action) {
	v := int32(-1)
	switch a {
	case aPageView:
		v = 1
		for s.r.Float64() < 0.55 && v < 40 {
			v++
		}
	case aWebinarAttended:
		v = int32(5 + 55*math.Pow(s.r.Float64(), 0.7))
	}
	l.events = append(l.events, event{t: t, a: a, v: v})
}

// window adds a Poisson number (mean lambda) of background events from table
// in [start, start+length), front-loaded with time constant tau.
func (s *simulator) window(l *lead, start, length int64, tau, lambda float64, table *actionTable) {
	if length <= 0 {
		return
	}
	n := s.poisson(lambda)
	if n == 0 {
		return
	}
	f := 1 - math.Exp(-float64(length)/tau)
	for range n {
		x := -tau * math.Log1p(-s.r.Float64()*f)
		s.addEvent(l, start+min(int64(x), length-1), table.pick(s.r.Float64()))
	}
}

// burst adds a Poisson number (mean n) of events of action a uniformly in
// (from, to). It is drawn after the outcome, so it starts no earlier than
// the landmark: the truth's features do not change.
func (s *simulator) burst(l *lead, from, to int64, a action, n float64) {
	from = max(from, l.landmark-1)
	if to <= from+1 {
		return
	}
	for range s.poisson(n) {
		s.addEvent(l, from+1+int64(s.r.Float64()*float64(to-from-1)), a)
	}
}

func (l *lead) stage(t int64, st stage) { l.stages = append(l.stages, stageRow{t, st}) }

// simulate draws lead i: profile, behaviour (which does not depend on the
// outcome), the outcome from the truth at the planted age, and then a stage
// history whose timing depends on the outcome and independent noise only.
func (s *simulator) simulate(i int, l *lead) {
	r := s.r
	m := s.m
	*l = lead{events: l.events[:0], stages: l.stages[:0]}
	l.created = s.cal.created(i, r.Float64())
	l.channel = pickCum(m.channelCum, r.Float64())
	for a := range numAttrs {
		l.attrs[a] = uint8(pickCum(m.attrCum[a], r.Float64()))
	}
	if l.attrs[attrEmailType] == emailFree {
		l.freeDomain = pickCum(m.freeCum, r.Float64())
	} else {
		l.company = r.IntN(len(m.companyDomains) * len(domainTLDs))
	}
	ch := &channelSpecs[l.channel]
	l.landmark = l.created + plantedSecs
	l.stage(l.created, stLead)

	s.behave(l, ch)
	l.logit = s.logit(l)
	l.won = r.Float64() < sigmoid(l.logit)
	if l.won {
		s.wonPath(l, ch)
	} else {
		s.otherPath(l, ch)
	}
	slices.SortFunc(l.events, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.a, b.a), cmp.Compare(a.v, b.v))
	})
	slices.SortStableFunc(l.stages, func(a, b stageRow) int { return cmp.Compare(a.t, b.t) })
	l.quality = s.quality(l)
}

// behave draws the lead's activity that does not depend on the outcome: an
// event at creation from the channel, front-loaded activity in the first
// earlyDays, fading activity after them, the null actions at a steady rate
// from creation to the end of the data, webinar attendance after
// registrations, and unsubscribes (no e-mail clicks after one). Events at or
// after the end of the data are dropped, so the truth's logit uses only
// events that are written.
func (s *simulator) behave(l *lead, ch *channelSpec) {
	r, m := s.r, s.m
	created := l.created
	earlyEnd := created + earlySecs
	eng := min(math.Exp(0.75*r.NormFloat64()-0.75*0.75/2), 8) * ch.engagement
	buy := min(math.Exp(0.9*r.NormFloat64()-0.9*0.9/2), 10) * ch.intent
	if ch.first != noAction {
		s.addEvent(l, created, ch.first)
	}
	s.window(l, created, earlySecs, earlyTau, eng*m.early[0].total, &m.early[0])
	s.window(l, created, earlySecs, earlyTau, buy*m.early[1].total, &m.early[1])
	if lateLen := s.end - earlyEnd; lateLen > 0 {
		f := 1 - math.Exp(-float64(lateLen)/lateTau)
		s.window(l, earlyEnd, lateLen, lateTau, eng*f*m.late[0].total, &m.late[0])
		s.window(l, earlyEnd, lateLen, lateTau, buy*f*m.late[1].total, &m.late[1])
	}
	// The null actions: a rate of its own for each lead (mean 1,
	// independent of everything else), uniform over the lead's life.
	if life := s.end - created; life > 0 {
		steady := math.Exp(0.5*r.NormFloat64() - 0.5*0.5/2)
		for _, st := range m.steady {
			for range s.poisson(steady * st.perDay * float64(life) / day) {
				s.addEvent(l, created+int64(r.Float64()*float64(life)), st.a)
			}
		}
	}
	for _, e := range l.events {
		if e.a == aWebinarRegistered && r.Float64() < pAttend {
			s.addEvent(l, e.t+int64(s.uniform(1, 10)*day), aWebinarAttended)
		}
	}
	unsub := int64(-1)
	if r.Float64() < pUnsubscribeEarly {
		unsub = created + s.truncExp(unsubscribeTau, earlySecs)
	} else if r.Float64() < pUnsubscribeLate {
		unsub = earlyEnd + s.truncExp(lateTau, 365*day)
	}
	if unsub >= 0 {
		l.events = slices.DeleteFunc(l.events, func(e event) bool {
			return e.a == aEmailClick && e.t > unsub
		})
		s.addEvent(l, unsub, aUnsubscribe)
	}
	l.events = slices.DeleteFunc(l.events, func(e event) bool { return e.t >= s.end })
	slices.SortFunc(l.events, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.a, b.a), cmp.Compare(a.v, b.v))
	})
}

// logit computes the truth's log-odds of winning from the lead's profile and
// its events strictly before the planted age, each decayed from that moment:
// 0.5^((landmark − t)/halfLife).
func (s *simulator) logit(l *lead) float64 {
	z := intercept + channelSpecs[l.channel].weight
	for a := range numAttrs {
		z += attrSpecs[a].values[l.attrs[a]].weight
	}
	for _, e := range l.events {
		if e.t >= l.landmark {
			break // events are sorted by time
		}
		z += s.m.weight[e.a] * math.Exp2(-float64(l.landmark-e.t)/(halfLifeDays*day))
	}
	return z
}

// speedToLead is the delay from MQL to the first sales call, seconds:
// median 20 hours, from minutes to three weeks.
func (s *simulator) speedToLead() int64 {
	return int64(min(max(s.lognormal(20*hour, 1.2), 5*minute), 21*day))
}

// amount draws a deal size: lognormal, bigger for larger companies.
func (s *simulator) amount(l *lead) int64 {
	medians := [...]float64{9000, 22000, 48000, 120000}
	return int64(math.Round(s.lognormal(medians[l.attrs[attrSize]], 0.55)/100)) * 100
}
