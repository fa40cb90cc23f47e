package gen

import (
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/internal/gen/oracle"
)

// meanSE returns the mean of v and its standard error.
func meanSE(v []float64) (mean, se float64) {
	var s, ss float64
	for _, x := range v {
		s += x
		ss += x * x
	}
	n := float64(len(v))
	mean = s / n
	return mean, math.Sqrt(max(ss/n-mean*mean, 0) / n)
}

// zDiff is the z statistic of mean(a) − mean(b).
func zDiff(a, b []float64) float64 {
	ma, sa := meanSE(a)
	mb, sb := meanSE(b)
	return (ma - mb) / math.Hypot(sa, sb)
}

// ageDays is the age of the lead at t, days (capped at cap).
func ageDays(l *oracle.Lead, t time.Time, cap float64) float64 {
	if t.IsZero() {
		return cap
	}
	return min(t.Sub(l.Created).Hours()/24, cap)
}

// TestStageTimingFollowsOutcome checks that winners are handed to sales
// sooner than losers, that a sizeable share of winners (20–35%) is in sales
// before the planted age, and that the timing of the first sales entry and
// of the first MQL does not depend on what the lead did: among winners, and
// among winners and losers that passed MQL, leads in the upper half of the
// true logit (more and stronger first-week actions, better profile) are
// handed over no sooner than the lower half (mean age at entry, capped at
// 60 days, equal within 4 SE). Referral winners that enter straight at SQL
// have no MQL; their SQL comes at the same time as other winners' SAL.
func TestStageTimingFollowsOutcome(t *testing.T) {
	dir, _ := generateDir(t, Config{Leads: 30000, Seed: 12})
	d := loadDataset(t, dir)
	type row struct {
		logit       float64
		sales, mql  float64 // age at first entry, days, capped at 60
		salesBefore bool    // first sales entry before the planted age
	}
	var winners, winnersMQL, losersMQL []row
	var winnerSales, loserSales []float64 // ages of those that reached sales
	for _, l := range d.Leads {
		if !d.Mature(l) {
			continue
		}
		s, m := firstStage(l, salesStages...), firstStage(l, "mql")
		r := row{d.TrueLogit(l), ageDays(l, s, 60), ageDays(l, m, 60), !s.IsZero() && s.Before(d.truth.Landmark(l.Created))}
		switch {
		case d.Label(l):
			winners = append(winners, r)
			winnerSales = append(winnerSales, ageDays(l, s, 1e9))
			if !m.IsZero() {
				winnersMQL = append(winnersMQL, r)
			}
		case !m.IsZero():
			losersMQL = append(losersMQL, r)
		}
		if !d.Label(l) && !s.IsZero() {
			loserSales = append(loserSales, ageDays(l, s, 1e9))
		}
	}
	before := 0
	for _, r := range winners {
		if r.salesBefore {
			before++
		}
	}
	share := float64(before) / float64(len(winners))
	wm, _ := meanSE(winnerSales)
	lm, _ := meanSE(loserSales)
	t.Logf("%d mature winners: %.1f%% in sales before day %g; mean age at first sales entry: winners %.1f d, losers that reach sales %.1f d (%d)",
		len(winners), 100*share, d.truth.PlantedAgeDays, wm, lm, len(loserSales))
	if share < 0.20 || share > 0.35 {
		t.Errorf("%.1f%% of winners in sales before the planted age, want 20–35%%", 100*share)
	}
	if !(lm > 2*wm) {
		t.Errorf("losers reach sales after %.1f days on average, winners after %.1f: want winners clearly sooner", lm, wm)
	}
	halves := func(name string, rows []row, age func(row) float64) {
		t.Helper()
		sort.Slice(rows, func(i, j int) bool { return rows[i].logit < rows[j].logit })
		var lo, hi []float64
		for i, r := range rows {
			if i < len(rows)/2 {
				lo = append(lo, age(r))
			} else {
				hi = append(hi, age(r))
			}
		}
		ml, _ := meanSE(lo)
		mh, _ := meanSE(hi)
		z := zDiff(hi, lo)
		t.Logf("%s: mean age %.2f d (upper half of the true logit) vs %.2f d (lower half), z %+.1f", name, mh, ml, z)
		if math.Abs(z) > 4 {
			t.Errorf("%s depends on the lead's features: %.2f vs %.2f days, z %.1f", name, mh, ml, z)
		}
	}
	halves("winners' first sales entry", winners, func(r row) float64 { return r.sales })
	halves("winners' first MQL", winnersMQL, func(r row) float64 { return r.mql })
	halves("losers' first MQL", losersMQL, func(r row) float64 { return r.mql })
}

// TestNullActionsSteady checks that each null action goes on at the same
// rate for winners and losers in each period of the lead's life (events per
// day in days 0–7, 7–30 and 30 to the end of the data; equal within 4 SE),
// and at a steady rate: the same per day in the first 30 days as later
// (within 10%).
func TestNullActionsSteady(t *testing.T) {
	dir, _ := generateDir(t, Config{Leads: 30000, Seed: 13})
	d := loadDataset(t, dir)
	end := d.truth.End
	periods := []struct {
		name     string
		from, to float64 // days after creation; to < 0 means the end
	}{{"days 0-7", 0, 7}, {"days 7-30", 7, 30}, {"day 30 to the end", 30, -1}}
	for _, a := range d.truth.NullActions {
		if w := d.truth.Weights["action:"+a]; w != 0 {
			t.Errorf("null action %s has weight %v", a, w)
		}
		var perDay [3]float64 // over all mature leads: first 30 days, later
		var exposure [3]float64
		for k, p := range periods {
			var won, lost []float64
			for _, l := range d.Leads {
				if !d.Mature(l) {
					continue
				}
				from := l.Created.Add(time.Duration(p.from * 24 * float64(time.Hour)))
				to := end
				if p.to >= 0 {
					to = l.Created.Add(time.Duration(p.to * 24 * float64(time.Hour)))
				}
				n := 0.0
				for _, e := range l.Events {
					if e.Action == a && !e.At.Before(from) && e.At.Before(to) {
						n++
					}
				}
				length := to.Sub(from).Hours() / 24
				perDay[k] += n
				exposure[k] += length
				if d.Label(l) {
					won = append(won, n/length)
				} else {
					lost = append(lost, n/length)
				}
			}
			mw, _ := meanSE(won)
			ml, _ := meanSE(lost)
			z := zDiff(won, lost)
			t.Logf("%s per day, %s: winners %.4f, losers %.4f (z %+.1f)", a, p.name, mw, ml, z)
			if math.Abs(z) > 4 {
				t.Errorf("%s, %s: winners %.4f a day, losers %.4f (z %.1f), want the same rate", a, p.name, mw, ml, z)
			}
		}
		early := (perDay[0] + perDay[1]) / (exposure[0] + exposure[1])
		late := perDay[2] / exposure[2]
		t.Logf("%s per day: first 30 days %.4f, later %.4f", a, early, late)
		if math.Abs(early/late-1) > 0.10 {
			t.Errorf("%s: %.4f a day in the first 30 days, %.4f later, want steady", a, early, late)
		}
	}
	if !slices.Equal(d.truth.NullActions, []string{"email_open", "page_view"}) {
		t.Errorf("null actions %v, want email_open and page_view", d.truth.NullActions)
	}
}

// TestSalesFilledColumn checks the leak column lead_quality: filled for
// nearly all mature winners (≥ 90%) and few mature losers (≤ 5%), absent
// from the truth's weights and baselines, and named in truth.yaml.
func TestSalesFilledColumn(t *testing.T) {
	dir, _ := generateDir(t, Config{Leads: 20000, Seed: 14})
	d := loadDataset(t, dir)
	var filled, n [2]float64
	values := map[string]bool{}
	for _, l := range d.Leads {
		q, ok := l.Attributes["lead_quality"]
		if !ok {
			t.Fatal("leads.csv has no lead_quality column")
		}
		if q != "" {
			values[q] = true
		}
		if !d.Mature(l) {
			continue
		}
		k := int(b2f(d.Label(l)))
		n[k]++
		if q != "" {
			filled[k]++
		}
	}
	won, lost := filled[1]/n[1], filled[0]/n[0]
	t.Logf("lead_quality filled: %.1f%% of mature winners, %.2f%% of mature losers; values %v", 100*won, 100*lost, values)
	if won < 0.90 || lost > 0.05 {
		t.Errorf("lead_quality filled for %.1f%% of winners and %.2f%% of losers, want ≥ 90%% and ≤ 5%%", 100*won, 100*lost)
	}
	if len(values) != 3 {
		t.Errorf("lead_quality values %v, want A, B, C", values)
	}
	for name := range d.truth.Weights {
		if len(name) > 17 && name[:17] == "attr:lead_quality" {
			t.Errorf("truth weighs %s", name)
		}
	}
	if _, ok := d.truth.BaselineAttributes["lead_quality"]; ok {
		t.Error("lead_quality has a baseline in the truth")
	}
	if !slices.Equal(d.truth.SalesFilledColumns, []string{"lead_quality"}) {
		t.Errorf("sales_filled_columns %v", d.truth.SalesFilledColumns)
	}
}

// funnelStages are the stages from MQL on: a lead that entered any of them
// has been handed over (the report's by_action looks at leads before that).
var funnelStages = []string{"mql", "sal", "sql", "opportunity"}

// lift is the win rate of leads that did an action over that of leads that
// did not, with the standard error of its logarithm (delta method:
// √(1/a − 1/n₁ + 1/c − 1/n₂), a and c the winners among n₁ doers and n₂
// others).
func lift(didWon, did, notWon, not float64) (ratio, seLog float64) {
	return (didWon / did) / (notWon / not), math.Sqrt(1/didWon - 1/did + 1/notWon - 1/not)
}

// TestReportLiftTrap checks the trap set for the report's by_action: with
// the old rule (actions done before the lead first reached MQL or a later
// stage, or ever if it never did), leads that viewed pages seem to win far
// less often than the others (losers that never qualify are watched all
// their life, winners only until their early hand-over); at a landmark
// (leads not yet MQL at the same age, actions before it) the lift of each
// null action is 1 within its 99.9% interval (±3.29 SE of the log ratio).
// The landmark is the median age at first MQL among mature leads that
// reached MQL, the report's default. Few winners are left by then, so the
// landmark half has little power (a 40% outcome-dependent dip in the null
// rate passes it); TestNullActionsSteady is the guard for that.
func TestReportLiftTrap(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and reads 30k leads")
	}
	dir, _ := generateDir(t, Config{Leads: 30000, Seed: 15})
	d := loadDataset(t, dir)
	var ages []float64
	for _, l := range d.Leads {
		if m := firstStage(l, funnelStages...); d.Mature(l) && !m.IsZero() {
			ages = append(ages, m.Sub(l.Created).Hours()/24)
		}
	}
	sort.Float64s(ages)
	landmark := math.Max(1, math.Round(ages[len(ages)/2]))
	for _, a := range d.truth.NullActions {
		var old, lm [4]float64 // didWon, did, notWon, not
		tally := func(c *[4]float64, did, won bool) {
			k := 2
			if did {
				k = 0
			}
			c[k+1]++
			if won {
				c[k]++
			}
		}
		for _, l := range d.Leads {
			if !d.Mature(l) {
				continue
			}
			q := firstStage(l, funnelStages...)
			did := false
			for _, e := range l.Events {
				if e.Action == a && (q.IsZero() || e.At.Before(q)) {
					did = true
					break
				}
			}
			tally(&old, did, d.Label(l))
		}
		for _, s := range d.Snapshots(landmark, funnelStages) {
			if s.Mature {
				tally(&lm, s.Counts[a] > 0, s.Label)
			}
		}
		ro, so := lift(old[0], old[1], old[2], old[3])
		rl, sl := lift(lm[0], lm[1], lm[2], lm[3])
		t.Logf("%s lift: before first MQL ×%.2f (99.9%% CI %.2f–%.2f); at day %g ×%.2f (%.2f–%.2f), %.0f of %.0f snapshots did it",
			a, ro, ro*math.Exp(-3.29*so), ro*math.Exp(3.29*so), landmark, rl, rl*math.Exp(-3.29*sl), rl*math.Exp(3.29*sl), lm[1], lm[1]+lm[3])
		if ro*math.Exp(3.29*so) > 0.7 {
			t.Errorf("%s: before-first-MQL lift ×%.2f, want the trap to show (CI clearly below 1)", a, ro)
		}
		if math.Abs(math.Log(rl)) > 3.29*sl {
			t.Errorf("%s: lift at day %g ×%.2f ± %.2f (log), want 1 within its 99.9%% interval", a, landmark, rl, sl)
		}
	}
}
