package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/analysis"
	"github.com/funnel-dev/funnel/calibrate"
)

// TestSparseResults renders results with little or nothing in them: the
// writers must still produce a whole page and never fail or panic.
func TestSparseResults(t *testing.T) {
	funnels := map[string]*analysis.Report{
		"zero report":     {},
		"two stages only": {Stages: []string{"lead", "won"}, Qualified: "won", WindowDays: 30},
		"no activity": func() *analysis.Report {
			r := funnelFixture()
			r.ByAction, r.ByMonth, r.Period, r.Comparison, r.ByChannel = nil, nil, nil, nil, nil
			r.TimeInStage, r.Recycling = analysis.TimeInStage{}, analysis.Recycling{}
			return r
		}(),
		"young cohort only": func() *analysis.Report {
			r := funnelFixture()
			r.ByMonth = r.ByMonth[len(r.ByMonth)-1:]
			r.Comparison.Immature = true
			return r
		}(),
	}
	for name, r := range funnels {
		t.Run("funnel/"+name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteFunnel(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(b.String(), "</html>\n") {
				t.Error("page not complete")
			}
		})
	}
	cals := map[string]*calibrate.Result{
		"zero result": {},
		"no curves": func() *calibrate.Result {
			r := calibrationFixture()
			r.ROC, r.Gains, r.CalibrationCurve, r.Tradeoff, r.HalfLifeCurve, r.Coefficients = nil, nil, nil, nil, nil, nil
			r.Backtest = &calibrate.Backtest{}
			r.Fit.Converged = false
			return r
		}(),
	}
	for name, r := range cals {
		t.Run("calibration/"+name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCalibration(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(b.String(), "</html>\n") {
				t.Error("page not complete")
			}
		})
	}
}
