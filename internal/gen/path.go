package gen

// path is what happened to a lead before its outcome was drawn. Times are
// Unix seconds; -1 means it did not happen.
type path struct {
	direct   bool  // a referral that entered straight at SQL (at sql)
	mql      int64 // the current score crossed the threshold
	unworked bool  // the MQL was never called (it goes to nurture)
	call     int64 // first sales call after the MQL
	sal      int64 // accepted at that call, before the observation window ended
	sql      int64
}

// Funnel rates of leads that do not win (winners always reach SQL).
const (
	pSQLAfterSAL   = 0.10 // SAL → SQL
	pOppAfterSQL   = 0.60 // SQL → opportunity (then lost)
	pOppDirect     = 0.55 // direct-referral SQL → opportunity (then lost)
	pReturn        = 0.30 // a recycled or nurtured lead comes back to MQL
	pAcceptReturn  = 0.35 // a returning MQL is accepted
	pUnworkedAgain = 0.15 // a returning MQL is not called either
)

// addLate adds an event drawn after the outcome; it is never before the
// cut-off, so the truth's features do not change.
func (s *simulator) addLate(l *lead, t int64, a action) {
	s.addEvent(l, max(t, l.cutoff), a)
}

func (s *simulator) close(l *lead, t int64) {
	l.hasOutcome = true
	l.closed = t
	l.amount = s.amount(l)
}

// cycle draws the time from sales acceptance to close of a winner, seconds:
// median 55 days, always within avail.
func (s *simulator) cycle(avail int64) int64 {
	c := s.lognormal(55*day, 0.45)
	if c > 0.95*float64(avail) {
		c = float64(avail) * s.uniform(0.4, 0.95)
	}
	return min(max(int64(c), day), avail)
}

// wonPath writes the stage history of a lead that wins within the horizon:
// through SAL (or straight to SQL for a direct referral), SQL and
// opportunity to a won outcome, with many high-intent events after the
// cut-off (the leakage trap).
func (s *simulator) wonPath(l *lead, p *path) {
	deadline := l.created + horizonSecs - hour
	var start int64
	switch {
	case p.direct:
		l.stage(p.sql, stSQL)
		c := s.cycle(deadline - p.sql)
		l.stage(p.sql+int64(float64(c)*s.uniform(0.1, 0.4)), stOpportunity)
		s.close(l, p.sql+c)
		s.winnerBurst(l)
		return
	case p.sal >= 0:
		l.stage(p.mql, stMQL)
		l.stage(p.sal, stSAL)
		start = p.sal
	default:
		start = s.reengage(l, p)
		l.stage(start, stSAL)
	}
	c := s.cycle(deadline - start)
	closeAt := start + c
	sql := start + int64(float64(c)*s.uniform(0.05, 0.25))
	opp := sql + int64(float64(closeAt-sql)*s.uniform(0.1, 0.5))
	l.stage(sql, stSQL)
	l.stage(opp, stOpportunity)
	s.close(l, closeAt)
	s.winnerBurst(l)
}

// winnerBurst adds the high-intent events of a winner's buying cycle,
// between the cut-off and the close.
func (s *simulator) winnerBurst(l *lead) {
	s.burst(l, l.cutoff, l.closed, aDemoRequest, 1.2)
	s.burst(l, l.cutoff, l.closed, aPricingPage, 2.0)
	s.burst(l, l.cutoff, l.closed, aTalkToSales, 0.7)
	s.burst(l, l.cutoff, l.closed, aFreeTrial, 0.4)
	s.burst(l, l.cutoff, l.closed, aCaseStudy, 0.8)
}

// reengage writes the MQL history of a winner that was not accepted by
// sales before its observation window ended, and returns its SAL time, at
// or after the end of the window.
func (s *simulator) reengage(l *lead, p *path) int64 {
	obsEnd := l.created + observeSecs
	switch {
	case p.mql >= 0 && p.mql < obsEnd:
		l.stage(p.mql, stMQL)
		switch {
		case p.unworked:
			n := p.mql + 14*day
			l.stage(n, stNurture)
			return s.comeBack(l, max(n, obsEnd))
		case p.call < obsEnd: // not accepted at the first call
			l.stage(p.call, stRecycled)
			return s.comeBack(l, obsEnd)
		}
		return p.call
	case p.mql >= 0 && p.mql < l.created+90*day:
		l.stage(p.mql, stMQL)
		if p.unworked {
			return p.mql + s.speedToLead()
		}
		return p.call
	}
	return s.comeBack(l, obsEnd)
}

// comeBack has a winner return some days after `after` with a high-intent
// action that makes it an MQL, and returns the time sales accepts it.
func (s *simulator) comeBack(l *lead, after int64) int64 {
	back := after + int64(s.uniform(1, 20)*day)
	a := aDemoRequest
	if s.r.Float64() < 0.5 {
		a = aTalkToSales
	}
	s.addLate(l, back-int64(s.uniform(1, 60)*minute), a)
	l.stage(back, stMQL)
	return back + s.speedToLead()
}

// otherPath writes the stage history of a lead that does not win within the
// horizon: most never leave lead; MQLs are accepted, recycled, nurtured or
// disqualified; some reach SQL and opportunity and are lost.
func (s *simulator) otherPath(l *lead, p *path) {
	obsEnd := l.created + observeSecs
	switch {
	case p.direct:
		l.stage(p.sql, stSQL)
		s.afterSQL(l, p.sql, pOppDirect, true)
	case p.sal >= 0:
		l.stage(p.mql, stMQL)
		l.stage(p.sal, stSAL)
		s.afterSAL(l, p.sal, true)
	case p.mql >= 0:
		l.stage(p.mql, stMQL)
		switch {
		case p.unworked:
			n := p.mql + 14*day
			l.stage(n, stNurture)
			s.maybeReturn(l, n)
		case p.call < obsEnd:
			s.rejected(l, p.call, true)
		case s.r.Float64() < acceptChance(l):
			l.stage(p.call, stSAL)
			s.afterSAL(l, p.call, true)
		default:
			s.rejected(l, p.call, true)
		}
	}
}

func (s *simulator) afterSAL(l *lead, sal int64, again bool) {
	if s.r.Float64() < pSQLAfterSAL {
		sql := sal + int64(s.uniform(1, 14)*day)
		l.stage(sql, stSQL)
		s.burst(l, sal, sql, aPricingPage, 0.5)
		s.afterSQL(l, sql, pOppAfterSQL, again)
		return
	}
	s.burst(l, sal, sal+10*day, aPricingPage, 0.3)
	s.rejected(l, sal+int64(s.uniform(0.2, 10)*day), again)
}

func (s *simulator) afterSQL(l *lead, sql int64, pOpp float64, again bool) {
	if s.r.Float64() >= pOpp {
		s.rejected(l, sql+int64(s.uniform(3, 30)*day), again)
		return
	}
	opp := sql + int64(s.uniform(2, 21)*day)
	l.stage(opp, stOpportunity)
	lost := opp + max(int64(s.lognormal(45*day, 0.6)), day)
	s.burst(l, opp, lost, aDemoRequest, 0.5)
	s.burst(l, opp, lost, aPricingPage, 1.0)
	s.burst(l, opp, lost, aTalkToSales, 0.2)
	s.burst(l, opp, lost, aCaseStudy, 0.4)
	s.close(l, lost)
}

// rejected recycles or disqualifies a lead at t; recycled leads may return
// once when again is true.
func (s *simulator) rejected(l *lead, t int64, again bool) {
	pDisq := 0.2
	if a := l.attrs[attrTitle]; a == titleStudent || a == titleCompetitor {
		pDisq = 0.8
	}
	if s.r.Float64() < pDisq {
		l.stage(t, stDisqualified)
		return
	}
	l.stage(t, stRecycled)
	if again {
		s.maybeReturn(l, t)
	}
}

// maybeReturn has a recycled or nurtured lead come back to MQL one to five
// months later, after the observation window, for one more try.
func (s *simulator) maybeReturn(l *lead, t int64) {
	if s.r.Float64() >= pReturn {
		return
	}
	back := max(t+int64(s.uniform(30, 150)*day), l.created+observeSecs+int64(s.uniform(0, 5)*day))
	a := aPricingPage
	if s.r.Float64() < 0.5 {
		a = aWebinarAttended
	}
	s.addLate(l, back-int64(s.uniform(1, 60)*minute), a)
	l.stage(back, stMQL)
	if s.r.Float64() < pUnworkedAgain {
		l.stage(back+14*day, stNurture)
		return
	}
	call := back + s.speedToLead()
	if s.r.Float64() < pAcceptReturn {
		l.stage(call, stSAL)
		s.afterSAL(l, call, false)
		return
	}
	s.rejected(l, call, false)
}
