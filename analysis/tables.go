package analysis

import (
	"context"
	"math/bits"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// period builds the period view: one row per calendar month from the first
// to the last month with an entry (months in between with no entry get
// zeros), restricted to [from, to). Entries into the first stage are leads
// created in the month: the cohort sizes of byMonth, whose cohorts are
// restricted to the same months.
func period(ctx context.Context, sess *queries.FunnelSession, stages []string, from, to time.Time, byMonth []MonthRow) ([]PeriodRow, error) {
	counts, err := sess.Period(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, m := range byMonth {
		t, err := ParseMonth(m.Month)
		if err != nil {
			return nil, err
		}
		counts = append(counts, queries.PeriodCount{Month: t, Idx: 0, Leads: m.Reached[0].Leads})
	}
	out := []PeriodRow{}
	if len(counts) == 0 {
		return out, nil
	}
	first, last := counts[0].Month, counts[0].Month
	entries := map[time.Time][]int64{}
	for _, c := range counts {
		if c.Month.Before(first) {
			first = c.Month
		}
		if c.Month.After(last) {
			last = c.Month
		}
		v, ok := entries[c.Month]
		if !ok {
			v = make([]int64, len(stages))
			entries[c.Month] = v
		}
		if c.Idx >= 0 && c.Idx < len(stages) {
			v[c.Idx] += c.Leads
		}
	}
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		row := PeriodRow{Month: monthString(m), Entries: make(StageCounts, len(stages))}
		v := entries[m]
		for i, s := range stages {
			row.Entries[i].Stage = s
			if v != nil {
				row.Entries[i].Leads = v[i]
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// compare builds the comparison of month (zero: the latest cohort month
// with no immature lead, else the latest month) with the month before and
// the year before, from the by_month rows.
func compare(rows []MonthRow, m StageModel, month time.Time) (*Comparison, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	byMonth := map[string]Funnel{}
	for _, r := range rows {
		byMonth[r.Month] = r.Funnel
	}
	var cur string
	if !month.IsZero() {
		cur = monthString(month)
	} else {
		cur = rows[len(rows)-1].Month
		for i := len(rows) - 1; i >= 0; i-- {
			if !rows[i].Immature {
				cur = rows[i].Month
				break
			}
		}
	}
	t, err := ParseMonth(cur)
	if err != nil {
		return nil, err
	}
	c := &Comparison{
		Month:         cur,
		PreviousMonth: monthString(t.AddDate(0, -1, 0)),
		YearAgoMonth:  monthString(t.AddDate(-1, 0, 0)),
		Rates:         []RateChange{},
	}
	f, ok := byMonth[cur]
	c.Immature = ok && f.Immature
	prev, okPrev := byMonth[c.PreviousMonth]
	year, okYear := byMonth[c.YearAgoMonth]
	for _, p := range keyStepPairs(m) {
		rc := RateChange{From: m.Stages[p[0]], To: m.Stages[p[1]]}
		rc.Current = Wilson(f.converted(p[1]), f.converted(p[0]))
		if okPrev {
			v := Wilson(prev.converted(p[1]), prev.converted(p[0]))
			rc.Previous = &v
			d := rc.Current.Rate - v.Rate
			rc.PreviousDiff = &d
			if pv, ok := TwoProportionZTest(rc.Current.Num, rc.Current.Den, v.Num, v.Den); ok {
				rc.PreviousPValue = &pv
			}
		}
		if okYear {
			v := Wilson(year.converted(p[1]), year.converted(p[0]))
			rc.YearAgo = &v
			d := rc.Current.Rate - v.Rate
			rc.YearAgoDiff = &d
			if pv, ok := TwoProportionZTest(rc.Current.Num, rc.Current.Den, v.Num, v.Den); ok {
				rc.YearAgoPValue = &pv
			}
		}
		c.Rates = append(c.Rates, rc)
	}
	return c, nil
}

// DefaultSpans are the time-in-stage spans: each consecutive pair of funnel
// stages from the qualified stage on (mql→sal, sal→sql, sql→opportunity,
// opportunity→won), plus sql→last (sql→won) when the funnel has a stage
// named sql that is not next to last.
func DefaultSpans(m StageModel) [][2]string {
	m, err := m.normalized()
	if err != nil {
		return nil
	}
	var out [][2]string
	for i := m.index(m.Qualified); i+1 < len(m.Stages); i++ {
		out = append(out, [2]string{m.Stages[i], m.Stages[i+1]})
	}
	last := len(m.Stages) - 1
	if s := m.index("sql"); s >= m.index(m.Qualified) && s+1 < last {
		out = append(out, [2]string{"sql", m.Stages[last]})
	}
	return out
}

// timeInStage builds TimeInStage for DefaultSpans.
func timeInStage(ctx context.Context, sess *queries.FunnelSession, m StageModel) (TimeInStage, error) {
	out := TimeInStage{Overall: []Durations{}, ByChannel: []ChannelDurations{}}
	spans := DefaultSpans(m)
	from := make([]int32, len(spans))
	to := make([]int32, len(spans))
	for i, s := range spans {
		from[i], to[i] = int32(m.index(s[0])), int32(m.index(s[1]))
	}
	rows, err := sess.TimeInStage(ctx, from, to)
	if err != nil {
		return out, err
	}
	overall := map[[2]int]Durations{}
	for _, r := range rows {
		d := Durations{From: m.Stages[r.FromIdx], To: m.Stages[r.ToIdx], Leads: r.Leads,
			Median: r.Median, P25: r.P25, P75: r.P75, P90: r.P90}
		if r.Overall {
			overall[[2]int{r.FromIdx, r.ToIdx}] = d
			continue
		}
		out.ByChannel = append(out.ByChannel, ChannelDurations{Channel: r.Channel, Durations: d})
	}
	// Every span gets an overall entry, with Leads 0 when no lead has both.
	for i := range spans {
		k := [2]int{int(from[i]), int(to[i])}
		d, ok := overall[k]
		if !ok {
			d = Durations{From: spans[i][0], To: spans[i][1]}
		}
		out.Overall = append(out.Overall, d)
	}
	return out, nil
}

// recycling builds Recycling.
func recycling(ctx context.Context, sess *queries.FunnelSession, m StageModel) (Recycling, error) {
	q := m.index(m.Qualified)
	c, err := sess.Recycling(ctx, q)
	out := Recycling{Stages: m.Recycle, ReturnedReached: StageCounts{}}
	if err != nil {
		return out, err
	}
	out.Qualified, out.Recycled, out.Returned = c.Qualified, c.Recycled, c.Returned
	for k := q + 1; k < len(m.Stages); k++ {
		var n int64
		for idx, leads := range c.After {
			if idx >= k {
				n += leads
			}
		}
		out.ReturnedReached = append(out.ReturnedReached, StageCount{Stage: m.Stages[k], Leads: n})
	}
	return out, nil
}

// dataQuality builds DataQuality over the whole store.
func dataQuality(ctx context.Context, sess *queries.FunnelSession, m StageModel, lower, recycle []string) (DataQuality, error) {
	var dq DataQuality
	q, err := sess.Quality(ctx)
	if err != nil {
		return dq, err
	}
	dq = DataQuality{
		OrphanEvents: q.OrphanEvents, OrphanStages: q.OrphanStages, OrphanOutcomes: q.OrphanOutcomes,
		EventsBeforeCreation: q.EventsBeforeCreation, StagesBeforeCreation: q.StagesBeforeCreation,
		OutcomesBeforeCreation: q.OutcomesBeforeCreation, OutOfOrderLeads: q.OutOfOrderLeads,
		Skipped: make(StageCounts, len(m.Stages)), OtherStages: []StageRows{},
	}
	for i, s := range m.Stages {
		dq.Skipped[i].Stage = s
	}
	groups, err := sess.Skipped(ctx)
	if err != nil {
		return dq, err
	}
	for _, g := range groups {
		// Stages 1..MaxIdx are reached; those without their bit are skipped.
		reached := uint64(1)<<uint(g.MaxIdx+1) - 1 // bits 0..MaxIdx
		skipped := reached &^ g.ExplicitMask &^ 1  // stage 0 is never skipped
		if skipped == 0 {
			continue
		}
		dq.SkippedLeads += g.Leads
		for skipped != 0 {
			i := bits.TrailingZeros64(skipped)
			dq.Skipped[i].Leads += g.Leads
			skipped &^= 1 << uint(i)
		}
	}
	other, err := sess.OtherStages(ctx, append(append([]string{}, lower...), recycle...))
	if err != nil {
		return dq, err
	}
	for _, o := range other {
		dq.OtherStages = append(dq.OtherStages, StageRows{Stage: o.Stage, Rows: o.Rows})
	}
	return dq, nil
}
