package analysis

import (
	"testing"
)

func TestTotalsAndChannels(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	if r.WindowDays != 30 || r.WindowFromData {
		t.Errorf("window = %d from data %v, want 30 given", r.WindowDays, r.WindowFromData)
	}
	if got := r.DataEnd.Format("2006-01-02 15:04"); got != "2025-06-30 00:00" {
		t.Errorf("data end = %s", got)
	}
	// Total: reached mql = all but A4, A8 (8); sal = A1 A2 A3 A7 A9 (5);
	// sql = A1 A2 A3 A7 (4); opportunity and won = A1 A3 A7 (3).
	checkReached(t, "total", r.Total, counts{10, 8, 5, 4, 3, 3})
	// Mature: A1 A2 A3 A4 A5 A9 A10 = 7 (A6 A7 A8 created in June).
	// Open: A6 only (A7 won, A8 lost) → 1/10.
	if r.Total.MatureLeads != 7 || r.Total.OpenLeads != 1 || !near(r.Total.OpenShare, 0.1, 1e-12) || !r.Total.Immature {
		t.Errorf("total maturity = %+v", r.Total)
	}
	// Within 30 days among the 7 mature: max stage A1 5, A2 2, A3 5, A4 0,
	// A5 1, A9 2, A10 1 → mql 6, sal 4, sql 2, opportunity 2, won 2.
	checkConverted(t, "total", r.Total, 7, [5]int64{6, 4, 2, 2, 2})

	if len(r.ByChannel) != 2 || r.ByChannel[0].Channel != "referral" || r.ByChannel[1].Channel != "web" {
		t.Fatalf("channels = %+v", r.ByChannel)
	}
	ref, web := r.ByChannel[0], r.ByChannel[1]
	// referral: A3 (5), A5 (1), A8 (0) → lead 3, mql 2, sal..won 1.
	checkReached(t, "referral", ref.Funnel, counts{3, 2, 1, 1, 1, 1})
	// mature A3 A5 = 2; A8 immature but lost, so not open.
	if ref.MatureLeads != 2 || ref.OpenLeads != 0 || !ref.Immature {
		t.Errorf("referral maturity = %+v", ref.Funnel)
	}
	checkConverted(t, "referral", ref.Funnel, 2, [5]int64{2, 1, 1, 1, 1})
	// web: A1 5, A2 3, A4 0, A6 1, A7 5, A9 2, A10 1 → lead 7, mql 6, sal 4,
	// sql 3, opportunity 2, won 2.
	checkReached(t, "web", web.Funnel, counts{7, 6, 4, 3, 2, 2})
	// mature A1 A2 A4 A9 A10 = 5, open A6 → 1/7.
	if web.MatureLeads != 5 || web.OpenLeads != 1 || !near(web.OpenShare, 1.0/7, 1e-12) {
		t.Errorf("web maturity = %+v", web.Funnel)
	}
	// window among mature web: A1 5, A2 2, A4 0, A9 2, A10 1 → mql 4, sal 3, sql 1, opp 1, won 1.
	checkConverted(t, "web", web.Funnel, 5, [5]int64{4, 3, 1, 1, 1})
	// won from lead 1/5 = 0.2: Wilson centre (0.2+1.9208/5)/(1+3.8415/5)
	// = 0.58416/1.76829 = 0.33035, half 1.10844·sqrt(0.032+0.038415) =
	// 1.10844·0.265358 = 0.29413 → [0.0362, 0.6245].
	won := web.Conversion[4].FromLead
	if !near(won.Rate, 0.2, 1e-12) || !near(won.Low, 0.0362, 1e-4) || !near(won.High, 0.6245, 1e-4) {
		t.Errorf("web won = %+v, want 0.2 [0.0362, 0.6245]", won)
	}
}

func TestByMonthImmatureCohort(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	want := []struct {
		month    string
		reached  counts
		base     int64
		conv     [5]int64
		immature bool
		open     int64
	}{
		// Jan: A1 5/5, A2 3/2, A3 5/5.
		{"2025-01", counts{3, 3, 3, 3, 2, 2}, 3, [5]int64{3, 3, 2, 2, 2}, false, 0},
		// Feb: A4 0/0, A5 1/1.
		{"2025-02", counts{2, 1, 0, 0, 0, 0}, 2, [5]int64{1, 0, 0, 0, 0}, false, 0},
		// Mar: A9 2/2.
		{"2025-03", counts{1, 1, 1, 0, 0, 0}, 1, [5]int64{1, 1, 0, 0, 0}, false, 0},
		// Apr: A10 1/1.
		{"2025-04", counts{1, 1, 0, 0, 0, 0}, 1, [5]int64{1, 0, 0, 0, 0}, false, 0},
		// Jun: A6 1/1, A7 5/5, A8 0/0; no mature lead, so the base is all 3
		// (conversion so far) and A6 is open: open share 1/3.
		{"2025-06", counts{3, 2, 1, 1, 1, 1}, 3, [5]int64{2, 1, 1, 1, 1}, true, 1},
	}
	if len(r.ByMonth) != len(want) {
		t.Fatalf("by_month has %d rows, want %d: %+v", len(r.ByMonth), len(want), r.ByMonth)
	}
	for i, w := range want {
		got := r.ByMonth[i]
		if got.Month != w.month {
			t.Fatalf("row %d month %s, want %s", i, got.Month, w.month)
		}
		checkReached(t, w.month, got.Funnel, w.reached)
		checkConverted(t, w.month, got.Funnel, w.base, w.conv)
		if got.Immature != w.immature || got.OpenLeads != w.open {
			t.Errorf("%s immature %v open %d, want %v %d", w.month, got.Immature, got.OpenLeads, w.immature, w.open)
		}
	}
	if jun := r.ByMonth[4]; !near(jun.OpenShare, 1.0/3, 1e-12) || jun.MatureLeads != 0 {
		t.Errorf("june open share %v mature %d", jun.OpenShare, jun.MatureLeads)
	}
}

func TestPeriodView(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	// Entries by month (distinct leads; A2's second MQL on 02-01 counts in Feb;
	// implied stages are not entries; X9 orphan left out):
	//   lead: Jan A1 A2 A3, Feb A4 A5, Mar A9, Apr A10, Jun A6 A7 A8
	//   mql:  Jan A1 A2, Feb A2 A5, Mar A9 A10, Jun A6 A7
	//   sal:  Jan A1, Feb A2, Mar A9, Jun A7
	//   sql:  Jan A1 A3, Mar A2, Jun A7
	//   opp:  Jan A1 A3
	//   won:  Jan A1, Feb A3, Jun A7
	want := map[string]counts{
		"2025-01": {3, 2, 1, 2, 2, 1},
		"2025-02": {2, 2, 1, 0, 0, 1},
		"2025-03": {1, 2, 1, 1, 0, 0},
		"2025-04": {1, 0, 0, 0, 0, 0},
		"2025-05": {0, 0, 0, 0, 0, 0},
		"2025-06": {3, 2, 1, 1, 0, 1},
	}
	if len(r.Period) != 6 {
		t.Fatalf("period rows = %d: %+v", len(r.Period), r.Period)
	}
	for _, row := range r.Period {
		w := want[row.Month]
		for i, e := range row.Entries {
			if e.Leads != w[i] {
				t.Errorf("period %s %s = %d, want %d", row.Month, e.Stage, e.Leads, w[i])
			}
		}
	}
}

func TestComparison(t *testing.T) {
	// Default month: the latest cohort with no immature lead is 2025-04
	// (June is immature, May empty). Previous 2025-03, year ago absent.
	r := fixtureReport(t, Options{WindowDays: 30})
	c := r.Comparison
	if c == nil || c.Month != "2025-04" || c.PreviousMonth != "2025-03" || c.YearAgoMonth != "2024-04" || c.Immature {
		t.Fatalf("comparison = %+v", c)
	}
	if len(c.Rates) != 3 || c.Rates[0].From != "lead" || c.Rates[1].To != "sql" || c.Rates[2].To != "won" {
		t.Fatalf("rates = %+v", c.Rates)
	}
	if c.Rates[0].YearAgo != nil || c.Rates[0].Previous == nil {
		t.Errorf("year ago should be nil, previous set: %+v", c.Rates[0])
	}

	// Feb vs Jan. Feb: base 2 (A4 A5), mql 1, sql 0. Jan: base 3, mql 3, sql 2.
	// lead→mql 1/2 vs 3/3: pooled 0.8, se = sqrt(0.16·(1/2+1/3)) = 0.365148,
	// z = −1.369306, p = 0.170904. mql→sql 0/1 vs 2/3: pooled 0.5,
	// se = sqrt(0.25·(1+1/3)) = 0.577350, z = −1.154701, p = 0.248213.
	r = fixtureReport(t, Options{WindowDays: 30, Month: month(t, "2025-02")})
	c = r.Comparison
	if c.Month != "2025-02" || c.PreviousMonth != "2025-01" {
		t.Fatalf("comparison = %+v", c)
	}
	lm := c.Rates[0]
	if lm.Current.Num != 1 || lm.Current.Den != 2 || lm.Previous.Num != 3 || lm.Previous.Den != 3 {
		t.Errorf("lead→mql = %+v / %+v", lm.Current, lm.Previous)
	}
	if lm.PreviousPValue == nil || !near(*lm.PreviousPValue, 0.170904, 1e-6) {
		t.Errorf("lead→mql p = %v, want 0.170904", lm.PreviousPValue)
	}
	ms := c.Rates[1]
	if ms.Current.Num != 0 || ms.Current.Den != 1 || ms.Previous.Num != 2 || ms.Previous.Den != 3 ||
		ms.PreviousPValue == nil || !near(*ms.PreviousPValue, 0.248213, 1e-6) {
		t.Errorf("mql→sql = %+v / %+v p %v", ms.Current, ms.Previous, ms.PreviousPValue)
	}
}

func TestTimeInStage(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	// Explicit first entries, end not before start (A9's mql after its sal
	// is left out; A3 has no explicit mql or sal). quantile_cont on n sorted
	// values: position (n−1)q, linear interpolation.
	//   mql→sal: A1 2, A2 22 (01-12→02-03), A7 1 → [1 2 22]: p25 1.5, med 2, p75 12, p90 18
	//   sal→sql: A1 2, A2 26 (02-03→03-01), A7 3 → [2 3 26]: 2.5, 3, 14.5, 21.4
	//   sql→opportunity: A1 5, A3 5 → all 5
	//   opportunity→won: A1 5, A3 11 → 6.5, 8, 9.5, 10.4
	//   sql→won: A1 10, A3 16, A7 3 → [3 10 16]: 6.5, 10, 13, 14.8
	want := []Durations{
		{"mql", "sal", 3, 2, 1.5, 12, 18},
		{"sal", "sql", 3, 3, 2.5, 14.5, 21.4},
		{"sql", "opportunity", 2, 5, 5, 5, 5},
		{"opportunity", "won", 2, 8, 6.5, 9.5, 10.4},
		{"sql", "won", 3, 10, 6.5, 13, 14.8},
	}
	if len(r.TimeInStage.Overall) != len(want) {
		t.Fatalf("overall = %+v", r.TimeInStage.Overall)
	}
	for i, w := range want {
		g := r.TimeInStage.Overall[i]
		if g.From != w.From || g.To != w.To || g.Leads != w.Leads || !near(g.Median, w.Median, 1e-9) ||
			!near(g.P25, w.P25, 1e-9) || !near(g.P75, w.P75, 1e-9) || !near(g.P90, w.P90, 1e-9) {
			t.Errorf("span %d = %+v, want %+v", i, g, w)
		}
	}
	// By channel: referral sql→won is A3 alone (16 days).
	found := false
	for _, c := range r.TimeInStage.ByChannel {
		if c.Channel == "referral" && c.From == "sql" && c.To == "won" {
			found = true
			if c.Leads != 1 || c.Median != 16 || c.P90 != 16 {
				t.Errorf("referral sql→won = %+v", c)
			}
		}
	}
	if !found {
		t.Errorf("no referral sql→won in %+v", r.TimeInStage.ByChannel)
	}
}

func TestRecycling(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	rc := r.Recycling
	// Explicit mql rows: A1 A2 A5 A6 A7 A9 A10 = 7 (X9 orphan). Recycled
	// after first mql: A2 (recycled), A5 (nurture) = 2. Back: A2 (mql 02-01)
	// = 1, who then reached sal (02-03) and sql (03-01), not opportunity/won.
	if rc.Qualified != 7 || rc.Recycled != 2 || rc.Returned != 1 {
		t.Errorf("recycling = %+v", rc)
	}
	want := counts{0, 0, 1, 1, 0, 0}
	for i, s := range rc.ReturnedReached {
		if s.Leads != want[i+2] {
			t.Errorf("returned reached %s = %d, want %d", s.Stage, s.Leads, want[i+2])
		}
	}
}

func TestDataQuality(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30})
	dq := r.DataQuality
	// One orphan row each (X9); A5's webinar before creation; A10's mql
	// before creation; A9 out of order; skipped: A3 mql+sal, A7 opportunity.
	if dq.OrphanEvents != 1 || dq.OrphanStages != 1 || dq.OrphanOutcomes != 1 ||
		dq.EventsBeforeCreation != 1 || dq.StagesBeforeCreation != 1 || dq.OutcomesBeforeCreation != 0 ||
		dq.OutOfOrderLeads != 1 || dq.SkippedLeads != 2 {
		t.Errorf("data quality = %+v", dq)
	}
	want := counts{0, 1, 1, 0, 1, 0}
	for i, s := range dq.Skipped {
		if s.Leads != want[i] {
			t.Errorf("skipped %s = %d, want %d", s.Stage, s.Leads, want[i])
		}
	}
	if len(dq.OtherStages) != 1 || dq.OtherStages[0] != (StageRows{"disqualified", 1}) {
		t.Errorf("other stages = %+v", dq.OtherStages)
	}
}

func TestWindowFromData(t *testing.T) {
	// Days to win: A1 15, A3 21, A7 8 (X9 orphan) → p90 of [8 15 21] at
	// position 1.8 = 15 + 0.8·6 = 19.8 → 20 days.
	r := fixtureReport(t, Options{})
	if !r.WindowFromData || r.WindowDays != 20 {
		t.Errorf("window = %d from data %v, want 20 true", r.WindowDays, r.WindowFromData)
	}
}

func TestByAttributeAndCohortRange(t *testing.T) {
	r := fixtureReport(t, Options{WindowDays: 30, By: "industry"})
	b := r.ByAttribute
	if b == nil || b.Attribute != "industry" || len(b.Rows) != 3 {
		t.Fatalf("by attribute = %+v", b)
	}
	// '' = A4..A10 (7 leads: A4 0, A5 1, A6 1, A7 5, A8 0, A9 2, A10 1);
	// retail = A3; saas = A1 A2.
	checkReached(t, "none", b.Rows[0].Funnel, counts{7, 5, 2, 1, 1, 1})
	checkReached(t, "retail", b.Rows[1].Funnel, counts{1, 1, 1, 1, 1, 1})
	checkReached(t, "saas", b.Rows[2].Funnel, counts{2, 2, 2, 2, 1, 1})
	if b.Rows[0].Value != "" || b.Rows[2].Value != "saas" {
		t.Errorf("values %q %q", b.Rows[0].Value, b.Rows[2].Value)
	}

	// Cohorts Feb..Apr: A4 0, A5 1, A9 2, A10 1.
	r = fixtureReport(t, Options{WindowDays: 30, From: month(t, "2025-02"), To: month(t, "2025-04")})
	checkReached(t, "feb-apr", r.Total, counts{4, 3, 1, 0, 0, 0})
	if len(r.ByMonth) != 3 || r.From != "2025-02" || r.To != "2025-04" {
		t.Errorf("months %+v from %s to %s", r.ByMonth, r.From, r.To)
	}
	// Period restricted to Feb..Apr; Feb mql entries A2 (second mql) and A5.
	if len(r.Period) != 3 || r.Period[0].Month != "2025-02" || r.Period[0].Entries[1].Leads != 2 {
		t.Errorf("period = %+v", r.Period)
	}
}

func TestCustomStageModel(t *testing.T) {
	// Funnel lead, mql, sql, won: sal and opportunity rows become other
	// stages. Max stage ever / within 30 days: A1 3/3, A2 2/1 (sql 03-01 is
	// after its window), A3 3/3 (mql skipped), A4 0, A5 1/1, A6 1/1, A7 3/3,
	// A8 0, A9 1/1 (its sal is no funnel step now), A10 1/1.
	r := fixtureReport(t, Options{WindowDays: 30, Model: StageModel{Stages: []string{"lead", "mql", "sql", "won"}}})
	want := []int64{10, 8, 4, 3}
	for i, s := range r.Total.Reached {
		if s.Leads != want[i] {
			t.Errorf("reached %s = %d, want %d", s.Stage, s.Leads, want[i])
		}
	}
	// Mature A1 A2 A3 A4 A5 A9 A10: mql A1 A2 A3 A5 A9 A10 = 6, sql A1 A3 = 2, won 2.
	conv := []int64{6, 2, 2}
	for i, c := range r.Total.Conversion {
		if c.Converted != conv[i] || c.FromLead.Den != 7 {
			t.Errorf("conversion %s = %d/%d, want %d/7", c.Stage, c.Converted, c.FromLead.Den, conv[i])
		}
	}
	dq := r.DataQuality
	// Skipped: A3's mql only. No lead has explicit entries out of order.
	if dq.SkippedLeads != 1 || dq.Skipped[1].Leads != 1 || dq.OutOfOrderLeads != 0 {
		t.Errorf("skipped/out of order = %+v", dq)
	}
	// Other stage rows: disqualified (A10), opportunity (A1 A3), sal (A1 A2 A7 A9).
	wantOther := []StageRows{{"disqualified", 1}, {"opportunity", 2}, {"sal", 4}}
	if len(dq.OtherStages) != 3 {
		t.Fatalf("other stages = %+v", dq.OtherStages)
	}
	for i, o := range dq.OtherStages {
		if o != wantOther[i] {
			t.Errorf("other stage %d = %+v, want %+v", i, o, wantOther[i])
		}
	}
	// Time-in-stage spans: mql→sql, sql→won (sql→won is next to last, so
	// not added twice).
	if n := len(r.TimeInStage.Overall); n != 2 {
		t.Errorf("spans = %+v", r.TimeInStage.Overall)
	}
}
