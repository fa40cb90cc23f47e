package calibrate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// minutesRun fits 4000 leads whose only feature is minutes on site, m =
// 37·i mod 301 (0–300), with P(target) = 1/(1+exp(−(−2 + 0.012·m))), on
// the first 2800 and measures the test AUC on the other 1200, then chooses
// the points scale starting from pdo.
func minutesRun(t *testing.T, pdo float64) (*Result, *Model) {
	t.Helper()
	const n, nTrain = 4000, 2800
	rng := rand.New(rand.NewPCG(5, 0))
	l := &Leads{Channels: []string{"web"}, LandmarkDays: []float64{7}}
	av := &ActionValues{Actions: []string{"site_minute"}, Counts: [][]float64{make([]float64, n)}}
	for i := 0; i < n; i++ {
		m := float64(37 * i % 301)
		av.Counts[0][i] = m
		y := 0.0
		if rng.Float64() < 1/(1+math.Exp(-(-2+0.012*m))) {
			y = 1
		}
		l.IDs = append(l.IDs, fmt.Sprintf("L%d", i))
		l.Label = append(l.Label, y)
		l.Channel = append(l.Channel, 0)
		l.Landmark = append(l.Landmark, 0)
		l.Seq = append(l.Seq, 0)
		l.Rows = append(l.Rows, int64(i))
	}
	train, test := make([]int, nTrain), make([]int, n-nTrain)
	for i := range train {
		train[i] = i
	}
	for k := range test {
		test[k] = nTrain + k
	}
	d, _ := newDesign(l, av, train, nil, designOptions{Transform: TransformCount, Cap: -1, MinLeads: 30})
	xTrain, yTrain := d.matrix(l, av, train, nil), labels(l, train)
	fit, err := FitLogit(context.Background(), Data{Names: d.names, X: xTrain, Y: yTrain}, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := newResult(Options{Target: "won", PDO: pdo}, l)
	fillFit(res, fit, d, xTrain, yTrain, nTrain)
	yTest := labels(l, test)
	res.Metrics.AUCTest = AUCWithin(fit.PredictAll(d.matrix(l, av, test, nil)), yTest, nil, strataOf(l, test))
	// The refinement below relies on the weight per minute: at 10 and 20
	// points to double the odds it is 0 points (w·20/ln 2 < 0.5, w <
	// 0.0173), at 40 it is 1 point (0.5 ≤ w·40/ln 2 < 1.5).
	if w := fit.Coef[0]; !(w > 0.00867 && w < 0.0173) {
		t.Fatalf("fitted weight per minute %v is outside (0.00867, 0.0173): the fixture no longer tests what it says", w)
	}
	m, _ := choosePointsScale(res, fit, d, l, av, test, yTest)
	return res, m
}

func TestPointsScaleRefined(t *testing.T) {
	res, m := minutesRun(t, 10)
	// At 10 points to double the odds every lead scores 0 (AUC ½); at 20
	// still 0; at 40 one point per minute, which ranks the test leads
	// exactly as the model's probability does: the same AUC.
	if got := res.Options.PointsToDoubleOdds; got != 40 {
		t.Fatalf("points to double the odds %v, want 40", got)
	}
	if m.PointsToDoubleOdds != 40 || m.Actions["site_minute"].Points != 1 || res.Coefficients[0].Points != 1 {
		t.Errorf("model scale %v, %d points per minute (coefficient %d), want 40 and 1", m.PointsToDoubleOdds, m.Actions["site_minute"].Points, res.Coefficients[0].Points)
	}
	if mt := res.Metrics; math.Abs(mt.AUCTestPoints-mt.AUCTest) > 1e-12 {
		t.Errorf("AUC of the points %v, of the model %v: want equal", mt.AUCTestPoints, mt.AUCTest)
	}
	want := fmt.Sprintf("at 10 points to double the odds, rounding weights to whole points lost %.3f test AUC (0.500 against the model's %.3f), so the scale is 40 points to double the odds",
		res.Metrics.AUCTest-0.5, res.Metrics.AUCTest)
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], want) {
		t.Errorf("warnings %q, want one starting %q", res.Warnings, want)
	}
}

func TestPointsScaleKept(t *testing.T) {
	// At 100 points to double the odds a minute is w·100/ln 2 ≈ 1.3–2.5,
	// rounded to a whole number ≥ 1: the score still ranks leads by minutes,
	// nothing is lost and the scale stays.
	res, _ := minutesRun(t, 100)
	if res.Options.PointsToDoubleOdds != 100 || len(res.Warnings) != 0 {
		t.Errorf("scale %v, warnings %q; want 100 and none", res.Options.PointsToDoubleOdds, res.Warnings)
	}
	if mt := res.Metrics; mt.AUCTestPoints != mt.AUCTest {
		t.Errorf("AUC of the points %v, of the model %v: want equal", mt.AUCTestPoints, mt.AUCTest)
	}
}
