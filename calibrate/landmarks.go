package calibrate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file holds what a run does with landmark snapshots: the default
// ages, the split by lead, landmarks without targets, and per-lead figures.

// landmarkCandidates are the ages DefaultLandmarks picks from, in days.
var landmarkCandidates = [...]float64{1, 3, 7, 14, 30, 60, 90}

// minLandmarkPositives is the fewest training snapshots reaching the target
// a landmark needs to be fitted; with fewer its intercept cannot be
// estimated (late landmarks often hold no future winner at all: every
// winner was handed over before).
const minLandmarkPositives = 5

// DefaultLandmarks returns the default landmark ages: 1, 3, 7, 14, 30, 60
// and 90 days, as far as they are within maxDays (at least the first).
func DefaultLandmarks(maxDays float64) []float64 {
	out := []float64{landmarkCandidates[0]}
	for _, d := range landmarkCandidates[1:] {
		if d <= maxDays {
			out = append(out, d)
		}
	}
	return out
}

// ParseLandmarks parses a --landmarks value: ages in days, comma-separated,
// ascending and not negative ("1,3,7").
func ParseLandmarks(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsInf(d, 0) || math.IsNaN(d) {
			return nil, fmt.Errorf("landmark %q is not a number of days", f)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no landmark ages in %q", s)
	}
	return out, checkLandmarks(out, math.Inf(1))
}

// checkLandmarks checks that landmark ages are ascending, not negative and
// within the horizon.
func checkLandmarks(days []float64, horizon float64) error {
	if len(days) == 0 {
		return fmt.Errorf("no landmark ages")
	}
	if len(days) > math.MaxInt8 {
		return fmt.Errorf("%d landmark ages: at most %d", len(days), math.MaxInt8)
	}
	for i, d := range days {
		if !(d >= 0) {
			return fmt.Errorf("landmark age %g days is negative", d)
		}
		if i > 0 && d <= days[i-1] {
			return fmt.Errorf("landmark ages %s are not ascending", daysList(days))
		}
		if d >= horizon {
			return fmt.Errorf("landmark age %g days is not inside the %g-day outcome window", d, horizon)
		}
	}
	return nil
}

// daysList formats ages as "1, 3, 7".
func daysList(days []float64) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.FormatFloat(d, 'f', -1, 64)
	}
	return strings.Join(parts, ", ")
}

// matureRows returns the rows of mature leads and how many leads they are.
func matureRows(l *Leads) (rows []int, leads int) {
	rows = make([]int, 0, l.Len()) // most rows are mature: sized once
	for i := range l.IDs {
		if l.Mature[i] {
			rows = append(rows, i)
			if l.Seq[i] == 0 || i == 0 || l.Rows[i-1] != l.Rows[i] {
				leads++
			}
		}
	}
	return rows, leads
}

// newLead reports whether row i starts a lead among rows (rows[k] == i).
func newLead(l *Leads, rows []int, k int) bool {
	return k == 0 || l.Rows[rows[k]] != l.Rows[rows[k-1]]
}

// countLeads counts the distinct leads among rows (a lead's rows adjacent).
func countLeads(l *Leads, rows []int) int {
	n := 0
	for k := range rows {
		if newLead(l, rows, k) {
			n++
		}
	}
	return n
}

// splitByLead holds out the newest share of mature leads, all snapshots of
// a lead on the same side: the out-of-time split by creation cohort.
func splitByLead(l *Leads, mature []int, share float64) (train, test []int) {
	leads := countLeads(l, mature)
	nTest := int(math.Round(share * float64(leads)))
	cut, seen := len(mature), 0
	for k := range mature {
		if newLead(l, mature, k) {
			if seen == leads-nTest {
				cut = k
				break
			}
			seen++
		}
	}
	return mature[:cut], mature[cut:]
}

// dropEmptyLandmarks leaves out the landmarks whose training snapshots hold
// fewer than minLandmarkPositives targets, with a note: they carry no
// information about the target and would only make the fit separate.
func dropEmptyLandmarks(res *Result, l *Leads, train, test []int) ([]int, []int) {
	if len(l.LandmarkDays) == 0 {
		return train, test
	}
	pos := make([]int, len(l.LandmarkDays))
	n := make([]int, len(l.LandmarkDays))
	dated := 0
	for _, i := range train {
		n[l.Landmark[i]]++
		if l.Label[i] == 1 {
			pos[l.Landmark[i]]++
		}
		if !l.Created[i].IsZero() {
			dated++
		}
	}
	if dated == 0 {
		res.Warnings = append(res.Warnings, "no training lead has a creation date: each is one snapshot of its channel and attributes, without landmarks or actions")
	}
	drop := make([]bool, len(l.LandmarkDays))
	var kept []float64
	for k, d := range l.LandmarkDays {
		if n[k] == 0 && dated == 0 {
			drop[k] = true // undated leads all sit at the first landmark
			continue
		}
		if pos[k] < minLandmarkPositives {
			drop[k] = true
			res.Options.LandmarksDropped = append(res.Options.LandmarksDropped, d)
			res.Warnings = append(res.Warnings, fmt.Sprintf("landmark %g days left out: its %d training snapshots hold %d leads that reached the target (at least %d are needed); the targets were handed to sales before that age",
				d, n[k], pos[k], minLandmarkPositives))
			continue
		}
		kept = append(kept, d)
	}
	res.Options.Landmarks = kept
	keep := func(rows []int) []int {
		out := make([]int, 0, len(rows))
		for _, i := range rows {
			if !drop[l.Landmark[i]] {
				out = append(out, i)
			}
		}
		return out
	}
	return keep(train), keep(test)
}

// fillLandmarks records each fitted landmark's intercept: the fit's for the
// first, plus its column's weight for the others.
func fillLandmarks(res *Result, fit *LogitFit, d *design, l *Leads, train []int) {
	n := map[int8]int{}
	pos := map[int8]int{}
	for _, i := range train {
		k := l.Landmark[i]
		n[k]++
		if l.Label[i] == 1 {
			pos[k]++
		}
	}
	for k, days := range l.LandmarkDays {
		if n[int8(k)] == 0 {
			continue
		}
		li := LandmarkIntercept{Days: days, Intercept: fit.Intercept, SE: fit.SE[0], Snapshots: n[int8(k)], Positives: pos[int8(k)]}
		if j, ok := d.landmarkCol[int8(k)]; ok {
			li.Intercept += fit.Coef[j]
			// Var(b0 + bj) = Var(b0) + Var(bj) + 2 Cov(b0, bj).
			li.SE = math.Sqrt(fit.Cov(0, 0) + fit.Cov(j+1, j+1) + 2*fit.Cov(0, j+1))
		}
		res.Landmarks = append(res.Landmarks, li)
	}
}

// maxPerLead turns the scores of snapshot rows into one score per lead: its
// highest, the score at which a live scorer would first have handed it over.
// leadRows are the first row of each lead.
func maxPerLead(l *Leads, rows []int, scores []int) (leadRows []int, leadScores []int) {
	for k, i := range rows {
		if newLead(l, rows, k) {
			leadRows = append(leadRows, i)
			leadScores = append(leadScores, scores[k])
			continue
		}
		last := len(leadScores) - 1
		leadScores[last] = max(leadScores[last], scores[k])
	}
	return leadRows, leadScores
}

// todayMQLs sets the team's own MQL figures on the test leads (the leads
// that entered an MQL stage, per month, and their target rate) and returns
// the volume; 0 when no test lead entered one.
func todayMQLs(res *Result, l *Leads, leadRows []int) float64 {
	mqls, wins := 0, 0
	for _, i := range leadRows {
		if l.Qualified[i] {
			mqls++
			if l.Label[i] == 1 {
				wins++
			}
		}
	}
	if mqls == 0 || !(res.Options.TestMonths > 0) {
		return 0
	}
	res.Threshold.TodayMQLsPerMonth = float64(mqls) / res.Options.TestMonths
	res.Threshold.TodayPrecision = float64(wins) / float64(mqls)
	return res.Threshold.TodayMQLsPerMonth
}
