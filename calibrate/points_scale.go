package calibrate

import "fmt"

// maxPointsLoss is the most test AUC the integer score may lose against
// the fitted model's probabilities before a finer points scale is chosen.
const maxPointsLoss = 0.005

// maxScaleDoublings bounds the refinement: the points to double the odds
// are doubled at most this many times (64 times finer).
const maxScaleDoublings = 6

// choosePointsScale builds the model file at the run's points scale and
// scores the test snapshots with it (the path funnel score takes), then
// compares the AUC of those integer scores with the model's (both within
// landmarks, Metrics.AUCTestPoints beside Metrics.AUCTest). Rounding each
// weight to whole points can lose much of a feature whose weight per unit
// is small (0.01 per minute on site is 0 points at 10 points to double the
// odds); when the loss exceeds maxPointsLoss, the points that double the
// odds are doubled until it does not (at most maxScaleDoublings times), the
// coefficients' points are updated, and a warning says so — or, when even
// the finest scale loses too much, names the fix. It returns the model and
// the test snapshots' scores.
func choosePointsScale(res *Result, fit *LogitFit, d *design, l *Leads, av *ActionValues, test []int, yTest []float64) (*Model, []int) {
	model := buildModel(fit, d, res)
	scores := scoreRows(model, l, av, test, nil)
	m := &res.Metrics
	if m.AUCTest == 0 { // not measurable: no test leads or one outcome
		return model, scores
	}
	strata := strataOf(l, test)
	m.AUCTestPoints = AUCWithin(floats(scores), yTest, nil, strata)
	asked, aucAsked := res.Options.PointsToDoubleOdds, m.AUCTestPoints
	if m.AUCTest-aucAsked <= maxPointsLoss {
		return model, scores
	}
	for k := 0; k < maxScaleDoublings && m.AUCTest-m.AUCTestPoints > maxPointsLoss; k++ {
		pdo := 2 * res.Options.PointsToDoubleOdds
		res.Options.PointsToDoubleOdds = pdo
		for j := range res.Coefficients {
			res.Coefficients[j].Points = Points(res.Coefficients[j].Weight, pdo)
		}
		model = buildModel(fit, d, res)
		scores = scoreRows(model, l, av, test, nil)
		m.AUCTestPoints = AUCWithin(floats(scores), yTest, nil, strata)
	}
	pdo := res.Options.PointsToDoubleOdds
	if m.AUCTest-m.AUCTestPoints > maxPointsLoss {
		res.Warnings = append(res.Warnings, fmt.Sprintf("rounding weights to whole points loses %.3f test AUC (%.3f against the model's %.3f) even at %g points to double the odds: a feature with a small weight per unit (minutes, visits) should enter binned (--numeric bins)",
			m.AUCTest-m.AUCTestPoints, m.AUCTestPoints, m.AUCTest, pdo))
		return model, scores
	}
	res.Warnings = append(res.Warnings, fmt.Sprintf("at %g points to double the odds, rounding weights to whole points lost %.3f test AUC (%.3f against the model's %.3f), so the scale is %g points to double the odds (AUC %.3f)",
		asked, m.AUCTest-aucAsked, aucAsked, m.AUCTest, pdo, m.AUCTestPoints))
	return model, scores
}

// floats converts integer scores to float64.
func floats(scores []int) []float64 {
	out := make([]float64, len(scores))
	for i, s := range scores {
		out[i] = float64(s)
	}
	return out
}
