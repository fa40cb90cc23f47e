package calibrate

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// binData expands per-bin (value, rows, positives) into x and y.
func binData(bins [][3]float64) (x, y []float64) {
	for _, b := range bins {
		for i := 0; i < int(b[1]); i++ {
			x = append(x, b[0])
			pos := 0.0
			if i < int(b[2]) {
				pos = 1
			}
			y = append(y, pos)
		}
	}
	return x, y
}

func TestQuantileEdges(t *testing.T) {
	oneTo20 := make([]float64, 20)
	for i := range oneTo20 {
		oneTo20[20-1-i] = float64(i + 1) // unsorted on purpose
	}
	ties := append(append(make([]float64, 12), 1, 1, 1, 1), 2, 2, 2, 2)
	for _, tc := range []struct {
		name     string
		x        []float64
		minCount int
		want     []float64
	}{
		// n = 20: cut k is the value at position ⌈2k⌉ = 2k, i.e. 2k+1: 3, 5, …, 19.
		{"deciles", oneTo20, 1, []float64{3, 5, 7, 9, 11, 13, 15, 17, 19}},
		// Every bin holds 2 < 3: bin 0 joins bin 1 (cut 3 goes: 4,2,2,…);
		// bin 1 joins its smaller right neighbour (cut 7), then cut 11, cut
		// 15: 4,4,4,4,2,2; bin 4 joins bin 5 (cut 19): 4,4,4,4,4.
		{"merged to 3 each", oneTo20, 3, []float64{5, 9, 13, 17}},
		// 12 zeros, 4 ones, 4 twos: cuts at positions 2…10 are 0 (the
		// minimum, dropped), 12 and 14 are 1, 16 and 18 are 2.
		{"ties", ties, 1, []float64{1, 2}},
		// Bins of 12, 4, 4 with 5 each: the ones join the twos (the smaller
		// neighbour), then 12 and 8 stand.
		{"ties merged", ties, 5, []float64{1}},
		{"constant", []float64{4, 4, 4}, 1, nil},
		{"too few for two bins", oneTo20, 11, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := quantileEdges(tc.x, MaxBins, tc.minCount); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("quantileEdges = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMergeMonotone(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edges []float64
		bins  [][3]float64 // value, rows, positives per bin
		want  []float64
	}{
		// Rates .2 .4 .3 .6 .8. Increasing: .3 after .4 pools them (7/20 =
		// .35 > .2): .2 .35 .6 .8, cut 20 goes. Decreasing pools all five
		// into one bin (23/50), a sub-partition of the increasing one, so of
		// no higher likelihood: increasing is kept.
		{"increasing", []float64{10, 20, 30, 40},
			[][3]float64{{5, 10, 2}, {15, 10, 4}, {25, 10, 3}, {35, 10, 6}, {45, 10, 8}}, []float64{10, 30, 40}},
		// Rates .8 .5 .6 .1: decreasing pools .5 and .6 (11/20 = .55): .8
		// .55 .1, cut 2 goes; increasing pools .8 .5 .6 .1 step by step into
		// one bin.
		{"decreasing", []float64{1, 2, 3},
			[][3]float64{{0, 10, 8}, {1, 10, 5}, {2, 10, 6}, {3, 10, 1}}, []float64{1, 3}},
		// Equal rates are pooled too: .2 .2 .5 → .2 .5.
		{"equal rates", []float64{1, 2},
			[][3]float64{{0, 10, 2}, {1, 5, 1}, {2, 10, 5}}, []float64{2}},
		// Rates 0 .5 .9: monotone, but the first bin has no positive (its
		// weight would be −∞): it joins its neighbour.
		{"pure bin", []float64{10, 20},
			[][3]float64{{5, 10, 0}, {15, 10, 5}, {25, 10, 9}}, []float64{20}},
		{"no cut", nil, [][3]float64{{5, 10, 3}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := binData(tc.bins)
			if got := mergeMonotone(tc.edges, x, y); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("mergeMonotone = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestBinsUseTrainingRowsOnly: the bins of a numeric feature come from the
// training rows alone; test rows with far larger values and all positive
// change nothing.
func TestBinsUseTrainingRowsOnly(t *testing.T) {
	// Training rows 0..19 hold 1..20 with labels 0,1,0,1,…: every raw bin
	// of two rows has one positive. Test rows 20..39 hold 100..119, all
	// positive.
	n := 40
	l := &Leads{Label: make([]float64, n), Rows: make([]int64, n), Numbers: []numericInput{{Name: "attr:minutes", Values: make([]float64, n)}}}
	var train []int
	for i := 0; i < n; i++ {
		l.Rows[i] = int64(i)
		if i < 20 {
			l.Numbers[0].Values[i] = float64(i + 1)
			l.Label[i] = float64(i % 2)
			train = append(train, i)
		} else {
			l.Numbers[0].Values[i] = float64(80 + i)
			l.Label[i] = 1
		}
	}
	// ⌈5% of 20⌉ = 1 row per bin: the ten raw deciles of 1..20 stand.
	cols, warn := newNumericCols(l, train, NumericBinsRaw, 1)
	if len(cols) != 1 || len(warn) != 0 {
		t.Fatalf("columns %+v, warnings %q", cols, warn)
	}
	if want := []float64{3, 5, 7, 9, 11, 13, 15, 17, 19}; !reflect.DeepEqual(cols[0].edges, want) {
		t.Errorf("edges %v, want %v (training rows only)", cols[0].edges, want)
	}
	// Every training bin converts at ½: monotone merging leaves one bin,
	// so the feature has no column and says so.
	cols, warn = newNumericCols(l, train, NumericBins, 1)
	if len(cols) != 0 || len(warn) != 2 {
		t.Errorf("monotone bins of a flat rate: columns %+v, warnings %q", cols, warn)
	}
}

func TestNumericColumnsAndFill(t *testing.T) {
	// Bins (-inf,10) [10,20) [20,inf), baseline [10,20), a missing column.
	c := numericCol{name: "attr:minutes", edges: []float64{10, 20}, baseline: 1, missing: true}
	wantNames := []string{"attr:minutes=(-inf,10)", "attr:minutes=[20,inf)", "attr:minutes=(missing)"}
	if got := c.columns(); !reflect.DeepEqual(got, wantNames) || c.width() != len(wantNames) {
		t.Fatalf("columns %q, want %q", got, wantNames)
	}
	for _, tc := range []struct {
		x    float64
		want []float64
	}{
		{-3, []float64{1, 0, 0}}, {9.99, []float64{1, 0, 0}}, {10, []float64{0, 0, 0}},
		{19, []float64{0, 0, 0}}, {20, []float64{0, 1, 0}}, {math.NaN(), []float64{0, 0, 1}},
	} {
		row := make([]float64, 3)
		c.fill(row, tc.x)
		if !reflect.DeepEqual(row, tc.want) {
			t.Errorf("fill(%v) = %v, want %v", tc.x, row, tc.want)
		}
	}
	lin := numericCol{name: "value:webinar", linear: true}
	row := []float64{0}
	lin.fill(row, -2.5)
	if row[0] != -2.5 || !reflect.DeepEqual(lin.columns(), []string{"value:webinar"}) || lin.width() != 1 {
		t.Errorf("linear: %v %q", row, lin.columns())
	}
}

// TestNumericLeak: a number filled in only for the leads that reached the
// target (a deal amount) is left out as a possible leak, and --keep puts it
// back; an ordinary number is not.
func TestNumericLeak(t *testing.T) {
	n := 1000
	l := leakLeads(n, func(i int) string { return "web" }, nil)
	amount := numericInput{Name: "attr:amount", Values: make([]float64, n)}
	visits := numericInput{Name: "attr:visits", Values: make([]float64, n)}
	all := make([]int, n)
	for i := range all {
		all[i] = i
		amount.Values[i] = math.NaN()
		// 98 of the 100 winners (not L0 and L10) and 10 others: filled or
		// not separates them with AUC (0.98 + 890/900)/2 ≈ 0.984.
		if (l.Label[i] == 1 && i > 10) || i%97 == 5 {
			amount.Values[i] = float64(1000 + i)
		}
		visits.Values[i] = float64(i % 7)
	}
	l.Numbers = []numericInput{amount, visits}
	for _, mode := range []string{NumericBins, NumericLinear} {
		d, _ := newDesign(l, &ActionValues{}, all, nil, designOptions{Transform: TransformCount, MinLeads: 1, Numeric: mode})
		got := findLeaks(l, &ActionValues{}, all, d, nil)
		if len(got) != 1 || got[0].Feature != "attr:amount" || !strings.Contains(got[0].Detail, "filled in at all") {
			t.Errorf("%s: leaks %+v, want attr:amount filled in for winners", mode, got)
		}
		if got := findLeaks(l, &ActionValues{}, all, d, []string{"attr:amount"}); len(got) != 0 {
			t.Errorf("%s: with --keep attr:amount: %+v", mode, got)
		}
		if w := d.without(nil); len(w.numerics) != len(d.numerics) || !reflect.DeepEqual(w.names, d.names) {
			t.Errorf("%s: without nothing dropped %d of %d numerics", mode, len(d.numerics)-len(w.numerics), len(d.numerics))
		}
	}
}

// TestNumericWithoutTrainingValues: a feature no training row has a value
// of is dropped (its missing column would equal the intercept), in every mode.
func TestNumericWithoutTrainingValues(t *testing.T) {
	l := &Leads{Label: []float64{0, 1, 0, 1}, Rows: []int64{0, 1, 2, 3}, Numbers: []numericInput{{Name: "attr:minutes", Values: []float64{math.NaN(), math.NaN(), 3, 4}}}}
	for _, mode := range []string{NumericBins, NumericBinsRaw, NumericLinear} {
		cols, warn := newNumericCols(l, []int{0, 1}, mode, 1)
		if len(cols) != 0 || len(warn) != 1 || !strings.Contains(warn[0], "no training lead has a value") {
			t.Errorf("%s: columns %+v, warnings %q", mode, cols, warn)
		}
	}
}

// TestBinsPerLead: an attribute's bins count each training lead once, an
// event value sum's each training snapshot.
func TestBinsPerLead(t *testing.T) {
	// Leads 1…20 hold the values 1…20, labels 1,0,1,0,… (value j: j mod 2).
	// Leads 1…10 have three snapshots each, 11…20 one: 50 rows.
	l := &Leads{}
	for j := 1; j <= 20; j++ {
		snaps := 1
		if j <= 10 {
			snaps = 3
		}
		for s := 0; s < snaps; s++ {
			l.Rows = append(l.Rows, int64(j))
			l.Label = append(l.Label, float64(j%2))
		}
	}
	vals := make([]float64, len(l.Rows))
	for i, r := range l.Rows {
		vals[i] = float64(r)
	}
	l.Numbers = []numericInput{{Name: "attr:minutes", Values: vals}, {Name: "value:webinar", Values: vals}}
	train := make([]int, len(l.Rows))
	for i := range train {
		train[i] = i
	}
	cols, warn := newNumericCols(l, train, NumericBinsRaw, 1)
	if len(cols) != 2 || len(warn) != 0 {
		t.Fatalf("columns %+v, warnings %q", cols, warn)
	}
	// Per lead: 20 values 1…20, cuts at positions 2k: 3, 5, …, 19; every
	// bin {2k+1, 2k+2} holds a positive and a negative.
	if want := []float64{3, 5, 7, 9, 11, 13, 15, 17, 19}; !reflect.DeepEqual(cols[0].edges, want) {
		t.Errorf("attribute edges %v, want %v", cols[0].edges, want)
	}
	// Per snapshot: 40 sorted values 1,1,1,2,2,2,…,10,10,10,11,…,20; cuts
	// at positions 4k (k = 1…9): 2, 3, 5, 6, 7, 9, 10, 13, 17, every bin ≥ 2
	// rows (⌈5% of 40⌉). (rows, positives) per bin: {1} 3,3; {2} 3,0;
	// {3,4} 6,3; {5} 3,3; {6} 3,0; {7,8} 6,3; {9} 3,3; {10,11,12} 5,1;
	// {13…16} 4,2; {17…20} 4,2. Pure bins merge with their smaller
	// neighbour: {1} with {2} (cut 2 goes); {5} with {6} (3 < 6 rows; cut
	// 6); {9} with {10,11,12} (5 < 6; cut 10).
	if want := []float64{3, 5, 7, 9, 13, 17}; !reflect.DeepEqual(cols[1].edges, want) {
		t.Errorf("value sum edges %v, want %v", cols[1].edges, want)
	}
}
