package reports

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/funnel-dev/funnel/calibrate"
)

// TestCalibrationRandomSplit checks that a page of a run split at random
// says so and does not claim an out-of-time test.
func TestCalibrationRandomSplit(t *testing.T) {
	r := calibrationFixture()
	r.Options.Split, r.Options.Seed, r.Options.TestShare = calibrate.SplitRandom, 7, 0.25
	var b bytes.Buffer
	if err := WriteCalibration(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(b.String())
	want := "tested on " + fmtInt(r.Leads.Test) + " others drawn at random (25.0% of leads, seed 7), not out of time"
	if !strings.Contains(page, want) {
		t.Errorf("page lacks %q", want)
	}
	if strings.Contains(page, "tested out of time") || strings.Contains(page, "checked on the newest ones") {
		t.Error("a page of a random split claims an out-of-time test")
	}
	// The fixture's own split is by time: the page says out of time.
	b.Reset()
	r.Options.Split = calibrate.SplitTime
	if err := WriteCalibration(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.UnescapeString(b.String()), "tested out of time") {
		t.Error("a page of a time split does not say out of time")
	}
}
