package calibrate

import (
	"errors"
	"math"
	"testing"
)

// Ten leads over 2 months, scores and outcomes:
//
//	score  30 30 20 20 20 10 10 0 0 0
//	won     1  1  1  0  0  1  0 0 0 0      (4 won)
//
// threshold 30: 2 MQLs (1/month), 2 won: precision 1, recall .5
// threshold 20: 5 MQLs (2.5/month), 3 won: precision .6, recall .75
// threshold 10: 7 MQLs (3.5/month), 4 won: precision 4/7, recall 1
// threshold  0: 10 MQLs (5/month), 4 won: precision .4, recall 1
// value 100, cost 20: EV/month = (won·100 − MQLs·20)/2 = (200−40)/2 = 80, (300−100)/2 = 100, (400−140)/2 = 130, (400−200)/2 = 100.
var (
	tradeScores = []int{30, 30, 20, 20, 20, 10, 10, 0, 0, 0}
	tradeWon    = []float64{1, 1, 1, 0, 0, 1, 0, 0, 0, 0}
)

func TestTradeoffCurve(t *testing.T) {
	want := []TradeoffPoint{
		{Points: 0, Probability: 0, MQLsPerMonth: 5, Precision: .4, Recall: 1, ExpectedValue: 100},
		{Points: 10, Probability: .5, MQLsPerMonth: 3.5, Precision: 4.0 / 7, Recall: 1, ExpectedValue: 130},
		{Points: 20, Probability: 1.0 / 3, MQLsPerMonth: 2.5, Precision: .6, Recall: .75, ExpectedValue: 100},
		{Points: 30, Probability: 1, MQLsPerMonth: 1, Precision: 1, Recall: .5, ExpectedValue: 80},
	}
	got := TradeoffCurve(tradeScores, tradeWon, nil, 2, 100, 20)
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Points != w.Points || math.Abs(g.Probability-w.Probability) > 1e-12 || math.Abs(g.MQLsPerMonth-w.MQLsPerMonth) > 1e-12 ||
			math.Abs(g.Precision-w.Precision) > 1e-12 || math.Abs(g.Recall-w.Recall) > 1e-12 || math.Abs(g.ExpectedValue-w.ExpectedValue) > 1e-9 {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	// Weights 2 on every row double the per-month counts and leave rates alone.
	w2 := make([]float64, len(tradeWon))
	for i := range w2 {
		w2[i] = 2
	}
	if got := TradeoffCurve(tradeScores, tradeWon, w2, 2, 100, 20); got[1].MQLsPerMonth != 7 || math.Abs(got[1].Precision-4.0/7) > 1e-12 {
		t.Errorf("weighted row = %+v", got[1])
	}
	if TradeoffCurve(tradeScores, tradeWon[:3], nil, 2, 0, 0) != nil {
		t.Error("mismatched lengths gave a curve")
	}
}

func TestChooseThreshold(t *testing.T) {
	curve := TradeoffCurve(tradeScores, tradeWon, nil, 2, 0, 0)
	tests := []struct {
		name string
		rule ThresholdRule
		want int
		err  error
	}{
		{"capacity 3/month → first ≤ 3 is 20 (2.5)", ThresholdRule{Capacity: 3}, 20, nil},
		{"capacity 3.5 → 10", ThresholdRule{Capacity: 3.5}, 10, nil},
		{"precision .55 → 10 (4/7 = .571)", ThresholdRule{Precision: .55}, 10, nil},
		{"precision .6 → 20", ThresholdRule{Precision: .6}, 20, nil},
		{"both → 20", ThresholdRule{Capacity: 10, Precision: .6}, 20, nil},
		{"value 100 cost 20 → 10 (EV 130)", ThresholdRule{Value: 100, Cost: 20}, 10, nil},
		// cost 50: (200−100)/2 = 50, (300−250)/2 = 25, (400−350)/2 = 25, (400−500)/2 = −50 → 30.
		{"value 100 cost 50 → 30", ThresholdRule{Value: 100, Cost: 50}, 30, nil},
		// F1: 30: 2·1·.5/1.5 = .667; 20: 2·.6·.75/1.35 = .667; 10: 2·(4/7)/(11/7) = 8/11 = .727; 0: .8/1.4 = .571 → 10.
		{"no rule → F1 → 10", ThresholdRule{}, 10, nil},
		{"capacity too small", ThresholdRule{Capacity: 0.5}, 0, ErrNoThreshold},
		{"precision too high", ThresholdRule{Precision: 1.0}, 30, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChooseThreshold(curve, tt.rule)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Points != tt.want {
				t.Errorf("threshold = %d, want %d", got.Points, tt.want)
			}
		})
	}
	if _, err := ChooseThreshold(nil, ThresholdRule{}); !errors.Is(err, ErrEmptyData) {
		t.Errorf("empty curve: err = %v", err)
	}
	if _, err := ChooseThreshold(curve, ThresholdRule{Precision: 2}); err == nil {
		t.Error("precision 2 accepted")
	}
	if n := (ThresholdRule{}).Name(); n != "f1" {
		t.Errorf("Name() = %q", n)
	}
}
