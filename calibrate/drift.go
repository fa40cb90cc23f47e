package calibrate

import (
	"fmt"
	"math"
)

// Drift limits (checkDrift).
const (
	// driftRateRatio is how far the test period's target rate may differ
	// from training's, either way, before the intercept is recalibrated.
	driftRateRatio = 1.5
	// driftZ is the two-sided 1% critical value of calibration-in-the-large.
	driftZ = 2.5758293035489
)

// checkDrift compares the test period with training: the ratio of target
// rates, and calibration-in-the-large, z = (O − E)/√Σp(1−p) with O the test
// targets and E = Σp their expected number. When the rates differ by more
// than 1.5× either way or |z| > 2.576 (rejected at 1%), it warns and returns
// the intercept shift δ that makes the expected targets equal the observed
// ones on the test period (Σ sigmoid(ηi + δ) = O, by Newton's method), which
// the caller applies; otherwise 0. Test metrics computed after the shift
// are then in-sample for the intercept, which the warning says.
func checkDrift(res *Result, yTrain, pTest, yTest []float64) float64 {
	if len(yTest) == 0 || len(yTrain) == 0 {
		return 0
	}
	rTrain := float64(countPositive(yTrain)) / float64(len(yTrain))
	obs := float64(countPositive(yTest))
	rTest := obs / float64(len(yTest))
	exp, v := 0.0, 0.0
	for _, p := range pTest {
		exp += p
		v += p * (1 - p)
	}
	m := &res.Metrics
	if rTrain > 0 {
		m.TestRateRatio = rTest / rTrain
	}
	if v > 0 {
		m.CalibrationZ = (obs - exp) / math.Sqrt(v)
	}
	ratioOff := rTrain > 0 && rTest > 0 && (m.TestRateRatio > driftRateRatio || m.TestRateRatio < 1/driftRateRatio)
	if !ratioOff && math.Abs(m.CalibrationZ) <= driftZ {
		return 0
	}
	if obs == 0 || obs == float64(len(yTest)) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the test period's target rate (%.1f%%) differs from training's (%.1f%%), and it has one outcome only: the intercept is not recalibrated", 100*rTest, 100*rTrain))
		return 0
	}
	eta := make([]float64, len(pTest))
	for i, p := range pTest {
		eta[i] = math.Log(p / (1 - p))
	}
	delta := 0.0
	for range 100 {
		f, df := -obs, 0.0
		for _, e := range eta {
			p := sigmoid(e + delta)
			f += p
			df += p * (1 - p)
		}
		if df == 0 {
			break
		}
		step := f / df
		delta -= step
		if math.Abs(step) < 1e-12 {
			break
		}
	}
	res.Options.InterceptRecalibrated = delta
	res.Warnings = append(res.Warnings, fmt.Sprintf(
		"drift: the test period's target rate is %.1f%% against %.1f%% in training (%.2f×), and it had %.0f targets where the model expected %.1f (z = %.2f); the intercept was recalibrated on the test period by %+.3f, so the test period's calibration figures are no longer out of sample",
		100*rTest, 100*rTrain, m.TestRateRatio, obs, exp, m.CalibrationZ, delta))
	return delta
}

// shiftIntercept returns a copy of fit with delta added to the intercept.
func shiftIntercept(fit *LogitFit, delta float64) *LogitFit {
	out := *fit
	out.Intercept += delta
	return &out
}
