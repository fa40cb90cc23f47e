package analysis

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// trapLead is one lead of the trap fixture as the test drew it.
type trapLead struct {
	id      string
	created time.Time
	mql     time.Time // first mql (zero: never)
	won     time.Time // won (zero: lost)
	events  []time.Time
}

// trapLeads draws the trap fixture: n leads created over the first half of
// 2025; a quarter are winners, drawn independently of everything else.
// Winners qualify sooner (mql at an exponential age of mean 10 days, sal
// 2 days and sql 5 days after it, won 30 days after it); losers qualify in
// 60% of cases, later (mean 30 days), and are lost 30 days after that, or
// at 150 days when they never qualify. Everyone views pages all life at
// the same steady rate, whatever the outcome: a Poisson process of one view
// per 10 days over the first 200 days. page_view therefore has no effect
// on anything.
func trapLeads(n int, seed uint64) []trapLead {
	rng := rand.New(rand.NewPCG(seed, 1))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	days := func(d float64) time.Duration { return time.Duration(d * 24 * float64(time.Hour)) }
	out := make([]trapLead, n)
	for i := range out {
		l := trapLead{id: fmt.Sprintf("T%d", i), created: start.Add(days(rng.Float64() * 181)).Truncate(time.Second)}
		if rng.Float64() < 0.25 {
			l.mql = l.created.Add(days(rng.ExpFloat64() * 10))
			l.won = l.mql.Add(days(30))
		} else if rng.Float64() < 0.6 {
			l.mql = l.created.Add(days(rng.ExpFloat64() * 30))
		}
		for age := rng.ExpFloat64() * 10; age < 200; age += rng.ExpFloat64() * 10 {
			l.events = append(l.events, l.created.Add(days(age)))
		}
		out[i] = l
	}
	return out
}

// writeTrapCSVs writes the leads as the four CSV files openCSVs reads.
func writeTrapCSVs(t *testing.T, leads []trapLead) []string {
	t.Helper()
	dir := t.TempDir()
	names := []string{"leads.csv", "events.csv", "stages.csv", "outcomes.csv"}
	heads := [][]string{{"lead_id", "created_at", "channel"}, {"lead_id", "occurred_at", "action", "value"},
		{"lead_id", "stage", "entered_at"}, {"lead_id", "closed_at", "outcome", "amount"}}
	rows := make([][][]string, 4)
	ts := func(t time.Time) string { return t.Format("2006-01-02 15:04:05") }
	for _, l := range leads {
		rows[0] = append(rows[0], []string{l.id, ts(l.created), "web"})
		for _, e := range l.events {
			rows[1] = append(rows[1], []string{l.id, ts(e), "page_view", ""})
		}
		if !l.mql.IsZero() {
			rows[2] = append(rows[2], []string{l.id, "mql", ts(l.mql)})
		}
		switch {
		case !l.won.IsZero():
			rows[2] = append(rows[2], []string{l.id, "sal", ts(l.mql.Add(48 * time.Hour))},
				[]string{l.id, "sql", ts(l.mql.Add(120 * time.Hour))})
			rows[3] = append(rows[3], []string{l.id, ts(l.won), "won", "1000"})
		case !l.mql.IsZero():
			rows[3] = append(rows[3], []string{l.id, ts(l.mql.Add(30 * 24 * time.Hour)), "lost", ""})
		default:
			rows[3] = append(rows[3], []string{l.id, ts(l.created.Add(150 * 24 * time.Hour)), "lost", ""})
		}
	}
	files := make([]string, 4)
	for i, name := range names {
		files[i] = filepath.Join(dir, name)
		f, err := os.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		if err := w.WriteAll(append([][]string{heads[i]}, rows[i]...)); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestByActionNullActionTrap: a null action done at a steady rate all life
// by everyone, on a funnel where winners qualify sooner. Counted "before
// first MQL" (the old definition, computed here in plain Go from the same
// rows), it looks strongly harmful; counted before the landmark among leads
// not yet qualified, its ratio's 95% interval covers 1.
func TestByActionNullActionTrap(t *testing.T) {
	const window = 120
	leads := trapLeads(4000, 11)
	r, err := Compute(context.Background(), openCSVs(t, writeTrapCSVs(t, leads)), Options{WindowDays: window})
	if err != nil {
		t.Fatal(err)
	}
	// The last lead is created by 07-01 and page views run to 200 days, so
	// every lead is mature: all are in the bases below.
	if r.Total.MatureLeads != 4000 {
		t.Fatalf("%d mature leads, want all 4000 (data end %v)", r.Total.MatureLeads, r.DataEnd)
	}

	// The old definition: page_view before first mql, any time if never;
	// won within the window.
	var did, didWon, not, notWon int64
	for _, l := range leads {
		done := false
		for _, e := range l.events {
			if l.mql.IsZero() || e.Before(l.mql) {
				done = true
				break
			}
		}
		won := !l.won.IsZero() && !l.won.After(l.created.AddDate(0, 0, window))
		if done {
			did++
			if won {
				didWon++
			}
		} else {
			not++
			if won {
				notWon++
			}
		}
	}
	old := lift("won", Wilson(didWon, did), Wilson(notWon, not))
	t.Logf("before first mql: with %d/%d, without %d/%d, ratio %.3f [%.3f, %.3f]",
		didWon, did, notWon, not, *old.Ratio, *old.RatioLow, *old.RatioHigh)
	if *old.Ratio > 0.5 || *old.RatioHigh >= 1 {
		t.Errorf("the old definition gives page_view a won ratio of %.3f [%.3f, %.3f]: the fixture no longer shows the trap",
			*old.Ratio, *old.RatioLow, *old.RatioHigh)
	}

	if len(r.ByAction) != 1 || r.ByAction[0].Action != "page_view" {
		t.Fatalf("by_action = %+v", r.ByAction)
	}
	pv := r.ByAction[0]
	t.Logf("landmark %d days; population %d leads, %d did page_view before it",
		r.ActionLandmarkDays, r.ActionPopulation.Base, pv.Base)
	// The comparison must have power: enough conversions on each side, and
	// an interval narrow enough to tell a ratio of 0.5 from 1. (Seed 11 is
	// not picked: with seeds 1 to 13 both intervals covered 1 every time,
	// and the old ratio stayed between 0.29 and 0.35.)
	for _, l := range pv.Lift {
		if l.Stage != "mql" && l.Stage != "won" {
			continue
		}
		if l.Ratio == nil || l.RatioLow == nil || l.RatioHigh == nil || l.PValue == nil {
			t.Fatalf("%s: lift %+v has no ratio, interval or p-value", l.Stage, l)
		}
		t.Logf("%s: with %d/%d, without %d/%d, ratio %.3f [%.3f, %.3f], p %.3f", l.Stage,
			l.With.Num, l.With.Den, l.Without.Num, l.Without.Den, *l.Ratio, *l.RatioLow, *l.RatioHigh, *l.PValue)
		if l.With.Num < 40 || l.Without.Num < 40 {
			t.Errorf("%s: %d and %d conversions: too few for the test to mean anything", l.Stage, l.With.Num, l.Without.Num)
		}
		if *l.RatioLow > 1 || *l.RatioHigh < 1 {
			t.Errorf("%s: page_view has no effect, but its ratio's interval [%.3f, %.3f] excludes 1", l.Stage, *l.RatioLow, *l.RatioHigh)
		}
		if *l.RatioHigh / *l.RatioLow > 2 {
			t.Errorf("%s: interval [%.3f, %.3f] too wide to tell 0.5 from 1", l.Stage, *l.RatioLow, *l.RatioHigh)
		}
	}
}
