package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/calibrate"
)

// TestCalibrationNumericFeatures: a calibration with numeric features
// names its bins on the page under plain names (a value sum marked as such) and explains how
// numbers entered, for each mode.
func TestCalibrationNumericFeatures(t *testing.T) {
	for mode, want := range map[string]string{
		calibrate.NumericBins:    "merged until the target",
		calibrate.NumericBinsRaw: "each with at least 5% of the training leads; each range",
		calibrate.NumericLinear:  "its points are per unit",
	} {
		r := calibrationFixture()
		r.Options.Numeric = mode
		r.Options.NumericFeatures = []string{"attr:minutes", "value:webinar"}
		r.Coefficients = append(r.Coefficients,
			calibrate.Coefficient{Feature: "attr:minutes=[5,60)", Weight: 0.4, SE: 0.1, Points: 12},
			calibrate.Coefficient{Feature: "value:webinar=[20,30)", Weight: 0.2, SE: 0.1, Points: 6})
		var buf bytes.Buffer
		if err := WriteCalibration(&buf, r, Options{}); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		for _, s := range []string{"Minutes: [5,60)", "Value of webinar: [20,30)", "Numeric feature", want} {
			if !strings.Contains(page, s) {
				t.Errorf("%s: the page lacks %q", mode, s)
			}
		}
	}
	// Without numeric features the definition is not there (the goldens
	// stay as they are).
	var buf bytes.Buffer
	if err := WriteCalibration(&buf, calibrationFixture(), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Numeric feature") {
		t.Error("a calibration without numeric features explains them")
	}
}
