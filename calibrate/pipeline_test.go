package calibrate

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCompareModels(t *testing.T) {
	jan := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
	l := &Leads{
		IDs:     []string{"a", "b", "c", "d", "e", "f"},
		Created: []time.Time{jan, jan, jan, feb, feb, feb},
		Label:   []float64{1, 0, 1, 0, 1, 0},
	}
	test := []int{0, 1, 2, 3, 4, 5}
	// Current (threshold 5) makes a, b, d MQLs; proposed (threshold 15)
	// a, c, e. The winners are a, c, e. Two months.
	bt := compareModels("cur.yaml", 5, []int{10, 10, 0, 10, 0, 0}, 15, []int{20, 0, 20, 0, 20, 0}, l, test, 2)
	// Current: 3 MQLs (1.5/month), 1 win (a): precision 1/3, recall 1/3.
	// Proposed: 3 MQLs, 3 wins: precision 1, recall 1.
	wantCur := BacktestTotals{Threshold: 5, MQLs: 3, MQLsPerMonth: 1.5, WinsCaptured: 1, Precision: 1.0 / 3, Recall: 1.0 / 3}
	wantNew := BacktestTotals{Threshold: 15, MQLs: 3, MQLsPerMonth: 1.5, WinsCaptured: 3, Precision: 1, Recall: 1}
	if bt.Current != wantCur || bt.Proposed != wantNew {
		t.Errorf("totals %+v / %+v, want %+v / %+v", bt.Current, bt.Proposed, wantCur, wantNew)
	}
	// January: a b c, wins a c; current a b (1 win), proposed a c (2 wins).
	// February: d e f, win e; current d (0 wins), proposed e (1 win).
	wantMonths := []BacktestMonth{
		{Month: "2025-01", Leads: 3, Wins: 2,
			Current:  BacktestTotals{Threshold: 5, MQLs: 2, MQLsPerMonth: 2, WinsCaptured: 1, Precision: 0.5, Recall: 0.5},
			Proposed: BacktestTotals{Threshold: 15, MQLs: 2, MQLsPerMonth: 2, WinsCaptured: 2, Precision: 1, Recall: 1}},
		{Month: "2025-02", Leads: 3, Wins: 1,
			Current:  BacktestTotals{Threshold: 5, MQLs: 1, MQLsPerMonth: 1},
			Proposed: BacktestTotals{Threshold: 15, MQLs: 1, MQLsPerMonth: 1, WinsCaptured: 1, Precision: 1, Recall: 1}},
	}
	if !reflect.DeepEqual(bt.Months, wantMonths) {
		t.Errorf("months %+v, want %+v", bt.Months, wantMonths)
	}
	// c and e become MQLs (both won); b and d stop being MQLs (neither won).
	if c := bt.Changed; c.NewMQLs != 2 || c.NewMQLWins != 2 || c.DroppedMQLs != 2 || c.DroppedMQLWins != 0 {
		t.Errorf("changed %+v", c)
	}
	var ids []string
	for _, s := range bt.Changed.Sample {
		ids = append(ids, s.LeadID)
	}
	if want := []string{"c", "e", "b", "d"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("sample %v, want %v", ids, want)
	}
}

func TestGainsPoints(t *testing.T) {
	// 100 leads, 10 targets; the top half captures 8 of them: rate in the
	// first bin 8/50 = 0.16, in the second 2/50 = 0.04.
	got := gainsPoints([]GainsRow{{0.5, 0.8, 1.6}, {1, 1, 1}}, 100, 10)
	want := []GainsPoint{{0.5, 0.8, 1.6, 0.16}, {1, 1, 1, 0.04}}
	for k := range want {
		if math.Abs(got[k].Rate-want[k].Rate) > 1e-12 || got[k].LeadShare != want[k].LeadShare {
			t.Errorf("gains[%d] = %+v, want %+v", k, got[k], want[k])
		}
	}
}

func TestParseHalfLife(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want HalfLife
		bad  bool
	}{
		{"auto", HalfLife{Auto: true}, false},
		{"none", HalfLife{}, false},
		{"0", HalfLife{}, false},
		{"14", HalfLife{Days: 14}, false},
		{"7.5", HalfLife{Days: 7.5}, false},
		{"-3", HalfLife{}, true},
		{"soon", HalfLife{}, true},
		{"Inf", HalfLife{}, true},
	} {
		got, err := ParseHalfLife(tc.in)
		if (err != nil) != tc.bad || (!tc.bad && got != tc.want) {
			t.Errorf("ParseHalfLife(%q) = %+v, %v", tc.in, got, err)
		}
	}
}

// TestRunProfileSample runs the pipeline on 3000 generated leads with the
// half-life search limited to 500 training leads, which takes the path that
// reads the actions twice.
func TestRunProfileSample(t *testing.T) {
	st := benchData(t, 3000)
	ctx := context.Background()
	res, m, rs, err := run(ctx, st, Options{HalfLife: HalfLife{Auto: true}, ProfileSample: 500})
	if err != nil {
		t.Fatal(err)
	}
	// The threshold was chosen on the scores of leadScorer (the path of
	// funnel score); the model file's own Score must give the same scores,
	// and so must the backtest's form, which reads the actions of the test
	// rows only and maps each row to them.
	fromDesign := scoreRows(m, rs.leads, rs.actions, rs.test, nil)
	fromModel := make([]int, len(rs.test))
	rowOf := make([]int32, rs.leads.Len())
	for i := range rowOf {
		rowOf[i] = -1
	}
	for k, i := range rs.test {
		fromModel[k], _ = m.Score(featureRow(rs.leads, rs.actions, m.HalfLifeDays, i, nil))
		rowOf[i] = int32(k)
	}
	testOnly, err := loadActions(ctx, st, rs.params, rs.leads, m.HalfLifeDays, rowOf, len(rs.test))
	if err != nil {
		t.Fatal(err)
	}
	fromMapped := scoreRows(m, rs.leads, testOnly, rs.test, rowOf)
	for name, got := range map[string][]int{"Model.Score": fromModel, "mapped rows": fromMapped} {
		diff := 0
		for k := range fromDesign {
			if fromDesign[k] != got[k] {
				diff++
			}
		}
		if diff > 0 {
			t.Errorf("%d of %d test scores differ between leadScorer and %s", diff, len(got), name)
		}
	}
	if len(res.HalfLifeCurve) != 1+len(DefaultHalfLifeGrid()) {
		t.Errorf("half-life curve has %d points, want %d", len(res.HalfLifeCurve), 1+len(DefaultHalfLifeGrid()))
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "the half-life was searched on") {
		t.Errorf("warnings %q lack the subsample note", res.Warnings)
	}
	if m.HalfLifeDays != res.Options.HalfLifeDays || res.Leads.Train+res.Leads.Test != res.Leads.Mature {
		t.Errorf("model half-life %v vs %v; train %d + test %d leads != mature %d", m.HalfLifeDays, res.Options.HalfLifeDays,
			res.Leads.Train, res.Leads.Test, res.Leads.Mature)
	}
	// A lead is an MQL when any of its test snapshots reaches the threshold.
	leadRows, leadScores := maxPerLead(rs.leads, rs.test, fromModel)
	checkDefaultThreshold(t, res, leadScores, labels(rs.leads, leadRows))
	// The outcome was drawn with +0.6 log-odds per demo request (all of a
	// lead's demo requests, so the fit on those before the cut-off is
	// attenuated but clearly positive) and +0.8 for referral.
	for _, c := range res.Coefficients {
		if (c.Feature == "action:demo_request" || c.Feature == "channel:referral") && !(c.CILow > 0) {
			t.Errorf("%s: weight %.3f [%.3f, %.3f], want clearly positive", c.Feature, c.Weight, c.CILow, c.CIHigh)
		}
	}
}

// checkDefaultThreshold checks a run given no threshold rule: value 1 per
// target, cost the training target rate per MQL, and the threshold the one
// with the most test targets beyond cost·MQLs, counted here straight from
// the test scores and labels (ties: the higher threshold).
func checkDefaultThreshold(t *testing.T, res *Result, scores []int, y []float64) {
	t.Helper()
	o := res.Options
	rate := float64(res.Metrics.PositivesTrain) / float64(res.Metrics.NTrain)
	if o.ThresholdRule != "expected_value" || !o.ValueCostDefault || o.Value != 1 || math.Abs(o.Cost-rate) > 1e-12 {
		t.Fatalf("rule %q default %v value %v cost %v, want expected_value, true, 1, %v", o.ThresholdRule, o.ValueCostDefault, o.Value, o.Cost, rate)
	}
	best, bestGain := 0, math.Inf(-1)
	for _, th := range scores {
		gain := 0.0
		for k, s := range scores {
			if s >= th {
				gain += y[k] - rate
			}
		}
		if gain > bestGain+1e-9 || (math.Abs(gain-bestGain) <= 1e-9 && th > best) {
			best, bestGain = th, gain
		}
	}
	if res.Threshold.Points != best {
		t.Errorf("default threshold %d points, want %d (targets beyond cost %.1f)", res.Threshold.Points, best, bestGain)
	}
	if want := bestGain / o.TestMonths; math.Abs(res.Threshold.ExpectedValue-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("expected value per month %v, want %v", res.Threshold.ExpectedValue, want)
	}
}

func TestZeroNonFinite(t *testing.T) {
	r := &Result{Intercept: math.NaN(), Coefficients: []Coefficient{{Weight: 1, SE: math.Inf(1)}},
		Backtest: &Backtest{Current: BacktestTotals{Precision: math.NaN()}}}
	if n := zeroNonFinite(reflect.ValueOf(r).Elem()); n != 3 {
		t.Errorf("changed %d, want 3", n)
	}
	if r.Intercept != 0 || r.Coefficients[0].SE != 0 || r.Coefficients[0].Weight != 1 || r.Backtest.Current.Precision != 0 {
		t.Errorf("result %+v", r)
	}
}
