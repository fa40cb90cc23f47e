package gen

// Stage histories are drawn after the outcome, from the outcome and
// independent noise only, never from the lead's actions, channel or
// profile, up to the lead's first entry into a sales-owned stage (sal, sql,
// opportunity): so "not yet handed to sales at age ℓ" selects leads on the
// outcome alone, and a logistic fit at a landmark keeps the true slopes
// (only its intercept moves). What happens after that first entry
// (disqualifying students, amounts) may depend on the profile.
//
// As in life, winners are handed to sales sooner than losers: a winner's
// first sales entry is at winnerSalesMin + Exp(winnerSalesMean) days (about
// 28% before the planted age of 7 days); a loser that reaches sales gets
// there at loserSalesMin + Exp(loserSalesMean) days.

// Timing of the first entry into a sales-owned stage, days after creation.
const (
	winnerSalesMin  = 3.0
	winnerSalesMean = 12.0
	loserSalesMin   = 5.0
	loserSalesMean  = 30.0
	// salesMaxDays caps a winner's first sales entry, leaving time to close
	// within the horizon.
	salesMaxDays = 120.0
)

// Funnel rates. Before the first sales entry none depends on the profile.
const (
	pLoserSales      = 0.075 // a loser reaches sales (SAL, or SQL directly)
	pLoserMQLOnly    = 0.13  // a loser reaches MQL but is not accepted then
	pUnworked        = 0.12  // such an MQL is never called (it goes to nurture)
	pWinnerRecycled  = 0.15  // a winner had an earlier MQL that was recycled
	pSQLAfterSAL     = 0.10  // a losing SAL → SQL
	pOppAfterSQL     = 0.60  // a losing SQL → opportunity (then lost)
	pOppDirect       = 0.55  // a losing direct-referral SQL → opportunity
	pReturn          = 0.30  // a recycled or nurtured lead comes back to MQL
	pAcceptReturn    = 0.35  // a returning MQL is accepted
	pUnworkedAgain   = 0.15  // a returning MQL is not called either
	pDisqBeforeSales = 0.25  // a rejected lead never accepted is disqualified
)

// addLate adds an event drawn after the outcome; it is never before the
// landmark, so the truth's features do not change.
func (s *simulator) addLate(l *lead, t int64, a action) {
	s.addEvent(l, max(t, l.landmark), a)
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

// mqlBefore returns the MQL time of a lead that sales first calls at call:
// call minus the speed to lead, kept after creation.
func (s *simulator) mqlBefore(l *lead, call int64) int64 {
	return call - min(s.speedToLead(), (call-l.created)*4/5)
}

// wonPath writes the stage history of a lead that wins within the horizon:
// its first sales entry at winnerSalesMin + Exp(winnerSalesMean) days, as
// SAL after an MQL (some after an earlier MQL that was recycled or left in
// nurture) or, for some referrals, straight at SQL; then SQL, opportunity
// and a won outcome, with a buying burst of high-intent events after
// acceptance (the leakage trap).
func (s *simulator) wonPath(l *lead, ch *channelSpec) {
	deadline := l.created + horizonSecs - hour
	sales := l.created + int64(min(winnerSalesMin+s.exp(winnerSalesMean), salesMaxDays)*day)
	if ch.directSQL > 0 && s.r.Float64() < ch.directSQL {
		l.stage(sales, stSQL)
		c := s.cycle(deadline - sales)
		l.stage(sales+int64(float64(c)*s.uniform(0.1, 0.4)), stOpportunity)
		s.close(l, sales+c)
		s.winnerBurst(l, sales)
		return
	}
	mql := s.mqlBefore(l, sales)
	if s.r.Float64() < pWinnerRecycled {
		first := l.created + int64(float64(mql-l.created)*s.uniform(0.05, 0.5))
		l.stage(first, stMQL)
		st := stRecycled
		if s.r.Float64() < pUnworked {
			st = stNurture
		}
		l.stage(first+int64(float64(mql-first)*s.uniform(0.2, 0.6)), st)
		// It came back with a high-intent action, seen only after the
		// landmark (earlier, it would change the truth's features).
		if back := mql - int64(s.uniform(1, 60)*minute); back >= l.landmark {
			a := aDemoRequest
			if s.r.Float64() < 0.5 {
				a = aTalkToSales
			}
			s.addEvent(l, back, a)
		}
	}
	l.stage(mql, stMQL)
	l.stage(sales, stSAL)
	c := s.cycle(deadline - sales)
	closeAt := sales + c
	sql := sales + int64(float64(c)*s.uniform(0.05, 0.25))
	opp := sql + int64(float64(closeAt-sql)*s.uniform(0.1, 0.5))
	l.stage(sql, stSQL)
	l.stage(opp, stOpportunity)
	s.close(l, closeAt)
	s.winnerBurst(l, sales)
}

// winnerBurst adds the high-intent events of a winner's buying cycle,
// between its acceptance by sales (or the landmark, if later) and the close.
func (s *simulator) winnerBurst(l *lead, accepted int64) {
	s.burst(l, accepted, l.closed, aDemoRequest, 1.2)
	s.burst(l, accepted, l.closed, aPricingPage, 2.0)
	s.burst(l, accepted, l.closed, aTalkToSales, 0.7)
	s.burst(l, accepted, l.closed, aFreeTrial, 0.4)
	s.burst(l, accepted, l.closed, aCaseStudy, 0.8)
}

// otherPath writes the stage history of a lead that does not win within the
// horizon: most never leave lead; some reach sales (SAL after an MQL, or a
// referral straight at SQL) at loserSalesMin + Exp(loserSalesMean) days and
// are then recycled, disqualified or lost; some reach MQL and are not
// accepted (recycled, disqualified, or left in nurture), and may come back.
func (s *simulator) otherPath(l *lead, ch *channelSpec) {
	u := s.r.Float64()
	if u >= pLoserSales+pLoserMQLOnly {
		return
	}
	sales := l.created + int64((loserSalesMin+s.exp(loserSalesMean))*day)
	if u < pLoserSales {
		if ch.directSQL > 0 && s.r.Float64() < ch.directSQL {
			l.stage(sales, stSQL)
			s.afterSQL(l, sales, pOppDirect, true)
			return
		}
		l.stage(s.mqlBefore(l, sales), stMQL)
		l.stage(sales, stSAL)
		s.afterSAL(l, sales, true)
		return
	}
	// Not accepted: sales would have called at `sales`.
	mql := s.mqlBefore(l, sales)
	l.stage(mql, stMQL)
	if s.r.Float64() < pUnworked {
		n := mql + 14*day
		l.stage(n, stNurture)
		s.maybeReturn(l, n)
		return
	}
	s.rejected(l, sales, true, false)
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
	s.rejected(l, sal+int64(s.uniform(0.2, 10)*day), again, true)
}

func (s *simulator) afterSQL(l *lead, sql int64, pOpp float64, again bool) {
	if s.r.Float64() >= pOpp {
		s.rejected(l, sql+int64(s.uniform(3, 30)*day), again, true)
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
// once when again is true. A lead sales has worked (inSales) is
// disqualified mostly when a student or competitor; before any sales
// entry the chance does not depend on the profile.
func (s *simulator) rejected(l *lead, t int64, again, inSales bool) {
	pDisq := pDisqBeforeSales
	if inSales {
		pDisq = 0.2
		if a := l.attrs[attrTitle]; a == titleStudent || a == titleCompetitor {
			pDisq = 0.8
		}
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
// months later, after a high-intent action, for one more try.
func (s *simulator) maybeReturn(l *lead, t int64) {
	if s.r.Float64() >= pReturn {
		return
	}
	back := t + int64(s.uniform(30, 150)*day)
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
	s.rejected(l, call, false, hadSales(l))
}

// hadSales reports whether the lead has entered a sales-owned stage.
func hadSales(l *lead) bool {
	for _, st := range l.stages {
		if st.s == stSAL || st.s == stSQL || st.s == stOpportunity {
			return true
		}
	}
	return false
}

// qualityColumn is the leads.csv column sales fills in.
const qualityColumn = "lead_quality"

// qualityValues are the values of the sales-filled lead_quality column;
// index 0 is an empty cell.
var qualityValues = [...]string{"", "A", "B", "C"}

// Cumulative shares of A, B and C among qualified winners and others.
var (
	qualityCumWon  = []float64{0.60, 0.95, 1}
	qualityCumLost = []float64{0.15, 0.60, 1}
)

// quality draws lead_quality, which sales fills in once it has qualified a
// lead (reached SQL before the end of the data), mostly A or B for leads
// that go on to win and B or C for the others; a few leads sales accepted
// but never qualified get a C. It is a leak: filled after the fact, nearly
// only for winners, and not part of the truth.
func (s *simulator) quality(l *lead) uint8 {
	var sql, sal bool
	for _, st := range l.stages {
		if st.t >= s.end {
			break
		}
		sql = sql || st.s == stSQL
		sal = sal || st.s == stSAL
	}
	u := s.r.Float64()
	switch {
	case sql && u < 0.97:
		v := s.r.Float64()
		if l.won {
			return uint8(1 + pickCum(qualityCumWon, v))
		}
		return uint8(1 + pickCum(qualityCumLost, v))
	case sal && u < 0.08:
		return 3
	}
	return 0
}
