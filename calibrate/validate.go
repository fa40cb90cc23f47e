package calibrate

import (
	"fmt"
	"math"
	"reflect"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// This file fills a Result from the fit and the test-period predictions.

func fillFit(res *Result, fit *LogitFit, d *design, x *mat.Dense, y []float64, unique int) {
	res.Intercept = fit.Intercept
	res.InterceptSE = fit.SE[0]
	n := len(y)
	nonZero, sums := columnTallies(x, d.features())
	for j, name := range d.names[:d.features()] {
		lo, hi := fit.CI(j+1, 0.95)
		c := Coefficient{
			Feature: name, Weight: fit.Coef[j], SE: fit.SE[j+1], CILow: lo, CIHigh: hi,
			PValue: fit.PValue(j + 1), Points: Points(fit.Coef[j], res.Options.PointsToDoubleOdds),
			Z: fit.Z(j + 1), OddsRatio: fit.OddsRatio(j + 1),
			PointsLow: Points(lo, res.Options.PointsToDoubleOdds), PointsHigh: Points(hi, res.Options.PointsToDoubleOdds),
		}
		if j < len(d.actions) {
			c.Cap = d.actions[j].cap
		}
		c.Prevalence = float64(nonZero[j]) / float64(n)
		c.Mean = sums[j] / float64(n)
		res.Coefficients = append(res.Coefficients, c)
	}
	for _, g := range d.groups {
		res.Baselines[g.key] = g.baseline
	}
	res.Fit = FitSummary{
		LogLik: fit.LogLik, LogLikNull: fit.LogLikNull, Iterations: fit.Iterations,
		Converged: fit.Converged, N: n, UniqueRows: unique,
	}
	if fit.LogLikNull != 0 {
		res.Fit.PseudoR2 = 1 - fit.LogLik/fit.LogLikNull
	}
}

// columnTallies returns, for each of the first p columns of x, how many
// rows are not 0 and the column's sum, in one pass over the rows in the
// order they are stored.
func columnTallies(x *mat.Dense, p int) (nonZero []int, sums []float64) {
	nonZero, sums = make([]int, p), make([]float64, p)
	if x == nil || x.IsEmpty() {
		return nonZero, sums
	}
	raw := x.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+p] {
			sums[j] += v
			if v != 0 {
				nonZero[j]++
			}
		}
	}
	return nonZero, sums
}

// sampleWarnings flags samples too small to trust: fewer than 10 events per
// feature (the usual rule of thumb for logistic regression, Peduzzi et al.
// 1996) and a test period with fewer than 30 targets.
func sampleWarnings(res *Result) []string {
	var w []string
	pos := res.Metrics.PositivesTrain
	if p := len(res.Coefficients); p > 0 && pos < 10*p {
		w = append(w, fmt.Sprintf("only %d training leads reached the target for %d features (fewer than 10 per feature): weights are uncertain", pos, p))
	}
	return w
}

// fillMetrics sets the validation figures: the training AUC, and on the
// test period the AUC within landmarks (only snapshots of the same landmark
// are compared, so the landmark intercepts earn nothing) with its interval,
// each landmark's own figures, and the calibration, gains and ROC curves
// over the test snapshots.
func fillMetrics(res *Result, l *Leads, train, test []int, pTrain, yTrain, pTest, yTest []float64) {
	m := &res.Metrics
	m.NTrain, m.NTest = len(yTrain), len(yTest)
	m.PositivesTrain = countPositive(yTrain)
	m.PositivesTest = countPositive(yTest)
	m.ByLandmark = []LandmarkMetrics{}
	// The figures below read the same predictions and write apart: they
	// are computed side by side (each sorts its rows, 1.2M training and
	// 0.5M test snapshots at 10M events).
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { m.AUCTrain = AUCWithin(pTrain, yTrain, nil, strataOf(l, train)) })
	if len(yTest) == 0 {
		res.Warnings = append(res.Warnings, "no test leads: the model is not validated out of time")
		return
	}
	m.BaseRateTest = float64(m.PositivesTest) / float64(len(yTest))
	var calibration []CalibrationBin
	var gains []GainsRow
	wg.Go(func() { calibration = CalibrationCurve(pTest, yTest, nil, 10) })
	wg.Go(func() { gains = Gains(pTest, yTest, nil, 10) })
	wg.Go(func() { res.ROC = rocPoints(pTest, yTest) })
	within := AUCWithinConfidence(pTest, yTest, nil, strataOf(l, test), 0.95)
	if m.PositivesTest == 0 || m.PositivesTest == len(yTest) {
		res.Warnings = append(res.Warnings, "the test period has only one outcome: AUC cannot be measured")
	} else {
		m.AUCTest, m.AUCTestCILow, m.AUCTestCIHigh = within.AUC, within.Lo, within.Hi
	}
	for _, s := range within.Strata {
		lm := LandmarkMetrics{Snapshots: int(s.N), Positives: int(s.Positives), AUC: s.AUC, AUCCILow: s.Lo, AUCCIHigh: s.Hi}
		if k := int(s.Stratum); k >= 0 && k < len(l.LandmarkDays) {
			lm.Days = l.LandmarkDays[k]
		}
		m.ByLandmark = append(m.ByLandmark, lm)
	}
	if m.PositivesTest < 30 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only %d test leads reached the target: test metrics are rough", m.PositivesTest))
	}
	m.Brier = Brier(pTest, yTest, nil)
	m.LogLoss = LogLoss(pTest, yTest, nil)
	wg.Wait()
	res.CalibrationCurve = calibrationPoints(calibration)
	res.Gains = gainsPoints(gains, len(yTest), m.PositivesTest)
}

// strataOf returns the landmark index of each row, the strata of AUCWithin.
func strataOf(l *Leads, rows []int) []int32 {
	out := make([]int32, len(rows))
	for r, i := range rows {
		out[r] = int32(l.Landmark[i])
	}
	return out
}

func countPositive(y []float64) int {
	n := 0
	for _, v := range y {
		if v == 1 {
			n++
		}
	}
	return n
}

func calibrationPoints(bins []CalibrationBin) []CalibrationPoint {
	out := make([]CalibrationPoint, 0, len(bins))
	for _, b := range bins {
		out = append(out, CalibrationPoint{Predicted: b.MeanPredicted, Observed: b.Observed, N: b.Count})
	}
	return out
}

// gainsPoints converts a gains table of n leads with pos targets; the rate
// within a bin is its share of captured targets times pos over its leads.
func gainsPoints(rows []GainsRow, n, pos int) []GainsPoint {
	out := make([]GainsPoint, 0, len(rows))
	prevF, prevS := 0.0, 0.0
	for _, r := range rows {
		g := GainsPoint{LeadShare: r.Fraction, TargetShare: r.CapturedShare, Lift: r.Lift}
		if leads := (r.Fraction - prevF) * float64(n); leads > 0 {
			g.Rate = (r.CapturedShare - prevS) * float64(pos) / leads
		}
		prevF, prevS = r.Fraction, r.CapturedShare
		out = append(out, g)
	}
	return out
}

func rocPoints(p, y []float64) []ROCPoint {
	fpr, tpr, _ := ROCCurve(p, y, nil, 200)
	out := make([]ROCPoint, len(fpr))
	for k := range fpr {
		out[k] = ROCPoint{FPR: fpr[k], TPR: tpr[k]}
	}
	return out
}

// zeroNonFinite sets every NaN or infinite float64 reachable in v (structs,
// slices, pointers) to 0 and returns how many it changed, so that the
// result encodes as JSON.
func zeroNonFinite(v reflect.Value) int {
	n := 0
	switch v.Kind() {
	case reflect.Float64:
		if f := v.Float(); (math.IsNaN(f) || math.IsInf(f, 0)) && v.CanSet() {
			v.SetFloat(0)
			n++
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				n += zeroNonFinite(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			n += zeroNonFinite(v.Index(i))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			n += zeroNonFinite(v.Elem())
		}
	}
	return n
}
