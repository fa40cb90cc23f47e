package calibrate

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/queries"
)

// undatedSQL is a flat export: 600 leads without created_at (the column made
// nullable, as the schema migration for flat exports does), lead i with
// channel web, referral or empty by i % 3 and a title (cto, manager, or
// none when i % 4 = 0). Leads 0–499 have an outcome, won when (i/3) % 10 is
// below 2 (web), 5 (referral) or 1 (empty channel); leads 500–599 have
// none: open. U0 has an event, which must not count (its moment is
// unknown).
const undatedSQL = `
ALTER TABLE leads ALTER created_at DROP NOT NULL;
INSERT INTO leads SELECT 'U' || i, NULL, ['web', 'referral', ''][1 + i % 3] FROM range(600) t(i);
ALTER TABLE leads ADD COLUMN "attr:title" VARCHAR;
UPDATE leads SET "attr:title" = a.v
FROM (SELECT 'U' || i AS id, ['cto', 'manager', 'cto'][1 + i % 3] AS v FROM range(600) t(i) WHERE i % 4 <> 0) a
WHERE leads.lead_id = a.id;
INSERT INTO outcomes
SELECT 'U' || i, TIMESTAMP '2024-06-01',
       CASE WHEN (i // 3) % 10 < [2, 5, 1][1 + i % 3] THEN 'won' ELSE 'lost' END, NULL
FROM range(500) t(i);
INSERT INTO events VALUES ('U0', TIMESTAMP '2024-05-01', 'demo_request', NULL);
`

// wonUndated is whether undated lead i was won (undatedSQL's rule).
func wonUndated(i int) bool { return (i/3)%10 < []int{2, 5, 1}[i%3] }

func TestUndatedSnapshots(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, undatedSQL)
	l, err := loadLeads(ctx, st, fixtureParams(), []string{"title"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 600 || l.NumLeads != 600 {
		t.Fatalf("%d snapshots of %d leads, want one each of 600", l.Len(), l.NumLeads)
	}
	mature := 0
	for i := range l.IDs {
		k := undatedIndex(t, l.IDs[i])
		if l.Landmark[i] != 0 || l.Seq[i] != 0 || !l.Created[i].IsZero() || !l.Cutoff[i].IsZero() {
			t.Fatalf("%s: landmark %d seq %d created %v at %v, want the first landmark with no dates", l.IDs[i], l.Landmark[i], l.Seq[i], l.Created[i], l.Cutoff[i])
		}
		if l.Mature[i] != (k < 500) {
			t.Errorf("%s mature %v, want %v (an outcome)", l.IDs[i], l.Mature[i], k < 500)
		}
		if want := k < 500 && wonUndated(k); (l.Label[i] == 1) != want {
			t.Errorf("%s label %v, want %v", l.IDs[i], l.Label[i], want)
		}
		if l.Mature[i] {
			mature++
		}
	}
	if mature != 500 {
		t.Errorf("%d mature leads, want 500", mature)
	}
	av, err := loadActions(ctx, st, fixtureParams(), l, 0, nil, l.Len())
	if err != nil {
		t.Fatal(err)
	}
	if len(av.Actions) != 0 {
		t.Errorf("actions %v counted for undated leads, want none", av.Actions)
	}
	// Without the bound on creation (loadActionEvents reads dated leads
	// only), the snapshot's missing moment alone keeps U0's event out.
	n := 0
	err = st.FeatureActionEvents(ctx, fixtureParams(), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		func(queries.FeatureActionEvent) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d events read for undated leads, want none", n)
	}
}

// undatedIndex is the number of a lead id "U<n>".
func undatedIndex(t *testing.T, id string) int {
	t.Helper()
	k, err := strconv.Atoi(strings.TrimPrefix(id, "U"))
	if err != nil {
		t.Fatalf("lead id %q is not U<number>", id)
	}
	return k
}

func TestUndatedCalibrate(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, undatedSQL)
	o := Options{Landmarks: []float64{1, 7, 30}, MinLeads: 10}

	o.Split = SplitTime
	if _, _, err := Run(ctx, st, o); !errors.Is(err, ErrTimeSplit) ||
		!strings.Contains(err.Error(), "500 of 500 mature leads have no creation date") || !strings.Contains(err.Error(), "use --split random") {
		t.Fatalf("--split time on undated leads: %v, want ErrTimeSplit naming the fix", err)
	}

	o.Split = ""
	res, m, rs, err := run(ctx, st, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Options.Split != SplitRandom || res.Options.Seed != DefaultSeed {
		t.Errorf("split %q seed %d, want random and %d", res.Options.Split, res.Options.Seed, DefaultSeed)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "500 of 500 mature leads have no creation date, so leads were split at random (seed 1)") {
		t.Errorf("warnings %q lack the fallback", res.Warnings)
	}
	// 500 mature leads, 100 open; one snapshot each, at the first landmark.
	if c := res.Leads; c.Total != 600 || c.Mature != 500 || c.Immature != 100 || c.Train+c.Test != 500 {
		t.Errorf("lead counts %+v", c)
	}
	if len(res.Options.Landmarks) != 1 || res.Options.Landmarks[0] != 1 || len(res.Options.LandmarksDropped) != 0 || m.Landmarks != nil {
		t.Errorf("landmarks %v dropped %v model %v, want only the first and no note", res.Options.Landmarks, res.Options.LandmarksDropped, m.Landmarks)
	}
	// Channels only is a saturated model: each level's fitted probability
	// is its training win rate, so the intercept is the logit of the
	// baseline's rate and a level's weight the difference of logits,
	// counted here from the lead ids of the training rows.
	n := map[string]float64{}
	won := map[string]float64{}
	for _, i := range rs.train {
		k := undatedIndex(t, rs.leads.IDs[i])
		c := []string{"web", "referral", NoChannel}[k%3]
		n[c]++
		if wonUndated(k) {
			won[c]++
		}
	}
	logit := func(c string) float64 { r := won[c] / n[c]; return math.Log(r / (1 - r)) }
	base := res.Baselines["channel"]
	if math.Abs(res.Intercept-logit(base)) > 1e-6 {
		t.Errorf("intercept %v, want logit of the %s rate %v", res.Intercept, base, logit(base))
	}
	seen := 0
	for _, c := range res.Coefficients {
		if lv, ok := strings.CutPrefix(c.Feature, "channel:"); ok {
			seen++
			if want := logit(lv) - logit(base); math.Abs(c.Weight-want) > 1e-6 {
				t.Errorf("%s weight %v, want %v", c.Feature, c.Weight, want)
			}
		}
	}
	if seen != 2 || n[NoChannel] == 0 {
		t.Errorf("%d channel weights (%v leads by channel), want 2 including %s", seen, n, NoChannel)
	}
}

func TestUndatedOutcome(t *testing.T) {
	// A flat export with dates but an outcome column: the outcomes have no
	// closed_at. D1 (won) and D2 (lost) were created 2024-05-01, less than
	// the 180-day horizon before the data's end (2024-06-01, F1's outcome),
	// yet their outcomes are known and final: both mature, D1 labelled won.
	// D3 has no outcome: immature.
	ctx := context.Background()
	st := openStore(t, `
ALTER TABLE outcomes ALTER closed_at DROP NOT NULL;
INSERT INTO leads VALUES ('D1', '2024-05-01', 'web'), ('D2', '2024-05-01', 'web'), ('D3', '2024-05-01', 'web'),
                         ('F1', '2023-01-01', 'web');
INSERT INTO outcomes VALUES ('D1', NULL, 'won', NULL), ('D2', NULL, 'lost', NULL), ('F1', '2024-06-01', 'lost', NULL);`)
	p := fixtureParams()
	p.LandmarkDays = []float64{7}
	l, err := loadLeads(ctx, st, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]bool{"D1": {true, true}, "D2": {false, true}, "D3": {false, false}, "F1": {false, true}}
	for i, id := range l.IDs {
		w, ok := want[id]
		if !ok {
			t.Fatalf("unexpected lead %s", id)
		}
		if got := [2]bool{l.Label[i] == 1, l.Mature[i]}; got != w {
			t.Errorf("%s: won %v mature %v, want %v %v", id, got[0], got[1], w[0], w[1])
		}
		delete(want, id)
	}
	if len(want) != 0 {
		t.Errorf("leads without a snapshot: %v", want)
	}
}
