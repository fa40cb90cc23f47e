package analysis

import (
	"context"
	"testing"
)

func landmarkReport(t *testing.T, opts Options) *Report {
	t.Helper()
	r, err := Compute(context.Background(), openFixture(t, landmarkSQL), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkLift checks one lift entry against hand-computed counts, ratio,
// Katz interval and p-value (NaN: want nil).
func checkLift(t *testing.T, name string, l Lift, stage string, with, without [2]int64, ratio, low, high, p float64) {
	t.Helper()
	if l.Stage != stage || l.With.Num != with[0] || l.With.Den != with[1] || l.Without.Num != without[0] || l.Without.Den != without[1] {
		t.Errorf("%s %s: with %d/%d without %d/%d, want %s %d/%d %d/%d", name, l.Stage,
			l.With.Num, l.With.Den, l.Without.Num, l.Without.Den, stage, with[0], with[1], without[0], without[1])
	}
	if l.Ratio == nil || !near(*l.Ratio, ratio, 1e-12) {
		t.Errorf("%s %s ratio = %v, want %v", name, stage, l.Ratio, ratio)
	}
	if l.RatioLow == nil || l.RatioHigh == nil || !near(*l.RatioLow, low, 1e-4) || !near(*l.RatioHigh, high, 1e-4) {
		t.Errorf("%s %s ratio CI = %v %v, want [%v, %v]", name, stage, l.RatioLow, l.RatioHigh, low, high)
	}
	if l.PValue == nil || !near(*l.PValue, p, 1e-6) {
		t.Errorf("%s %s p = %v, want %v", name, stage, l.PValue, p)
	}
}

func TestByActionAtLandmark(t *testing.T) {
	r := landmarkReport(t, Options{WindowDays: 30, LandmarkDays: 3})
	if r.ActionLandmarkDays != 3 || r.ActionLandmarkFromData {
		t.Errorf("landmark = %d from data %v, want 3 given", r.ActionLandmarkDays, r.ActionLandmarkFromData)
	}
	// Population B2 B3 B4 B5 B6 B9 B10 B11: reached mql B2 B3 B6 B10 (4),
	// sal the same 4, sql/opportunity/won B2 B6 B10 (3; B2's and B6's
	// opportunity by implication). Mature B2..B6 (5), open B9 B11 (2).
	// Within the window among the mature: mql B2 B3 B6 (3), sal 3, sql and
	// later B2 B6 (2).
	pop := r.ActionPopulation
	checkReached(t, "population", pop, counts{8, 4, 4, 3, 3, 3})
	checkConverted(t, "population", pop, 5, [5]int64{3, 3, 2, 2, 2})
	if pop.MatureLeads != 5 || pop.OpenLeads != 2 {
		t.Errorf("population mature %d open %d, want 5 2", pop.MatureLeads, pop.OpenLeads)
	}
	// Rows: pricing (B2 B3 B4 B9 B10) and webinar (B6). No lead of the
	// population did demo (B2's, B3's and B6's came at or after their
	// landmark) or ebook (B5's on 06-30) before its landmark: no rows.
	if len(r.ByAction) != 2 || r.ByAction[0].Action != "pricing" || r.ByAction[1].Action != "webinar" {
		t.Fatalf("actions = %+v", r.ByAction)
	}
	p := r.ByAction[0]
	// pricing: reached mql B2 B3 B10, sql B2 B10; mature B2 B3 B4 (base 3),
	// open B9; within the window mql B2 B3, sal B2 B3, sql..won B2.
	checkReached(t, "pricing", p.Funnel, counts{5, 3, 3, 2, 2, 2})
	checkConverted(t, "pricing", p.Funnel, 3, [5]int64{2, 2, 1, 1, 1})
	if p.MatureLeads != 3 || p.OpenLeads != 1 || !p.Immature {
		t.Errorf("pricing mature %d open %d immature %v, want 3 1 true", p.MatureLeads, p.OpenLeads, p.Immature)
	}
	// Lift for mql and every later stage. Without pricing: B5 B6 B11, mature
	// B5 B6 (base 2), B6 converting to every stage: 1/2.
	if len(p.Lift) != 5 || p.Lift[0].Stage != "mql" || p.Lift[4].Stage != "won" {
		t.Fatalf("pricing lift = %+v", p.Lift)
	}
	// mql: with 2/3, without 1/2, ratio (2/3)/(1/2) = 4/3.
	// Katz: ln(4/3) = 0.287682, se = sqrt(1/2 − 1/3 + 1/1 − 1/2) = sqrt(2/3)
	// = 0.816497, z·se = 1.959964·0.816497 = 1.600305 → exp(−1.312623) =
	// 0.269114, exp(1.887987) = 6.606050.
	// z-test: pooled 3/5, se = sqrt(0.6·0.4·(1/3+1/2)) = sqrt(0.2) = 0.447214,
	// z = (2/3−1/2)/0.447214 = 0.372678, p = erfc(0.372678/√2) = 0.709388.
	checkLift(t, "pricing", p.Lift[0], "mql", [2]int64{2, 3}, [2]int64{1, 2}, 4.0/3, 0.269114, 6.606050, 0.709388)
	// Wilson 2/3: centre (0.666667 + 3.841459/6)/(1 + 3.841459/3) =
	// 1.306910/2.280486 = 0.573084, half 1.959964/2.280486·sqrt(0.074074 +
	// 0.106707) = 0.859451·0.425183 = 0.365424 → [0.2077, 0.9385].
	if w := p.Lift[0].With; !near(w.Low, 0.2077, 1e-4) || !near(w.High, 0.9385, 1e-4) {
		t.Errorf("pricing mql with = %+v, want [0.2077, 0.9385]", w)
	}
	// won: with 1/3, without 1/2, ratio 2/3. Katz: ln(2/3) = −0.405465,
	// se = sqrt(1/1 − 1/3 + 1/1 − 1/2) = sqrt(7/6) = 1.080123, z·se =
	// 2.116996 → exp(−2.522461) = 0.080261, exp(1.711531) = 5.537471.
	// z-test: pooled 2/5, se = sqrt(0.4·0.6·(5/6)) = 0.447214, z = −0.372678,
	// p = 0.709388.
	checkLift(t, "pricing", p.Lift[4], "won", [2]int64{1, 3}, [2]int64{1, 2}, 2.0/3, 0.080261, 5.537471, 0.709388)

	// webinar: with B6 alone (1/1 at every stage); without B2 B3 B4 B5 B9
	// B10 B11, mature B2 B3 B4 B5 (base 4): mql B2 B3 → 2/4. Ratio 1/(1/2)
	// = 2. Katz: se = sqrt(1/1 − 1/1 + 1/2 − 1/4) = 0.5, z·se = 0.979982 →
	// 2·exp(∓0.979982) = [0.750636, 5.328817]. z-test: pooled 3/5,
	// se = sqrt(0.24·(1 + 1/4)) = 0.547723, z = 0.5/0.547723 = 0.912871,
	// p = erfc(0.912871/√2) = 0.361310.
	checkLift(t, "webinar", r.ByAction[1].Lift[0], "mql", [2]int64{1, 1}, [2]int64{2, 4}, 2, 0.750636, 5.328817, 0.361310)
}

func TestByActionLandmarkFromData(t *testing.T) {
	// Days from creation to first reaching mql (by implication included),
	// over every lead that reached it: B1 1, B2 9, B3 3, B6 9, B7 1 (sql),
	// B10 4 → sorted [1 1 3 4 9 9], median (3+4)/2 = 3.5 → 4 (halves up).
	r := landmarkReport(t, Options{WindowDays: 30})
	if r.ActionLandmarkDays != 4 || !r.ActionLandmarkFromData {
		t.Errorf("landmark = %d from data %v, want 4 true", r.ActionLandmarkDays, r.ActionLandmarkFromData)
	}
	// Main fixture: A1 1, A2 2, A3 5 (sql), A5 1, A6 2, A7 1, A9 4 (sal);
	// A10's mql precedes its creation and is left out → [1 1 1 2 2 4 5],
	// median 2.
	if r := fixtureReport(t, Options{WindowDays: 30}); r.ActionLandmarkDays != 2 || !r.ActionLandmarkFromData {
		t.Errorf("fixture landmark = %d from data %v, want 2 true", r.ActionLandmarkDays, r.ActionLandmarkFromData)
	}
	// Qualifying after 6 hours: median 0.25 days rounds to 0, raised to 1.
	r = landmarkReportOf(t, []string{
		`INSERT INTO leads VALUES ('C1','2025-01-01','web')`,
		`INSERT INTO stages VALUES ('C1','mql','2025-01-01 06:00')`,
	})
	if r.ActionLandmarkDays != 1 {
		t.Errorf("landmark = %d, want 1 (at least a day)", r.ActionLandmarkDays)
	}
	// Qualifying 2 and 3 days after creation → median 2.5 → 3; C3's mql
	// 10 days before its creation is left out (with it the median of
	// [−10 2 3] would be 2).
	r = landmarkReportOf(t, []string{
		`INSERT INTO leads VALUES ('C1','2025-01-01','web'), ('C2','2025-01-01','web'), ('C3','2025-01-20','web')`,
		`INSERT INTO stages VALUES ('C1','mql','2025-01-03'), ('C2','mql','2025-01-04'), ('C3','mql','2025-01-10')`,
	})
	if r.ActionLandmarkDays != 3 {
		t.Errorf("landmark = %d, want 3 (a stage before creation left out)", r.ActionLandmarkDays)
	}
	// No lead qualified: DefaultLandmarkDays.
	r = landmarkReportOf(t, []string{`INSERT INTO leads VALUES ('C1','2025-01-01','web')`})
	if r.ActionLandmarkDays != DefaultLandmarkDays || !r.ActionLandmarkFromData {
		t.Errorf("landmark = %d, want %d", r.ActionLandmarkDays, DefaultLandmarkDays)
	}
}

func landmarkReportOf(t *testing.T, stmts []string) *Report {
	t.Helper()
	r, err := Compute(context.Background(), openFixture(t, stmts), Options{WindowDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
