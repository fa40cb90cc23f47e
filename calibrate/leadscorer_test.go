package calibrate

import (
	"context"
	"math"
	"reflect"
	"testing"
)

// scorerDataSQL: 3000 leads over ten months on five channels, two
// attributes with missing values and a value the model does not know, and
// 20 events per lead from six actions up to 60 days after creation (some
// after the cut-off), all derived from hash() so the data is fixed.
const scorerDataSQL = `
INSERT INTO leads
SELECT 'L' || i, TIMESTAMP '2025-01-01' + to_seconds(CAST(hash(i) % 25920000::UBIGINT AS BIGINT)),
       ['web','referral','event','paid','email'][1 + CAST(hash(i * 7) % 5::UBIGINT AS INT)]
FROM range(3000) t(i);
ALTER TABLE leads ADD COLUMN "attr:title" VARCHAR;
UPDATE leads SET "attr:title" = a.v
FROM (SELECT 'L' || i AS id, ['cto','intern','manager','student'][1 + CAST(hash(i * 11) % 4::UBIGINT AS INT)] AS v
      FROM range(3000) t(i) WHERE i % 7 <> 0) a
WHERE leads.lead_id = a.id;
ALTER TABLE leads ADD COLUMN "attr:company_size" VARCHAR;
UPDATE leads SET "attr:company_size" = a.v
FROM (SELECT 'L' || i AS id, ['1-49','50-249','250+'][1 + CAST(hash(i * 13) % 3::UBIGINT AS INT)] AS v
      FROM range(3000) t(i) WHERE i % 3 <> 0) a
WHERE leads.lead_id = a.id;
INSERT INTO events
SELECT l.lead_id, l.created_at + to_seconds(CAST(hash(e) % 5184000::UBIGINT AS BIGINT)),
       ['demo_request','ebook','visit','free_trial','webinar','page_view'][1 + CAST(hash(e * 3) % 6::UBIGINT AS INT)],
       NULL
FROM range(60000) t(e) JOIN leads l ON l.lead_id = 'L' || (e // 20);
`

// TestLeadScorerMatchesModelScore checks the column scorer used by
// ScoreLeads against Model.Score on a FeatureRow for every lead: same points
// and same reasons in the same order, with caps, every transform, zero
// points, unknown channels and attribute values, missing attributes, and
// with and without decay.
func TestLeadScorerMatchesModelScore(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, scorerDataSQL)
	icpt := -3.0
	base := Model{Version: 1, Target: "won", PointsToDoubleOdds: 10, ObserveDays: 30, Intercept: &icpt,
		Actions: map[string]ActionPoints{
			"demo_request": {Points: 12, Cap: 3}, "ebook": {Points: 3}, "visit": {Points: -2, Cap: 5},
			"free_trial": {Points: 9}, "webinar": {Points: 0},
		},
		Features: map[string]string{"ebook": "log1p", "free_trial": "yesno"},
		Channels: map[string]int{"web": 5, "referral": 0, "event": -4},
		Attributes: map[string]map[string]int{
			"title":        {"cto": 8, "intern": -10, "manager": 3},
			"company_size": {"250+": 6, "1-49": -2},
		},
	}
	for _, h := range []float64{0, 14} {
		m := base
		m.HalfLifeDays = h
		p := fixtureParams()
		l, err := loadLeads(ctx, st, p, sortedKeys(m.Attributes))
		if err != nil {
			t.Fatal(err)
		}
		av, err := loadActions(ctx, st, p, l, h, nil, l.Len())
		if err != nil {
			t.Fatal(err)
		}
		if l.NumLeads != 3000 {
			t.Fatalf("leads = %d, want 3000", l.NumLeads)
		}
		sc := newLeadScorer(&m, l, av, nil)
		kinds := map[int]bool{} // distinct reason counts seen, so the data is not trivial
		for i := range l.IDs {
			wantPts, wantReasons := m.Score(featureRow(l, av, h, i, nil))
			gotPts, gotReasons := sc.score(i)
			if gotPts != wantPts || !reflect.DeepEqual(gotReasons, wantReasons) {
				t.Fatalf("half-life %v, lead %s: got %d %+v, want %d %+v", h, l.IDs[i], gotPts, gotReasons, wantPts, wantReasons)
			}
			kinds[len(wantReasons)] = true
		}
		if len(kinds) < 4 {
			t.Errorf("half-life %v: only %d distinct reason counts; the fixture does not exercise the scorer", h, len(kinds))
		}
	}
}

// featureRow is lead i's FeatureRow: its raw action values (decayed at
// half-life h, before cap and transform), its channel, its attribute values
// and its numeric features (absent when missing).
func featureRow(l *Leads, av *ActionValues, h float64, i int, rowOf []int32) FeatureRow {
	f := FeatureRow{"channel:" + levelName(false, l.Channels[l.Channel[i]]): 1}
	r := row(rowOf, i)
	for a, name := range av.Actions {
		vals := av.values(a, h)
		if vals == nil {
			vals = av.Counts[a]
		}
		if v := vals[r]; v != 0 {
			f["action:"+name] = v
		}
	}
	for k, col := range l.Attributes {
		f["attr:"+col+"="+levelName(true, l.AttrValues[k][i])] = 1
	}
	for _, in := range l.Numbers {
		if v := in.Values[i]; !math.IsNaN(v) {
			f[in.Name] = v
		}
	}
	return f
}
