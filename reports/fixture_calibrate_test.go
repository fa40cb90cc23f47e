package reports

import (
	"fmt"
	"math"
	"time"

	"github.com/funnel-dev/funnel/calibrate"
)

// hostile is a channel / action name that would run script if any page put
// it into HTML unescaped, closed a <script> element, or let go-echarts'
// "__f__" function markers turn it into code.
const hostile = `<img src=x onerror=alert(1)>`

// hostileNames are the names the safety tests plant in the fixtures.
var hostileNames = []string{
	hostile,
	`</script><script>alert(2)</script>`,
	`__f__alert(3)__f__`,
	`"'&{b}|{c}`,
}

// calibrationFixture is a small, hand-made calibration result: 4 actions,
// 3 channels (one with a hostile name, one the baseline), one attribute.
// The numbers are plausible but invented: the page only has to show them.
func calibrationFixture() *calibrate.Result {
	day := func(s string) time.Time {
		t, _ := time.Parse("2006-01-02", s)
		return t
	}
	coef := func(f string, w, se float64, pts int, prev float64) calibrate.Coefficient {
		z := w / se
		return calibrate.Coefficient{Feature: f, Weight: w, SE: se, CILow: w - 1.96*se, CIHigh: w + 1.96*se,
			PValue: 2 * (1 - normalCDF(math.Abs(z))), Points: pts, Z: z, OddsRatio: math.Exp(w), Prevalence: prev}
	}
	r := &calibrate.Result{
		Target: "won",
		Options: calibrate.ResultOptions{
			Target: "won", ObserveDays: 30, HorizonDays: 180, HalfLifeDays: 28, HalfLifeMode: "auto",
			SalesStages: []string{"sal", "sql"}, Transform: "count", Attributes: []string{"company_size"},
			PointsToDoubleOdds: 20, TestShare: 0.25, ThresholdRule: "capacity", Capacity: 120, Value: 12000, Cost: 150,
			DataEnd: day("2025-12-31"), TrainFrom: day("2024-01-01"), TrainTo: day("2025-01-31"),
			TestFrom: day("2025-02-01"), TestTo: day("2025-06-30"), TestMonths: 5,
			Landmarks: []float64{1, 7, 30}, LandmarksDropped: []float64{60}, Covariance: "cluster",
		},
		Landmarks: []calibrate.LandmarkIntercept{
			{Days: 1, Intercept: -4.2, SE: 0.21, Snapshots: 9000, Positives: 310},
			{Days: 7, Intercept: -4.5, SE: 0.23, Snapshots: 8100, Positives: 240},
			{Days: 30, Intercept: -4.9, SE: 0.3, Snapshots: 7000, Positives: 150},
		},
		ExcludedFeatures: []calibrate.ExcludedFeature{{Feature: "attr:lead_quality", Reason: "possible_leak",
			Detail: "whether it is filled in at all separates the leads that reached the target (AUC 0.981)"}},
		Intercept: -4.2, InterceptSE: 0.21,
		Coefficients: []calibrate.Coefficient{
			coef("action:demo_request", 1.35, 0.18, 39, 0.06),
			coef("action:pricing_view", 0.62, 0.11, 18, 0.21),
			coef("action:ebook_download", 0.08, 0.09, 2, 0.33),
			coef("action:"+hostileNames[3], -0.25, 0.2, -7, 0.02),
			coef("channel:"+hostile, 0.9, 0.35, 26, 0.04),
			coef("channel:"+hostileNames[1], -0.4, 0.3, -12, 0.05),
			coef("channel:"+hostileNames[2], 0.3, 0.25, 9, 0.1),
			coef("attr:company_size=1000+", 0.7, 0.15, 20, 0.12),
		},
		Baselines: map[string]string{"channel": "organic", "attr:company_size": "1-10"},
		Threshold: calibrate.Threshold{Points: 40, Probability: 0.071, Rule: "capacity", MQLsPerMonth: 118,
			Precision: 0.082, Recall: 0.61, ExpectedValue: 98500, TodayMQLsPerMonth: 131, TodayPrecision: 0.064},
		Metrics: calibrate.Metrics{AUCTrain: 0.81, AUCTest: 0.78, AUCTestCILow: 0.74, AUCTestCIHigh: 0.82, AUCTestPoints: 0.776, Brier: 0.0312,
			LogLoss: 0.121, NTrain: 9000, NTest: 3000, PositivesTrain: 310, PositivesTest: 96, BaseRateTest: 0.032,
			ByLandmark: []calibrate.LandmarkMetrics{
				{Days: 1, Snapshots: 3000, Positives: 96, AUC: 0.77, AUCCILow: 0.72, AUCCIHigh: 0.82},
				{Days: 7, Snapshots: 2700, Positives: 75, AUC: 0.79, AUCCILow: 0.73, AUCCIHigh: 0.85},
				{Days: 30, Snapshots: 2300, Positives: 47, AUC: 0.78, AUCCILow: 0.70, AUCCIHigh: 0.86},
			}},
		Fit:              calibrate.FitSummary{LogLik: -1180.5, LogLikNull: -1370.2, PseudoR2: 0.138, Iterations: 7, Converged: true, N: 9000, UniqueRows: 812},
		Leads:            calibrate.LeadCounts{Total: 14000, Mature: 12000, Immature: 2000, Train: 9000, Test: 3000},
		ExcludedImmature: 2000,
		Warnings:         []string{"channel " + hostile + " has only 12 leads that reached the target: its weight is uncertain."},
	}
	for i, h := range []float64{0, 7, 14, 28, 56, 112} {
		r.HalfLifeCurve = append(r.HalfLifeCurve, calibrate.HalfLifePoint{HalfLifeDays: h,
			LogLik: -1200 + 20*math.Exp(-math.Pow((math.Log1p(h)-math.Log1p(28))/1.2, 2)) - float64(i%2), Chosen: h == 28})
	}
	for d := 0; d < 10; d++ {
		p := 0.005 * math.Pow(1.55, float64(d))
		r.CalibrationCurve = append(r.CalibrationCurve, calibrate.CalibrationPoint{Predicted: p, Observed: p * (0.85 + 0.03*float64(d)), N: 300})
		share := float64(d+1) / 10
		target := 1 - math.Pow(1-share, 2.6)
		r.Gains = append(r.Gains, calibrate.GainsPoint{LeadShare: share, TargetShare: target, Lift: target / share, Rate: 0.032 * target / share})
	}
	for i := 0; i <= 20; i++ {
		fpr := float64(i) / 20
		r.ROC = append(r.ROC, calibrate.ROCPoint{FPR: fpr, TPR: math.Pow(fpr, 0.32)})
	}
	for pts := 0; pts <= 80; pts += 5 {
		mqls := 600 * math.Exp(-float64(pts)/25)
		prec := 0.032 * math.Exp(float64(pts)/40)
		recall := math.Min(1, mqls*prec*5/96)
		r.Tradeoff = append(r.Tradeoff, calibrate.TradeoffRow{Points: pts, Probability: 1 / (1 + math.Exp(4.2-float64(pts)*math.Ln2/20)),
			MQLsPerMonth: mqls, Precision: prec, Recall: recall, ExpectedValue: mqls*prec*12000 - mqls*150})
		r.ScoreTable = append(r.ScoreTable, calibrate.ScoreRow{Points: pts, Probability: 1 / (1 + math.Exp(4.2-float64(pts)*math.Ln2/20)), Leads: 30})
	}
	bt := &calibrate.Backtest{CurrentModel: "current.yaml", ProposedModel: "proposed",
		Current:  calibrate.BacktestTotals{Threshold: 50, MQLs: 900, MQLsPerMonth: 180, WinsCaptured: 41, Precision: 41.0 / 900, Recall: 41.0 / 96},
		Proposed: calibrate.BacktestTotals{Threshold: 40, MQLs: 590, MQLsPerMonth: 118, WinsCaptured: 58, Precision: 58.0 / 590, Recall: 58.0 / 96},
		Changed: calibrate.ChangedSide{NewMQLs: 120, NewMQLWins: 25, DroppedMQLs: 430, DroppedMQLWins: 8,
			Sample: []calibrate.ChangedLead{{LeadID: hostile, CurrentScore: 35, ProposedScore: 52, CurrentMQL: false, ProposedMQL: true, Won: true}}},
	}
	for m := 2; m <= 6; m++ {
		bt.Months = append(bt.Months, calibrate.BacktestMonth{Month: fmt.Sprintf("2025-%02d", m), Leads: 600, Wins: 19,
			Current:  calibrate.BacktestTotals{MQLs: 180, WinsCaptured: 8 + m%2},
			Proposed: calibrate.BacktestTotals{MQLs: 118, WinsCaptured: 11 + m%3}})
	}
	r.Backtest = bt
	return r
}

// normalCDF is Φ(x), the standard normal distribution function.
func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// bigCalibrationFixture is calibrationFixture with nActions actions and
// nChannels channels, for the page-size test.
func bigCalibrationFixture(nActions, nChannels int) *calibrate.Result {
	r := calibrationFixture()
	r.Coefficients = nil
	for i := 0; i < nActions; i++ {
		w := 1.5 - 3*float64(i)/float64(nActions)
		r.Coefficients = append(r.Coefficients, calibrate.Coefficient{Feature: fmt.Sprintf("action:action_number_%02d", i),
			Weight: w, SE: 0.2, CILow: w - 0.392, CIHigh: w + 0.392, PValue: 0.01, Points: int(w * 28.85), OddsRatio: math.Exp(w), Prevalence: 0.1})
	}
	for i := 0; i < nChannels; i++ {
		w := 1 - 2*float64(i)/float64(nChannels)
		r.Coefficients = append(r.Coefficients, calibrate.Coefficient{Feature: fmt.Sprintf("channel:a rather long channel name %02d", i),
			Weight: w, SE: 0.3, CILow: w - 0.588, CIHigh: w + 0.588, PValue: 0.2, Points: int(w * 28.85), OddsRatio: math.Exp(w), Prevalence: 0.02})
	}
	for i := 0; i < 200; i++ { // the ROC is downsampled to at most 200 points
		fpr := float64(i) / 199
		r.ROC = append(r.ROC, calibrate.ROCPoint{FPR: fpr, TPR: math.Pow(fpr, 0.32)})
	}
	return r
}
