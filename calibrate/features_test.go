package calibrate

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/funnel-dev/funnel/queries"
)

// The fixture is testdata/features/fixture.sql, the hand-built funnel of the
// queries feature tests (see the arithmetic there), with a title attribute
// added (fixtureAttributesSQL). With landmarks 1, 7, 30 days and horizon =
// 180 days the snapshots in out-of-time order are (row: lead/landmark, what
// was done before it):
//
//	0 L1/1  nothing           1 L1/7  page_view      2 L1/30 page_view ×2, demo_request   won, title cto
//	3 L2/1  nothing (SAL 01-10 hands L2 over before day 7; not won in time)             cto
//	4 L3/1, 5 L3/7, 6 L3/30   nothing; lost                                              intern
//	7 L6/1, 8 L6/7  nothing   9 L6/30 ebook; won on the last day of the horizon          (no title)
//	10 L4/1 nothing           11 L4/7 page_view  12 L4/30 page_view; immature            intern
//	13 L5/1 nothing           14 L5/7 demo_request (SQL 11-20); won, yet immature        cto
func fixtureSQL(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/features/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + fixtureAttributesSQL
}

const fixtureAttributesSQL = `
ALTER TABLE leads ADD COLUMN "attr:title" VARCHAR;
UPDATE leads SET "attr:title" = a.v
FROM (VALUES ('L1','cto'),('L2','cto'),('L3','intern'),('L4','intern'),('L5','cto')) a(id, v)
WHERE leads.lead_id = a.id;
`

func openStore(t testing.TB, inserts string) *queries.Store {
	t.Helper()
	ctx := context.Background()
	s, err := queries.Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if inserts != "" {
		if _, err := s.DB().ExecContext(ctx, inserts); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func fixtureParams() queries.FeatureParams {
	return queries.FeatureParams{LandmarkDays: []float64{1, 7, 30}, HorizonDays: 180, SalesStages: DefaultSalesStages(),
		Target: "won", TargetStages: DefaultTargetStages(), MQLStages: DefaultMQLStages()}
}

func TestLoadLeadsAndActions(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, fixtureSQL(t))
	l, err := loadLeads(ctx, st, fixtureParams(), []string{"Title", "country"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"L1", "L1", "L1", "L2", "L3", "L3", "L3", "L6", "L6", "L6", "L4", "L4", "L4", "L5", "L5"}; !reflect.DeepEqual(l.IDs, want) {
		t.Fatalf("ids %v, want %v", l.IDs, want)
	}
	if want := []int8{0, 1, 2, 0, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1}; !reflect.DeepEqual(l.Landmark, want) || l.NumLeads != 6 {
		t.Errorf("landmarks %v (%d leads), want %v (6 leads)", l.Landmark, l.NumLeads, want)
	}
	if want := []float64{1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1}; !reflect.DeepEqual(l.Label, want) {
		t.Errorf("labels %v, want %v", l.Label, want)
	}
	if want := []bool{true, true, true, true, true, true, true, true, true, true, false, false, false, false, false}; !reflect.DeepEqual(l.Mature, want) {
		t.Errorf("mature %v, want %v", l.Mature, want)
	}
	if want := []string{"cto", "cto", "cto", "cto", "intern", "intern", "intern", "", "", "", "intern", "intern", "intern", "cto", "cto"}; !reflect.DeepEqual(l.AttrValues[0], want) {
		t.Errorf("title %q, want %q", l.AttrValues[0], want)
	}
	av, err := loadActions(ctx, st, fixtureParams(), l, 7, nil, l.Len())
	if err != nil {
		t.Fatal(err)
	}
	// pricing happened only after L2's SAL: it must not exist as a feature.
	if want := []string{"demo_request", "ebook", "page_view"}; !reflect.DeepEqual(av.Actions, want) {
		t.Fatalf("actions %v, want %v", av.Actions, want)
	}
	// Loaded with a half-life, only the decayed sums are kept.
	if !reflect.DeepEqual(av.Counts, [][]float64{nil, nil, nil}) {
		t.Errorf("counts %v with a half-life, want none kept", av.Counts)
	}
	counts, err := loadActions(ctx, st, fixtureParams(), l, 0, nil, l.Len())
	if err != nil {
		t.Fatal(err)
	}
	// The 02-05 demo of L1 is after its last snapshot.
	wantCounts := [][]float64{
		{0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
		{0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0},
	}
	if !reflect.DeepEqual(counts.Counts, wantCounts) || counts.Decayed != nil {
		t.Errorf("counts %v (decayed %v), want %v and no decayed sums", counts.Counts, counts.Decayed, wantCounts)
	}
	// 0.5**(29/7)+0.5**(20/7) = 0.194618918 for L1's page views at 30 d (python3).
	if got := av.values(2, 7)[2]; got < 0.1946189 || got > 0.1946190 {
		t.Errorf("L1 page_view decayed at 7 d = %.9f, want 0.194618918", got)
	}
	// The ages of rows 2 (L1/30) and 9 (L6/30), with decayed sums for 7 and
	// 14 days: L1 page_view 0.5**(29/14)+0.5**(20/14) = 0.609422361
	// (python3); L6 ebook 0.5**(11/7) = 0.336475048.
	sample := make([]int32, l.Len())
	for i := range sample {
		sample[i] = -1
	}
	sample[2], sample[9] = 0, 1
	ev, err := loadActionEvents(ctx, st, fixtureParams(), l, l.Len())
	if err != nil {
		t.Fatal(err)
	}
	ages := ev.gridValues(l, []float64{7, 14}, sample, 2)
	if want := []string{"demo_request", "ebook", "page_view"}; !reflect.DeepEqual(ages.Actions, want) {
		t.Fatalf("sample actions %v, want %v", ages.Actions, want)
	}
	if got := ages.values(2, 14)[0]; math.Abs(got-0.609422361) > 1e-9 {
		t.Errorf("L1 page_view at 14 d = %.9f, want 0.609422361", got)
	}
	if got := ages.values(1, 7)[1]; math.Abs(got-0.336475048) > 1e-9 {
		t.Errorf("L6 ebook at 7 d = %.9f, want 0.336475048", got)
	}
	// A subset: only L3/30 and L5/7 (rows 6 and 14), as rows 0 and 1; the
	// actions of the other rows read are there, with no events.
	rowOf := make([]int32, l.Len())
	for i := range rowOf {
		rowOf[i] = -1
	}
	rowOf[6], rowOf[14] = 0, 1
	sub, err := loadActions(ctx, st, fixtureParams(), l, 0, rowOf, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]float64{{0, 1}, {0, 0}, {0, 0}}; !reflect.DeepEqual(sub.Counts, want) || sub.Actions[0] != "demo_request" {
		t.Errorf("subset %v %v, want [demo_request] %v", sub.Actions, sub.Counts, want)
	}
}

func TestDesign(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, fixtureSQL(t))
	l, err := loadLeads(ctx, st, fixtureParams(), []string{"title"})
	if err != nil {
		t.Fatal(err)
	}
	av, err := loadActions(ctx, st, fixtureParams(), l, 0, nil, l.Len())
	if err != nil {
		t.Fatal(err)
	}
	train := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14} // L1 L2 L3 L6 L5, a training set chosen by hand
	for _, tc := range []struct {
		name      string
		minLeads  int
		wantNames []string
		wantX     []float64
		wantWarn  int
	}{
		// MinLeads 1: every action kept; channels over the 12 rows: web 6
		// (baseline), referral 3, event 3; titles cto 6 (baseline), intern
		// 3; L6 has no title: the level (missing), 3 rows. intern's leads
		// (L3) never won: lumped, and the lump holds no target either, so it
		// has no column and scores as the baseline (2 warnings). Landmark 1
		// is the baseline intercept; 7 and 30 get a column each.
		{"all", 1,
			[]string{"action:demo_request", "action:ebook", "action:page_view", "channel:event", "channel:referral",
				"attr:title=(missing)", "landmark:7", "landmark:30"},
			[]float64{
				0, 0, 0, 0, 0, 0, 0, 0, // L1/1
				0, 0, 1, 0, 0, 0, 1, 0, // L1/7
				1, 0, 2, 0, 0, 0, 0, 1, // L1/30
				0, 0, 0, 0, 1, 0, 0, 0, // L2/1
				0, 0, 0, 0, 0, 0, 0, 0, // L3/1
				0, 0, 0, 0, 0, 0, 1, 0, // L3/7
				0, 0, 0, 0, 0, 0, 0, 1, // L3/30
				0, 0, 0, 1, 0, 1, 0, 0, // L6/1
				0, 0, 0, 1, 0, 1, 1, 0, // L6/7
				0, 1, 0, 1, 0, 1, 0, 1, // L6/30
				0, 0, 0, 0, 1, 0, 0, 0, // L5/1
				1, 0, 0, 0, 1, 0, 1, 0, // L5/7
			}, 2},
		// MinLeads 4: every action dropped (demo_request and page_view 2
		// rows each, ebook 1); event and referral (3 each) lumped into
		// channel:(other); intern and (missing) (3 rows each; L6 won)
		// lumped into attr:title=(other).
		{"lumped", 4,
			[]string{"channel:(other)", "attr:title=(other)", "landmark:7", "landmark:30"},
			[]float64{
				0, 0, 0, 0, // L1/1
				0, 0, 1, 0, // L1/7
				0, 0, 0, 1, // L1/30
				1, 0, 0, 0, // L2/1
				0, 1, 0, 0, // L3/1
				0, 1, 1, 0, // L3/7
				0, 1, 0, 1, // L3/30
				1, 1, 0, 0, // L6/1
				1, 1, 1, 0, // L6/7
				1, 1, 0, 1, // L6/30
				1, 0, 0, 0, // L5/1
				1, 0, 1, 0, // L5/7
			}, 5}, // 3 actions dropped, 2 groups lumped
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, warn := newDesign(l, av, train, nil, designOptions{Transform: TransformCount, MinLeads: tc.minLeads})
			if !reflect.DeepEqual(d.names, tc.wantNames) {
				t.Fatalf("names %q, want %q", d.names, tc.wantNames)
			}
			if len(warn) != tc.wantWarn {
				t.Errorf("warnings %q, want %d", warn, tc.wantWarn)
			}
			x := d.matrix(l, av, train, nil)
			want := mat.NewDense(len(train), len(tc.wantNames), tc.wantX)
			if !mat.Equal(x, want) {
				t.Errorf("X =\n%v\nwant\n%v", mat.Formatted(x), mat.Formatted(want))
			}
			for _, c := range d.actions {
				if c.cap != DefaultMinCap { // counts ≤ 2, so the cap is the floor 10
					t.Errorf("%s cap %v, want %v", c.name, c.cap, DefaultMinCap)
				}
			}
		})
	}
	t.Run("log1p", func(t *testing.T) {
		d, _ := newDesign(l, av, train, nil, designOptions{Transform: TransformLog1p, MinLeads: 1})
		x := d.matrix(l, av, train, nil)
		if got, want := x.At(2, 2), 1.0986122886681098; math.Abs(got-want) > 1e-12 { // ln 3, L1's 2 page views by day 30
			t.Errorf("L1 page_view log1p = %v, want %v", got, want)
		}
	})
	t.Run("yesno caps at 1", func(t *testing.T) {
		d, _ := newDesign(l, av, train, nil, designOptions{Transform: TransformYesNo, MinLeads: 1})
		x := d.matrix(l, av, train, nil)
		if x.At(2, 2) != 1 { // L1 viewed pages twice by day 30
			t.Errorf("L1 page_view yes/no = %v, want 1", x.At(2, 2))
		}
	})
	t.Run("warning names", func(t *testing.T) {
		_, warn := newDesign(l, av, train, nil, designOptions{Transform: TransformCount, MinLeads: 4})
		all := strings.Join(warn, "\n")
		for _, s := range []string{"action ebook dropped", "action page_view dropped", "channel: 2 rare", "attr:title: 2 rare"} {
			if !strings.Contains(all, s) {
				t.Errorf("warnings %q lack %q", warn, s)
			}
		}
	})
}

func TestCompress(t *testing.T) {
	// Rows 0, 2 and 3 are (1,0 | y=1): one row of weight 3; row 1 (1,0 | y=0)
	// differs in y; row 4 is (0,1 | y=0). 3 unique rows of 5 is more than
	// half, so compress declines; with the rows doubled, 3 of 10 pays.
	x := []float64{1, 0, 1, 0, 1, 0, 1, 0, 0, 1}
	y := []float64{1, 0, 1, 1, 0}
	d := Data{X: mat.NewDense(5, 2, x), Y: y}
	if got, _ := compress(d); len(got.Y) != 5 || got.W != nil {
		t.Errorf("compress of 5 rows with 3 unique changed the data: %v", got.W)
	}
	d2 := Data{X: mat.NewDense(10, 2, append(append([]float64{}, x...), x...)), Y: append(append([]float64{}, y...), y...)}
	got, _ := compress(d2)
	if want := []float64{6, 2, 2}; !reflect.DeepEqual(got.W, want) || !reflect.DeepEqual(got.Y, []float64{1, 0, 0}) {
		t.Errorf("weights %v y %v, want %v y [1 0 0]", got.W, got.Y, want)
	}
	if !mat.Equal(got.X, mat.NewDense(3, 2, []float64{1, 0, 1, 0, 0, 1})) {
		t.Errorf("X = %v", mat.Formatted(got.X))
	}
}

// TestLoadActionTotalsOrder scores as of 2025-03-01 on events stored out of
// lead order: L2's events come before and after L1's, the orphan X's between
// them, and the undated lead U and L3, created after the moment, have events
// too. Worked by hand (counts, no half-life): L1 did a twice and b once, L2
// did a three times; U's event does not count (no moment for an undated
// lead), nor X's (no lead), nor L3's (created after the moment), nor L1's on
// the moment itself.
func TestLoadActionTotalsOrder(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, actionOrderSQL)
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	p := queries.FeatureParams{AsOf: &asOf, HorizonDays: DefaultHorizonDays, SalesStages: DefaultSalesStages(),
		Target: "won", TargetStages: DefaultTargetStages()}
	l, err := loadLeads(ctx, st, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	av, err := loadActionTotals(ctx, st, p, l, 0, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	got := actionCounts(l, av)
	want := map[string]float64{"L1/a": 2, "L1/b": 1, "L2/a": 3}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestScoreSkipsZeroPointActions scores the leads of TestLoadActionTotalsOrder
// as of 2025-03-01 with a worth 5 points and b 0, then 3: b's events are not
// read at 0 points, and the scores are what b's points make them.
func TestScoreSkipsZeroPointActions(t *testing.T) {
	st := openStore(t, actionOrderSQL)
	for _, c := range []struct {
		b    int
		want map[string]string
	}{
		{0, map[string]string{"L1": "10 action:a", "L2": "15 action:a", "U": "0 "}},
		{3, map[string]string{"L1": "13 action:a action:b", "L2": "15 action:a", "U": "0 "}},
	} {
		m := &Model{Version: 1, Target: "won", Actions: map[string]ActionPoints{"a": {Points: 5}, "b": {Points: c.b}}}
		if got := scoredActions(m); len(got) != 1+min(c.b, 1) {
			t.Errorf("b at %d points: scored actions %v", c.b, got)
		}
		got := map[string]string{}
		err := ScoreLeads(context.Background(), st, m, ScoreOptions{AsOf: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, func(s LeadScore) error {
			r := strconv.Itoa(s.Score) + " "
			for k, x := range s.Reasons {
				if k > 0 {
					r += " "
				}
				r += x.Feature
			}
			got[s.LeadID] = r
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("b at %d points: got %v, want %v", c.b, got, c.want)
		}
	}
}

// TestScoreRefusesUnknownAction: the model's check runs beside the leads'
// reading, and a model naming an action the data does not have is still
// refused before any lead is scored, with or without leads stored.
func TestScoreRefusesUnknownAction(t *testing.T) {
	for _, data := range []string{actionOrderSQL, ""} {
		st := openStore(t, data)
		m := &Model{Version: 1, Target: "won", Actions: map[string]ActionPoints{"a": {Points: 5}, "teleport": {Points: 3}}}
		emitted := 0
		err := ScoreLeads(context.Background(), st, m, ScoreOptions{}, func(LeadScore) error {
			emitted++
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "action:teleport") {
			t.Errorf("data %.20q: got %v, want the unknown action named", data, err)
		}
		if emitted != 0 {
			t.Errorf("data %.20q: %d leads scored", data, emitted)
		}
	}
}

// actionOrderSQL stores four leads and their events out of lead order (see
// TestLoadActionTotalsOrder).
const actionOrderSQL = `
INSERT INTO leads VALUES ('L1', '2025-01-01', 'web'), ('L2', '2025-01-02', 'web'),
  ('U', NULL, 'web'), ('L3', '2025-04-01', 'web');
INSERT INTO events VALUES
  ('L2', '2025-01-05', 'a', NULL), ('L1', '2025-01-03', 'a', NULL), ('L1', '2025-01-04', 'b', NULL),
  ('X', '2025-01-06', 'a', NULL), ('L2', '2025-01-07', 'a', NULL), ('L1', '2025-01-08', 'a', NULL),
  ('U', '2025-01-09', 'a', NULL), ('L2', '2025-02-01', 'a', NULL), ('L3', '2025-02-02', 'b', NULL),
  ('L1', '2025-03-01', 'b', NULL);`
