package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/calibrate"
)

// coefficientSection is the forest plot: each feature's weight as a point
// with its 95% confidence interval as a bar, labelled with its points.
func coefficientSection(r *calibrate.Result) (section, error) {
	if len(r.Coefficients) == 0 {
		return section{ID: "coefficients", Title: "What each feature is worth",
			Intro: "The model has no features: every lead gets the same score."}, nil
	}
	cs := sortedCoefficients(r.Coefficients)
	names := make([]string, len(cs))
	data := make([]opts.ScatterData, 0, len(cs))
	var ci []opts.MarkLineNameCoordItem
	var tips []string
	lowest, highest := 0.0, 0.0 // the axis always shows 0, the no-effect line
	t := table{
		Caption: "Fitted weights (training period), largest first",
		Head:    []string{"Feature", "Weight", "SE", "95% CI", "p", "Odds ratio", "Points", "Share of leads with it"},
		Numeric: []bool{false, true, true, false, true, true, true, true},
	}
	for i, c := range cs {
		names[i] = featureLabel(c.Feature)
		if w := num(c.Weight, 4); w != nil {
			data = append(data, opts.ScatterData{Name: fmt.Sprintf("%+d pts", c.Points), Value: []any{w, names[i]}})
			tips = append(tips, fmt.Sprintf("%s\nweight %s (95%% CI %s to %s)\n%+d points, p %s", c.Feature, fmtFloat(c.Weight, 3),
				fmtFloat(c.CILow, 3), fmtFloat(c.CIHigh, 3), c.Points, fmtP(c.PValue)))
		}
		lo, hi := num(c.CILow, 4), num(c.CIHigh, 4)
		for _, v := range []float64{c.Weight, c.CILow, c.CIHigh} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lowest, highest = math.Min(lowest, v), math.Max(highest, v)
			}
		}
		if lo != nil && hi != nil {
			ci = append(ci, opts.MarkLineNameCoordItem{Coordinate0: []any{lo, names[i]}, Coordinate1: []any{hi, names[i]}})
		}
		t.Rows = append(t.Rows, row{Cells: []cell{
			textCell(c.Feature), floatCell(c.Weight, 3), floatCell(c.SE, 3),
			textCell(fmtFloat(c.CILow, 3) + " to " + fmtFloat(c.CIHigh, 3)),
			{Text: fmtP(c.PValue), Sort: sortKey(c.PValue)}, floatCell(c.OddsRatio, 2),
			{Text: fmt.Sprintf("%+d", c.Points), Sort: fmt.Sprint(c.Points)}, pctCell(c.Prevalence),
		}})
	}
	height := barsHeight(len(cs), 26)
	sc := charts.NewScatter()
	sc.SetGlobalOptions(baseOpts("chart-coefficients", "Weights with 95% confidence intervals",
		"Fitted on "+trainPeriod(r)+"; label = score points", height)...)
	sc.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		// echarts sizes the axis to the points only: set it to cover the
		// intervals too, or intervals reaching past it are not drawn.
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "weight (change in log-odds); 0 = no effect",
			NameLocation: "middle", NameGap: 28, Min: axisFloor(lowest, highest), Max: axisCeil(lowest, highest)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 240, Overflow: "truncate", Interval: "0"}}),
	)
	sc.AddSeries("weight", data, join(seriesColor(colorBlue), []charts.SeriesOpts{
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
	cv, err := render("chart-coefficients", height, "Forest plot of fitted weights with 95% confidence intervals", sc,
		patches(map[string]any{"grid": map[string]any{"top": 72}}, itemTips(0, tips)))
	if err != nil {
		return section{}, err
	}
	notes := []string{fmt.Sprintf("Intercept %s (SE %s): the log-odds of the target for a lead with no actions in the baseline groups.",
		fmtFloat(r.Intercept, 3), fmtFloat(r.InterceptSE, 3))}
	for _, g := range sortedKeys(r.Baselines) {
		notes = append(notes, fmt.Sprintf("Baseline of %s: %s (its weight is 0; the others are relative to it).", g, r.Baselines[g]))
	}
	return section{
		ID: "coefficients", Title: "What each feature is worth",
		Intro: "Each point is a fitted weight; the bar is its 95% confidence interval. Features whose bar crosses the 0 line " +
			"have no clear effect in this data. Points are the weight on the score scale.",
		Charts: []chartView{cv}, Tables: []table{t}, Notes: notes,
	}, nil
}

// calibrationCurveSection compares predicted with observed rates by decile.
func calibrationCurveSection(r *calibrate.Result) (section, error) {
	if len(r.CalibrationCurve) == 0 {
		return section{ID: "calibration", Title: "Do the probabilities come true?",
			Intro: "No calibration curve: the test period has no leads."}, nil
	}
	top := 0.0
	var pts []xy
	var tips []string
	t := table{
		Caption: "Calibration by decile of predicted probability (test period)",
		Head:    []string{"Bin", "Leads", "Predicted", "Observed", "Difference"},
		Numeric: []bool{true, true, true, true, true},
	}
	for i, c := range r.CalibrationCurve {
		top = math.Max(top, math.Max(c.Predicted, c.Observed))
		pts = append(pts, xy{pct(c.Predicted), pct(c.Observed)})
		tips = append(tips, fmt.Sprintf("bin %d: %s leads\npredicted %s\nobserved %s", i+1, fmtFloat(c.N, 0), fmtPct(c.Predicted), fmtPct(c.Observed)))
		t.Rows = append(t.Rows, row{Cells: []cell{intCell(i + 1), floatCell(c.N, 0), pctCell(c.Predicted), pctCell(c.Observed),
			{Text: fmtSigned((c.Observed-c.Predicted)*100, 1) + " pp", Sort: sortKey(c.Observed - c.Predicted)}}})
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
		patches(map[string]any{"xAxis": map[string]any{"min": 0, "max": top}, "yAxis": map[string]any{"min": 0, "max": top}},
			itemTips(1, tips)))
	if err != nil {
		return section{}, err
	}
	return section{
		ID: "calibration", Title: "Do the probabilities come true?",
		Intro: "Test leads are sorted by predicted probability and cut into ten groups. A well-calibrated model's points lie " +
			"on the dashed diagonal: leads predicted at 10% reach the target about 10% of the time.",
		Charts: []chartView{cv}, Tables: []table{t},
	}, nil
}

// axisStep is the rounding of the forest plot's axis ends: 0.5 for a
// narrow range, 1 for a wide one, so the end labels fall on round numbers.
func axisStep(lo, hi float64) float64 {
	if hi-lo > 4 {
		return 1
	}
	return 0.5
}

func axisFloor(lo, hi float64) float64 { s := axisStep(lo, hi); return math.Floor(lo/s) * s }
func axisCeil(lo, hi float64) float64  { s := axisStep(lo, hi); return math.Ceil(hi/s) * s }

// niceCeil rounds a percentage up to a multiple of 5 (at least 5, at most 100).
func niceCeil(v float64) float64 {
	if math.IsNaN(v) || v <= 0 {
		return 5
	}
	return math.Min(100, math.Ceil(v/5)*5)
}

// rocGainsSection shows the ROC curve and cumulative gains with lift.
func rocGainsSection(r *calibrate.Result) (section, error) {
	if len(r.ROC) == 0 || len(r.Gains) == 0 {
		return section{ID: "discrimination", Title: "Does the score rank leads well?",
			Intro: "No ROC or gains curve: the test period needs leads that reached the target and leads that did not."}, nil
	}
	var roc []xy
	var rocTips []string
	rt := table{Caption: "ROC curve points (test period)", Head: []string{"False positive rate", "True positive rate"},
		Numeric: []bool{true, true}}
	for _, p := range r.ROC {
		roc = append(roc, xy{pct(p.FPR), pct(p.TPR)})
		rocTips = append(rocTips, fmt.Sprintf("false positive rate %s\ntrue positive rate %s", fmtPct(p.FPR), fmtPct(p.TPR)))
		rt.Rows = append(rt.Rows, row{Cells: []cell{pctCell(p.FPR), pctCell(p.TPR)}})
	}
	l := charts.NewLine()
	l.SetGlobalOptions(baseOpts("chart-roc", fmt.Sprintf("ROC curve, AUC %s", fmtFloat(r.Metrics.AUCTest, 3)), "Test period: "+testPeriod(r), 420)...)
	l.SetGlobalOptions(valueAxisX("false positive rate", "%"), valueAxisY("true positive rate", "%"))
	l.AddSeries("random guessing (reference)", diagonal(100), refLineStyle(),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	l.AddSeries("model", lineData(roc), join(seriesColor(colorBlue), []charts.SeriesOpts{
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
	})...)
	rocView, err := render("chart-roc", 420, "ROC curve of the model on the test period", l,
		patches(map[string]any{"xAxis": map[string]any{"min": 0, "max": 100}, "yAxis": map[string]any{"min": 0, "max": 100}},
			itemTips(1, rocTips)))
	if err != nil {
		return section{}, err
	}

	cats := make([]string, len(r.Gains))
	captured := make([]opts.LineData, len(r.Gains))
	random := make([]opts.LineData, len(r.Gains))
	lift := make([]opts.BarData, len(r.Gains))
	gt := table{Caption: "Cumulative gains and lift by score bin (test period, highest scores first)",
		Head:    []string{"Top share of leads", "Share of targets captured", "Lift", "Rate in bin"},
		Numeric: []bool{true, true, true, true}}
	for i, g := range r.Gains {
		cats[i] = "top " + fmtPct(g.LeadShare)
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
		Charts: []chartView{rocView, gainsView}, Tables: []table{gt, rt},
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
