package calibrate

import (
	"math"
	"time"
)

// daysPerMonth is the mean Gregorian month, 365.25/12 days.
const daysPerMonth = 30.4375

// setPeriods records the creation times the training and test leads span
// and the test period's length in months, the divisor of MQLs per month.
// The test period runs from its first dated lead to its last; a period
// shorter than a day counts as a day. With the random split the test leads
// are a sample of the whole period, so its months count only as their share
// of the mature leads: MQLs per month then estimate the whole flow. Without
// any dated test lead TestMonths stays 0 and per-month figures are totals.
func setPeriods(res *Result, l *Leads, train, test []int) {
	ro := &res.Options
	ro.TrainFrom, ro.TrainTo = createdSpan(l, train)
	if len(test) == 0 {
		return
	}
	ro.TestFrom, ro.TestTo = createdSpan(l, test)
	if ro.TestFrom.IsZero() {
		res.Warnings = append(res.Warnings, "no test lead has a creation date: MQLs per month are totals over the test leads")
		return
	}
	days := math.Max(ro.TestTo.Sub(ro.TestFrom).Hours()/24, 1)
	ro.TestMonths = days / daysPerMonth
	if ro.Split == SplitRandom {
		from, to := createdSpan(l, append(append([]int{}, train...), test...))
		days = math.Max(to.Sub(from).Hours()/24, 1)
		ro.TestMonths = days / daysPerMonth * float64(res.Leads.Test) / float64(res.Leads.Train+res.Leads.Test)
	}
}

// createdSpan returns the earliest and latest creation time among rows,
// leaving out undated leads (zero times when none is dated).
func createdSpan(l *Leads, rows []int) (from, to time.Time) {
	for _, i := range rows {
		c := l.Created[i]
		if c.IsZero() {
			continue
		}
		if from.IsZero() || c.Before(from) {
			from = c
		}
		if c.After(to) {
			to = c
		}
	}
	return from, to
}

// monthOf formats t as YYYY-MM; "undated" for the zero time (an undated lead).
func monthOf(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.Format("2006-01")
}
