package reports

import (
	"fmt"

	"github.com/funnel-dev/funnel/calibrate"
)

// metricsSection is the analyst's table of validation figures, under their
// statistical names.
func metricsSection(r *calibrate.Result, _ Labels) (section, error) {
	m, f := r.Metrics, r.Fit
	kv := func(k string, v cell) row { return row{Cells: []cell{textCell(k), v}} }
	t := table{Caption: "Validation figures", Head: []string{"Figure", "Value"}, Numeric: []bool{false, true},
		Rows: []row{
			kv("AUC, test period (compared within each landmark age)", floatCell(m.AUCTest, 3)),
			kv("95% DeLong confidence interval of the test AUC", textCell(formatNumber(m.AUCTestCILow, 3)+" to "+formatNumber(m.AUCTestCIHigh, 3))),
			kv(fmt.Sprintf("AUC, test period, of the score in whole points (%s points double the odds)", formatNumber(r.Options.PointsToDoubleOdds, 0)), floatCell(m.AUCTestPoints, 3)),
			kv("AUC, training period", floatCell(m.AUCTrain, 3)),
			kv("Brier score, test period (mean squared error of the probability)", floatCell(m.Brier, 4)),
			kv("Log loss, test period (nats per snapshot)", floatCell(m.LogLoss, 4)),
			kv("Target rate of the test snapshots", pctCell(m.BaseRateTest)),
			kv("Test target rate over training target rate", floatCell(m.TestRateRatio, 2)),
			kv("Calibration in the large: (observed − expected targets) / SD, test period", floatCell(m.CalibrationZ, 2)),
			kv("Intercept shift applied for drift (log-odds)", floatCell(r.Options.InterceptRecalibrated, 3)),
			kv("Snapshots, training / test", textCell(formatCount(m.NTrain)+" / "+formatCount(m.NTest))),
			kv("… of which reached the target, training / test", textCell(formatCount(m.PositivesTrain)+" / "+formatCount(m.PositivesTest))),
			kv("McFadden pseudo-R², training", floatCell(f.PseudoR2, 3)),
			kv("Log-likelihood, fitted / intercept only", textCell(formatNumber(f.LogLik, 1)+" / "+formatNumber(f.LogLikNull, 1))),
			kv("Rows fitted", intCell(f.UniqueRows)),
		}}
	return section{ID: "metrics", Title: "Validation figures",
		Intro:  fmt.Sprintf("Measured on the %s, with the weights learned from the %s.", testPeriod(r), trainPeriod(r)),
		Tables: []table{t}, Stacked: true}, nil
}
