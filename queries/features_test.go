package queries

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
	LandmarkDays: []float64{1, 7, 30}, HorizonDays: 180,
	SalesStages: []string{"sal", "sql", "opportunity"}, Target: "won",
	TargetStages: []string{"sql", "opportunity"}, MQLStages: []string{"mql"},
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

func TestFeatureSnapshots(t *testing.T) {
	s := openFixture(t)
	type row struct {
		id            string
		seq           int
		at            time.Time
		label, mature bool
	}
	// The snapshots worked out in testdata/features/fixture.sql.
	won := []row{
		{"L1", 0, day("2025-01-02"), true, true}, {"L1", 1, day("2025-01-08"), true, true}, {"L1", 2, day("2025-01-31"), true, true},
		{"L2", 0, day("2025-01-06"), false, true},
		{"L3", 0, day("2025-02-02"), false, true}, {"L3", 1, day("2025-02-08"), false, true}, {"L3", 2, day("2025-03-03"), false, true},
		{"L6", 0, day("2025-03-02"), true, true}, {"L6", 1, day("2025-03-08"), true, true}, {"L6", 2, day("2025-03-31"), true, true},
		{"L4", 0, day("2025-11-02"), false, false}, {"L4", 1, day("2025-11-08"), false, false}, {"L4", 2, day("2025-12-01"), false, false},
		{"L5", 0, day("2025-11-11"), true, false}, {"L5", 1, day("2025-11-17"), true, false},
	}
	for _, tc := range []struct {
		target string
		want   []row
	}{
		{"won", won},
		// target sql: L1 and L6 won (a win implies SQL), L5 entered sql;
		// L2 only reached SAL, and its win is beyond the horizon: the same labels.
		{"sql", won},
	} {
		t.Run(tc.target, func(t *testing.T) {
			p := fixtureParams
			p.Target = tc.target
			var got []row
			err := s.FeatureSnapshots(context.Background(), p, nil, func(f FeatureSnapshot) error {
				if f.LeadRow < 0 || f.LeadRow >= int64(len(fixtureRows)) || fixtureRows[f.LeadRow] != f.LeadID {
					t.Errorf("%s has lead_row %d, want its rowid in leads", f.LeadID, f.LeadRow)
				}
				if f.Landmark != f.Seq || f.Handed {
					t.Errorf("%s/%d: landmark %d, handed %v; want landmark = seq, not handed", f.LeadID, f.Seq, f.Landmark, f.Handed)
				}
				if f.Qualified != (f.LeadID == "L6") {
					t.Errorf("%s: qualified %v; only L6 entered mql", f.LeadID, f.Qualified)
				}
				if !f.DataEnd.Equal(day("2025-12-01")) {
					t.Errorf("data_end = %v, want 2025-12-01", f.DataEnd)
				}
				got = append(got, row{strings.Clone(f.LeadID), f.Seq, f.At, f.Label, f.Mature})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rows, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if got[i].id != tc.want[i].id || got[i].seq != tc.want[i].seq || !got[i].at.Equal(tc.want[i].at) ||
					got[i].label != tc.want[i].label || got[i].mature != tc.want[i].mature {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestFeatureSnapshotsAsOf(t *testing.T) {
	s := openFixture(t)
	// As of 03-10: L1, L2, L3 and L6 exist. L1 was won on 03-01 and L2 had
	// its SAL on 01-10: both handed over. L3 closes on 04-01, L6 on 08-28.
	asOf := day("2025-03-10")
	p := fixtureParams
	p.AsOf = &asOf
	dataEnd := day("2025-12-01") // as the landmark set says (TestFeatureSnapshots)
	got := map[string]bool{}
	err := s.FeatureSnapshots(context.Background(), p, nil, func(f FeatureSnapshot) error {
		if !f.At.Equal(asOf) || f.Seq != 0 || f.Landmark != -1 {
			t.Errorf("%s: at %v seq %d landmark %d, want %v, 0, -1", f.LeadID, f.At, f.Seq, f.Landmark, asOf)
		}
		if !f.DataEnd.Equal(dataEnd) || f.Label || f.Mature || f.Qualified {
			t.Errorf("%s: data end %v, label %v, mature %v, qualified %v; want %v and no outcome read",
				f.LeadID, f.DataEnd, f.Label, f.Mature, f.Qualified, dataEnd)
		}
		got[strings.Clone(f.LeadID)] = f.Handed
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"L1": true, "L2": true, "L3": false, "L6": false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("as of 03-10: handed %v, want %v", got, want)
	}
	// A zero AsOf is just after the end of the data: every lead, and the
	// ones with a sales stage or an outcome by then are handed over.
	zero := time.Time{}
	p.AsOf = &zero
	n, handed := 0, 0
	if err := s.FeatureSnapshots(context.Background(), p, nil, func(f FeatureSnapshot) error {
		n++
		if f.Handed {
			handed++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 6 || handed != 5 { // all but L4
		t.Errorf("as of the end: %d leads, %d handed; want 6 and 5", n, handed)
	}
}

// fixtureRows is the fixture lead of each rowid in leads (insertion order),
// by which the feature queries name leads.
var fixtureRows = []string{"L1", "L2", "L3", "L4", "L5", "L6"}

func TestFeatureActionEvents(t *testing.T) {
	s := openFixture(t)
	const day = 86400000000 // µs
	read := func(t *testing.T, createdTo time.Time) []string {
		var got []string
		err := s.FeatureActionEvents(context.Background(), fixtureParams, createdTo, func(e FeatureActionEvent) error {
			got = append(got, fmt.Sprintf("%s/%s/%g", fixtureRows[e.LeadRow], e.Action, float64(e.AgeMicros)/day))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		return got
	}
	// Each lead's events before its last snapshot (see the fixture's
	// comments), with their age since creation in days: L1's last snapshot
	// is 01-31 (its 02-05 demo is later), L2's is 01-06 (before its events),
	// L6's 03-31, L4's 12-01 and L5's 11-17.
	all := time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC) // L5, the newest lead
	want := []string{"L1/demo_request/19.5", "L1/page_view/1", "L1/page_view/10", "L4/page_view/1",
		"L5/demo_request/5", "L6/ebook/19"}
	if got := read(t, all); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Created by 03-01: L1, L2, L3 (no events) and L6; L4 and L5 are left out.
	want = []string{"L1/demo_request/19.5", "L1/page_view/1", "L1/page_view/10", "L6/ebook/19"}
	if got := read(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)); !reflect.DeepEqual(got, want) {
		t.Errorf("created by 03-01: got %v, want %v", got, want)
	}
}

func TestFeatureActionRowsAsOf(t *testing.T) {
	s := openFixture(t)
	// As of 01-15 L1 and L2 exist. Before it L1 viewed pages on 01-02 and
	// 01-11 (13 and 4 days old), L2 requested a demo on 01-09 and viewed
	// pricing on 01-12 (6 and 3 days): events count whether or not the lead
	// was handed over (L2's SAL was 01-10). At a 7-day half-life (python3):
	// 0.5**(13/7)+0.5**(4/7) = 0.948972475, 0.5**(6/7) = 0.552044757,
	// 0.5**(3/7) = 0.742997145.
	asOf := day("2025-01-15")
	p := fixtureParams
	p.AsOf = &asOf
	// Actions are asked for by name: "webinar" and "it's" (a quote in the
	// text of the statement) are done by no lead, and
	// "pricing" is left out of the second call.
	for _, c := range []struct {
		halfLife float64
		actions  []string
		want     map[string]float64
	}{
		{7, []string{"demo_request", "page_view", "pricing", "webinar", "it's"},
			map[string]float64{"L1/page_view": 0.948972475, "L2/demo_request": 0.552044757, "L2/pricing": 0.742997145}},
		{0, []string{"page_view", "demo_request"},
			map[string]float64{"L1/page_view": 2, "L2/demo_request": 1}},
	} {
		got := map[string]float64{}
		err := s.FeatureActionRows(context.Background(), p, c.halfLife, c.actions, func(b FeatureActionBatch) error {
			for i, a := range b.Action {
				if a < 1 || int(a) > len(c.actions) {
					t.Fatalf("action %d of %d", a, len(c.actions))
				}
				got[b.LeadID.Value(i)+"/"+c.actions[a-1]] += b.Weight[i]
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Fatalf("half-life %v: got %v, want %v", c.halfLife, got, c.want)
		}
		for k, w := range c.want {
			if g := got[k]; math.Abs(g-w) > 1e-9 {
				t.Errorf("half-life %v: %s = %v, want %v", c.halfLife, k, g, w)
			}
		}
	}
	if err := s.FeatureActionRows(context.Background(), fixtureParams, 7, []string{"page_view"}, func(FeatureActionBatch) error { return nil }); err == nil {
		t.Error("a landmark set was accepted")
	}
}

// TestActionRowsStartedAhead reads the fixture's events as of 01-15 with
// the first chunk's query started ahead: the sums are those of
// TestFeatureActionRowsAsOf, a second read is refused, and a read started
// but never made is released by Close.
func TestActionRowsStartedAhead(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	asOf := day("2025-01-15")
	p := fixtureParams
	p.AsOf = &asOf
	rows, err := s.NewFeatureActionRows(ctx, p, 0, []string{"page_view", "demo_request"})
	if err != nil {
		t.Fatal(err)
	}
	rows.Start()
	rows.Start() // a second Start does nothing
	got := map[string]float64{}
	err = rows.Each(func(b FeatureActionBatch) error {
		for i, a := range b.Action {
			got[b.LeadID.Value(i)+"/"+[]string{"page_view", "demo_request"}[a-1]] += b.Weight[i]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]float64{"L1/page_view": 2, "L2/demo_request": 1}; !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if err := rows.Each(func(FeatureActionBatch) error { return nil }); err == nil {
		t.Error("a second read was accepted")
	}
	rows.Close()

	unread, err := s.NewFeatureActionRows(ctx, p, 7, []string{"page_view"})
	if err != nil {
		t.Fatal(err)
	}
	unread.Start()
	unread.Close()
	unread.Close()
	// The store still answers: nothing was left holding a connection.
	if err := s.FeatureActionRows(ctx, p, 0, []string{"page_view"}, func(FeatureActionBatch) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// TestChunkedArrow reads a table of 10 rows in chunks of 3 rowids, the
// last one short, and must see every row once and in order.
func TestChunkedArrow(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE ten AS SELECT range AS n FROM range(10)`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		span  int64
		ahead bool // the first chunk's query started before
	}{{0, false}, {10, false}, {11, false}, {10, true}, {11, true}} {
		span := c.span
		var first chan chunkResult
		if c.ahead {
			first = s.startChunk(ctx, `SELECT n FROM ten WHERE rowid >= $1 AND rowid < $2`, 0, 3)
		}
		var got []int64
		err := s.chunkedArrow(ctx, `SELECT n FROM ten WHERE rowid >= $1 AND rowid < $2`, span, 3, first, func(rec arrow.Record) error {
			got = append(got, rec.Column(0).(*array.Int64).Int64Values()...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}[:min(span, 10)]
		if !slices.Equal(got, want) {
			t.Errorf("span %d, started ahead %v: got %v, want %v", span, c.ahead, got, want)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := s.chunkedArrow(ctx, `SELECT n FROM ten WHERE rowid >= $1 AND rowid < $2`, 10, 3, nil, func(arrow.Record) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("an error of the callback: got %v after %d calls", err, calls)
	}
}

func TestFeatureAttributes(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	setAttributes(t, s, [3]any{"L1", "Title", "cto"}, [3]any{"L2", "title", "intern"}, [3]any{"L2", "country", "de"},
		[3]any{"L3", "title", nil}, [3]any{"L9", "title", "x"})
	got := map[string]string{}
	err := s.FeatureAttributes(ctx, []string{"TITLE"}, 1, func(a FeatureAttribute) error {
		got[fixtureRows[a.LeadRow]+"/"+a.Name] = strings.Clone(a.Value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// L3's NULL, L2's country and L9 (not a lead) are left out.
	want := map[string]string{"L1/title": "cto", "L2/title": "intern"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// A sample of every second lead in load order keeps the leads at even
	got = map[string]string{}
	err = s.FeatureAttributes(ctx, []string{"title"}, 2, func(a FeatureAttribute) error {
		got[fixtureRows[a.LeadRow]+"/"+a.Name] = strings.Clone(a.Value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// positions of fixtureRows: L1 (the first) stays, L2 (the second) goes.
	want = map[string]string{"L1/title": "cto"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("every second lead: got %v, want %v", got, want)
	}
}

func TestFeatureNames(t *testing.T) {
	s := openFixture(t)
	ctx := context.Background()
	setAttributes(t, s, [3]any{"L1", "Title", "cto"}, [3]any{"L2", "title", "x"})
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

func TestFeatureNamesMissingChannel(t *testing.T) {
	// A leads table whose channel may be NULL (as a flat export could store
	// it): an empty and a missing channel are both named "".
	s := openFixture(t)
	ctx := context.Background()
	for _, q := range []string{
		`ALTER TABLE leads ALTER channel DROP NOT NULL`,
		`INSERT INTO leads VALUES ('N1', '2024-01-01', NULL), ('N2', '2024-01-01', '')`,
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FeatureNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "event", "referral", "web"}; !reflect.DeepEqual(got.Channels, want) {
		t.Errorf("channels %q, want %q", got.Channels, want)
	}
}
