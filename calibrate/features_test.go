package calibrate

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/funnel-dev/funnel/queries"
)

// The fixture is testdata/features/fixture.sql, the hand-built funnel of the
// queries feature tests (see the arithmetic there), with a title attribute
// added (fixtureAttributesSQL). With observe = 30 and
// horizon = 180 days the leads in out-of-time order are
//
//	L1 web      01-01  page_view ×2, demo_request ×1 before 01-31; won   title cto
//	L2 referral 01-05  demo_request ×1 before SAL 01-10 (pricing after); not won in time  cto
//	L3 web      02-01  nothing; lost                                     intern
//	L6 event    03-01  ebook ×1; won on the last day of the horizon      (no title)
//	L4 web      11-01  page_view ×1; immature (window open, not won)     intern
//	L5 referral 11-10  demo_request ×1 before SQL 11-20; won, yet immature (window open)  cto
func fixtureSQL(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/features/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + fixtureAttributesSQL
}

const fixtureAttributesSQL = `
INSERT INTO lead_attributes VALUES
 ('L1','title','cto'),('L2','title','cto'),('L3','title','intern'),('L4','title','intern'),('L5','title','cto');
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
	return queries.FeatureParams{ObserveDays: 30, HorizonDays: 180, SalesStages: DefaultSalesStages(),
		Target: "won", TargetStages: DefaultTargetStages()}
}

func TestLoadLeadsAndActions(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, fixtureSQL(t))
	l, err := loadLeads(ctx, st, fixtureParams(), []string{"Title", "country"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"L1", "L2", "L3", "L6", "L4", "L5"}; !reflect.DeepEqual(l.IDs, want) {
		t.Fatalf("ids %v, want %v", l.IDs, want)
	}
	if want := []float64{1, 0, 0, 1, 0, 1}; !reflect.DeepEqual(l.Label, want) {
		t.Errorf("labels %v, want %v", l.Label, want)
	}
	if want := []bool{true, true, true, true, false, false}; !reflect.DeepEqual(l.Mature, want) {
		t.Errorf("mature %v, want %v", l.Mature, want)
	}
	if want := []string{"cto", "cto", "intern", "", "intern", "cto"}; !reflect.DeepEqual(l.AttrValues[0], want) {
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
	// Rows L1 L2 L3 L6 L4 L5; the 02-05 demo of L1 is after its cut-off.
	wantCounts := [][]float64{{1, 1, 0, 0, 0, 1}, {0, 0, 0, 1, 0, 0}, {2, 0, 0, 0, 1, 0}}
	if !reflect.DeepEqual(counts.Counts, wantCounts) || counts.Decayed != nil {
		t.Errorf("counts %v (decayed %v), want %v and no decayed sums", counts.Counts, counts.Decayed, wantCounts)
	}
	// 0.5**(29/7)+0.5**(20/7) = 0.194618918 for L1's page views (python3).
	if got := av.values(2, 7)[0]; got < 0.1946189 || got > 0.1946190 {
		t.Errorf("L1 page_view decayed at 7 d = %.9f, want 0.194618918", got)
	}
	// The ages of L1 and L6 (positions 0 and 3: multiples of 3), with
	// decayed sums for 7 and 14 days: L1 page_view 0.5**(29/14)+0.5**(20/14)
	// = 0.609422361 (python3); L6 ebook 0.5**(11/7) = 0.336475048.
	ages, err := loadActionAges(ctx, st, fixtureParams(), l, []float64{7, 14}, []int32{0, -1, -1, 1, -1, -1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"demo_request", "ebook", "page_view"}; !reflect.DeepEqual(ages.Actions, want) {
		t.Fatalf("sample actions %v, want %v", ages.Actions, want)
	}
	if got := ages.values(2, 14)[0]; math.Abs(got-0.609422361) > 1e-9 {
		t.Errorf("L1 page_view at 14 d = %.9f, want 0.609422361", got)
	}
	if got := ages.values(1, 7)[1]; math.Abs(got-0.336475048) > 1e-9 {
		t.Errorf("L6 ebook at 7 d = %.9f, want 0.336475048", got)
	}
	// A subset: only L3 and L5, as rows 0 and 1.
	rowOf := []int32{-1, -1, 0, -1, -1, 1}
	sub, err := loadActions(ctx, st, fixtureParams(), l, 0, rowOf, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]float64{{0, 1}}; !reflect.DeepEqual(sub.Counts, want) || sub.Actions[0] != "demo_request" {
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
	train := []int{0, 1, 2, 3, 5} // L1 L2 L3 L6 L5, a training set chosen by hand
	for _, tc := range []struct {
		name      string
		minLeads  int
		wantNames []string
		wantX     []float64
		wantWarn  int
	}{
		// MinLeads 1: every action kept; channels web 2, referral 2 (tie:
		// baseline is the first by name, referral), event 1; titles cto 3
		// (baseline), intern 1; L6 has no title and counts as the baseline.
		{"all", 1,
			[]string{"action:demo_request", "action:ebook", "action:page_view", "channel:event", "channel:web",
				"attr:title=intern"},
			[]float64{
				1, 0, 2, 0, 1, 0, // L1
				1, 0, 0, 0, 0, 0, // L2
				0, 0, 0, 0, 1, 1, // L3
				0, 1, 0, 1, 0, 0, // L6
				1, 0, 0, 0, 0, 0, // L5
			}, 0},
		// MinLeads 2: ebook (1 lead) and page_view (1 training lead, L1)
		// dropped; event lumped into channel:other; intern into
		// attr:title=other.
		{"lumped", 2,
			[]string{"action:demo_request", "channel:web", "channel:other", "attr:title=other"},
			[]float64{
				1, 1, 0, 0, // L1
				1, 0, 0, 0, // L2
				0, 1, 0, 1, // L3
				0, 0, 1, 0, // L6
				1, 0, 0, 0, // L5
			}, 4},
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
			if !mat.Equal(x, mat.NewDense(5, len(tc.wantNames), tc.wantX)) {
				t.Errorf("X =\n%v\nwant\n%v", mat.Formatted(x), mat.Formatted(mat.NewDense(5, len(tc.wantNames), tc.wantX)))
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
		if got, want := x.At(0, 2), 1.0986122886681098; math.Abs(got-want) > 1e-12 { // ln 3, L1's 2 page views
			t.Errorf("L1 page_view log1p = %v, want %v", got, want)
		}
	})
	t.Run("yesno caps at 1", func(t *testing.T) {
		d, _ := newDesign(l, av, train, nil, designOptions{Transform: TransformYesNo, MinLeads: 1})
		x := d.matrix(l, av, train, nil)
		if x.At(0, 2) != 1 { // L1 viewed pages twice
			t.Errorf("L1 page_view yes/no = %v, want 1", x.At(0, 2))
		}
	})
	t.Run("warning names", func(t *testing.T) {
		_, warn := newDesign(l, av, train, nil, designOptions{Transform: TransformCount, MinLeads: 2})
		all := strings.Join(warn, "\n")
		for _, s := range []string{"action ebook dropped", "action page_view dropped", "channel: 1 rare", "attr:title: 1 rare"} {
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
	if got := compress(d); len(got.Y) != 5 || got.W != nil {
		t.Errorf("compress of 5 rows with 3 unique changed the data: %v", got.W)
	}
	d2 := Data{X: mat.NewDense(10, 2, append(append([]float64{}, x...), x...)), Y: append(append([]float64{}, y...), y...)}
	got := compress(d2)
	if want := []float64{6, 2, 2}; !reflect.DeepEqual(got.W, want) || !reflect.DeepEqual(got.Y, []float64{1, 0, 0}) {
		t.Errorf("weights %v y %v, want %v y [1 0 0]", got.W, got.Y, want)
	}
	if !mat.Equal(got.X, mat.NewDense(3, 2, []float64{1, 0, 1, 0, 0, 1})) {
		t.Errorf("X = %v", mat.Formatted(got.X))
	}
}
