package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/calibrate"
)

// pointsSection shows what each feature adds to a lead's score: its points
// with their 95% interval in points, largest first, under plain names.
func pointsSection(r *calibrate.Result, l Labels) (section, error) {
	s := section{ID: "points", Title: "What earns points"}
	if len(r.Coefficients) == 0 {
		s.Intro = "The model has no features: every lead gets the same score."
		return s, nil
	}
	cs := sortedCoefficients(r.Coefficients)
	names := make([]string, len(cs))
	data := make([]opts.ScatterData, 0, len(cs))
	var ci []opts.MarkLineNameCoordItem
	var tips []string
	lowest, highest := 0, 0 // the axis always shows 0, the no-effect line
	t := table{
		Caption: "Points per feature, largest first",
		Head:    []string{"Feature", "Points", "95% range of points", "Share of leads with it"},
		Numeric: []bool{false, true, false, true},
	}
	for i, c := range cs {
		names[i] = l.Feature(c.Feature)
		data = append(data, opts.ScatterData{Name: pointsText(c.Points), Value: []any{c.Points, names[i]}})
		tips = append(tips, fmt.Sprintf("%s\n%s points (95%% range %s to %s)", names[i], formatSigned(float64(c.Points), 0),
			pointsText(c.PointsLow), pointsText(c.PointsHigh)))
		lowest, highest = min(lowest, c.PointsLow, c.Points), max(highest, c.PointsHigh, c.Points)
		ci = append(ci, opts.MarkLineNameCoordItem{Coordinate0: []any{c.PointsLow, names[i]}, Coordinate1: []any{c.PointsHigh, names[i]}})
		t.Rows = append(t.Rows, row{Cells: []cell{
			textCell(names[i]), {Text: pointsText(c.Points), Sort: fmt.Sprint(c.Points)},
			textCell(pointsText(c.PointsLow) + " to " + pointsText(c.PointsHigh)),
			pctCell(c.Prevalence),
		}})
	}
	height := barsHeight(len(cs), 26)
	sc := charts.NewScatter()
	sc.SetGlobalOptions(baseOpts("chart-points", "Points per feature, with the range the data supports",
		"Learned from "+trainPeriod(r)+"; "+formatNumber(r.Options.PointsToDoubleOdds, 0)+" points double the odds", height)...)
	sc.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		// echarts sizes the axis to the points only: set it to cover the
		// intervals too, or intervals reaching past it are not drawn.
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "score points (0 = no effect)",
			NameLocation: "middle", NameGap: 28, Min: roundDown(float64(lowest), 10),
			Max: roundUp(float64(highest), 10)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 240, Overflow: "truncate", Interval: "0"}}),
	)
	sc.AddSeries("points", data, join(seriesColor(colorBlue), []charts.SeriesOpts{
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{b}", Color: "#374151"}),
		charts.WithMarkLineNameCoordItemOpts(ci...),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(false)},
			LineStyle: &opts.LineStyle{Color: colorBlue, Width: 2, Type: "solid"},
		}),
	})...)
	sc.AddSeries("no effect (reference)", nil, charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{XAxis: 0}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(false)},
			LineStyle: &opts.LineStyle{Color: "#6b7280", Width: 1, Type: "dashed"},
		}))
	cv, err := render("chart-points", height, "Points per feature with their 95% range", sc,
		patches(itemTips(0, tips), offZero(1)))
	if err != nil {
		return section{}, err
	}
	var refs []string
	for _, g := range sortedKeys(r.Baselines) {
		refs = append(refs, l.Group(g)+": "+l.Name(r.Baselines[g]))
	}
	if len(refs) > 0 {
		s.Notes = append(s.Notes, "Reference levels, worth 0 points (the other levels are relative to them): "+strings.Join(refs, "; ")+".")
	}
	s.Intro = fmt.Sprintf("A lead's score is the sum of the points of what it is and did; %s points double the odds of %s. "+
		"The bar is the range of points the data supports (95%% confidence): a bar that crosses 0 means the data cannot tell "+
		"whether the feature helps.", formatNumber(r.Options.PointsToDoubleOdds, 0), targetWord(r))
	s.Charts, s.Tables, s.Stacked = []chartView{cv}, []table{t}, true
	return s, nil
}

// coefficientSection is the analyst's table of the fit: weights in
// log-odds with their inference, odds ratios and points.
func coefficientSection(r *calibrate.Result, l Labels) (section, error) {
	s := section{ID: "coefficients", Title: "Fitted weights (log-odds)"}
	if len(r.Coefficients) == 0 {
		s.Intro = "The model has no features."
		return s, nil
	}
	t := table{
		Caption: "Fitted weights, largest first",
		Head:    []string{"Feature", "Name in the data", "Weight (log-odds)", "SE", "95% CI", "p", "Odds ratio", "Points"},
		Numeric: []bool{false, false, true, true, false, true, true, true},
	}
	for _, c := range sortedCoefficients(r.Coefficients) {
		t.Rows = append(t.Rows, row{Cells: []cell{
			textCell(l.Feature(c.Feature)), textCell(c.Feature), floatCell(c.Weight, 3), floatCell(c.SE, 3),
			textCell(formatNumber(c.CILow, 3) + " to " + formatNumber(c.CIHigh, 3)),
			{Text: formatP(c.PValue), Sort: sortKey(c.PValue)}, floatCell(c.OddsRatio, 2),
			{Text: formatSigned(float64(c.Points), 0), Sort: fmt.Sprint(c.Points)},
		}})
	}
	s.Intro = "The logistic regression behind the points, fitted on " + trainPeriod(r) + ". A weight is the change in the log-odds of " +
		"the target for one more of an action, or for a level against its reference; the odds ratio is exp(weight); " +
		"p is the two-sided Wald test of a weight of 0."
	s.Notes = []string{fmt.Sprintf("Intercept %s (SE %s): the log-odds of the target for a lead with no actions at the reference levels.",
		formatNumber(r.Intercept, 3), formatNumber(r.InterceptSE, 3))}
	s.Tables, s.Stacked = []table{t}, true
	return s, nil
}

// confidenceSection says how sure the figures are: how well the score
// ranks leads (AUC in words) and whether its probabilities came true
// (predicted against observed rates by decile).
func confidenceSection(r *calibrate.Result, _ Labels) (section, error) {
	m := r.Metrics
	rank := fmt.Sprintf("How well the score ranks leads: %s. In the test period a lead that %s scored above one that did not "+
		"%s of the time (95%% confidence: %s to %s), where a coin toss would do so half of the time. ", rankingWords(m.AUCTest), targetVerb(r),
		formatPercent(m.AUCTest), formatPercent(m.AUCTestCILow), formatPercent(m.AUCTestCIHigh))
	if m.AUCTest == 0 {
		rank = "How well the score ranks leads cannot be judged: the test period lacks leads of one outcome. "
	}
	if len(r.CalibrationCurve) == 0 {
		return section{ID: "confidence", Title: "How sure are we?",
			Intro: rank + "No calibration curve: the test period has no leads."}, nil
	}
	top := 0.0
	var pts []xy
	var tips []string
	t := table{
		Caption: "Predicted against observed rate, test snapshots (a lead at one landmark age) in groups by predicted probability",
		Head:    []string{"Predicted", "Observed", "Test snapshots"},
		Numeric: []bool{true, true, true},
	}
	for _, c := range r.CalibrationCurve {
		top = math.Max(top, math.Max(c.Predicted, c.Observed))
		pts = append(pts, xy{pct(c.Predicted), pct(c.Observed)})
		tips = append(tips, fmt.Sprintf("%s test snapshots\npredicted %s\nobserved %s", formatNumber(c.N, 0), formatPercent(c.Predicted), formatPercent(c.Observed)))
		t.Rows = append(t.Rows, row{Cells: []cell{pctCell(c.Predicted), pctCell(c.Observed), floatCell(c.N, 0)}})
	}
	top = niceCeil(top * 100)
	l := charts.NewLine()
	l.SetGlobalOptions(baseOpts("chart-calibration", "Predicted vs observed rate of "+targetWord(r), "Test period: "+testPeriod(r), 420)...)
	l.SetGlobalOptions(valueAxisX("predicted probability", "%"), valueAxisY("observed rate", "%"))
	l.AddSeries("perfectly calibrated (reference)", diagonal(top), refLineStyle(),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	l.AddSeries("observed", lineData(pts), join(seriesColor(colorBlue), []charts.SeriesOpts{
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 8}),
	})...)
	cv, err := render("chart-calibration", 420, "Calibration curve: observed against predicted rate by decile", l,
		patches(map[string]any{"xAxis": []any{map[string]any{"min": 0, "max": top}}, "yAxis": []any{map[string]any{"min": 0, "max": top}},
			"grid": map[string]any{"top": 84}}, itemTips(1, tips)))
	if err != nil {
		return section{}, err
	}
	return section{
		ID: "confidence", Title: "How sure are we?",
		Intro: rank + "Do its probabilities come true? Over the whole test period " + calibrationWords(m.CalibrationZ) + ". " +
			"The chart sorts the test snapshots (each lead at each age it was looked at) by predicted probability into groups of equal size: where the points lie on the " +
			"dashed diagonal, leads reached the target as often as predicted.",
		Charts: []chartView{cv}, Tables: []table{t},
	}, nil
}

// roundDown and roundUp round an axis end out to a multiple of step, so the
// end labels fall on round numbers.
func roundDown(v, step float64) float64 { return math.Floor(v/step) * step }
func roundUp(v, step float64) float64   { return math.Ceil(v/step) * step }

// niceCeil rounds a percentage up to a multiple of 5 (at least 5, at most 100).
func niceCeil(v float64) float64 {
	if math.IsNaN(v) || v <= 0 {
		return 5
	}
	return math.Min(100, math.Ceil(v/5)*5)
}

// rocGainsSection shows the ROC curve and cumulative gains with lift.
func rocGainsSection(r *calibrate.Result, _ Labels) (section, error) {
	if len(r.ROC) == 0 || len(r.Gains) == 0 {
		return section{ID: "discrimination", Title: "Does the score rank leads well?",
			Intro: "No ROC or gains curve: the test period needs leads that reached the target and leads that did not."}, nil
	}
	var roc []xy
	var rocTips []string
	for _, p := range r.ROC {
		roc = append(roc, xy{pct(p.FPR), pct(p.TPR)})
		rocTips = append(rocTips, fmt.Sprintf("false positive rate %s\ntrue positive rate %s", formatPercent(p.FPR), formatPercent(p.TPR)))
	}
	l := charts.NewLine()
	l.SetGlobalOptions(baseOpts("chart-roc", fmt.Sprintf("ROC curve, AUC %s", formatNumber(r.Metrics.AUCTest, 3)), "Test period: "+testPeriod(r), 420)...)
	l.SetGlobalOptions(valueAxisX("false positive rate", "%"), valueAxisY("true positive rate", "%"))
	l.AddSeries("random guessing (reference)", diagonal(100), refLineStyle(),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	l.AddSeries("model", lineData(roc), join(seriesColor(colorBlue), []charts.SeriesOpts{
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
	})...)
	rocView, err := render("chart-roc", 420, "ROC curve of the model on the test period", l,
		patches(map[string]any{"xAxis": []any{map[string]any{"min": 0, "max": 100}}, "yAxis": []any{map[string]any{"min": 0, "max": 100}}},
			itemTips(1, rocTips)))
	if err != nil {
		return section{}, err
	}

	cats := make([]string, len(r.Gains))
	captured := make([]opts.LineData, len(r.Gains))
	random := make([]opts.LineData, len(r.Gains))
	lift := make([]opts.BarData, len(r.Gains))
	gt := table{Caption: "Cumulative gains and lift by score bin (test period, highest scores first)",
		Head:    []string{"Top share of test snapshots", "Share of targets captured", "Lift", "Rate in this slice"},
		Numeric: []bool{true, true, true, true}}
	for i, g := range r.Gains {
		cats[i] = "top " + formatPercent(g.LeadShare)
		captured[i] = opts.LineData{Value: pct(g.TargetShare)}
		random[i] = opts.LineData{Value: pct(g.LeadShare)}
		lift[i] = opts.BarData{Value: num(g.Lift, 2)}
		gt.Rows = append(gt.Rows, row{Cells: []cell{pctCell(g.LeadShare), pctCell(g.TargetShare), floatCell(g.Lift, 2), pctCell(g.Rate)}})
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart-gains", "Cumulative gains and lift", "Test period: "+testPeriod(r), 420)...)
	b.SetGlobalOptions(
		tipAxis("×", "%", "%"),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "targets captured", Min: 0, Max: 100,
			AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
	)
	b.ExtendYAxis(opts.YAxis{Type: "value", Name: "lift (×)", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	b.SetXAxis(cats)
	b.AddSeries("lift (right axis)", lift, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#bfdbfe"}),
		charts.WithBarChartOpts(opts.BarChart{YAxisIndex: 1}))
	gl := charts.NewLine()
	gl.AddSeries("targets captured", captured, seriesColor(colorBlue)...)
	gl.AddSeries("random order (reference)", random, refLineStyle())
	b.Overlap(gl)
	gainsView, err := render("chart-gains", 420, "Cumulative share of targets captured and lift by score bin", b, nil)
	if err != nil {
		return section{}, err
	}
	return section{
		ID: "discrimination", Title: "Does the score rank leads well?",
		Intro: "The ROC curve shows how many of the leads that reached the target (true positives) a threshold catches for " +
			"each share of the others it lets through. The gains chart shows what share of all targets the top-scored " +
			"leads contain; lift is how many times the average rate that is.",
		Charts: []chartView{rocView, gainsView}, Tables: []table{gt},
	}, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pointsText shows points with their sign, and 0 as "0".
func pointsText(p int) string {
	if p == 0 {
		return "0"
	}
	return formatSigned(float64(p), 0)
}
