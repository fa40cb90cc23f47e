package queries

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// featureFixtureSQL is a hand-built funnel of six leads. With observe = 30
// and horizon = 180 days, sales stages {sal, sql, opportunity}:
//
//	L1 web      created 01-01; no stage, so cut-off = 01-01 + 30 d = 01-31.
//	            page_view 01-02 and 01-11 (ages 29 and 20 d), demo_request
//	            01-20 12:00 (age 10.5 d) count; demo_request 02-05 is after the
//	            cut-off and must not. Won 03-01 (≤ 06-30): label won = true.
//	L2 referral created 01-05; SAL 01-10 cuts off early. demo_request 01-09
//	            (age 1 d) counts; pricing 01-12 happens after SAL (leakage) and
//	            must not. Won 09-01 > 01-05 + 180 d = 07-04: label false.
//	L3 web      created 02-01, no events, lost: label false, mature.
//	L4 web      created 11-01; window 11-01 + 180 d is after data_end
//	            (12-01, L5's won date, the latest timestamp): immature.
//	            Cut-off = least(12-01, data_end 12-01) = 12-01.
//	L5 referral created 11-10, SQL 11-20 cuts off (demo 11-15, age 5 d).
//	            Won 12-01 within horizon: label true, but immature: its
//	            window is still open (early winners alone would bias recent cohorts).
//	L6 event    created 03-01, MQL 03-05 (not a sales stage), ebook 03-20
//	            (cut-off 03-31, age 11 d); won 08-28 = 03-01 + 180 d exactly:
//	            closed_at ≤ created_at + horizon, label true.
const featureFixtureSQL = `
INSERT INTO leads VALUES
 ('L1','2025-01-01','web'),('L2','2025-01-05','referral'),('L3','2025-02-01','web'),
 ('L4','2025-11-01','web'),('L5','2025-11-10','referral'),('L6','2025-03-01','event');
INSERT INTO events VALUES
 ('L1','2025-01-02','page_view',NULL),('L1','2025-01-11','page_view',NULL),
 ('L1','2025-01-20 12:00','demo_request',NULL),('L1','2025-02-05','demo_request',NULL),
 ('L2','2025-01-09','demo_request',NULL),('L2','2025-01-12','pricing',NULL),
 ('L4','2025-11-02','page_view',NULL),
 ('L5','2025-11-15','demo_request',NULL),
 ('L6','2025-03-20','ebook',NULL);
INSERT INTO stages VALUES
 ('L2','SAL','2025-01-10'),('L5','sql','2025-11-20'),('L6','mql','2025-03-05');
INSERT INTO outcomes VALUES
 ('L1','2025-03-01','won',100),('L2','2025-09-01','won',100),('L3','2025-04-01','lost',NULL),
 ('L5','2025-12-01','won',50),('L6','2025-08-28','won',10);
`

func openFixture(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.DB().ExecContext(ctx, featureFixtureSQL); err != nil {
		t.Fatal(err)
	}
	return s
}

var fixtureParams = FeatureParams{
	ObserveDays: 30, HorizonDays: 180,
	SalesStages: []string{"sal", "sql", "opportunity"}, Target: "won",
	TargetStages: []string{"sql", "opportunity"},
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t, err = time.Parse("2006-01-02", s)
	}
	if err != nil {
		panic(err)
	}
	return t
}

func TestFeatureLeads(t *testing.T) {
	s := openFixture(t)
	type row struct {
		id, channel   string
		cutoff        time.Time
		label, mature bool
	}
	for _, tc := range []struct {
		target string
		want   []row
	}{
		{"won", []row{
			{"L1", "web", day("2025-01-31"), true, true},
			{"L2", "referral", day("2025-01-10"), false, true},
			{"L3", "web", day("2025-03-03"), false, true}, // 02-01 + 30 d
			{"L6", "event", day("2025-03-31"), true, true},
			{"L4", "web", day("2025-12-01"), false, false},
			{"L5", "referral", day("2025-11-20"), true, false},
		}},
		// target sql: L1 and L6 won (a win implies SQL), L5 entered sql;
		// L2 only reached SAL, and its win is beyond the horizon.
		{"sql", []row{
			{"L1", "web", day("2025-01-31"), true, true},
			{"L2", "referral", day("2025-01-10"), false, true},
			{"L3", "web", day("2025-03-03"), false, true},
			{"L6", "event", day("2025-03-31"), true, true},
			{"L4", "web", day("2025-12-01"), false, false},
			{"L5", "referral", day("2025-11-20"), true, false},
		}},
	} {
		t.Run(tc.target, func(t *testing.T) {
			p := fixtureParams
			p.Target = tc.target
			r, err := s.FeatureLeads(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Release()
			var got []row
			for r.Next() {
				rec := r.Record()
				ids := rec.Column(0).(*array.String)
				ch := rec.Column(2).(*array.String)
				cut := rec.Column(3).(*array.Timestamp)
				lab := rec.Column(4).(*array.Boolean)
				mat := rec.Column(5).(*array.Boolean)
				end := rec.Column(6).(*array.Timestamp)
				for i := 0; i < int(rec.NumRows()); i++ {
					got = append(got, row{strings.Clone(ids.Value(i)), strings.Clone(ch.Value(i)), cut.Value(i).ToTime(arrow.Microsecond),
						lab.Value(i), mat.Value(i)})
					if e := end.Value(i).ToTime(arrow.Microsecond); !e.Equal(day("2025-12-01")) {
						t.Errorf("data_end = %v, want 2025-12-01", e)
					}
				}
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rows, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if got[i].id != tc.want[i].id || got[i].channel != tc.want[i].channel ||
					!got[i].cutoff.Equal(tc.want[i].cutoff) || got[i].label != tc.want[i].label ||
					got[i].mature != tc.want[i].mature {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// fixtureOrder is the position of each fixture lead in FeatureLeads' order.
var fixtureOrder = []string{"L1", "L2", "L3", "L6", "L4", "L5"}

func TestFeatureActions(t *testing.T) {
	s := openFixture(t)
	type val struct {
		n       int64
		decayed float64
	}
	read := func(t *testing.T, h float64) map[string]val {
		r, err := s.FeatureActions(context.Background(), fixtureParams, h)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Release()
		got := map[string]val{}
		for r.Next() {
			rec := r.Record()
			idx := rec.Column(0).(*array.Int64)
			act := rec.Column(1).(*array.String)
			n := rec.Column(2).(*array.Int64)
			dec := rec.Column(3).(*array.Float64)
			for i := 0; i < int(rec.NumRows()); i++ {
				v := val{n: n.Value(i), decayed: math.NaN()}
				if dec.IsValid(i) {
					v.decayed = dec.Value(i)
				}
				got[fixtureOrder[idx.Value(i)]+"/"+act.Value(i)] = v
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	// Ages in days at each lead's cut-off (see featureFixtureSQL):
	// L1 page_view 29 and 20, demo_request 10.5 (its 02-05 demo is after the
	// cut-off); L2 demo_request 1 (pricing after SAL is absent); L4
	// page_view 29; L5 demo_request 5; L6 ebook 11. Sums at h = 7 (python3):
	// 0.5**(29/7)+0.5**(20/7) = 0.194618918, 0.5**(10.5/7) = 0.353553391,
	// 0.5**(1/7) = 0.905723664, 0.5**(29/7) = 0.056607729,
	// 0.5**(5/7) = 0.609506827, 0.5**(11/7) = 0.336475048.
	want := map[string]val{
		"L1/page_view":    {2, 0.194618918},
		"L1/demo_request": {1, 0.353553391},
		"L2/demo_request": {1, 0.905723664},
		"L4/page_view":    {1, 0.056607729},
		"L5/demo_request": {1, 0.609506827},
		"L6/ebook":        {1, 0.336475048},
	}
	got := read(t, 7)
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, w := range want {
		if g := got[k]; g.n != w.n || math.Abs(g.decayed-w.decayed) > 1e-9 {
			t.Errorf("%s = %+v, want %+v", k, g, w)
		}
	}
	for k, g := range read(t, 0) {
		if g.n != want[k].n || !math.IsNaN(g.decayed) {
			t.Errorf("no decay: %s = %+v, want n %d and no decayed sum", k, g, want[k].n)
		}
	}
}

func TestFeatureActionAges(t *testing.T) {
	s := openFixture(t)
	// Positions ≤ 4 that are multiples of 2: 0 (L1), 2 (L3, no events), 4 (L4).
	r, err := s.FeatureActionAges(context.Background(), fixtureParams, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	got := map[string][]float64{}
	for r.Next() {
		rec := r.Record()
		idx := rec.Column(0).(*array.Int64)
		act := rec.Column(1).(*array.String)
		lst := rec.Column(3).(*array.List)
		vals := lst.ListValues().(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			lo, hi := lst.ValueOffsets(i)
			var d []float64
			for j := lo; j < hi; j++ {
				d = append(d, vals.Value(int(j)))
			}
			sort.Float64s(d)
			got[fixtureOrder[idx.Value(i)]+"/"+act.Value(i)] = d
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{
		"L1/page_view":    {20, 29},
		"L1/demo_request": {10.5},
		"L4/page_view":    {29},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestFeatureAttributes(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO lead_attributes VALUES
		('L1','Title','cto'),('L2','title','intern'),('L2','country','de'),('L3','title',NULL),('L9','title','x')`); err != nil {
		t.Fatal(err)
	}
	r, err := s.FeatureAttributes(ctx, []string{"TITLE"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	got := map[string]string{}
	for r.Next() {
		rec := r.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			got[fixtureOrder[rec.Column(0).(*array.Int64).Value(i)]+"/"+rec.Column(1).(*array.String).Value(i)] =
				strings.Clone(rec.Column(2).(*array.String).Value(i))
		}
	}
	// L3's NULL, L2's country and L9 (not a lead) are left out.
	want := map[string]string{"L1/title": "cto", "L2/title": "intern"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestFeatureNames(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO lead_attributes VALUES ('L1','Title','cto'),('L2','title','x')`); err != nil {
		t.Fatal(err)
	}
	got, err := s.FeatureNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := FeatureNameSet{
		// pricing counts as known although it only happened after a SAL.
		Actions:    []string{"demo_request", "ebook", "page_view", "pricing"},
		Channels:   []string{"event", "referral", "web"},
		Attributes: []string{"title"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
