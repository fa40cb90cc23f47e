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
	// Labels rename channels, actions, attributes and features on the page;
	// nil shows them as written in the data.
	Labels Labels
}

// WriteCalibration writes the calibration evidence page for r to w: one
// self-contained HTML file (echarts inlined, no network). It opens with a
// summary in plain words and leads with the decision (today's MQLs against
// the proposed ones), then what each feature is worth in points, then how
// sure the figures are; the analyst's material (full tables, ROC, gains,
// the threshold trade-off, landmarks, leaks, decay, settings) follows in a
// block collapsed by default. Every number on it is a number of r (see
// calibration_numbers_test.go). It returns ErrNoResult when r is nil.
func WriteCalibration(w io.Writer, r *calibrate.Result, o Options) error {
	if r == nil {
		return ErrNoResult
	}
	p := page{
		Title:        o.Title,
		GeneratedAt:  o.GeneratedAt,
		Subtitle:     calibrationSubtitle(r),
		Summary:      calibrationSummary(r),
		Warnings:     calibrationWarnings(r),
		Definitions:  calibrationDefinitions(r),
		AnalystTitle: "For analysts: full tables, ROC, threshold trade-off, landmarks, leaks and drift",
	}
	if p.Title == "" {
		p.Title = "Lead scoring: proposed weights and MQL threshold"
	}
	type builder func(*calibrate.Result, Labels) (section, error)
	lead := []builder{decisionSection, pointsSection, confidenceSection}
	analyst := []builder{coefficientSection, metricsSection, tradeoffSection, backtestSection, rocGainsSection,
		landmarkSection, leakSection, decaySection, settingsSection}
	for _, b := range lead {
		s, err := b(r, o.Labels)
		if err != nil {
			return fmt.Errorf("calibration page: %w", err)
		}
		p.Sections = append(p.Sections, s)
	}
	for _, b := range analyst {
		s, err := b(r, o.Labels)
		if err != nil {
			return fmt.Errorf("calibration page: %w", err)
		}
		p.Analyst = append(p.Analyst, s)
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

// targetVerb says what a lead that reached the target did: "won", "reached SQL".
func targetVerb(r *calibrate.Result) string {
	switch r.Target {
	case "sql":
		return "reached SQL"
	case "won":
		return "won"
	default:
		return "reached " + r.Target
	}
}

// period describes a time range of lead creation by month: "Jul 2024 to Aug 2025".
func period(from, to time.Time) string {
	if from.IsZero() && to.IsZero() {
		return "period not recorded"
	}
	if formatMonth(from) == formatMonth(to) {
		return "leads created in " + formatMonth(from)
	}
	return "leads created " + formatMonth(from) + " to " + formatMonth(to)
}

func trainPeriod(r *calibrate.Result) string { return period(r.Options.TrainFrom, r.Options.TrainTo) }

func testPeriod(r *calibrate.Result) string { return period(r.Options.TestFrom, r.Options.TestTo) }

func calibrationSubtitle(r *calibrate.Result) string {
	if r.Options.Split == calibrate.SplitRandom {
		return fmt.Sprintf("Predicts %s within %s days of a lead's creation. Weights learned from %s leads; tested on %s others drawn at random (%s of leads, seed %d), not out of time. Data up to %s.",
			targetWord(r), formatNumber(r.Options.HorizonDays, 0), formatCount(r.Leads.Train), formatCount(r.Leads.Test),
			formatPercent(r.Options.TestShare), r.Options.Seed, formatDate(r.Options.DataEnd))
	}
	return fmt.Sprintf("Predicts %s within %s days of a lead's creation. Weights learned from %s; tested out of time on the newer %s. Data up to %s.",
		targetWord(r), formatNumber(r.Options.HorizonDays, 0), trainPeriod(r), testPeriod(r), formatDate(r.Options.DataEnd))
}

func calibrationWarnings(r *calibrate.Result) []string {
	out := append([]string(nil), r.Warnings...)
	if !r.Fit.Converged {
		out = append(out, fmt.Sprintf("The fit did not converge after %d iterations: weights and intervals are unreliable.", r.Fit.Iterations))
	}
	if r.ExcludedImmature > 0 {
		out = append(out, fmt.Sprintf("%s leads were left out because their %s-day outcome window had not closed yet (immature).",
			formatCount(r.ExcludedImmature), formatNumber(r.Options.HorizonDays, 0)))
	}
	return out
}

// hasValue reports whether the run was given a value per target or a cost
// per MQL; without them expected value is 0 everywhere and not shown.
func hasValue(r *calibrate.Result) bool { return r.Options.Value != 0 || r.Options.Cost != 0 }

// evDecimals is how many decimals expected values are shown with: two when
// they are small (the default value of 1 per target gives values of a few
// targets a month), so neighbouring thresholds can be told apart.
func evDecimals(r *calibrate.Result) int {
	top := 0.0
	for _, t := range r.Tradeoff {
		top = math.Max(top, math.Abs(t.ExpectedValue))
	}
	if top < 100 {
		return 2
	}
	return 0
}

// ruleWords says how the threshold was chosen, in plain words.
func ruleWords(rule string, defaultValue bool) string {
	switch rule {
	case "capacity":
		return "the most MQLs sales can handle"
	case "precision":
		return "the target share of MQLs that convert"
	case "expected_value":
		if defaultValue {
			return "the most targets beyond what random picks would reach"
		}
		return "the highest expected value"
	case "f1":
		return "the best balance of precision and recall"
	case "today_volume":
		return "keeping today's MQL volume"
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

func calibrationDefinitions(r *calibrate.Result) []definition {
	o := r.Options
	return []definition{
		{"Target", fmt.Sprintf("What the model predicts: %s within %s days of the lead's creation (the outcome window).", targetWord(r), formatNumber(o.HorizonDays, 0))},
		{"Landmark snapshot", fmt.Sprintf("Each lead is looked at when it is %s days old, as long as it is still with marketing (no sales stage, not closed) and the moment is inside the data. Only what it did before that moment counts, decayed from that moment: what a live score sees. The moment never depends on the outcome, so winners reaching sales sooner cannot make their windows shorter.", fmtDays(o.Landmarks))},
		{"Possible leak", "A field that looks filled in after the outcome (a value converting at 99% or more, a field filled in mostly for winners, or one that alone separates winners almost perfectly). It is left out of the fit and named here."},
		{"Immature lead", "A lead whose outcome window has not closed by the end of the data. It may still convert, so it is left out rather than counted as a failure."},
		{"Training and test period", splitWords(o.Split)},
		{"Weight", "The logistic-regression coefficient: how much one more of that action (or being in that channel rather than the baseline) changes the log-odds of the target. exp(weight) is the odds ratio."},
		{"95% confidence interval", "The range of weights compatible with the data (weight ± 1.96 standard errors). An interval that crosses 0 means the data cannot tell whether the feature helps."},
		{"Points", fmt.Sprintf("The weight on the score scale: %s points double the odds of the target.", formatNumber(o.PointsToDoubleOdds, 0))},
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
