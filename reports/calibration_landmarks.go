package reports

import (
	"fmt"

	"github.com/funnel-dev/funnel/calibrate"
)

// landmarkSection shows the landmark snapshots the fit pooled: per age, the
// training snapshots, their targets and intercept, and the test AUC.
func landmarkSection(r *calibrate.Result, l Labels) (section, error) {
	s := section{ID: "landmarks", Title: "Leads looked at by age (landmarks)"}
	test := map[float64]calibrate.LandmarkMetrics{}
	for _, m := range r.Metrics.ByLandmark {
		test[m.Days] = m
	}
	t := table{Caption: "Snapshots per landmark age",
		Head:    []string{"Age (days)", "Training snapshots", "… reached the target", "Intercept (log-odds)", "Test snapshots", "… reached the target", "Test AUC", "95% CI"},
		Numeric: []bool{true, true, true, true, true, true, true, false}}
	for _, lm := range r.Landmarks {
		m := test[lm.Days]
		t.Rows = append(t.Rows, row{Cells: []cell{floatCell(lm.Days, 0), intCell(lm.Snapshots), intCell(lm.Positives),
			floatCell(lm.Intercept, 3), intCell(m.Snapshots), intCell(m.Positives), floatCell(m.AUC, 3),
			textCell(formatNumber(m.AUCCILow, 3) + "–" + formatNumber(m.AUCCIHigh, 3))}})
	}
	s.Intro = fmt.Sprintf("Every lead still with marketing was looked at when it was %s days old, using only what it had done by then. "+
		"All ages share the same weights; each has its own baseline (intercept), because leads still unqualified at a later age convert less. "+
		"The test AUC compares leads of the same age only.", fmtDays(r.Options.Landmarks))
	if len(r.Options.LandmarksDropped) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Ages left out: %s days. Too few leads that later reached the target were still with marketing at that age, so it says nothing about the target.",
			fmtDays(r.Options.LandmarksDropped)))
	}
	s.Tables, s.Stacked = []table{t}, true
	return s, nil
}

// leakSection names the features left out as possible leaks.
func leakSection(r *calibrate.Result, l Labels) (section, error) {
	s := section{ID: "leaks", Title: "Fields left out as possible leaks"}
	if len(r.ExcludedFeatures) == 0 {
		s.Intro = "No field looked filled in after the outcome: every feature asked for was fitted."
		return s, nil
	}
	s.Intro = "These fields look filled in after the outcome (for example by sales once a deal exists), so they would explain the past without predicting anything. They were left out of the fit. If a field is really known before the hand-over, it can be put back by name when calibrating again."
	t := table{Caption: "Fields left out", Head: []string{"Field", "Why"}, Numeric: []bool{false, false}}
	for _, x := range r.ExcludedFeatures {
		t.Rows = append(t.Rows, row{Cells: []cell{textCell(l.Feature(x.Feature)), textCell(x.Detail)}})
	}
	s.Tables, s.Stacked = []table{t}, true
	return s, nil
}
