package analysis

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWilson(t *testing.T) {
	// Hand values (z = 1.959964, z² = 3.841459):
	//   5/10: centre (0.5+0.192073)/1.384146 = 0.5, half 1.416010·sqrt(0.025+0.009604)
	//         = 0.263410 → [0.2366, 0.7634] (Agresti & Coull 1998 style example)
	//   0/10: centre 0.192073/1.384146 = 0.138767, half 1.416010·sqrt(0.009604) = 0.138767
	//         → [0, 0.2775]
	//   10/10: mirror of 0/10 → [0.7225, 1]
	//   1/5:  [0.0362, 0.6245] (see TestTotalsAndChannels)
	tests := []struct {
		num, den  int64
		rate      float64
		low, high float64
	}{
		{5, 10, 0.5, 0.2366, 0.7634},
		{0, 10, 0, 0, 0.2775},
		{10, 10, 1, 0.7225, 1},
		{1, 5, 0.2, 0.0362, 0.6245},
		{0, 0, 0, 0, 1},
	}
	for _, tt := range tests {
		p := Wilson(tt.num, tt.den)
		if p.Num != tt.num || p.Den != tt.den || !near(p.Rate, tt.rate, 1e-12) ||
			!near(p.Low, tt.low, 5e-5) || !near(p.High, tt.high, 5e-5) {
			t.Errorf("Wilson(%d,%d) = %+v, want %v [%v, %v]", tt.num, tt.den, p, tt.rate, tt.low, tt.high)
		}
	}
}

func TestTwoProportionZTest(t *testing.T) {
	// 45/100 vs 30/100: pooled 0.375, se = sqrt(0.375·0.625·0.02) = 0.0684653,
	// z = 0.15/0.0684653 = 2.190890, p = erfc(2.190890/√2) = 0.028459
	// (python math.erfc; R prop.test(c(45,30), c(100,100), correct=FALSE)$p.value).
	p, ok := TwoProportionZTest(45, 100, 30, 100)
	if !ok || !near(p, 0.028459, 1e-6) {
		t.Errorf("p = %v %v, want 0.028459", p, ok)
	}
	if _, ok := TwoProportionZTest(0, 10, 0, 20); ok {
		t.Error("all zero should not be testable")
	}
	if _, ok := TwoProportionZTest(1, 0, 0, 20); ok {
		t.Error("empty side should not be testable")
	}
}

func TestRateRatioCI(t *testing.T) {
	// 2/3 against 1/2: r = 4/3, se(ln r) = sqrt(1/2 − 1/3 + 1/1 − 1/2) =
	// 0.816497, z·se = 1.600305 → (4/3)·exp(∓1.600305) = [0.269114, 6.606050].
	// 30/100 against 20/100: r = 1.5, se = sqrt(1/30 − 1/100 + 1/20 − 1/100)
	// = sqrt(0.063333) = 0.251661, z·se = 0.493247 → 1.5·exp(∓0.493247) (python
	// math.exp) = [0.915961, 2.456437].
	for _, tt := range []struct {
		x1, n1, x2, n2 int64
		low, high      float64
	}{
		{2, 3, 1, 2, 0.269114, 6.606050},
		{30, 100, 20, 100, 0.915961, 2.456437},
	} {
		lo, hi, ok := RateRatioCI(tt.x1, tt.n1, tt.x2, tt.n2)
		if !ok || !near(lo, tt.low, 1e-6) || !near(hi, tt.high, 1e-6) {
			t.Errorf("RateRatioCI(%d/%d, %d/%d) = [%v, %v] %v, want [%v, %v]", tt.x1, tt.n1, tt.x2, tt.n2, lo, hi, ok, tt.low, tt.high)
		}
	}
	// A zero count leaves the log undefined; so does an empty side.
	for _, c := range [][4]int64{{0, 3, 1, 2}, {2, 3, 0, 2}, {1, 0, 1, 2}, {1, 2, 1, 0}} {
		if _, _, ok := RateRatioCI(c[0], c[1], c[2], c[3]); ok {
			t.Errorf("RateRatioCI%v ok, want not computable", c)
		}
	}
}

func TestFunnelJSONFlatKeys(t *testing.T) {
	f := histogram{
		{maxIdx: 2, maxIdxW: 1}:                             3,
		{maxIdx: 0, maxIdxW: 0, immature: true, open: true}: 1,
	}.funnel([]string{"lead", "mql", "won"})
	b, err := json.Marshal(ChannelRow{Channel: "web", Funnel: f})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	// 4 leads, 3 reached mql and won; 3 mature; 1 open.
	for k, v := range map[string]float64{"lead": 4, "mql": 3, "won": 3, "mature_leads": 3, "open_leads": 1, "open_share": 0.25, "base": 3} {
		if m[k] != v {
			t.Errorf("%s = %v, want %v in %s", k, m[k], v, b)
		}
	}
	if m["channel"] != "web" || m["immature"] != true {
		t.Errorf("channel/immature wrong in %s", b)
	}
	if !strings.HasPrefix(string(b), `{"channel":"web","lead":4,"mql":3,"won":3,`) {
		t.Errorf("key order: %s", b)
	}
	conv := m["conversion"].([]any)
	won := conv[1].(map[string]any)
	if won["stage"] != "won" || won["converted"] != 0.0 {
		t.Errorf("won conversion = %v", won)
	}
	b, _ = json.Marshal(PeriodRow{Month: "2025-01", Entries: StageCounts{{"lead", 2}, {"mql", 1}}})
	if string(b) != `{"month":"2025-01","lead":2,"mql":1,"partial":false}` {
		t.Errorf("period row = %s", b)
	}
}

func TestStageModelValidation(t *testing.T) {
	bad := []StageModel{
		{Stages: []string{"lead"}},
		{Stages: []string{"lead", "mql", "lead"}},
		{Stages: []string{"lead", "MQL", "mql"}},
		{Stages: []string{"lead", "channel"}},
		{Stages: []string{"lead", "mql"}, Qualified: "lead"},
		{Stages: []string{"lead", "mql", "won"}, Recycle: []string{"mql"}},
	}
	for _, m := range bad {
		if _, err := m.normalized(); err == nil {
			t.Errorf("%+v accepted", m)
		}
	}
	m, err := StageModel{}.normalized()
	if err != nil || m.Qualified != "mql" || len(m.Stages) != 6 || len(m.Recycle) != 2 {
		t.Errorf("default = %+v %v", m, err)
	}
}
