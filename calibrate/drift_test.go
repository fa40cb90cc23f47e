package calibrate

import (
	"math"
	"strings"
	"testing"
)

func TestCheckDrift(t *testing.T) {
	yTrain := make([]float64, 1000)
	for i := range 100 {
		yTrain[i] = 1 // 10% in training
	}
	// Test: 400 leads predicted at 10%, observed 80 targets (20%): a 2×
	// drift; z = (80 − 40)/√(400·0.1·0.9) = 40/6 = 6.67.
	pTest := make([]float64, 400)
	yTest := make([]float64, 400)
	for i := range pTest {
		pTest[i] = 0.1
		if i < 80 {
			yTest[i] = 1
		}
	}
	res := &Result{}
	delta := checkDrift(res, yTrain, pTest, yTest)
	// Every lead at the same p: sigmoid(logit(0.1) + δ) = 0.2, so
	// δ = logit(0.2) − logit(0.1) = ln(0.25) − ln(1/9) = ln(2.25).
	if want := math.Log(2.25); math.Abs(delta-want) > 1e-9 {
		t.Errorf("shift %v, want ln 2.25 = %v", delta, want)
	}
	if math.Abs(res.Metrics.TestRateRatio-2) > 1e-12 || math.Abs(res.Metrics.CalibrationZ-40.0/6) > 1e-9 {
		t.Errorf("ratio %v z %v, want 2 and 6.667", res.Metrics.TestRateRatio, res.Metrics.CalibrationZ)
	}
	if res.Options.InterceptRecalibrated != delta || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "recalibrated") {
		t.Errorf("options %v warnings %q", res.Options.InterceptRecalibrated, res.Warnings)
	}
	// No drift: observed 42 of 400 at p 0.1 (z = 0.33, ratio 1.05).
	for i := range yTest {
		yTest[i] = 0
		if i < 42 {
			yTest[i] = 1
		}
	}
	res = &Result{}
	if d := checkDrift(res, yTrain, pTest, yTest); d != 0 || len(res.Warnings) != 0 {
		t.Errorf("no drift: shift %v, warnings %q", d, res.Warnings)
	}
}
