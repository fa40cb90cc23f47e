package calibrate

import (
	"reflect"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	jan := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	// Six test leads; a, c, e reached the target. The team's MQL stage holds
	// a, b, f; the proposed model (threshold 15) makes a, c, e MQLs.
	l := &Leads{
		IDs:       []string{"a", "b", "c", "d", "e", "f"},
		Created:   []time.Time{jan, jan, jan, jan, jan, jan},
		Label:     []float64{1, 0, 1, 0, 1, 0},
		Qualified: []bool{true, true, false, false, false, true},
	}
	res := &Result{Options: ResultOptions{TestMonths: 2}, Threshold: Threshold{Points: 15}}
	bt := &Backtest{Current: BacktestTotals{Threshold: 80, MQLs: 1, MQLsPerMonth: 0.5, WinsCaptured: 1, Precision: 1, Recall: 1.0 / 3},
		Changed: ChangedSide{NewMQLs: 2, NewMQLWins: 2, Sample: []ChangedLead{{LeadID: "c"}}}}
	decide(res, l, []int{0, 1, 2, 3, 4, 5}, []int{20, 0, 20, 0, 20, 0}, bt)
	d := res.Decision
	// Proposed: 3 MQLs over 2 months = 1.5 a month, all 3 won: precision
	// 3/3, recall 3/3 targets.
	if want := (BacktestTotals{Threshold: 15, MQLs: 3, MQLsPerMonth: 1.5, WinsCaptured: 3, Precision: 1, Recall: 1}); d.Proposed != want {
		t.Errorf("proposed %+v, want %+v", d.Proposed, want)
	}
	if d.TestLeads != 6 || d.Targets != 3 {
		t.Errorf("test leads %d, targets %d; want 6, 3", d.TestLeads, d.Targets)
	}
	// MQL stage: a, b, f = 3 MQLs (1.5 a month), 1 won (a): precision 1/3,
	// recall 1/3. Switching: c, e join (both won); b, f leave (neither won).
	want := []Comparison{
		{Basis: BasisMQLStage,
			Today:   BacktestTotals{MQLs: 3, MQLsPerMonth: 1.5, WinsCaptured: 1, Precision: 1.0 / 3, Recall: 1.0 / 3},
			Changed: ChangedSide{NewMQLs: 2, NewMQLWins: 2, DroppedMQLs: 2, Sample: []ChangedLead{}}},
		{Basis: BasisCurrentModel, Today: bt.Current,
			Changed: ChangedSide{NewMQLs: 2, NewMQLWins: 2, Sample: []ChangedLead{}}},
	}
	if !reflect.DeepEqual(d.Comparisons, want) {
		t.Errorf("comparisons\n%+v\nwant\n%+v", d.Comparisons, want)
	}

	// No MQL stage in the data and no current model: nothing to compare.
	l.Qualified = []bool{false, false, false, false, false, false}
	decide(res, l, []int{0, 1, 2, 3, 4, 5}, []int{20, 0, 20, 0, 20, 0}, nil)
	if len(res.Decision.Comparisons) != 0 || res.Decision.Comparisons == nil {
		t.Errorf("comparisons %+v, want an empty list", res.Decision.Comparisons)
	}
}
