package calibrate

import "math"

// DefaultPointsToDoubleOdds is the scorecard scale used when none is given:
// 10 points double the odds of the target.
const DefaultPointsToDoubleOdds = 10

// pdoOrDefault returns pdo, or DefaultPointsToDoubleOdds when pdo is not a
// positive finite number.
func pdoOrDefault(pdo float64) float64 {
	if !(pdo > 0) || math.IsInf(pdo, 0) {
		return DefaultPointsToDoubleOdds
	}
	return pdo
}

// Points converts a logit coefficient into integer scorecard points, as
// credit scorecards do (Siddiqi, Credit Risk Scorecards, 2006, ch. 10):
//
//	points = round(coef · pdo / ln 2)
//
// where pdo is the number of points that doubles the odds (≤ 0 means
// DefaultPointsToDoubleOdds). A coefficient of ln 2 (odds × 2) is worth pdo
// points; rounding is half away from zero.
func Points(coef float64, pdo float64) int {
	return int(math.Round(coef * pdoOrDefault(pdo) / math.Ln2))
}

// PointsToLogOdds converts points back to a change in log-odds,
// points · ln 2 / pdo (pdo ≤ 0 means DefaultPointsToDoubleOdds).
func PointsToLogOdds(points int, pdo float64) float64 {
	return float64(points) * math.Ln2 / pdoOrDefault(pdo)
}

// ScoreTable maps a score in points to the probability of the target:
//
//	p = 1 / (1 + exp(−(Intercept + score · ln 2 / PDO)))
//
// Intercept is the fitted log-odds of a lead with score 0 (every feature 0,
// baseline levels); PDO ≤ 0 means DefaultPointsToDoubleOdds. Because feature
// points are rounded, this is the probability the score stands for, within
// about half a point per feature of the unrounded model.
type ScoreTable struct {
	// Intercept is the log-odds at score 0.
	Intercept float64
	// PDO is the points to double the odds.
	PDO float64
}

// LogOdds returns Intercept + score · ln 2 / PDO.
func (t ScoreTable) LogOdds(score int) float64 {
	return t.Intercept + PointsToLogOdds(score, t.PDO)
}

// Probability returns the probability of the target at the given score, in (0,1).
func (t ScoreTable) Probability(score int) float64 {
	return sigmoid(t.LogOdds(score))
}

// ScoreFor returns the lowest score whose probability is at least p; it is
// the inverse of Probability:
//
//	score = ⌈(logit(p) − Intercept) · PDO / ln 2⌉
//
// p ≤ 0 gives math.MinInt32 and p ≥ 1 math.MaxInt32 (no finite score).
func (t ScoreTable) ScoreFor(p float64) int {
	if !(p > 0 && p < 1) {
		if p >= 1 {
			return math.MaxInt32
		}
		return math.MinInt32
	}
	s := (math.Log(p/(1-p)) - t.Intercept) * pdoOrDefault(t.PDO) / math.Ln2
	return int(math.Ceil(s - 1e-9))
}
