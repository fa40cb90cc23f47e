package analysis

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// DefaultWindowDays is the conversion window used when none is given and no
// lead has won, so the data cannot suggest one.
const DefaultWindowDays = 90

// DefaultLandmarkDays is the age at which ByAction looks at leads when none
// is given and no lead has reached the qualified stage, so the data cannot
// suggest one.
const DefaultLandmarkDays = 7

// UndatedMonth is the Month of the ByMonth row of the leads without
// created_at (a flat export without dates).
const UndatedMonth = "(undated)"

// maxActions is how many actions (the most frequent) ByAction tracks: one bit
// each in a per-lead 64-bit mask.
const maxActions = 64

// Compute builds the funnel report from the store. All counting happens in
// DuckDB on one connection: one pass over stages and outcomes builds a
// per-lead table; one pass over events joined to it (two passes under
// memory pressure) adds the actions each lead did before its landmark age;
// every table is summed from small histograms of those. (Two cheap
// one-column scans of events also find the data end and the action names.)
// It returns an error wrapping ErrStageModel for a bad model and ErrNoLeads
// when no lead falls in the selected cohorts.
func Compute(ctx context.Context, st *queries.Store, opts Options) (*Report, error) {
	model, err := opts.Model.normalized()
	if err != nil {
		return nil, err
	}
	lower := make([]string, len(model.Stages))
	for i, s := range model.Stages {
		lower[i] = strings.ToLower(s)
	}
	recycle := make([]string, len(model.Recycle))
	for i, s := range model.Recycle {
		recycle[i] = strings.ToLower(s)
	}
	last := len(model.Stages) - 1
	qIdx := model.index(model.Qualified)

	step := stepTimer(opts.Trace)
	sess, err := st.FunnelSession(ctx)
	if err != nil {
		return nil, err
	}
	defer sess.Close()

	end, ok, err := sess.DataEnd(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: the store is empty", ErrNoLeads)
	}
	step("data end")
	if err := sess.BuildEntries(ctx, lower, recycle); err != nil {
		return nil, err
	}
	step("stage entries")
	r := &Report{
		Stages:     model.Stages,
		Qualified:  model.Qualified,
		DataEnd:    end,
		WindowDays: opts.WindowDays,
	}
	if r.WindowDays <= 0 {
		p90, won, err := sess.WinDaysP90(ctx, last)
		if err != nil {
			return nil, err
		}
		r.WindowFromData = true
		r.WindowDays = DefaultWindowDays
		if won > 0 {
			r.WindowDays = max(1, int(math.Ceil(p90)))
		}
	}
	step("window")
	from, to := cohortBounds(opts.From, opts.To)
	if !opts.From.IsZero() {
		r.From = monthString(opts.From)
	}
	if !opts.To.IsZero() {
		r.To = monthString(opts.To)
	}
	if err := sess.BuildLeads(ctx, queries.FunnelLeadParams{
		LastIdx: last, QualifiedIdx: qIdx, WindowDays: r.WindowDays, DataEnd: end, From: from, To: to,
		Undated: opts.From.IsZero() && opts.To.IsZero(),
	}); err != nil {
		return nil, err
	}
	step("per-lead funnel")
	if r.ActionLandmarkDays, r.ActionLandmarkFromData, err = landmarkDays(ctx, sess, opts.LandmarkDays); err != nil {
		return nil, err
	}
	step("landmark")
	names, err := sess.ActionNames(ctx)
	if err != nil {
		return nil, err
	}
	actions := make([]string, 0, min(len(names), maxActions))
	for i, a := range names {
		if i < maxActions {
			actions = append(actions, a.Action)
		}
	}
	r.ActionsOmitted = len(names) - len(actions)
	step("action names")
	if err := sess.BuildLeadActions(ctx, actions, r.ActionLandmarkDays); err != nil {
		return nil, err
	}

	step("per-lead actions")
	groups, err := sess.Groups(ctx)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("%w in the selected cohorts", ErrNoLeads)
	}
	total := histogram{}
	byChannel := map[string]histogram{}
	byMonth := map[time.Time]histogram{}
	undated := histogram{}
	for _, g := range groups {
		total.add(g)
		addTo(byChannel, g.Key, g)
		if g.Undated {
			undated.add(g)
		} else {
			addTo(byMonth, g.Cohort, g)
		}
	}
	r.Total = total.funnel(model.Stages)
	for _, ch := range sortedKeys(byChannel, func(a, b string) bool { return a < b }) {
		r.ByChannel = append(r.ByChannel, ChannelRow{Channel: ch, Funnel: byChannel[ch].funnel(model.Stages)})
	}
	for _, m := range sortedKeys(byMonth, func(a, b time.Time) bool { return a.Before(b) }) {
		r.ByMonth = append(r.ByMonth, MonthRow{Month: monthString(m), Funnel: byMonth[m].funnel(model.Stages)})
	}
	dated := r.ByMonth
	if len(undated) > 0 {
		r.ByMonth = append(r.ByMonth, MonthRow{Month: UndatedMonth, Funnel: undated.funnel(model.Stages)})
	}

	step("by channel and month")
	if r.ByAction, r.ActionPopulation, err = byAction(ctx, sess, model, actions, r.ActionLandmarkDays, end); err != nil {
		return nil, err
	}
	step("by action")
	if opts.By != "" {
		ag, err := sess.AttributeGroups(ctx, opts.By)
		if err != nil {
			return nil, err
		}
		byValue := map[string]histogram{}
		for _, g := range ag {
			addTo(byValue, g.Key, g)
		}
		b := &AttributeBreakdown{Attribute: opts.By, Rows: []AttributeRow{}}
		for _, v := range sortedKeys(byValue, func(a, b string) bool { return a < b }) {
			b.Rows = append(b.Rows, AttributeRow{Value: v, Funnel: byValue[v].funnel(model.Stages)})
		}
		r.ByAttribute = b
	}
	step("by attribute")
	if r.Period, err = period(ctx, sess, model.Stages, from, to, dated); err != nil {
		return nil, err
	}
	start, _, err := sess.DataStart(ctx)
	if err != nil {
		return nil, err
	}
	markPartial(r.Period, start, end)
	r.Headline = headline(r.Period)
	step("period")
	if r.Comparison, err = compare(dated, model, opts.Month); err != nil {
		return nil, err
	}
	step("comparison")
	if r.TimeInStage, err = timeInStage(ctx, sess, model); err != nil {
		return nil, err
	}
	step("time in stage")
	if r.Recycling, err = recycling(ctx, sess, model); err != nil {
		return nil, err
	}
	r.Recycling.ReachedQualified = r.Total.Reached.Get(model.Qualified)
	r.Recycling.ByImplication = r.Recycling.ReachedQualified - r.Recycling.Qualified
	step("recycling")
	if r.DataQuality, err = dataQuality(ctx, sess, model, lower, recycle); err != nil {
		return nil, err
	}
	step("data quality")
	r.KeySteps = keySteps(model)
	r.References = PublishedReferences(model.Stages)
	r.SLAReferenceDays = SLAReferenceDays
	r.setSteps(model)
	if r.ByChannel == nil {
		r.ByChannel = []ChannelRow{}
	}
	if r.ByMonth == nil {
		r.ByMonth = []MonthRow{}
	}
	return r, nil
}

// cohortBounds turns the optional first and last cohort months into the
// half-open creation interval [from, to).
func cohortBounds(first, lastMonth time.Time) (from, to time.Time) {
	from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if !first.IsZero() {
		from = time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	if !lastMonth.IsZero() {
		to = time.Date(lastMonth.Year(), lastMonth.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return from, to
}

func addTo[K comparable](m map[K]histogram, k K, g queries.FunnelGroup) {
	h, ok := m[k]
	if !ok {
		h = histogram{}
		m[k] = h
	}
	h.add(g)
}

func sortedKeys[K comparable, V any](m map[K]V, less func(a, b K) bool) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	return keys
}

// landmarkDays returns the landmark age of ByAction: given when positive,
// else from the data: the median of days from creation to first reaching
// the qualified stage, rounded to a whole day (halves up), at least 1;
// DefaultLandmarkDays when no lead reached it.
func landmarkDays(ctx context.Context, sess *queries.FunnelSession, given int) (days int, fromData bool, err error) {
	if given > 0 {
		return given, false, nil
	}
	median, qualified, err := sess.QualifiedDaysMedian(ctx)
	if err != nil {
		return 0, false, err
	}
	if qualified == 0 {
		return DefaultLandmarkDays, true, nil
	}
	return max(1, int(math.Round(median))), true, nil
}

// byAction builds the ByAction rows with their lifts, and the funnel of the
// whole landmark population. The histogram comes by action set (a mask);
// each lead counts in the row of every action in its set, and the leads of
// the population outside a row are its "without" side.
func byAction(ctx context.Context, sess *queries.FunnelSession, model StageModel, actions []string,
	landmark int, end time.Time) ([]ActionRow, Funnel, error) {
	out := []ActionRow{}
	groups, err := sess.ActionGroups(ctx, landmark, end)
	if err != nil {
		return nil, Funnel{}, err
	}
	population := histogram{}
	byBit := map[int]histogram{}
	for _, g := range groups {
		population.add(g)
		for m := g.Mask; m != 0; m &= m - 1 {
			bit := bits.TrailingZeros64(m)
			if bit >= len(actions) {
				return nil, Funnel{}, fmt.Errorf("funnel by action: action bit %d of %d", bit, len(actions))
			}
			addTo(byBit, bit, g)
		}
	}
	qIdx := model.index(model.Qualified)
	for _, bit := range sortedKeys(byBit, func(a, b int) bool { return actions[a] < actions[b] }) {
		with := byBit[bit].funnel(model.Stages)
		without := population.minus(byBit[bit]).funnel(model.Stages)
		row := ActionRow{Action: actions[bit], Funnel: with, Lift: []Lift{}}
		for k := qIdx; k < len(model.Stages); k++ {
			row.Lift = append(row.Lift, lift(model.Stages[k], with.Conversion[k-1].FromLead, without.Conversion[k-1].FromLead))
		}
		out = append(out, row)
	}
	return out, population.funnel(model.Stages), nil
}

// lift compares with and without: Ratio = with.Rate / without.Rate with
// its Katz interval (RateRatioCI), and the z-test p-value.
func lift(stage string, with, without Proportion) Lift {
	l := Lift{Stage: stage, With: with, Without: without}
	if without.Rate > 0 {
		v := with.Rate / without.Rate
		l.Ratio = &v
	}
	if lo, hi, ok := RateRatioCI(with.Num, with.Den, without.Num, without.Den); ok {
		l.RatioLow, l.RatioHigh = &lo, &hi
	}
	if p, ok := TwoProportionZTest(with.Num, with.Den, without.Num, without.Den); ok {
		l.PValue = &p
	}
	return l
}

// stepTimer returns a function that reports each finished step and the time
// since the previous one to trace; a no-op when trace is nil.
func stepTimer(trace func(step string, elapsed time.Duration)) func(step string) {
	if trace == nil {
		return func(string) {}
	}
	last := time.Now()
	return func(step string) {
		now := time.Now()
		trace(step, now.Sub(last))
		last = now
	}
}
