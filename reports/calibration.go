package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funnel-dev/funnel/calibrate"
)

// Options are the page-level settings of a dashboard.
type Options struct {
	// Title is the page title; empty gives a default naming the page.
	Title string
	// GeneratedAt is shown as "Generated …" under the title, verbatim (for
	// example "2025-07-01 09:00 UTC"). The writers never read the clock, so
	// the same inputs always give the same bytes; empty shows nothing.
	GeneratedAt string
	// SLADays is the team's response-time target from MQL to first sales
	// touch, in days, drawn on the speed-to-lead chart. 0 draws a one-day
	// line labelled as a reference, not as the team's own SLA.
	SLADays float64
}

// WriteCalibration writes the calibration evidence page for r to w: one
// self-contained HTML file (echarts inlined, no network) with the
// coefficient forest plot, calibration curve, ROC and gains, the threshold
// trade-off with the chosen threshold, the backtest against the current
// model, the decay likelihood curve, warnings and definitions. Every chart
// has its numbers in a table. It returns ErrNoResult when r is nil.
func WriteCalibration(w io.Writer, r *calibrate.Result, o Options) error {
	if r == nil {
		return ErrNoResult
	}
	p := page{
		Title:       o.Title,
		GeneratedAt: o.GeneratedAt,
		Subtitle:    calibrationSubtitle(r),
		Warnings:    calibrationWarnings(r),
		Cards:       calibrationCards(r),
		Definitions: calibrationDefinitions(r),
	}
	if p.Title == "" {
		p.Title = "Lead scoring calibration evidence"
	}
	builders := []func(*calibrate.Result) (section, error){
		coefficientSection,
		leakSection,
		landmarkSection,
		calibrationCurveSection,
		rocGainsSection,
		tradeoffSection,
		backtestSection,
		decaySection,
		settingsSection,
	}
	for _, b := range builders {
		s, err := b(r)
		if err != nil {
			return fmt.Errorf("calibration page: %w", err)
		}
		p.Sections = append(p.Sections, s)
	}
	return writePage(w, p)
}

// targetWord names the target in plain words.
func targetWord(r *calibrate.Result) string {
	switch r.Target {
	case "sql":
		return "reaching SQL"
	case "won":
		return "a closed-won deal"
	default:
		return r.Target
	}
}

// period describes a time range of lead creation.
func period(from, to time.Time) string {
	if from.IsZero() && to.IsZero() {
		return "period not recorded"
	}
	return "leads created " + fmtDate(from) + " to " + fmtDate(to)
}

func trainPeriod(r *calibrate.Result) string { return period(r.Options.TrainFrom, r.Options.TrainTo) }

func testPeriod(r *calibrate.Result) string { return period(r.Options.TestFrom, r.Options.TestTo) }

func calibrationSubtitle(r *calibrate.Result) string {
	if r.Options.Split == calibrate.SplitRandom {
		return fmt.Sprintf("Target: %s within %s days of lead creation. Fitted on %s leads; tested on %s others drawn at random (%s of leads, seed %d), not out of time. Data up to %s.",
			targetWord(r), fmtFloat(r.Options.HorizonDays, 0), fmtInt(r.Leads.Train), fmtInt(r.Leads.Test),
			fmtPct(r.Options.TestShare), r.Options.Seed, fmtDate(r.Options.DataEnd))
	}
	return fmt.Sprintf("Target: %s within %s days of lead creation. Fitted on %s; tested out of time on %s. Data up to %s.",
		targetWord(r), fmtFloat(r.Options.HorizonDays, 0), trainPeriod(r), testPeriod(r), fmtDate(r.Options.DataEnd))
}

func calibrationWarnings(r *calibrate.Result) []string {
	out := append([]string(nil), r.Warnings...)
	if !r.Fit.Converged {
		out = append(out, fmt.Sprintf("The fit did not converge after %d iterations: weights and intervals are unreliable.", r.Fit.Iterations))
	}
	if r.ExcludedImmature > 0 {
		out = append(out, fmt.Sprintf("%s leads were left out because their %s-day outcome window had not closed yet (immature).",
			fmtInt(r.ExcludedImmature), fmtFloat(r.Options.HorizonDays, 0)))
	}
	return out
}

func calibrationCards(r *calibrate.Result) []card {
	m, t := r.Metrics, r.Threshold
	return []card{
		{Label: "AUC, test period", Value: fmtFloat(m.AUCTest, 3),
			Detail: fmt.Sprintf("95%% CI %s–%s; training %s; in whole points %s (%s points double the odds)", fmtFloat(m.AUCTestCILow, 3), fmtFloat(m.AUCTestCIHigh, 3),
				fmtFloat(m.AUCTrain, 3), fmtFloat(m.AUCTestPoints, 3), fmtFloat(r.Options.PointsToDoubleOdds, 0))},
		{Label: "Brier score, test period", Value: fmtFloat(m.Brier, 4),
			Detail: fmt.Sprintf("log loss %s; base rate %s", fmtFloat(m.LogLoss, 4), fmtPct(m.BaseRateTest))},
		{Label: "Leads, training / test", Value: fmtInt(r.Leads.Train) + " / " + fmtInt(r.Leads.Test),
			Detail: fmt.Sprintf("seen at %s snapshots (one per landmark age still with marketing); %s / %s of them reached the target",
				fmtInt(m.NTrain)+" / "+fmtInt(m.NTest), fmtInt(m.PositivesTrain), fmtInt(m.PositivesTest))},
		{Label: "Proposed MQL threshold", Value: fmt.Sprintf("%d points", t.Points),
			Detail: fmt.Sprintf("probability %s at the threshold; rule: %s", fmtPct(t.Probability), ruleWords(t.Rule, r.Options.ValueCostDefault))},
		{Label: "MQLs per month at threshold", Value: fmtFloat(t.MQLsPerMonth, 1),
			Detail: fmt.Sprintf("precision %s, recall %s", fmtPct(t.Precision), fmtPct(t.Recall))},
		todayCard(r),
		evCard(r),
	}
}

// todayCard sets the team's own MQLs of the test leads beside the proposed ones.
func todayCard(r *calibrate.Result) card {
	t := r.Threshold
	if t.TodayMQLsPerMonth == 0 {
		return card{Label: "MQLs per month today", Value: "no MQL stage",
			Detail: "the stage history has no MQL entries to compare with"}
	}
	return card{Label: "MQLs per month today", Value: fmtFloat(t.TodayMQLsPerMonth, 1),
		Detail: fmt.Sprintf("the same test leads that entered MQL; precision %s (proposed: %s at %s)",
			fmtPct(t.TodayPrecision), fmtFloat(t.MQLsPerMonth, 1), fmtPct(t.Precision))}
}

// hasValue reports whether the run was given a value per target or a cost
// per MQL; without them expected value is 0 everywhere and not shown.
func hasValue(r *calibrate.Result) bool { return r.Options.Value != 0 || r.Options.Cost != 0 }

func evCard(r *calibrate.Result) card {
	if !hasValue(r) {
		return card{Label: "Expected value per month", Value: "not set",
			Detail: "give the value of a won target and the cost of an MQL to weigh them"}
	}
	if r.Options.ValueCostDefault {
		return card{Label: "Targets per month beyond random", Value: fmtFloat(r.Threshold.ExpectedValue, 1),
			Detail: fmt.Sprintf("default value 1 per target, cost %s per MQL (the training target rate); give --value and --cost for money",
				fmtFloat(r.Options.Cost, 4))}
	}
	return card{Label: "Expected value per month", Value: fmtFloat(r.Threshold.ExpectedValue, 0),
		Detail: fmt.Sprintf("value %s per target, cost %s per MQL", fmtFloat(r.Options.Value, 0), fmtFloat(r.Options.Cost, 0))}
}

func ruleWords(rule string, defaultValue bool) string {
	switch rule {
	case "capacity":
		return "sales capacity"
	case "precision":
		return "target precision"
	case "expected_value":
		if defaultValue {
			return "highest expected value at the default value and cost (best separation: Youden's J)"
		}
		return "highest expected value"
	case "f1":
		return "best balance of precision and recall (F1)"
	case "today_volume":
		return "keep today's MQL volume"
	default:
		return rule
	}
}

// sortedCoefficients returns the coefficients ordered by weight, largest
// first, ties by feature name, so the forest plot reads top-down.
func sortedCoefficients(cs []calibrate.Coefficient) []calibrate.Coefficient {
	out := append([]calibrate.Coefficient(nil), cs...)
	sort.SliceStable(out, func(i, j int) bool {
		wi, wj := out[i].Weight, out[j].Weight
		if wi != wj && !math.IsNaN(wi) && !math.IsNaN(wj) {
			return wi > wj
		}
		return out[i].Feature < out[j].Feature
	})
	return out
}

// featureLabel turns "action:demo_request" into "demo_request (action)".
func featureLabel(f string) string {
	kind, name, ok := strings.Cut(f, ":")
	if !ok {
		return f
	}
	switch kind {
	case "action", "channel":
		return name + " (" + kind + ")"
	case "attr":
		return name
	}
	return f
}

func calibrationDefinitions(r *calibrate.Result) []definition {
	o := r.Options
	return []definition{
		{"Target", fmt.Sprintf("What the model predicts: %s within %s days of the lead's creation (the outcome window).", targetWord(r), fmtFloat(o.HorizonDays, 0))},
		{"Landmark snapshot", fmt.Sprintf("Each lead is looked at when it is %s days old, as long as it is still with marketing (no sales stage, not closed) and the moment is inside the data. Only what it did before that moment counts, decayed from that moment: what a live score sees. The moment never depends on the outcome, so winners reaching sales sooner cannot make their windows shorter.", fmtDays(o.Landmarks))},
		{"Possible leak", "A field that looks filled in after the outcome (a value converting at 99% or more, a field filled in mostly for winners, or one that alone separates winners almost perfectly). It is left out of the fit and named here."},
		{"Immature lead", "A lead whose outcome window has not closed by the end of the data. It may still convert, so it is left out rather than counted as a failure."},
		{"Training and test period", splitWords(o.Split)},
		{"Weight", "The logistic-regression coefficient: how much one more of that action (or being in that channel rather than the baseline) changes the log-odds of the target. exp(weight) is the odds ratio."},
		{"95% confidence interval", "The range of weights compatible with the data (weight ± 1.96 standard errors). An interval that crosses 0 means the data cannot tell whether the feature helps."},
		{"Points", fmt.Sprintf("The weight on the score scale: %s points double the odds of the target.", fmtFloat(o.PointsToDoubleOdds, 0))},
		{"Calibration", "Whether predicted probabilities come true: of leads predicted at 20%, about 20% should reach the target."},
		{"AUC", "The chance that a random lead that reached the target scores above a random lead that did not; 0.5 is guessing, 1 is perfect."},
		{"Precision and recall", "Precision: the share of MQLs that reach the target. Recall: the share of all leads reaching the target that were MQLs."},
		{"Lift", "How many times more often the top-scored leads reach the target than leads on average."},
		{"Decay half-life", "Days after which an action counts half as much; longer ago means colder."},
	}
}

// splitWords explains how training and test leads were chosen.
func splitWords(split string) string {
	if split == calibrate.SplitRandom {
		return "Weights are fitted on some leads and checked on others drawn at random, the same share of winners on each side. Without dates to go by, this cannot show how the model ages."
	}
	return "Weights are fitted on older leads and checked on the newest ones (out of time), as they would be used."
}

// fmtDays formats landmark ages as "1, 3, 7".
func fmtDays(days []float64) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.FormatFloat(d, 'f', -1, 64)
	}
	return strings.Join(parts, ", ")
}
