package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportAdjustedEffects: with --calibration, each by_action row of an
// action the calibration fitted carries its weight as an odds ratio with
// the weight's interval; a file that is no calibration is refused, and so
// is writing over the calibration.
func TestReportAdjustedEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and calibrates 3000 leads")
	}
	db := generatedDB(t, 3000)
	dir := t.TempDir()
	cal := filepath.Join(dir, "calibration.json")
	if code, _, stderr := runCLI(t, "calibrate", "--db", db, "--out", filepath.Join(dir, "model.yaml"), "--json", cal); code != exitOK {
		t.Fatalf("calibrate: exit %d; stderr %q", code, stderr)
	}
	var calDoc struct {
		Coefficients []struct {
			Feature string
			Weight  float64
			CILow   float64 `json:"ci_low"`
			CIHigh  float64 `json:"ci_high"`
		}
	}
	readJSON(t, cal, &calDoc)
	weights := map[string][3]float64{}
	for _, c := range calDoc.Coefficients {
		if name, ok := strings.CutPrefix(c.Feature, "action:"); ok {
			weights[name] = [3]float64{c.Weight, c.CILow, c.CIHigh}
		}
	}
	if len(weights) < 3 {
		t.Fatalf("the calibration fitted %d actions; the test needs several", len(weights))
	}
	out := filepath.Join(dir, "report.json")
	code, _, stderr := runCLI(t, "report", "--db", db, "--json", out, "--calibration", cal)
	if code != exitOK {
		t.Fatalf("report: exit %d; stderr %q", code, stderr)
	}
	var rep struct {
		ByAction []struct {
			Action   string
			Adjusted *struct {
				OddsRatio float64 `json:"odds_ratio"`
				CILow     float64 `json:"ci_low"`
				CIHigh    float64 `json:"ci_high"`
				Target    string
			}
		} `json:"by_action"`
	}
	readJSON(t, out, &rep)
	seen := 0
	for _, row := range rep.ByAction {
		w, fitted := weights[row.Action]
		if !fitted {
			if row.Adjusted != nil {
				t.Errorf("%s: adjusted effect %+v for an action the calibration did not fit", row.Action, *row.Adjusted)
			}
			if !strings.Contains(stderr, row.Action) {
				t.Errorf("stderr %q does not name %s, which has no weight", stderr, row.Action)
			}
			continue
		}
		seen++
		a := row.Adjusted
		if a == nil {
			t.Errorf("%s: no adjusted effect, though the calibration has weight %g", row.Action, w[0])
			continue
		}
		if math.Abs(a.OddsRatio-math.Exp(w[0])) > 1e-12*a.OddsRatio || math.Abs(a.CILow-math.Exp(w[1])) > 1e-12*a.CILow ||
			math.Abs(a.CIHigh-math.Exp(w[2])) > 1e-12*a.CIHigh || a.Target != "won" {
			t.Errorf("%s: adjusted %+v, want exp of weight %v", row.Action, *a, w)
		}
	}
	if seen == 0 {
		t.Fatal("no by_action row had a fitted action")
	}

	notCal := filepath.Join(dir, "other.json")
	if err := os.WriteFile(notCal, []byte(`{"by_channel": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "report", "--db", db, "--json", filepath.Join(dir, "r2.json"), "--calibration", notCal); code != exitFailure ||
		!strings.Contains(stderr, "not a calibration.json") {
		t.Errorf("a report.json as --calibration: exit %d, stderr %q", code, stderr)
	}
	before, _ := os.ReadFile(cal)
	if code, _, stderr := runCLI(t, "report", "--db", db, "--json", cal, "--calibration", cal); code == exitOK {
		t.Errorf("--json over the --calibration file succeeded; stderr %q", stderr)
	}
	if after, _ := os.ReadFile(cal); string(after) != string(before) {
		t.Error("the calibration file was changed by a refused report")
	}
}
