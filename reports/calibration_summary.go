package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/funnel-dev/funnel/calibrate"
)

// calibrationSummary is the page's opening paragraph: what is proposed, the
// MQLs a month and targets captured against today, and how sure the
// figures are, in words, from the numbers of r only.
func calibrationSummary(r *calibrate.Result) []string {
	t, d := r.Threshold, r.Decision
	out := []string{fmt.Sprintf("The proposed scoring makes a lead an MQL when its score reaches %s points, a threshold chosen by %s.",
		formatCount(t.Points), ruleWords(t.Rule, r.Options.ValueCostDefault))}
	if d.TestLeads == 0 {
		return append(out, "The test period has no leads, so there is nothing to check it on.")
	}
	var vol, won []string
	for _, c := range d.Comparisons {
		vol = append(vol, fmt.Sprintf("%s %s", formatNumber(c.Today.MQLsPerMonth, 1), basisName(c.Basis).words))
		won = append(won, fmt.Sprintf("%s %s", formatCount(c.Today.WinsCaptured), basisName(c.Basis).words))
	}
	s := fmt.Sprintf("On the %s leads of the test period (%s)%s it would have made %s MQLs a month",
		formatCount(d.TestLeads), strings.TrimPrefix(testPeriod(r), "leads created "), sampleWords(r), formatNumber(d.Proposed.MQLsPerMonth, 1))
	if len(vol) > 0 {
		s += ", against " + joinWords(vol)
	}
	out = append(out, s+".")
	s = fmt.Sprintf("Those MQLs include %s of the %s leads that %s (%s)", formatCount(d.Proposed.WinsCaptured),
		formatCount(d.Targets), targetVerb(r), formatPercent(d.Proposed.Recall))
	if len(won) > 0 {
		s += ", against " + joinWords(won)
	}
	out = append(out, s+".")
	if n := len(d.Comparisons); n > 0 {
		c := d.Comparisons[n-1]
		out = append(out, fmt.Sprintf("Switching from %s, %s leads would become MQLs (%s of them %s) and %s would stop being MQLs (%s of them %s).",
			basisName(c.Basis).noun, formatCount(c.Changed.NewMQLs), formatCount(c.Changed.NewMQLWins), targetVerb(r),
			formatCount(c.Changed.DroppedMQLs), formatCount(c.Changed.DroppedMQLWins), targetVerb(r)))
	}
	return append(out, confidenceWords(r))
}

// basisText is how the page names one of today's ways of choosing MQLs:
// after a count ("210.1 from today's MQL stage"), as a noun, and as a
// column heading.
type basisText struct{ words, noun, heading string }

// basisName returns the names of a comparison basis.
func basisName(basis string) basisText {
	switch basis {
	case calibrate.BasisMQLStage:
		return basisText{"from today's MQL stage", "today's MQL stage", "Today: MQL stage"}
	case calibrate.BasisCurrentModel:
		return basisText{"under the current scoring model", "the current scoring model", "Today: current scoring model"}
	}
	return basisText{basis, basis, basis}
}

// joinWords joins "a", "b", "c" as "a, b and c".
func joinWords(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// rankingWords says in words how well an AUC ranks leads.
func rankingWords(auc float64) string {
	switch {
	case math.IsNaN(auc) || auc == 0:
		return "cannot be judged"
	case auc < 0.6:
		return "barely better than chance"
	case auc < 0.7:
		return "somewhat better than chance"
	case auc < 0.8:
		return "well"
	case auc < 0.9:
		return "very well"
	}
	return "almost perfectly, which is rare enough to check for fields filled in after the outcome"
}

// calibrationWords says whether predicted rates came true on the test period,
// from the calibration-in-the-large z (observed − expected targets over
// their standard deviation): within ±2 they match.
func calibrationWords(z float64) string {
	switch {
	case z > 2:
		return "more leads reached the target than the score predicted: its probabilities run low"
	case z < -2:
		return "fewer leads reached the target than the score predicted: its probabilities run high"
	}
	return "the probabilities it gives matched what happened"
}

// confidenceWords is the summary's "how sure" sentence.
func confidenceWords(r *calibrate.Result) string {
	m := r.Metrics
	if m.AUCTest == 0 {
		return "The test period lacks leads of one outcome, so how well the score ranks leads cannot be judged."
	}
	return fmt.Sprintf("The score ranks leads %s: a lead that %s scores above one that did not %s of the time in the test period "+
		"(between %s and %s with 95%% confidence), and %s.", rankingWords(m.AUCTest), targetVerb(r), formatPercent(m.AUCTest),
		formatPercent(m.AUCTestCILow), formatPercent(m.AUCTestCIHigh), calibrationWords(m.CalibrationZ))
}

// sampleWords says, after a count of test leads, that they are a sample
// (" in the sample of 1 lead in every k"), or nothing when the run read
// every lead.
func sampleWords(r *calibrate.Result) string {
	if k := r.Leads.SampleEvery; k > 1 {
		return fmt.Sprintf(", in the sample of 1 lead in every %s,", formatCount(k))
	}
	return ""
}
