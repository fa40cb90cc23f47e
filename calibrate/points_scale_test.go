package calibrate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// minutesRun fits 4000 leads whose only feature is time on site, m =
// 37·i mod 301 minutes (0–300) counted in units of 1/perMinute minute (the
// feature is m·perMinute), with P(target) = 1/(1+exp(−(−2 + 0.012·m))), on
// the first 2800 and measures the test AUC on the other 1200, then chooses
// the points scale starting from pdo. It returns the fitted weight per
// minute too.
func minutesRun(t *testing.T, pdo, perMinute float64) (*Result, *Model, float64) {
	t.Helper()
	const n, nTrain = 4000, 2800
	rng := rand.New(rand.NewPCG(5, 0))
	l := &Leads{Channels: []string{"web"}, LandmarkDays: []float64{7}}
	av := &ActionValues{Actions: []string{"site_minute"}, Counts: [][]float64{make([]float64, n)}}
	for i := 0; i < n; i++ {
		m := float64(37 * i % 301)
		av.Counts[0][i] = m * perMinute
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
	m, _ := choosePointsScale(res, fit, d, l, av, test, yTest)
	return res, m, fit.Coef[0] * perMinute
}

// checkWeight stops the test when the fitted weight per minute is outside
// the range the test's arithmetic assumes: the fixture would no longer test
// what it says. At 10 and 20 points to double the odds the weight is 0
// points (w·20/ln 2 < 0.5, w < 0.0173), at 40 it is 1 point (0.5 ≤
// w·40/ln 2 < 1.5, w ≥ 0.00867).
func checkWeight(t *testing.T, w float64) {
	t.Helper()
	if !(w > 0.00867 && w < 0.0173) {
		t.Fatalf("fitted weight per minute %v is outside (0.00867, 0.0173)", w)
	}
}

func TestPointsScaleRefined(t *testing.T) {
	res, m, w := minutesRun(t, 10, 1)
	checkWeight(t, w)
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
	res, _, w := minutesRun(t, 100, 1)
	checkWeight(t, w)
	if res.Options.PointsToDoubleOdds != 100 || len(res.Warnings) != 0 {
		t.Errorf("scale %v, warnings %q; want 100 and none", res.Options.PointsToDoubleOdds, res.Warnings)
	}
	if mt := res.Metrics; mt.AUCTestPoints != mt.AUCTest {
		t.Errorf("AUC of the points %v, of the model %v: want equal", mt.AUCTestPoints, mt.AUCTest)
	}
}

func TestPointsScaleNamesTheFix(t *testing.T) {
	// Counted in milliseconds the weight per unit is w/60000 < 3·10⁻⁷: even
	// at 640 points to double the odds (10 doubled 6 times) it is
	// 640·w/60000/ln 2 < 0.0003 points, 0. Every score is 0 (AUC ½), and the
	// warning names the fix instead of claiming one.
	res, m, w := minutesRun(t, 10, 60000)
	checkWeight(t, w)
	if res.Options.PointsToDoubleOdds != 640 || m.Actions["site_minute"].Points != 0 || res.Metrics.AUCTestPoints != 0.5 {
		t.Errorf("scale %v, %d points per unit, AUC of the points %v; want 640, 0, 0.5",
			res.Options.PointsToDoubleOdds, m.Actions["site_minute"].Points, res.Metrics.AUCTestPoints)
	}
	want := fmt.Sprintf("rounding weights to whole points loses %.3f test AUC (0.500 against the model's %.3f) even at 640 points to double the odds: a feature with a small weight per unit (minutes, visits) should enter binned (--numeric bins)",
		res.Metrics.AUCTest-0.5, res.Metrics.AUCTest)
	if len(res.Warnings) != 1 || res.Warnings[0] != want {
		t.Errorf("warnings %q, want %q", res.Warnings, want)
	}
}
