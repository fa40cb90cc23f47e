package queries

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// featureFixture is testdata/features/fixture.sql: a hand-built funnel of
// six leads whose feature values are worked out in the file's comments.
const featureFixture = "../testdata/features/fixture.sql"

func openFixture(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	fixture, err := os.ReadFile(featureFixture)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, string(fixture)); err != nil {
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
				rows := rec.Column(7).(*array.Int64)
				for i := 0; i < int(rec.NumRows()); i++ {
					if id := rows.Value(i); id < 0 || id >= int64(len(fixtureRows)) || fixtureRows[id] != ids.Value(i) {
						t.Errorf("%s has lead_row %d, want its rowid in leads", ids.Value(i), id)
					}
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

// fixtureRows is the fixture lead of each rowid in leads (insertion order),
// by which the feature queries name leads.
var fixtureRows = []string{"L1", "L2", "L3", "L4", "L5", "L6"}

func TestFeatureActions(t *testing.T) {
	s := openFixture(t)
	type val struct {
		n       int64
		decayed float64
	}
	read := func(t *testing.T, h float64, createdTo time.Time) map[string]val {
		r, err := s.FeatureActions(context.Background(), fixtureParams, h, createdTo)
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
				got[fixtureRows[idx.Value(i)]+"/"+act.Value(i)] = v
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	// Ages in days at each lead's cut-off (see testdata/features/fixture.sql):
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
	all := time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC) // L5, the newest lead
	got := read(t, 7, all)
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, w := range want {
		if g := got[k]; g.n != w.n || math.Abs(g.decayed-w.decayed) > 1e-9 {
			t.Errorf("%s = %+v, want %+v", k, g, w)
		}
	}
	for k, g := range read(t, 0, all) {
		if g.n != want[k].n || !math.IsNaN(g.decayed) {
			t.Errorf("no decay: %s = %+v, want n %d and no decayed sum", k, g, want[k].n)
		}
	}
	// Created by 03-01: L1, L2, L3 (no events) and L6; L4 and L5 are left out.
	upTo3 := read(t, 7, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	wantKeys := []string{"L1/demo_request", "L1/page_view", "L2/demo_request", "L6/ebook"}
	if len(upTo3) != len(wantKeys) {
		t.Fatalf("created by 03-01: got %v, want the keys %v", upTo3, wantKeys)
	}
	for _, k := range wantKeys {
		if g := upTo3[k]; g.n != want[k].n || math.Abs(g.decayed-want[k].decayed) > 1e-9 {
			t.Errorf("created by 03-01: %s = %+v, want %+v", k, g, want[k])
		}
	}
}

func TestFeatureActionAges(t *testing.T) {
	s := openFixture(t)
	// Rowids 0 (L1), 2 (L3, no events) and 3 (L4), one listed twice.
	r, err := s.FeatureActionAges(context.Background(), fixtureParams, []int64{0, 2, 3, 3})
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
			got[fixtureRows[idx.Value(i)]+"/"+act.Value(i)] = d
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
			got[fixtureRows[rec.Column(0).(*array.Int64).Value(i)]+"/"+rec.Column(1).(*array.String).Value(i)] =
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
