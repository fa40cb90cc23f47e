package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"int small", fmtInt(999), "999"},
		{"int thousands", fmtInt(1234567), "1,234,567"},
		{"int negative", fmtInt(-12345), "-12,345"},
		{"float", fmtFloat(12345.678, 2), "12,345.68"},
		{"float negative", fmtFloat(-0.5, 1), "-0.5"},
		{"float rounds to zero", fmtFloat(-0.04, 1), "0.0"},
		{"float NaN", fmtFloat(math.NaN(), 1), dash},
		// 0.1234 → 12.34% → 12.3%
		{"pct", fmtPct(0.1234), "12.3%"},
		// 0.0255·100·10 = 25.5 → rounds half away from zero to 26 → 2.6%, as the charts do
		{"pct half", fmtPct(0.0255), "2.6%"},
		{"pct inf", fmtPct(math.Inf(1)), dash},
		{"signed plus", fmtSigned(1.25, 1), "+1.3"},
		{"signed minus", fmtSigned(-0.4, 2), "−0.40"},
		{"p tiny", fmtP(0.0004), "<0.001"},
		{"p", fmtP(0.0512), "0.051"},
		{"stage acronym", stageTitle("mql"), "MQL"},
		{"stage word", stageTitle("won"), "Won"},
		{"stage unicode", stageTitle("ágil"), "Ágil"},
		{"step", stepName("lead", "sql"), "Lead→SQL"},
		{"month", fmtMonth("2026-11"), "Nov 2026"},
		{"not a month", fmtMonth("(all)"), "(all)"},
		// 0.4 days · 24 = 9.6 hours
		{"duration hours", fmtDuration(0.4), "9.6 hours"},
		// 2.99 days · 24 = 71.76 → 71.8 hours, still under 3 days
		{"duration just under 3 days", fmtDuration(2.99), "71.8 hours"},
		{"duration days", fmtDuration(12.46), "12.5 days"},
		{"duration NaN", fmtDuration(math.NaN()), dash},
		{"count one", fmtCount(1, "lead"), "1 lead"},
		{"count many", fmtCount(4250, "lead"), "4,250 leads"},
		// 1058/4503 = 0.23495… → 23.5%
		{"of", fmtOf(1058, 4503), "23.5% (1,058 of 4,503)"},
		{"of empty", fmtOf(0, 0), dash},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
	if pct(0.0255) != 2.6 || pct(math.NaN()) != nil {
		t.Errorf("pct(0.0255) = %v, pct(NaN) = %v; want 2.6 and nil", pct(0.0255), pct(math.NaN()))
	}
}

func TestWriteJSON(t *testing.T) {
	type row struct {
		Channel string  `json:"channel"`
		Rate    float64 `json:"rate"`
	}
	v := map[string]any{"b": []row{{"<img src=x>", 0.5}}, "a": 1}
	var first, second bytes.Buffer
	if err := WriteJSON(&first, v); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&second, v); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": 1,\n  \"b\": [\n    {\n      \"channel\": \"<img src=x>\",\n      \"rate\": 0.5\n    }\n  ]\n}\n"
	if first.String() != want || second.String() != want {
		t.Errorf("WriteJSON =\n%s\nwant\n%s", first.String(), want)
	}
	if err := WriteJSON(&bytes.Buffer{}, map[string]float64{"x": math.NaN()}); err == nil {
		t.Error("WriteJSON(NaN) succeeded; want an error")
	}
}

// TestWriteJSONReport checks that the report and calibration results go
// through WriteJSON with the keys DESIGN.md promises.
func TestWriteJSONReport(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, funnelFixture()); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		ByChannel []map[string]any `json:"by_channel"`
		ByAction  []map[string]any `json:"by_action"`
		ByMonth   []map[string]any `json:"by_month"`
		Landmark  *float64         `json:"action_landmark_days"`
	}
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.ByChannel) != 4 || rep.ByChannel[2]["channel"] != hostile || rep.ByChannel[0]["mql"] == nil {
		t.Errorf("by_channel = %v", rep.ByChannel)
	}
	if len(rep.ByAction) != 4 || len(rep.ByMonth) != 14 || rep.ByMonth[0]["month"] != "2024-11" {
		t.Errorf("by_action has %d rows, by_month %d rows (first %v)", len(rep.ByAction), len(rep.ByMonth), rep.ByMonth[0]["month"])
	}
	if rep.Landmark == nil || *rep.Landmark != 4 {
		t.Errorf("action_landmark_days = %v, want 4", rep.Landmark)
	}
	if len(rep.ByAction) > 0 {
		lift, _ := rep.ByAction[0]["lift"].([]any)
		first, _ := lift[0].(map[string]any)
		for _, k := range []string{"stage", "with", "without", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value"} {
			if _, ok := first[k]; !ok {
				t.Errorf("by_action lift lacks %q: %v", k, first)
			}
		}
		if first["stage"] != "mql" {
			t.Errorf("first lift stage %v, want mql (the qualified stage itself)", first["stage"])
		}
	}
	b.Reset()
	if err := WriteJSON(&b, calibrationFixture()); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"target": "won"`, `"coefficients": [`, `"threshold": {`, `"auc_test": 0.78`} {
		if !strings.Contains(b.String(), key) {
			t.Errorf("calibration JSON lacks %s", key)
		}
	}
}
