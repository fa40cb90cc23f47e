package reports

import (
	"fmt"
	"math"
	"time"

	"github.com/funnel-dev/funnel/analysis"
)

// wilson is the 95% Wilson score interval of num/den (test fixture only).
func wilson(num, den int64) analysis.Proportion {
	if den == 0 {
		return analysis.Proportion{Low: 0, High: 1}
	}
	n, p, z := float64(den), float64(num)/float64(den), 1.959964
	c := (p + z*z/(2*n)) / (1 + z*z/n)
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / (1 + z*z/n)
	return analysis.Proportion{Num: num, Den: den, Rate: p, Low: c - h, High: c + h}
}

// makeFunnel builds a Funnel over the default stages from the leads that
// reached each stage at any time and the base leads converted within the
// window (conv[0] is the base).
func makeFunnel(stages []string, reachedN, conv []int64, open int64, immature bool) analysis.Funnel {
	f := analysis.Funnel{Base: conv[0], MatureLeads: conv[0], OpenLeads: open, Immature: immature}
	if reachedN[0] > 0 {
		f.OpenShare = float64(open) / float64(reachedN[0])
	}
	if immature && conv[0] == reachedN[0] {
		f.MatureLeads = 0 // a young cohort: rates over all its leads, so far
	}
	for i, s := range stages {
		f.Reached = append(f.Reached, analysis.StageCount{Stage: s, Leads: reachedN[i]})
		if i > 0 {
			f.Conversion = append(f.Conversion, analysis.StageConversion{Stage: s, Converted: conv[i],
				FromLead: wilson(conv[i], conv[0]), FromPrevious: wilson(conv[i], conv[i-1])})
		}
	}
	// The key steps of the default funnel: lead→mql, mql→sql, mql→won.
	for _, p := range [][2]int{{0, 1}, {1, 3}, {1, 5}} {
		f.Steps = append(f.Steps, analysis.StepRate{From: stages[p[0]], To: stages[p[1]], Proportion: wilson(conv[p[1]], conv[p[0]])})
	}
	return f
}

// fixtureHeadline is the headline of the last period row against the one
// before (no year-ago month in the fixture): relative changes by hand from
// the counts.
func fixtureHeadline(period []analysis.PeriodRow) *analysis.Headline {
	cur, prev := period[len(period)-1], period[len(period)-2]
	h := &analysis.Headline{Month: cur.Month, PreviousMonth: prev.Month, YearAgoMonth: "2024-12"}
	for i, e := range cur.Entries {
		then := prev.Entries[i].Leads
		v := analysis.VolumeChange{Stage: e.Stage, Entries: e.Leads, Previous: &then}
		if then > 0 {
			v.PreviousChange = ptr(float64(e.Leads-then) / float64(then))
		}
		h.Volumes = append(h.Volumes, v)
	}
	return h
}

// scaled is a funnel of n leads shaped by per-step rates.
func scaled(stages []string, n int64, steps []float64, open int64, immature bool) analysis.Funnel {
	reachedN := []int64{n}
	conv := []int64{n - open}
	for i, s := range steps {
		reachedN = append(reachedN, int64(math.Round(float64(reachedN[i])*s)))
		conv = append(conv, int64(math.Round(float64(conv[i])*s*0.95)))
	}
	return makeFunnel(stages, reachedN, conv, open, immature)
}

func ptr(v float64) *float64 { return &v }

// lift is the lift of with against without into stage, with the ratio and
// its interval as analysis computes them, and a given p-value.
func lift(stage string, with, without analysis.Proportion, p float64) analysis.Lift {
	l := analysis.Lift{Stage: stage, With: with, Without: without, PValue: ptr(p)}
	if without.Rate > 0 {
		l.Ratio = ptr(with.Rate / without.Rate)
	}
	if lo, hi, ok := analysis.RateRatioCI(with.Num, with.Den, without.Num, without.Den); ok {
		l.RatioLow, l.RatioHigh = ptr(lo), ptr(hi)
	}
	return l
}

// funnelFixture is a small, hand-made funnel report: 4 channels (one with
// a hostile name), 4 actions (hostile names among them), 14 cohort months
// of which the last 3 are immature. The numbers are plausible but invented.
func funnelFixture() *analysis.Report {
	st := analysis.DefaultStages()
	end, _ := time.Parse(time.RFC3339, "2025-12-31T18:00:00Z")
	r := &analysis.Report{Stages: st, Qualified: "mql", DataEnd: end, WindowDays: 90, From: "2024-11", To: "2025-12",
		KeySteps:   []analysis.Step{{From: "lead", To: "mql"}, {From: "mql", To: "sql"}, {From: "mql", To: "won"}},
		References: analysis.PublishedReferences(st), SLAReferenceDays: analysis.SLAReferenceDays}
	r.Total = scaled(st, 12000, []float64{0.22, 0.6, 0.35, 0.7, 0.3}, 2400, true)
	channels := []struct {
		name  string
		n     int64
		steps []float64
	}{
		{"paid_search", 5000, []float64{0.18, 0.55, 0.3, 0.65, 0.25}},
		{"webinar", 3000, []float64{0.3, 0.65, 0.4, 0.7, 0.3}},
		{hostile, 2500, []float64{0.2, 0.6, 0.12, 0.6, 0.35}},
		{"referral", 1500, []float64{0.45, 0.8, 0.6, 0.8, 0.45}},
	}
	for _, c := range channels {
		r.ByChannel = append(r.ByChannel, analysis.ChannelRow{Channel: c.name, Funnel: scaled(st, c.n, c.steps, c.n/5, true)})
	}
	actions := []struct {
		name       string
		n          int64
		with, wout float64
	}{
		{"demo_request", 900, 0.09, 0.012},
		{"pricing_view", 2600, 0.04, 0.014},
		{hostileNames[1], 400, 0.02, 0.02},
		{hostileNames[2], 3000, 0.018, 0.021},
	}
	// by_action at a landmark of 4 days (from the data) over a population
	// of 9,600 leads not yet MQL then.
	r.ActionLandmarkDays, r.ActionLandmarkFromData = 4, true
	r.ActionPopulation = scaled(st, 9600, []float64{0.2, 0.6, 0.35, 0.7, 0.3}, 1900, true)
	for _, a := range actions {
		row := analysis.ActionRow{Action: a.name, Funnel: scaled(st, a.n, []float64{0.4, 0.6, 0.4, 0.7, 0.3}, a.n/5, true)}
		for _, s := range []string{"mql", "sal", "sql", "opportunity", "won"} {
			w := wilson(int64(math.Round(float64(a.n)*0.8*a.with)), a.n*4/5)
			wo := wilson(int64(math.Round(9600*a.wout)), 9600-a.n*4/5)
			row.Lift = append(row.Lift, lift(s, w, wo, 0.0004))
		}
		r.ByAction = append(r.ByAction, row)
	}
	start := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 14; i++ {
		m := start.AddDate(0, i, 0).Format("2006-01")
		n := int64(800 + 40*i)
		immature := i >= 11
		open := int64(0)
		if immature {
			open = n * int64(14-i) / 4
		}
		f := scaled(st, n, []float64{0.2 + 0.004*float64(i), 0.6, 0.33 + 0.005*float64(i%5), 0.7, 0.3}, open, immature)
		r.ByMonth = append(r.ByMonth, analysis.MonthRow{Month: m, Funnel: f})
		var entries analysis.StageCounts
		for k, s := range st {
			entries = append(entries, analysis.StageCount{Stage: s, Leads: f.Reached[k].Leads * int64(95+i%7) / 100})
		}
		r.Period = append(r.Period, analysis.PeriodRow{Month: m, Entries: entries})
	}
	r.Headline = fixtureHeadline(r.Period)
	r.Comparison = &analysis.Comparison{Month: "2025-09", PreviousMonth: "2025-08", YearAgoMonth: "2024-09",
		Rates: []analysis.RateChange{
			{From: "lead", To: "mql", Current: wilson(230, 1200), Previous: ptrP(wilson(220, 1160)), PreviousPValue: ptr(0.62)},
			// 31/230 − 26/220 = 0.13478 − 0.11818 = +0.01660; 7/230 − 8/220 = 0.03043 − 0.03636 = −0.00593
			{From: "mql", To: "sql", Current: wilson(31, 230), Previous: ptrP(wilson(26, 220)), PreviousPValue: ptr(0.55), PreviousDiff: ptr(31.0/230 - 26.0/220)},
			{From: "mql", To: "won", Current: wilson(7, 230), Previous: ptrP(wilson(8, 220)), PreviousPValue: ptr(0.71), PreviousDiff: ptr(7.0/230 - 8.0/220)},
		}}
	r.TimeInStage = analysis.TimeInStage{
		Overall: []analysis.Durations{
			{From: "lead", To: "mql", Leads: 2100, Median: 6.5, P25: 2.1, P75: 14.2, P90: 30.5},
			{From: "mql", To: "sal", Leads: 1200, Median: 0.8, P25: 0.2, P75: 2.4, P90: 5.1},
			{From: "sal", To: "sql", Leads: 500, Median: 9.1, P25: 4, P75: 18, P90: 33},
			{From: "sql", To: "opportunity", Leads: 330, Median: 12, P25: 5, P75: 21, P90: 40},
			{From: "opportunity", To: "won", Leads: 95, Median: 41, P25: 22, P75: 63, P90: 88},
		},
	}
	for i, c := range channels {
		r.TimeInStage.ByChannel = append(r.TimeInStage.ByChannel, analysis.ChannelDurations{Channel: c.name,
			Durations: analysis.Durations{From: "mql", To: "sal", Leads: 300, Median: 0.4 + 0.5*float64(i), P25: 0.1, P75: 2, P90: 4 + float64(i)}})
	}
	r.Recycling = analysis.Recycling{Stages: []string{"recycled", "nurture"}, Qualified: 2600, Recycled: 700, Returned: 210,
		ReachedQualified: r.Total.Reached[1].Leads, ByImplication: r.Total.Reached[1].Leads - 2600,
		ReturnedReached: analysis.StageCounts{{Stage: "sal", Leads: 120}, {Stage: "sql", Leads: 45}, {Stage: "opportunity", Leads: 30}, {Stage: "won", Leads: 9}}}
	r.ByAttribute = &analysis.AttributeBreakdown{Attribute: "company_size", Rows: []analysis.AttributeRow{
		{Value: "", Funnel: scaled(st, 3000, []float64{0.1, 0.5, 0.2, 0.6, 0.2}, 600, true)},
		{Value: "1-10", Funnel: scaled(st, 5000, []float64{0.2, 0.55, 0.3, 0.7, 0.25}, 1000, true)},
		{Value: "1000+", Funnel: scaled(st, 4000, []float64{0.3, 0.7, 0.45, 0.75, 0.35}, 800, true)},
	}}
	r.DataQuality = analysis.DataQuality{OrphanEvents: 12, OrphanStages: 3, EventsBeforeCreation: 40, OutOfOrderLeads: 17, SkippedLeads: 120,
		Skipped:     analysis.StageCounts{{Stage: "mql", Leads: 80}, {Stage: "sal", Leads: 110}},
		OtherStages: []analysis.StageRows{{Stage: "disqualified", Rows: 310}, {Stage: hostile, Rows: 1}}}
	return r
}

func ptrP(p analysis.Proportion) *analysis.Proportion { return &p }

// bigFunnelFixture is funnelFixture with nChannels channels and nActions
// actions, for the page-size test.
func bigFunnelFixture(nChannels, nActions int) *analysis.Report {
	r := funnelFixture()
	st := r.Stages
	r.ByChannel, r.ByAction, r.TimeInStage.ByChannel = nil, nil, nil
	for i := 0; i < nChannels; i++ {
		name := fmt.Sprintf("a rather long channel name number %02d", i)
		r.ByChannel = append(r.ByChannel, analysis.ChannelRow{Channel: name,
			Funnel: scaled(st, int64(5000-80*i), []float64{0.15 + 0.005*float64(i), 0.6, 0.3, 0.7, 0.3}, 400, true)})
		r.TimeInStage.ByChannel = append(r.TimeInStage.ByChannel, analysis.ChannelDurations{Channel: name,
			Durations: analysis.Durations{From: "mql", To: "sal", Leads: 100, Median: 0.1 * float64(i), P90: 0.3 * float64(i)}})
	}
	for i := 0; i < nActions; i++ {
		row := analysis.ActionRow{Action: fmt.Sprintf("action_number_%02d", i),
			Funnel: scaled(st, int64(3000-50*i), []float64{0.3, 0.6, 0.4, 0.7, 0.3}, 300, true)}
		for _, s := range []string{"mql", "sal", "sql", "opportunity", "won"} {
			with := int64(math.Round(60 * (4 - 3.5*float64(i)/float64(nActions)) / 4))
			row.Lift = append(row.Lift, lift(s, wilson(with, 2000), wilson(100, 9000), 0.01))
		}
		r.ByAction = append(r.ByAction, row)
	}
	return r
}
