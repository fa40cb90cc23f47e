package reports

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/funnel-dev/funnel/calibrate"
)

// tradeoffSection shows, for each candidate threshold, the MQL volume,
// expected value, precision and recall, with the chosen threshold marked.
func tradeoffSection(r *calibrate.Result, _ Labels) (section, error) {
	if len(r.Tradeoff) == 0 {
		return section{ID: "threshold", Title: "Choosing the MQL threshold",
			Intro: "No threshold trade-off: the test period has no scored leads."}, nil
	}
	chosen := r.Threshold.Points
	label := fmt.Sprintf("chosen: %d points", chosen)
	var vol, ev, prec, rec []xy
	var volTips, evTips, precTips, recTips []string
	t := table{Caption: "What each threshold would have given on the test period (chosen threshold highlighted)",
		Head:    []string{"Threshold (points)", "Probability at threshold", "MQLs / month", "Precision", "Recall", "Expected value / month"},
		Numeric: []bool{true, true, true, true, true, true}}
	for _, tr := range r.Tradeoff {
		vol = append(vol, xy{tr.Points, num(tr.MQLsPerMonth, 2)})
		ev = append(ev, xy{tr.Points, num(tr.ExpectedValue, evDecimals(r))})
		prec = append(prec, xy{tr.Points, pct(tr.Precision)})
		rec = append(rec, xy{tr.Points, pct(tr.Recall)})
		at := fmt.Sprintf("threshold %d points", tr.Points)
		volTips = append(volTips, at+"\n"+formatNumber(tr.MQLsPerMonth, 1)+" MQLs per month")
		evTips = append(evTips, at+"\nexpected value "+formatNumber(tr.ExpectedValue, evDecimals(r))+" per month")
		precTips = append(precTips, at+"\nprecision "+formatPercent(tr.Precision))
		recTips = append(recTips, at+"\nrecall "+formatPercent(tr.Recall))
		rw := row{Cells: []cell{intCell(tr.Points), pctCell(tr.Probability), floatCell(tr.MQLsPerMonth, 1),
			pctCell(tr.Precision), pctCell(tr.Recall)}}
		if hasValue(r) {
			rw.Cells = append(rw.Cells, floatCell(tr.ExpectedValue, evDecimals(r)))
		}
		if tr.Points == chosen {
			rw.Class = "chosen"
		}
		t.Rows = append(t.Rows, rw)
	}
	when := "Test period: " + testPeriod(r)
	if !hasValue(r) {
		t.Head, t.Numeric = t.Head[:5], t.Numeric[:5]
	}

	volTitle := "MQLs per month and expected value by threshold"
	if !hasValue(r) {
		volTitle = "MQLs per month by threshold"
	}
	a := charts.NewLine()
	a.SetGlobalOptions(baseOpts("chart-threshold-volume", volTitle, when, 400)...)
	a.SetGlobalOptions(
		valueAxisX("MQL threshold (score points)", ""),
		valueAxisY("MQLs per month", ""),
	)
	a.AddSeries("MQLs per month", lineData(vol), join(seriesColor(colorBlue), markChosen(chosen, label),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})})...)
	if hasValue(r) {
		a.ExtendYAxis(opts.YAxis{Type: "value", Name: "expected value / month", Position: "right",
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
		a.AddSeries("expected value / month (right axis)", lineData(ev), join(seriesColor(colorPurple),
			[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), YAxisIndex: 1})})...)
	}
	axes := 1
	if hasValue(r) {
		axes = 2
	}
	volView, err := render("chart-threshold-volume", 400, "MQL volume and expected value against the threshold", a,
		patches(itemTips(0, volTips), itemTips(1, evTips), offZero(axes)))
	if err != nil {
		return section{}, err
	}

	b := charts.NewLine()
	b.SetGlobalOptions(baseOpts("chart-threshold-precision", "Precision and recall by threshold", when, 400)...)
	b.SetGlobalOptions(
		valueAxisX("MQL threshold (score points)", ""),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "share", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
	)
	b.AddSeries("precision (MQLs that reach the target)", lineData(prec), join(seriesColor(colorBlue), markChosen(chosen, label),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})})...)
	b.AddSeries("recall (targets that were MQLs)", lineData(rec), join(seriesColor(colorGreen),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})})...)
	precView, err := render("chart-threshold-precision", 400, "Precision and recall against the threshold", b,
		patches(itemTips(0, precTips), itemTips(1, recTips), offZero(1)))
	if err != nil {
		return section{}, err
	}
	views := []chartView{volView, precView}
	tables := []table{t}
	if len(r.ScoreTable) > 0 {
		sv, st, err := scoreChart(r, chosen, label, when)
		if err != nil {
			return section{}, err
		}
		views, tables = append(views, sv), append(tables, st)
	}
	th := r.Threshold
	return section{
		ID: "threshold", Title: "Choosing the MQL threshold",
		Intro: fmt.Sprintf("A lead becomes an MQL when its score reaches the threshold. Raising it sends fewer, better leads to sales "+
			"(higher precision) but misses more of the leads that would have reached the target (lower recall). "+
			"The proposed threshold of %d points was chosen by %s: %s MQLs a month, precision %s, recall %s.",
			th.Points, ruleWords(th.Rule, r.Options.ValueCostDefault), formatNumber(th.MQLsPerMonth, 1), formatPercent(th.Precision), formatPercent(th.Recall)),
		Charts: views, Tables: tables, Stacked: true,
	}, nil
}

// scoreChart shows what a score means: the fitted probability of the target
// at each score, and how many test leads had it, with the threshold marked.
func scoreChart(r *calibrate.Result, chosen int, label, when string) (chartView, table, error) {
	var prob []xy
	var tips []string
	var count []xy
	t := table{Caption: "Fitted probability of the target by score (test-period leads with that score)",
		Head: []string{"Score (points)", "Probability", "Test leads"}, Numeric: []bool{true, true, true}}
	for _, s := range r.ScoreTable {
		prob = append(prob, xy{s.Points, pct(s.Probability)})
		tips = append(tips, fmt.Sprintf("score %d: probability %s\n%s test leads", s.Points, formatPercent(s.Probability), formatCount(s.Leads)))
		count = append(count, xy{s.Points, s.Leads})
		rw := row{Cells: []cell{intCell(s.Points), pctCell(s.Probability), intCell(s.Leads)}}
		if s.Points == chosen {
			rw.Class = "chosen"
		}
		t.Rows = append(t.Rows, rw)
	}
	l := charts.NewLine()
	l.SetGlobalOptions(baseOpts("chart-score-probability", "What a score means: probability of "+targetWord(r), when, 400)...)
	l.SetGlobalOptions(
		valueAxisX("score (points)", ""),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "probability", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: axisFormatter("%")}}),
	)
	l.ExtendYAxis(opts.YAxis{Type: "value", Name: "test leads", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	l.AddSeries("probability", lineData(prob), join(seriesColor(colorBlue), markChosen(chosen, label),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})})...)
	l.AddSeries("test leads with the score (right axis)", lineData(count), join(seriesColor(colorGrey), []charts.SeriesOpts{
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), YAxisIndex: 1, Step: "middle"}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.25)}),
	})...)
	cv, err := render("chart-score-probability", 400, "Probability of the target by score, with test leads per score", l,
		patches(itemTips(0, tips), offZero(2)))
	return cv, t, err
}

// backtestSection compares the current with the proposed model on the test period.
func backtestSection(r *calibrate.Result, _ Labels) (section, error) {
	s := section{ID: "backtest", Title: "Current against proposed scoring model, details"}
	bt := r.Backtest
	if bt == nil || len(bt.Months) == 0 {
		s.Intro = "No current scoring model was given, so there is no model to compare with."
		if bt != nil {
			s.Intro = "The test period has no months to compare the models on."
		}
		return s, nil
	}
	s.Intro = fmt.Sprintf("The current scoring model and the proposed one score the same test leads (%s); a lead is an MQL "+
		"under a model when its score reaches that model's threshold.", testPeriod(r))
	mt := table{Caption: "By month of lead creation", Numeric: []bool{false, true, true, true, true, true, true},
		Head: []string{"Month", "Leads", "Leads reaching target", "MQLs current", "MQLs proposed", "Captured current", "Captured proposed"}}
	for _, m := range bt.Months {
		mt.Rows = append(mt.Rows, row{Cells: []cell{textCell(monthLabel(m.Month, r)), intCell(m.Leads), intCell(m.Wins), intCell(m.Current.MQLs),
			intCell(m.Proposed.MQLs), intCell(m.Current.WinsCaptured), intCell(m.Proposed.WinsCaptured)}})
	}
	tt := table{Caption: "Totals over the test period", Numeric: []bool{false, true, true, true, true, true, true},
		Head: []string{"Model", "Threshold", "MQLs", "MQLs / month", "MQLs reaching target", "Precision", "Recall"}}
	for _, x := range []struct {
		name string
		t    calibrate.BacktestTotals
	}{{"current", bt.Current}, {"proposed", bt.Proposed}} {
		tt.Rows = append(tt.Rows, row{Cells: []cell{textCell(x.name), intCell(x.t.Threshold), intCell(x.t.MQLs),
			floatCell(x.t.MQLsPerMonth, 1), intCell(x.t.WinsCaptured), pctCell(x.t.Precision), pctCell(x.t.Recall)}})
	}
	ch := bt.Changed
	ct := table{Caption: "Leads that change side", Numeric: []bool{false, true, true},
		Head: []string{"Change", "Leads", "Of which reached target"},
		Rows: []row{
			{Cells: []cell{textCell("new MQLs (proposed only)"), intCell(ch.NewMQLs), intCell(ch.NewMQLWins)}},
			{Cells: []cell{textCell("dropped MQLs (current only)"), intCell(ch.DroppedMQLs), intCell(ch.DroppedMQLWins)}},
		}}
	tables := []table{tt, ct, mt}
	if len(ch.Sample) > 0 {
		st := table{Caption: "Sample of leads that change side", Numeric: []bool{false, true, true, false, false, false},
			Head: []string{"Lead", "Current score", "Proposed score", "MQL now", "MQL proposed", "Reached target"}}
		for _, c := range ch.Sample {
			st.Rows = append(st.Rows, row{Cells: []cell{textCell(c.LeadID), intCell(c.CurrentScore), intCell(c.ProposedScore),
				textCell(yesNo(c.CurrentMQL)), textCell(yesNo(c.ProposedMQL)), textCell(yesNo(c.Won))}})
		}
		tables = append(tables, st)
	}
	s.Tables = tables
	return s, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// decaySection shows the profile likelihood of the decay half-life.
func decaySection(r *calibrate.Result, _ Labels) (section, error) {
	s := section{ID: "decay", Title: "How fast interest cools (decay half-life)"}
	if len(r.HalfLifeCurve) == 0 {
		s.Intro = fmt.Sprintf("The half-life was set to %s days (%s), not estimated, so there is no curve.",
			formatNumber(r.Options.HalfLifeDays, 0), r.Options.HalfLifeMode)
		return s, nil
	}
	var pts []xy
	var tips []string
	t := table{Caption: "Training log-likelihood by half-life (higher fits better)", Numeric: []bool{true, true},
		Head: []string{"Half-life (days; 0 = no decay)", "Log-likelihood"}}
	chosen := r.Options.HalfLifeDays
	for _, h := range r.HalfLifeCurve {
		pts = append(pts, xy{num(h.HalfLifeDays, 2), num(h.LogLik, 2)})
		tips = append(tips, fmt.Sprintf("half-life %s days\nlog-likelihood %s", formatNumber(h.HalfLifeDays, 0), formatNumber(h.LogLik, 1)))
		rw := row{Cells: []cell{floatCell(h.HalfLifeDays, 0), floatCell(h.LogLik, 1)}}
		if h.Chosen {
			rw.Class = "chosen"
			chosen = h.HalfLifeDays
		}
		t.Rows = append(t.Rows, rw)
	}
	l := charts.NewLine()
	l.SetGlobalOptions(baseOpts("chart-decay", "Fit of each decay half-life", "Training period: "+trainPeriod(r), 380)...)
	l.SetGlobalOptions(valueAxisX("half-life in days (0 = no decay)", ""),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "log-likelihood", Scale: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	l.AddSeries("log-likelihood", lineData(pts), join(seriesColor(colorBlue),
		markChosen(num(chosen, 2), fmt.Sprintf("chosen: %s days", formatNumber(chosen, 0))),
		[]charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7})})...)
	cv, err := render("chart-decay", 380, "Log-likelihood against decay half-life", l, patches(itemTips(0, tips), offZero(1)))
	if err != nil {
		return section{}, err
	}
	s.Intro = "Actions count less the longer ago they happened. Each half-life was tried; the one with the highest " +
		"likelihood on the training leads was used. A flat curve means the data barely distinguishes them."
	s.Charts, s.Tables = []chartView{cv}, []table{t}
	return s, nil
}

// settingsSection lists the run's settings and lead counts.
func settingsSection(r *calibrate.Result, _ Labels) (section, error) {
	o := r.Options
	kv := func(k, v string) row { return row{Cells: []cell{textCell(k), textCell(v)}} }
	t := table{Caption: "Settings of this run", Head: []string{"Setting", "Value"}, Numeric: []bool{false, false},
		Rows: []row{
			kv("target", o.Target),
			kv("landmark ages", fmtDays(o.Landmarks)+" days"),
			kv("standard errors", covarianceWords(o.Covariance)),
			kv("outcome window (horizon)", formatNumber(o.HorizonDays, 0)+" days"),
			kv("decay half-life", formatNumber(o.HalfLifeDays, 0)+" days ("+o.HalfLifeMode+")"),
			kv("action transform", o.Transform),
			kv("ridge penalty (L2)", formatNumber(o.L2, 4)),
			kv("points to double the odds", formatNumber(o.PointsToDoubleOdds, 0)),
			kv("test share", formatPercent(o.TestShare)),
			kv("training period", trainPeriod(r)),
			kv("test period", testPeriod(r)+fmt.Sprintf(" (%s months)", formatNumber(o.TestMonths, 1))),
			kv("data end", formatDate(o.DataEnd)),
			kv("threshold rule", ruleWords(o.ThresholdRule, o.ValueCostDefault)),
			kv("value per target, cost per MQL", valueCost(o)),
			kv("weights refitted on all mature leads", yesNo(o.RefitOnAll)),
			kv("fit", fmt.Sprintf("%d iterations, converged: %s, McFadden pseudo-R² %s", r.Fit.Iterations, yesNo(r.Fit.Converged), formatNumber(r.Fit.PseudoR2, 3))),
		}}
	lc := table{Caption: "Leads", Head: []string{"Group", "Leads"}, Numeric: []bool{false, true},
		Rows: []row{
			{Cells: []cell{textCell("all leads"), intCell(r.Leads.Total)}},
			{Cells: []cell{textCell("mature (outcome window closed)"), intCell(r.Leads.Mature)}},
			{Cells: []cell{textCell("immature (left out)"), intCell(r.Leads.Immature)}},
			{Cells: []cell{textCell("training"), intCell(r.Leads.Train)}},
			{Cells: []cell{textCell("test"), intCell(r.Leads.Test)}},
		}}
	if k := r.Leads.SampleEvery; k > 1 {
		// Every count above is of the sample; say so before them.
		lc.Rows = append([]row{
			{Cells: []cell{textCell("in the workspace"), intCell(r.Leads.InStore)}},
			{Cells: []cell{textCell(fmt.Sprintf("read: 1 lead in every %s in load order (--max-leads)", formatCount(k))), intCell(r.Leads.Total)}},
		}, lc.Rows[1:]...)
	}
	return section{ID: "settings", Title: "Settings and data used", Tables: []table{t, lc}, Stacked: true}, nil
}

// valueCost describes the value and cost the expected value was computed with.
func valueCost(o calibrate.ResultOptions) string {
	switch {
	case o.ValueCostDefault:
		return fmt.Sprintf("1 per target, %s per MQL (default: the training target rate)", formatNumber(o.Cost, 4))
	case o.Value == 0 && o.Cost == 0:
		return "not set"
	}
	return fmt.Sprintf("%s per target, %s per MQL", formatNumber(o.Value, 0), formatNumber(o.Cost, 0))
}

// covarianceWords says how the standard errors were computed.
func covarianceWords(c string) string {
	switch c {
	case "cluster":
		return "clustered by lead (a lead has a snapshot at several ages)"
	case "model":
		return "from the fit (one snapshot per lead)"
	}
	return c
}

// markChosen marks the chosen value of a chart's x axis with a solid line,
// its label horizontal above the plot, clear of the curves and the axes.
func markChosen(at any, label string) []charts.SeriesOpts {
	return markXAt(at, label, colorOrange, "end", "solid")
}

// offZero keeps a chart's n y axes at its edges, with room above the plot
// for the axis names and the chosen mark's label. By default echarts draws
// a y axis at x = 0, through the middle of a chart whose x axis (score
// points) has negative values.
func offZero(n int) map[string]any {
	axes := make([]any, n)
	for i := range axes {
		axes[i] = map[string]any{"axisLine": map[string]any{"onZero": false}}
	}
	return map[string]any{"yAxis": axes, "grid": map[string]any{"top": 96}}
}
