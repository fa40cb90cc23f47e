package calibrate

import (
	"math"
	"testing"
)

// TestPoints checks the scorecard scaling: with 10 points to double the odds,
// coef ln 2 = 0.693147 → 10 points; ln 3 = 1.098612 → 10·1.5849625 = 15.85 → 16;
// −0.5 → −0.5·10/0.693147 = −7.21 → −7; 0.0346574 (= ln2/20) → 0.5 → 1 (half away from zero).
func TestPoints(t *testing.T) {
	tests := []struct {
		coef, pdo float64
		want      int
	}{
		{math.Ln2, 10, 10},
		{math.Log(3), 10, 16},
		{-0.5, 10, -7},
		{math.Ln2 / 20, 10, 1},
		{math.Ln2, 0, 10},  // default scale
		{math.Ln2, 20, 20}, // 20 points double the odds
		{1, 50, 72},        // 50/0.693147 = 72.13
		{0, 10, 0},
	}
	for _, tt := range tests {
		if got := Points(tt.coef, tt.pdo); got != tt.want {
			t.Errorf("Points(%v, %v) = %d, want %d", tt.coef, tt.pdo, got, tt.want)
		}
	}
	if got := PointsToLogOdds(20, 10); math.Abs(got-2*math.Ln2) > 1e-15 {
		t.Errorf("PointsToLogOdds(20, 10) = %v, want 2 ln 2", got)
	}
}

// TestScoreTable: intercept −ln 9 means p = 0.1 at score 0; +10 points
// doubles the odds 1/9 → 2/9, p = 2/11; −10 points halves them, p = 1/19.
func TestScoreTable(t *testing.T) {
	st := ScoreTable{Intercept: -math.Log(9), PDO: 10}
	for _, tt := range []struct {
		score int
		want  float64
	}{{0, 0.1}, {10, 2.0 / 11}, {-10, 1.0 / 19}, {30, 8.0 / 17}} {
		if got := st.Probability(tt.score); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Probability(%d) = %v, want %v", tt.score, got, tt.want)
		}
	}
	// 2/11 is reached at exactly 10 points; just above it needs 11.
	if got := st.ScoreFor(2.0 / 11); got != 10 {
		t.Errorf("ScoreFor(2/11) = %d, want 10", got)
	}
	if got := st.ScoreFor(2.0/11 + 1e-6); got != 11 {
		t.Errorf("ScoreFor(2/11+) = %d, want 11", got)
	}
}
