package reports

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/funnel-dev/funnel/calibrate"
)

// calibrationConstants are the numbers the evidence page may print that are not
// figures of calibration.json, each with why.
var calibrationConstants = map[string]string{
	"95%": "the confidence level of every interval",
}

// calibrationSkipRE matches the parts of the evidence page that are not
// figures: the Definitions section (fixed rules in words) and the footer
// (the charting library's version).
var calibrationSkipRE = regexp.MustCompile(`(?s)<section id="definitions">.*?</section>|<footer>.*?</footer>`)

// calibrationNumberRules are how the evidence page prints the figures of
// calibration.json.
func calibrationNumberRules() pageNumberRules {
	return pageNumberRules{
		skip:        calibrationSkipRE,
		constants:   calibrationConstants,
		extraForms:  calibrationExtraForms,
		stringForms: calibrationStringForms,
	}
}

// calibrationExtraForms returns the forms of v the evidence page prints
// beyond commonNumberForms: no decimal, and three or four (coefficients,
// scores, thresholds).
func calibrationExtraForms(v float64) []string {
	return []string{formatNumber(v, 0), formatNumber(v, 3), formatNumber(v, 4)}
}

// calibrationStringForms returns the dates and months the evidence page
// prints for a JSON string s (the date and month of an RFC 3339 timestamp,
// a YYYY-MM month as "Jan 2006") and, when s holds digits, the texts of it
// to take out of the page: s as it is, as a label and as a feature, and
// what follows its ":" or "=" (a name from the data, a warning).
func calibrationStringForms(s string) (dates, texts []string) {
	if ts, err := time.Parse(time.RFC3339, s); err == nil {
		dates = append(dates, formatDate(ts), formatMonth(ts))
	}
	if m, err := time.Parse("2006-01", s); err == nil {
		dates = append(dates, formatMonth(m))
	}
	if strings.ContainsAny(s, "0123456789") {
		texts = append(texts, s, Labels(nil).Name(s), Labels(nil).Feature(s))
		for _, sep := range []string{":", "="} {
			if _, after, ok := strings.Cut(s, sep); ok {
				texts = append(texts, after)
			}
		}
	}
	return dates, texts
}

// TestCalibrationNumbersFromJSON walks every number printed on the evidence
// page (its text, and the titles, axis names, labels and tooltips of its
// charts) and finds each in calibration.json, formatted as the page formats
// numbers. Names from the data (which may hold digits) are taken out first;
// the Definitions section and the footer are skipped.
func TestCalibrationNumbersFromJSON(t *testing.T) {
	for name, r := range map[string]*calibrate.Result{
		"fixture":      calibrationFixture(),
		"no backtest":  withoutBacktest(calibrationFixture()),
		"many columns": bigCalibrationFixture(20, 50),
	} {
		t.Run(name, func(t *testing.T) {
			var page, js bytes.Buffer
			if err := WriteCalibration(&page, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			checkPageNumbersInJSON(t, page.String(), js.Bytes(), calibrationNumberRules())
		})
	}
}

// TestCalibrationNumbersCatchesInvented is the negative control: a page
// that shows a figure not in the JSON (here, an MQL count off by one) is
// caught.
func TestCalibrationNumbersCatchesInvented(t *testing.T) {
	r := calibrationFixture()
	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	r.Decision.Proposed.MQLs = 591 // the JSON says 590
	var page bytes.Buffer
	if err := WriteCalibration(&page, r, Options{}); err != nil {
		t.Fatal(err)
	}
	problems, _ := numbersNotInJSON(t, page.String(), js.Bytes(), calibrationNumberRules())
	if !strings.Contains(strings.Join(problems, "\n"), `"591"`) {
		t.Errorf("a page showing 591 MQLs where the JSON has 590 passed the number walk; reported:\n%s", strings.Join(problems, "\n"))
	}
}

// withoutBacktest returns r without its backtest and the comparison made
// from it, as a run with too little history writes it.
func withoutBacktest(r *calibrate.Result) *calibrate.Result {
	r.Backtest = nil
	r.Decision.Comparisons = r.Decision.Comparisons[:1]
	return r
}
