package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"

	"github.com/funnel-dev/funnel/calibrate"
)

// TestAppendScoreRow: each line is what encoding/csv writes for the same
// fields, for plain rows and for lead ids and reasons that need quoting
// (commas, quotes, line breaks, a leading space, `\.`), a missing
// probability or age, and a lead with sales.
func TestAppendScoreRow(t *testing.T) {
	reasons := []calibrate.Reason{{Feature: "action:demo_request", Points: 14.6}, {Feature: "channel:referral", Points: 15}}
	odd := []calibrate.Reason{{Feature: `attr:title=VP, "Sales"`, Points: -3.4}, {Feature: "attr:note=a\nb", Points: 2}}
	space := []calibrate.Reason{{Feature: "attr: x", Points: 1}} // the name after the prefix starts with a space
	// top is the reasons field as written by hand: three at most, the kind
	// prefix dropped, points rounded with their sign.
	rows := []struct {
		s   calibrate.LeadScore
		top string
	}{
		{calibrate.LeadScore{LeadID: "L1", Score: 27, Probability: 0.0123456789, MQL: true, AgeDays: 3.14159, Reasons: reasons},
			"demo_request +15; referral +15"},
		{calibrate.LeadScore{LeadID: "L2", Score: -10, Probability: math.NaN(), AgeDays: math.NaN()}, ""},
		{calibrate.LeadScore{LeadID: "a,b", Score: 0, Probability: 1e-9, Handed: true, AgeDays: 0, Reasons: odd},
			"title=VP, \"Sales\" -3; note=a\nb +2"},
		{calibrate.LeadScore{LeadID: `say "hi"`, Score: 120, Probability: 0.5, AgeDays: 730, Reasons: space}, " x +1"},
		{calibrate.LeadScore{LeadID: " lead", Score: 1, Probability: 0.25, AgeDays: 1}, ""},
		{calibrate.LeadScore{LeadID: `\.`, Score: 2, Probability: 0.75, AgeDays: 2}, ""},
		{calibrate.LeadScore{LeadID: "line\r\nbreak", Score: 3, Probability: 1, AgeDays: 12.345}, ""},
		{calibrate.LeadScore{LeadID: "\u00a0nbsp", Score: 4, Probability: 0.1, AgeDays: 4}, ""},
		{calibrate.LeadScore{LeadID: "", Score: 5, Probability: 0.2, AgeDays: 5}, ""},
	}
	for _, r := range rows {
		s := r.s
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		prob, age := "", ""
		if !math.IsNaN(s.Probability) {
			prob = strconv.FormatFloat(s.Probability, 'g', 6, 64)
		}
		if !math.IsNaN(s.AgeDays) {
			age = strconv.FormatFloat(s.AgeDays, 'f', 2, 64)
		}
		status := "open"
		if s.Handed {
			status = "with_sales"
		}
		if err := cw.Write([]string{s.LeadID, strconv.Itoa(s.Score), prob, strconv.FormatBool(s.MQL), status, age, r.top}); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		if got := string(appendScoreRow([]byte("kept|"), s)); got != "kept|"+want.String() {
			t.Errorf("lead %q:\n got %q\nwant %q", s.LeadID, got, "kept|"+want.String())
		}
	}
}
