package analysis

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestKeySteps works the key step rates of the hand fixture (window 30
// days; mature leads created on or before 2025-05-31). Max stage reached
// within the window per lead: A1 5, A2 2, A3 5, A4 0, A5 1, A9 2, A10 1
// (mature); A6, A7, A8 immature, out of the base.
//
//	total:    base 7; mql A1 A2 A3 A5 A9 A10 = 6; sql A1 A3 = 2; won A1 A3 = 2
//	          lead→mql 6/7, mql→sql 2/6, mql→won 2/6
//	web:      base A1 A2 A4 A9 A10 = 5; mql A1 A2 A9 A10 = 4; sql, won A1 = 1
//	          lead→mql 4/5, mql→sql 1/4, mql→won 1/4
//	referral: base A3 A5 = 2; mql 2; sql, won A3 = 1
//	          lead→mql 2/2, mql→sql 1/2, mql→won 1/2
func TestKeySteps(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	wantSteps := []Step{{"lead", "mql"}, {"mql", "sql"}, {"mql", "won"}}
	if len(r.KeySteps) != 3 {
		t.Fatalf("key steps = %v, want %v", r.KeySteps, wantSteps)
	}
	for i, s := range wantSteps {
		if r.KeySteps[i] != s {
			t.Errorf("key step %d = %v, want %v", i, r.KeySteps[i], s)
		}
	}
	check := func(name string, f Funnel, want [3][2]int64) {
		t.Helper()
		for i, s := range wantSteps {
			got, ok := f.Step(s.From, s.To)
			if !ok || got.Num != want[i][0] || got.Den != want[i][1] {
				t.Errorf("%s %s→%s = %d/%d (found %v), want %d/%d", name, s.From, s.To, got.Num, got.Den, ok, want[i][0], want[i][1])
			}
		}
	}
	check("total", r.Total, [3][2]int64{{6, 7}, {2, 6}, {2, 6}})
	for _, c := range r.ByChannel {
		switch c.Channel {
		case "web":
			check("web", c.Funnel, [3][2]int64{{4, 5}, {1, 4}, {1, 4}})
		case "referral":
			check("referral", c.Funnel, [3][2]int64{{2, 2}, {1, 2}, {1, 2}})
		}
	}
	b, err := json.Marshal(r.ByChannel[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"steps":[{"from":"lead","to":"mql","num":`) {
		t.Errorf("by_channel row JSON lacks steps: %s", b)
	}
}

// TestHeadline works June 2025 of the fixture, the last month (data end
// 2025-06-30, its last day, so the month is whole): leads created A6 A7 A8
// = 3; mql entries A6 06-12, A7 06-21 = 2; sal A7 = 1; sql A7 = 1;
// opportunity 0 (A7 skipped it: no entry); won A7 06-28 = 1. May 2025 has
// no entry at all (0 each, so no relative change); June 2024 is not in the
// data.
func TestHeadline(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	h := r.Headline
	if h == nil || h.Month != "2025-06" || h.Partial || h.PreviousMonth != "2025-05" || h.YearAgoMonth != "2024-06" {
		t.Fatalf("headline = %+v", h)
	}
	want := counts{3, 2, 1, 1, 0, 1}
	for i, v := range h.Volumes {
		if v.Entries != want[i] || v.Previous == nil || *v.Previous != 0 || v.PreviousChange != nil || v.YearAgo != nil {
			t.Errorf("volume %s = %+v, want %d entries, previous 0, no change, no year ago", v.Stage, v, want[i])
		}
	}
	last := r.Period[len(r.Period)-1]
	if last.Month != "2025-06" || last.Partial {
		t.Errorf("last period row = %+v, want whole 2025-06", last)
	}
	// The first lead, A1, was created 2025-01-05: January is partial.
	if first := r.Period[0]; first.Month != "2025-01" || !first.Partial {
		t.Errorf("first period row = %+v, want partial 2025-01", first)
	}
}

// TestHeadlinePartialMonth: with the data ending mid-month, that month is
// partial and the headline takes the month before.
func TestHeadlinePartialMonth(t *testing.T) {
	period := []PeriodRow{
		{Month: "2025-05", Entries: StageCounts{{"lead", 40}, {"mql", 10}}},
		{Month: "2025-06", Entries: StageCounts{{"lead", 50}, {"mql", 8}}},
		{Month: "2025-07", Entries: StageCounts{{"lead", 5}, {"mql", 1}}},
	}
	// Data from 2025-05-01 09:00 (within May's first day: May is whole) to
	// 2025-07-10 (July partial).
	markPartial(period, month(t, "2025-05").Add(9*time.Hour), month(t, "2025-07").AddDate(0, 0, 9))
	if period[0].Partial || period[1].Partial || !period[2].Partial {
		t.Fatalf("partial = %v %v %v, want the last month only", period[0].Partial, period[1].Partial, period[2].Partial)
	}
	// Data from 2025-05-02: May is partial too.
	markPartial(period, month(t, "2025-05").AddDate(0, 0, 1), month(t, "2025-07").AddDate(0, 0, 9))
	if !period[0].Partial {
		t.Error("May not partial with data from 2025-05-02")
	}
	h := headline(period)
	// June against May: lead (50−40)/40 = +0.25, mql (8−10)/10 = −0.2.
	if h.Month != "2025-06" || h.Partial || len(h.Volumes) != 2 ||
		!near(*h.Volumes[0].PreviousChange, 0.25, 1e-12) || !near(*h.Volumes[1].PreviousChange, -0.2, 1e-12) {
		t.Errorf("headline = %+v", h)
	}
}

// TestRecyclingReconciles: the funnel counts 8 leads reaching mql (A1 A2
// A3 A5 A6 A7 A9 A10); recycling follows the 7 with an mql row; A3 (a
// referral entering at sql) reached it by implication.
func TestRecyclingReconciles(t *testing.T) {
	rc := fixtureReport(t, Options{WindowDays: 30}).Recycling
	if rc.ReachedQualified != 8 || rc.Qualified != 7 || rc.ByImplication != 1 {
		t.Errorf("recycling = %+v, want reached 8, qualified 7, by implication 1", rc)
	}
}
