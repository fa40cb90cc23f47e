package gen

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
)

// funnelStats are realism figures of a data set, from the files.
type funnelStats struct {
	leads, mature, mql, sql, mqlThenSQL, wonMature, won int
	eventsPerLead                                       float64
	channelWinRate                                      map[string]float64 // among mature leads
	channelLeads                                        map[string]int
}

func computeStats(d *dataset) funnelStats {
	s := funnelStats{channelWinRate: map[string]float64{}, channelLeads: map[string]int{}}
	matureByChannel := map[string]int{}
	wonByChannel := map[string]int{}
	var events int
	for _, l := range d.Leads {
		s.leads++
		events += len(l.Events)
		s.channelLeads[l.Channel]++
		mql, sql := reached(l, "mql"), reached(l, "sql")
		if mql {
			s.mql++
			if sql {
				s.mqlThenSQL++
			}
		}
		if sql {
			s.sql++
		}
		won := d.Label(l)
		if won {
			s.won++
		}
		if d.Mature(l) {
			s.mature++
			matureByChannel[l.Channel]++
			if won {
				s.wonMature++
				wonByChannel[l.Channel]++
			}
		}
	}
	for c, n := range matureByChannel {
		s.channelWinRate[c] = float64(wonByChannel[c]) / float64(n)
	}
	s.eventsPerLead = float64(events) / float64(s.leads)
	return s
}

func (s funnelStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "leads %d, mature %d, events/lead %.1f\n", s.leads, s.mature, s.eventsPerLead)
	fmt.Fprintf(&b, "reached MQL %.1f%%, MQL→SQL %.1f%%, SQL %.1f%% of leads\n",
		100*float64(s.mql)/float64(s.leads), 100*float64(s.mqlThenSQL)/float64(s.mql), 100*float64(s.sql)/float64(s.leads))
	fmt.Fprintf(&b, "won within horizon: %d of mature (%.2f%%), %d in all\n", s.wonMature,
		100*float64(s.wonMature)/float64(s.mature), s.won)
	var chans []string
	for c := range s.channelWinRate {
		chans = append(chans, c)
	}
	sort.Strings(chans)
	for _, c := range chans {
		fmt.Fprintf(&b, "  %-20s leads %6d  win rate %.2f%%\n", c, s.channelLeads[c], 100*s.channelWinRate[c])
	}
	return b.String()
}

// TestRealism checks the funnel figures of a default run against the ranges
// the generator promises (DOMAIN.md: 10–30% of leads reach MQL, MQL→SQL
// around 10–20%, lead→won a few percent, channels several-fold apart) and
// that the messy parts of a real funnel are present.
func TestRealism(t *testing.T) {
	dir, _ := generateDir(t, Config{})
	d := loadDataset(t, dir)
	s := computeStats(d)
	t.Log("\n" + s.String())
	rate := func(a, b int) float64 { return float64(a) / float64(b) }
	checks := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"share reaching MQL", rate(s.mql, s.leads), 0.10, 0.30},
		{"MQL→SQL", rate(s.mqlThenSQL, s.mql), 0.10, 0.22},
		{"won within horizon among mature leads", rate(s.wonMature, s.mature), 0.015, 0.06},
		{"mature wins", float64(s.wonMature), 400, math.Inf(1)},
		{"events per lead", s.eventsPerLead, 15, 30},
	}
	var lo, hi = math.Inf(1), 0.0
	for _, r := range s.channelWinRate {
		lo, hi = min(lo, r), max(hi, r)
	}
	checks = append(checks, struct {
		name   string
		got    float64
		lo, hi float64
	}{"best/worst channel win rate", hi / lo, 3, math.Inf(1)})
	for _, c := range checks {
		if !(c.got >= c.lo && c.got <= c.hi) {
			t.Errorf("%s = %.4g, want in [%g, %g]", c.name, c.got, c.lo, c.hi)
		}
	}

	// Count the non-linear parts of the funnel.
	var recycled, nurture, disqualified, directSQL, twiceMQL, openAtEnd, neverLeft int
	for _, l := range d.Leads {
		mqls := 0
		for _, st := range l.Stages {
			switch st.Name {
			case "recycled":
				recycled++
			case "nurture":
				nurture++
			case "disqualified":
				disqualified++
			case "mql":
				mqls++
			}
		}
		if mqls >= 2 {
			twiceMQL++
		}
		if len(l.Stages) == 1 {
			neverLeft++
		}
		if sql := firstStage(l, "sql"); !sql.IsZero() && firstStage(l, "mql", "sal").IsZero() {
			directSQL++
		}
		if !firstStage(l, "sal", "sql").IsZero() && len(l.Outcomes) == 0 && !d.Mature(l) {
			openAtEnd++
		}
	}
	for name, n := range map[string]int{
		"recycled": recycled, "nurture": nurture, "disqualified": disqualified,
		"direct referral sql": directSQL, "returned to mql": twiceMQL,
		"in sales, open at the end": openAtEnd,
	} {
		if n < 20 {
			t.Errorf("%s: %d leads, want at least 20", name, n)
		}
	}
	if rate(neverLeft, s.leads) < 0.5 {
		t.Errorf("%d of %d leads never leave lead, want most", neverLeft, s.leads)
	}
}

// TestWinRateByDecileMatchesTruth groups mature leads by the true win
// probability recomputed from the files (read_test.go) and checks that the
// observed win rate of each decile equals the mean true probability within
// binomial noise: |won − Σp| ≤ 4·sqrt(Σp(1−p)), a 4-sigma band (two-sided
// chance of a false alarm about 6e-5 per decile).
func TestWinRateByDecileMatchesTruth(t *testing.T) {
	dir, _ := generateDir(t, Config{Seed: 2})
	d := loadDataset(t, dir)
	type row struct {
		p   float64
		won bool
	}
	var rows []row
	for _, l := range d.Leads {
		if d.Mature(l) {
			rows = append(rows, row{1 / (1 + math.Exp(-d.TrueLogit(l))), d.Label(l)})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].p < rows[j].p })
	var firstMean, lastMean float64
	for k := range 10 {
		part := rows[k*len(rows)/10 : (k+1)*len(rows)/10]
		var sumP, varP float64
		won := 0
		for _, r := range part {
			sumP += r.p
			varP += r.p * (1 - r.p)
			if r.won {
				won++
			}
		}
		n := float64(len(part))
		t.Logf("decile %d: n %d, mean p %.4f, observed %.4f", k+1, len(part), sumP/n, float64(won)/n)
		if math.Abs(float64(won)-sumP) > 4*math.Sqrt(varP) {
			t.Errorf("decile %d: %d won, expected %.1f ± %.1f", k+1, won, sumP, math.Sqrt(varP))
		}
		if k == 0 {
			firstMean = sumP / n
		}
		if k == 9 {
			lastMean = sumP / n
		}
	}
	// The check has power only if the probabilities spread widely.
	if lastMean < 10*firstMean {
		t.Errorf("top decile mean p %.4f is not 10× the bottom %.4f", lastMean, firstMean)
	}
}

// TestLeakageTrap checks the buying burst: high-intent events after a
// lead's first sales entry (or its landmark, if later) are far more frequent
// for winners, while before the planted age the difference is what the
// truth implies (smaller).
func TestLeakageTrap(t *testing.T) {
	dir, _ := generateDir(t, Config{Seed: 4})
	d := loadDataset(t, dir)
	trap := map[string]bool{"demo_request": true, "pricing_page": true, "talk_to_sales": true}
	var after, before [2]float64 // [won] mean counts
	var n [2]float64
	for _, l := range d.Leads {
		if !d.Mature(l) {
			continue
		}
		w := 0
		if d.Label(l) {
			w = 1
		}
		n[w]++
		landmark := d.truth.Landmark(l.Created)
		sales := firstStage(l, salesStages...)
		for _, e := range l.Events {
			switch {
			case !trap[e.Action]:
			case e.At.Before(landmark):
				before[w]++
			case !sales.IsZero() && !e.At.Before(sales):
				after[w]++
			}
		}
	}
	ratioAfter := (after[1] / n[1]) / (after[0] / n[0])
	ratioBefore := (before[1] / n[1]) / (before[0] / n[0])
	t.Logf("high-intent events per lead, won vs not: after sales entry %.2f vs %.3f (×%.1f), before the planted age %.2f vs %.3f (×%.1f)",
		after[1]/n[1], after[0]/n[0], ratioAfter, before[1]/n[1], before[0]/n[0], ratioBefore)
	if ratioAfter < 10 || ratioAfter < 2*ratioBefore {
		t.Errorf("after-sales ratio ×%.1f: want ≥ 10 and ≥ twice the before-landmark ratio ×%.1f", ratioAfter, ratioBefore)
	}
}
